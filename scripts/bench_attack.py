"""Phases of `make bench` that need a daemon of their own (docs/BENCHMARK.md):

* flood: genuine reporters submit and open their threads, each from an address of its own,
  while 64 junk clients flood submissions and wrong codes. The daemon trusts
  `public.client_address_header` (X-Forwarded-For), as behind a reverse proxy, so every
  client counts under its own address; per-client budgets are the defaults, the global
  ones are raised above 64 x the per-client budget (see BENCHMARK.md for why).
  Genuine requests retry 429 and 503 as Retry-After says; their latency runs from the
  first attempt to the answer that succeeded.
* cost: the KDF at its cheapest (opslimit 1, 64 KiB) and no codes derived ahead, so that
  the daemon's CPU per submission is what surrounds the KDF; user and kernel time from
  /proc/PID/stat before and after, the bare derivation's CPU measured alone.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections import Counter

import bench

FLOOD_JUNK_CLIENTS = 64
FLOOD_JUNK_PAUSE = 0.1        # seconds between a junk client's requests (10 per second each)
FLOOD_GENUINE_SUBMITTERS = 4
FLOOD_GENUINE_READERS = 4
FLOOD_GENUINE_CASES = 32
FLOOD_GENUINE_PAUSE = 0.5
FLOOD_GIVE_UP = 60.0          # a genuine request not through after this long counts as failed
TARGET_FLOOD_P99_S = 5.0


def random_code(rng: random.Random) -> str:
    """A well-formed code (valid Damm check digit) that opens nothing."""
    table = [[0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
             [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
             [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
             [2, 5, 8, 1, 4, 3, 6, 7, 9, 0]]
    digits = [rng.randrange(10) for _ in range(15)]
    interim = 0
    for d in digits:
        interim = table[interim][d]
    return "".join(map(str, digits + [interim]))


def post(conn: http.client.HTTPConnection, path: str, body: dict, address: str) -> tuple[int, float | None, bytes]:
    conn.request("POST", path, body=json.dumps(body, ensure_ascii=False).encode(), headers={
        "Content-Type": "application/json", "Accept": "application/json", "X-Forwarded-For": address})
    response = conn.getresponse()
    data = response.read()
    retry = response.getheader("Retry-After")
    return response.status, float(retry) if retry else None, data


class GenuineRequest:
    """Retries 429/503 as Retry-After says until it succeeds or gives up."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def run(self, path: str, body: dict, address: str, ok: int) -> tuple[bool, float, list[int], bytes]:
        begin = time.monotonic()
        statuses = []
        while True:
            try:
                status, retry, data = post(self.conn, path, body, address)
            except (OSError, http.client.HTTPException) as error:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                status, retry, data = 0, None, str(error).encode()
            statuses.append(status)
            elapsed = time.monotonic() - begin
            if status == ok:
                return True, elapsed, statuses, data
            if status not in (429, 503) or elapsed > FLOOD_GIVE_UP:
                return False, elapsed, statuses, data
            time.sleep(min(retry or 1.0, FLOOD_GIVE_UP))


def run_flood(binary: str, extra_env: dict, duration: float, seed: int, kdf_queue: int | None = None) -> dict:
    env = dict(extra_env)
    if kdf_queue is not None:
        env["SEALBOX_CRYPTO_KDF_QUEUE"] = str(kdf_queue)
    env.update({
        "SEALBOX_PUBLIC_CLIENT_ADDRESS_HEADER": "X-Forwarded-For",
        "SEALBOX_LIMITS_SUBMISSIONS": "10", "SEALBOX_LIMITS_SUBMISSIONS_GLOBAL": "2000",
        "SEALBOX_LIMITS_CODE_ATTEMPTS": "10", "SEALBOX_LIMITS_CODE_ATTEMPTS_GLOBAL": "2000",
    })
    daemon = bench.Daemon(binary, env)
    result: dict = {"junk_clients": FLOOD_JUNK_CLIENTS, "duration_s": duration,
                    "kdf_queue": int(env.get("SEALBOX_CRYPTO_KDF_QUEUE", "128"))}
    try:
        daemon.start()
        bench.wait_idle(daemon)
        rng = random.Random(seed)
        cases = []  # (address, case, code) of genuine reporters, made before the flood
        setup = GenuineRequest(daemon.port)
        for i in range(FLOOD_GENUINE_CASES):
            address = "10.1.%d.%d" % (i // 250, i % 250 + 1)
            done, _, statuses, data = setup.run("/api/v1/reports", bench.report_body(rng), address, 201)
            if not done:
                raise bench.SetupError("flood set-up submission failed: %s" % statuses)
            receipt = json.loads(data)
            cases.append((address, receipt["case"], receipt["code"]))
        bench.wait_idle(daemon)

        lock = threading.Lock()
        junk_statuses: Counter = Counter()
        genuine_statuses: Counter = Counter()
        genuine_latency: dict[str, list] = {"submit": [], "inbox": []}
        genuine_failed: list = []
        deadline = [0.0]
        counter = [0]
        barrier = threading.Barrier(FLOOD_JUNK_CLIENTS + FLOOD_GENUINE_SUBMITTERS + FLOOD_GENUINE_READERS + 1)

        def junk(index: int) -> None:
            r = random.Random(seed * 7919 + index)
            address = "10.66.%d.%d" % (index // 250, index % 250 + 1)
            conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=120)
            seen: Counter = Counter()
            barrier.wait()
            while time.monotonic() < deadline[0]:
                try:
                    if r.random() < 0.5:
                        status, _, _ = post(conn, "/api/v1/reports", {"text": "x" * r.randint(1, 300)}, address)
                    else:
                        status, _, _ = post(conn, "/api/v1/inbox", {"code": random_code(r)}, address)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=120)
                    status = 0
                seen[status] += 1
                time.sleep(FLOOD_JUNK_PAUSE)
            conn.close()
            with lock:
                junk_statuses.update(seen)

        def genuine(kind: str, index: int) -> None:
            r = random.Random(seed * 104729 + index)
            client = GenuineRequest(daemon.port)
            barrier.wait()
            while time.monotonic() < deadline[0]:
                if kind == "submit":
                    with lock:
                        counter[0] += 1
                        n = counter[0]
                    address = "10.2.%d.%d" % (n // 250, n % 250 + 1)  # every reporter comes once
                    done, elapsed, statuses, _ = client.run("/api/v1/reports", bench.report_body(r), address, 201)
                else:
                    address, case, code = r.choice(cases)
                    done, elapsed, statuses, data = client.run("/api/v1/inbox", {"code": code}, address, 200)
                    if done and json.loads(data).get("case") != case:
                        done = False
                with lock:
                    genuine_statuses.update(statuses)
                    if done:
                        genuine_latency[kind].append(elapsed)
                    else:
                        genuine_failed.append((kind, statuses[-5:]))
                time.sleep(FLOOD_GENUINE_PAUSE)

        threads = [threading.Thread(target=junk, args=(i,), daemon=True) for i in range(FLOOD_JUNK_CLIENTS)]
        threads += [threading.Thread(target=genuine, args=("submit", i), daemon=True)
                    for i in range(FLOOD_GENUINE_SUBMITTERS)]
        threads += [threading.Thread(target=genuine, args=("inbox", 100 + i), daemon=True)
                    for i in range(FLOOD_GENUINE_READERS)]
        for t in threads:
            t.start()
        daemon.reset_hwm()
        sampler = bench.RSSSampler(daemon)
        sampler.start()
        cpu_before = daemon.cpu_seconds()
        start = time.monotonic()
        deadline[0] = start + duration
        barrier.wait()
        for t in threads:
            t.join()
        wall = time.monotonic() - start
        cpu_after = daemon.cpu_seconds()
        sampler.stop()
        peak = max(v for v in (sampler.peak, daemon.hwm_mb(), 0.0) if v is not None)
        every = genuine_latency["submit"] + genuine_latency["inbox"]
        fivexx = sum(n for s, n in (junk_statuses + genuine_statuses).items() if s >= 500 and s not in (503, 507))
        transport = junk_statuses.get(0, 0) + genuine_statuses.get(0, 0)
        result.update({
            "wall_s": round(wall, 2),
            "junk_statuses": {str(k): v for k, v in sorted(junk_statuses.items())},
            "genuine_statuses": {str(k): v for k, v in sorted(genuine_statuses.items())},
            "genuine_ok": len(every), "genuine_failed": len(genuine_failed), "genuine_failures": genuine_failed[:5],
            "genuine_submit_p50_ms": bench.ms(bench.percentile(genuine_latency["submit"], 50)),
            "genuine_submit_p99_ms": bench.ms(bench.percentile(genuine_latency["submit"], 99)),
            "genuine_inbox_p50_ms": bench.ms(bench.percentile(genuine_latency["inbox"], 50)),
            "genuine_inbox_p99_ms": bench.ms(bench.percentile(genuine_latency["inbox"], 99)),
            "genuine_p99_ms": bench.ms(bench.percentile(every, 99)),
            "peak_rss_mb": bench.rnd(peak),
            "server_cpu_pct": bench.rnd(100.0 * (cpu_after - cpu_before) / wall) if None not in (cpu_before, cpu_after) else None,
            "other_5xx": fivexx, "transport_errors": transport,
        })
        result["alive"] = daemon.alive()
    finally:
        result["exit_status"] = daemon.stop()
        daemon.cleanup()
    return result


def print_flood(f: dict) -> None:
    print("  flood, crypto.kdf_queue %d, %d junk clients for %.0f s (each 10 requests/s, half submissions, half wrong codes):"
          % (f["kdf_queue"], f["junk_clients"], f["duration_s"]))
    print("    junk answers: %s" % f["junk_statuses"])
    print("    genuine: %d succeeded, %d failed; answers on the way %s"
          % (f["genuine_ok"], f["genuine_failed"], f["genuine_statuses"]))
    print("    genuine latency (first attempt to success): submit p50 %s ms p99 %s ms; inbox p50 %s ms p99 %s ms"
          % (bench.fmt(f["genuine_submit_p50_ms"], "%.0f"), bench.fmt(f["genuine_submit_p99_ms"], "%.0f"),
             bench.fmt(f["genuine_inbox_p50_ms"], "%.0f"), bench.fmt(f["genuine_inbox_p99_ms"], "%.0f")))
    print("    peak RSS %s MB; server CPU %s%%; 5xx other than 503/507: %d; transport errors %d; exit %s"
          % (bench.fmt(f["peak_rss_mb"]), bench.fmt(f["server_cpu_pct"], "%.0f"), f["other_5xx"],
             f["transport_errors"], f["exit_status"]))


def run_cost(binary: str, extra_env: dict, requests: int, clients: int, seed: int) -> dict:
    env = dict(extra_env)
    env.update({"SEALBOX_CRYPTO_KDF_OPSLIMIT": "1", "SEALBOX_CRYPTO_KDF_MEMLIMIT": "65536",
                "SEALBOX_CRYPTO_CODE_POOL": "0", "SEALBOX_CRYPTO_KDF_QUEUE": "256"})
    daemon = bench.Daemon(binary, env)
    result: dict = {"requests": requests, "clients": clients}
    try:
        daemon.start()
        kdf = daemon.benchmark_kdf(2.0)
        result["kdf_cpu_ms_per_derivation"] = round(1000.0 * kdf["cpu_seconds"] / kdf["count"], 3)
        ctx = bench.Context(port=daemon.port)
        warm = bench.Phase("cost-warm", bench.SubmitWorkload(), clients, 30.0, 50)
        bench.run_phase(warm, daemon, ctx, True, seed)
        before = daemon.cpu_split()
        phase = bench.Phase("cost", bench.SubmitWorkload(), clients, 60.0, requests)
        r = bench.run_phase(phase, daemon, ctx, True, seed + 1)
        after = daemon.cpu_split()
        user, system = after[0] - before[0], after[1] - before[1]
        per = 1000.0 * (user + system) / r.ok if r.ok else None
        result.update({
            "accepted": r.ok, "other": r.other, "rate_per_s": round(r.rate, 1), "wall_s": round(r.wall, 2),
            "cpu_ms_per_submission": round(per, 3) if per else None,
            "kernel_share": round(system / (user + system), 3) if user + system else None,
            "cpu_ms_outside_kdf": round(per - result["kdf_cpu_ms_per_derivation"], 3) if per else None,
            "p50_ms": bench.ms(bench.percentile(r.latencies_ok, 50)),
        })
    finally:
        result["exit_status"] = daemon.stop()
        daemon.cleanup()
    return result


def print_cost(c: dict) -> None:
    print("  cost around the KDF (opslimit 1, memlimit 64 KiB, no codes ahead, %d clients): %d accepted, %s/s"
          % (c["clients"], c.get("accepted", 0), bench.fmt(c.get("rate_per_s"))))
    print("    daemon CPU %s ms per submission (kernel %s%%); bare derivation %s ms; outside the KDF %s ms"
          % (bench.fmt(c.get("cpu_ms_per_submission"), "%.2f"),
             bench.fmt(100.0 * c["kernel_share"] if c.get("kernel_share") is not None else None, "%.0f"),
             bench.fmt(c.get("kdf_cpu_ms_per_derivation"), "%.2f"), bench.fmt(c.get("cpu_ms_outside_kdf"), "%.2f")))
