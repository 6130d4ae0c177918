#!/usr/bin/env python3
"""Sealbox benchmark: starts the release sealboxd on fresh storage and measures it over loopback.

Usage (normally through `make bench`, which builds the release daemon first):

    SEALBOX_BIN=$(swift build -c release --show-bin-path) python3 scripts/bench.py \
        [--duration 15] [--max-requests 600] [--clients 8,64] [--kdf-seconds 5] [--json FILE]

What it measures (docs/BENCHMARK.md explains the targets):
  * idle RSS of the daemon after start-up, a few warm-up submissions and 2 s of rest;
  * the bare Argon2id rate R of this machine (`sealboxd benchmark-kdf`, the daemon's own
    code, cost and worker count), run while the daemon is idle;
  * one load phase per entry of PHASES x --clients: concurrent clients, each with its own
    keep-alive HTTP/1.1 connection, submitting realistic reports to POST /api/v1/reports;
    per phase: 201s per wall second, latency p50/p99, status counts, peak RSS, CPU of
    server and client;
  * a summary with PASS/FAIL per target.

Exit status: 0 whatever the targets say; 1 when the daemon crashed, did not exit 0 on
SIGTERM, or a request failed other than with a deliberate 503 (busy); 2 on a setup error.

Only the Python standard library is needed, plus PyNaCl when it is installed (for a real
team key; without it a random 32-byte string serves, which is fine because the daemon only
seals to the key and the benchmark never opens anything).

Adding a phase (e.g. the reporter inbox of issue 3): write a Workload subclass whose
`request()` performs one request on the client's connection and returns the HTTP status,
and append a Phase to build_phases(). Submissions keep the codes they received in
`context.codes`, so an inbox workload can open threads that exist.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import http.client
import json
import os
import platform
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
if __name__ == "__main__":
    sys.modules["bench"] = sys.modules["__main__"]  # one module, whether run or imported
import bench_attack  # noqa: E402  (phases with daemons of their own; imports this module)

# Targets of issue 2 §8, on 2 cores.
TARGET_RATIO = 0.9          # submissions/s ÷ bare Argon2id rate
TARGET_IDLE_RSS_MB = 40.0
TARGET_PEAK_RSS_MB = 300.0  # with 64 concurrent clients
TARGET_PEAK_CLIENTS = 64

RSS_SAMPLE_INTERVAL = 0.05
CONTENDED_PCT = 20.0        # other processes' CPU above which a run is flagged as disturbed
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------
# The daemon under test


def team_public_key() -> str:
    try:
        from nacl.public import PrivateKey  # type: ignore

        raw = bytes(PrivateKey.generate().public_key)
    except ImportError:
        raw = os.urandom(32)
    return "sealbox-team-v1:" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


class Daemon:
    """sealboxd on a fresh temporary storage directory, both listeners on 127.0.0.1:0."""

    def __init__(self, binary: str, extra_env: dict[str, str]):
        self.binary = binary
        self.tempdir = tempfile.mkdtemp(prefix="sealbox-bench-")
        self.env = dict(os.environ)
        self.env.update({
            "SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team_public_key(),
            "SEALBOX_STORAGE_PATH": os.path.join(self.tempdir, "data"),
            "SEALBOX_PUBLIC_LISTEN": "127.0.0.1:0",
            "SEALBOX_STAFF_LISTEN": "127.0.0.1:0",
            # All benchmark clients share 127.0.0.1: lift the per-client code-attempt limit so
            # that the inbox phases measure the work, not the limiter.
            "SEALBOX_LIMITS_CODE_ATTEMPTS": "1000000",
            "SEALBOX_LIMITS_CODE_ATTEMPTS_GLOBAL": "1000000",
            # ... and the submission budgets, so that submissions measure the daemon's work.
            # The flood phase (bench_attack.py) runs with per-client budgets at their defaults.
            "SEALBOX_LIMITS_SUBMISSIONS": "1000000",
            "SEALBOX_LIMITS_SUBMISSIONS_GLOBAL": "1000000",
            # The privacy notice needs them; without them the daemon refuses to start.
            "SEALBOX_OFFICE_CONTROLLER": "Benchmark office, Musterweg 1, 30000 Musterstadt",
            "SEALBOX_OFFICE_DATA_PROTECTION_CONTACT": "datenschutz@example.org",
        })
        self.env.update(extra_env)
        self.process: subprocess.Popen | None = None
        self.output: deque[str] = deque(maxlen=200)
        self.port: int | None = None
        self._ready = threading.Event()

    def start(self, timeout: float = 30.0) -> None:
        self.process = subprocess.Popen(
            [self.binary], env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read_output, daemon=True).start()
        if not self._ready.wait(timeout) or self.port is None:
            self.kill()
            raise SetupError("sealboxd did not announce its public listener within %.0f s:\n%s"
                             % (timeout, self.tail()))

    def _read_output(self) -> None:
        assert self.process and self.process.stdout
        for line in self.process.stdout:  # drained until exit so the daemon never blocks on a full pipe
            self.output.append(line.rstrip("\n"))
            if line.startswith("sealboxd: public listener on http://"):
                address = line.split("http://", 1)[1].strip().rstrip("/")
                self.port = int(address.rsplit(":", 1)[1])
                self._ready.set()
        self._ready.set()

    @property
    def pid(self) -> int:
        assert self.process
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss_mb(self) -> float | None:
        return read_status_kb(self.pid, "VmRSS")

    def rss_breakdown(self) -> str:
        """VmRSS split into anonymous memory (heap, stacks) and file pages (code of the binary and libraries)."""
        anon, files = read_status_kb(self.pid, "RssAnon"), read_status_kb(self.pid, "RssFile")
        return "anonymous %s MB, file-backed %s MB" % (fmt(anon), fmt(files))

    def hwm_mb(self) -> float | None:
        return read_status_kb(self.pid, "VmHWM")

    def reset_hwm(self) -> bool:
        """Resets the kernel's peak-RSS mark (VmHWM) so that it covers one phase."""
        try:
            with open("/proc/%d/clear_refs" % self.pid, "w") as f:
                f.write("5")
            return True
        except OSError:
            return False

    def cpu_seconds(self) -> float | None:
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
        except (OSError, IndexError, ValueError):
            return None

    def cpu_split(self) -> tuple[float, float]:
        """(user, kernel) CPU seconds of the daemon so far."""
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS

    def threads(self) -> int | None:
        value = read_status_field(self.pid, "Threads")
        return int(value) if value else None

    def benchmark_kdf(self, seconds: float) -> dict:
        """`sealboxd benchmark-kdf`: the bare Argon2id rate with the daemon's code and settings."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run([self.binary, "benchmark-kdf", str(seconds)], env=self.env,
                                capture_output=True, text=True, timeout=seconds + 60)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        line = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
        if result.returncode != 0 or not line.startswith("argon2id:"):
            raise SetupError("sealboxd benchmark-kdf failed (%d): %s %s"
                             % (result.returncode, result.stdout, result.stderr))
        # argon2id: N derivations in T s = R/s (W workers, opslimit=2 memlimit=67108864)
        words = line.split()
        rate = float(line.split("=", 1)[1].split("/s", 1)[0])
        return {"line": line, "count": int(words[1]), "seconds": float(words[4]), "rate": rate,
                "cpu_seconds": round(cpu, 3), "cpu_ms_per_derivation": round(1000.0 * cpu / int(words[1]), 1)}

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM, then waits; returns the exit status (None when it had to be killed)."""
        if not self.process:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        return self.process.returncode

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def cleanup(self) -> None:
        shutil.rmtree(self.tempdir, ignore_errors=True)

    def tail(self, lines: int = 20) -> str:
        return "\n".join(list(self.output)[-lines:])


def read_status_field(pid: int, name: str) -> str | None:
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(name + ":"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def read_status_kb(pid: int, name: str) -> float | None:
    value = read_status_field(pid, name)
    return int(value.split()[0]) / 1024.0 if value else None


def system_busy_seconds() -> float | None:
    """CPU seconds spent by every process on the machine (all cores), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return (sum(values[:8]) - idle) / CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


class SetupError(Exception):
    pass


def wait_idle(daemon: "Daemon", quiet_pct: float = 5.0, timeout: float = 120.0) -> float:
    """Waits until the daemon uses less than `quiet_pct` of a core over half a second: its
    codes derived ahead (crypto.code_pool) are all ready. Returns the seconds waited."""
    start = time.monotonic()
    quiet = 0
    while time.monotonic() - start < timeout and quiet < 3:  # three quiet windows in a row
        before = daemon.cpu_seconds()
        time.sleep(0.5)
        after = daemon.cpu_seconds()
        quiet = quiet + 1 if before is None or after is None or 100.0 * (after - before) / 0.5 < quiet_pct else 0
    return time.monotonic() - start


# ---------------------------------------------------------------------------------------
# Workloads


@dataclass
class Context:
    """What phases share: where the daemon is, and what earlier requests produced."""
    port: int
    codes: list = field(default_factory=list)   # (case, code) of accepted submissions
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Outcome:
    status: int            # HTTP status, or 0 for a transport error
    retry_after: float | None = None
    error: str | None = None


class Workload:
    """One kind of request. `request()` runs on a client thread with its own connection."""
    name = "?"

    def request(self, conn: http.client.HTTPConnection, rng: random.Random, ctx: Context) -> Outcome:
        raise NotImplementedError


WORDS = (
    "the meeting manager colleague office team said again when because told me that my "
    "name accent headscarf wheelchair application flat landlord viewing appointment was "
    "refused rejected without reason after asked about origin age pregnancy language "
    "German English training promotion salary colleagues laughed comments repeatedly "
    "week month last year since March in front of everyone the clerk at the counter "
    "Vermieterin Besichtigung abgelehnt Bewerbung Kollegen Sachbearbeiter Behörde "
    "Kopftuch Rollstuhl Aussprache Ausbildung Schule Lehrer Klasse Prüfung Noten "
    "Ärztin Praxis Termin Wartezimmer Jobcenter Antrag Straße Bus Kontrolle Polizei "
    "weil wegen nach dass immer wieder vor allen gesagt gefragt verweigert größer "
    "witnesses emails screenshot letter documented complaint nothing happened"
).split()
PUNCTUATION = [". ", ", ", " ", " ", " ", " ", "; ", "? "]
GROUNDS = ["ethnic-origin", "gender", "religion", "disability", "age", "sexual-identity",
           "chronic-illness", "language", "social-status", "appearance", "nationality", "other"]
AREAS = ["work", "housing", "education", "authorities", "goods-services", "health",
         "public-space", "online", "other"]


def report_text(rng: random.Random, low: int = 200, high: int = 2000) -> str:
    target = rng.randint(low, high)
    parts: list[str] = []
    length = 0
    while length < target:
        word = rng.choice(WORDS)
        if not parts or parts[-1].endswith(". "):
            word = word[:1].upper() + word[1:]
        sep = rng.choice(PUNCTUATION)
        parts.append(word + sep)
        length += len(word) + len(sep)
    return "".join(parts)[:target].rstrip() + "."


def report_body(rng: random.Random) -> dict:
    body: dict = {"text": report_text(rng)}
    if rng.random() < 0.6:
        body["grounds"] = rng.sample(GROUNDS, rng.randint(1, 3))
    if rng.random() < 0.5:
        body["area"] = rng.choice(AREAS)
    if rng.random() < 0.3:
        body["when"] = rng.choice(["last week", "im März", "2024-11", "seit Monaten"])
    if rng.random() < 0.3:
        body["where"] = rng.choice(["Bürgeramt Mitte", "at work", "Linie 8", "Schule am Park"])
    if rng.random() < 0.1:
        body["contact"] = "reporter%d@example.org" % rng.randint(1, 10 ** 6)
    return body


class SubmitWorkload(Workload):
    """POST /api/v1/reports with a JSON report of 200-2000 characters, some with grounds."""
    name = "submit"

    def request(self, conn, rng, ctx):
        payload = json.dumps(report_body(rng), ensure_ascii=False).encode()
        conn.request("POST", "/api/v1/reports", body=payload, headers={
            "Content-Type": "application/json", "Accept": "application/json"})
        response = conn.getresponse()
        data = response.read()
        retry_after = response.getheader("Retry-After")
        if response.status == 201:
            receipt = json.loads(data)
            with ctx.lock:
                ctx.codes.append((receipt["case"], receipt["code"]))
        return Outcome(response.status, float(retry_after) if retry_after else None)


class InboxWorkload(Workload):
    """POST /api/v1/inbox with the code of a case an earlier phase created: one Argon2id,
    one lookup and the decryption of the thread."""
    name = "inbox"

    def request(self, conn, rng, ctx):
        with ctx.lock:
            case, code = rng.choice(ctx.codes)
        conn.request("POST", "/api/v1/inbox", body=json.dumps({"code": code}).encode(), headers={
            "Content-Type": "application/json", "Accept": "application/json"})
        response = conn.getresponse()
        data = response.read()
        retry_after = response.getheader("Retry-After")
        if response.status == 200 and json.loads(data).get("case") != case:
            return Outcome(0, error="inbox answered another case")
        return Outcome(response.status, float(retry_after) if retry_after else None)


class MixedWorkload(Workload):
    """Reporters opening their threads while others submit: every other request each."""
    name = "mixed"

    def request(self, conn, rng, ctx):
        return (InboxWorkload() if rng.random() < 0.5 else SubmitWorkload()).request(conn, rng, ctx)


# ---------------------------------------------------------------------------------------
# Phases


@dataclass
class Phase:
    name: str
    workload: Workload
    clients: int
    duration: float       # seconds after which no new request starts
    max_requests: int     # ... or after this many requests have started (503s not counted)


@dataclass
class PhaseResult:
    name: str
    clients: int
    wall: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    latencies_ok: list = field(default_factory=list)    # seconds, per 2xx answer
    latencies_all: list = field(default_factory=list)
    errors: list = field(default_factory=list)           # first few transport errors
    peak_rss_sampled: float | None = None
    peak_rss_hwm: float | None = None
    rss_after: float | None = None
    server_cpu: float | None = None                       # percent of one core
    client_cpu: float | None = None
    others_cpu: float | None = None                       # everything else on the machine
    max_threads: int | None = None

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)

    @property
    def busy(self) -> int:
        return self.statuses.get(503, 0)

    @property
    def other(self) -> int:
        return sum(n for s, n in self.statuses.items() if not (200 <= s < 300) and s != 503)

    @property
    def rate(self) -> float:
        return self.ok / self.wall if self.wall > 0 else 0.0

    @property
    def cpu_ms_per_ok(self) -> float | None:
        if self.server_cpu is None or not self.ok:
            return None
        return 10.0 * self.server_cpu * self.wall / self.ok  # (pct/100 * wall s * 1000 ms) / count

    @property
    def peak_rss(self) -> float | None:
        values = [v for v in (self.peak_rss_sampled, self.peak_rss_hwm) if v is not None]
        return max(values) if values else None

    def as_dict(self) -> dict:
        return {
            "phase": self.name, "clients": self.clients, "wall_s": round(self.wall, 3),
            "ok": self.ok, "busy_503": self.busy, "other": self.other,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "rate_per_s": round(self.rate, 2),
            "latency_ok_ms": {"p50": ms(percentile(self.latencies_ok, 50)),
                              "p99": ms(percentile(self.latencies_ok, 99)),
                              "max": ms(max(self.latencies_ok) if self.latencies_ok else None)},
            "latency_all_ms": {"p50": ms(percentile(self.latencies_all, 50)),
                               "p99": ms(percentile(self.latencies_all, 99))},
            "peak_rss_mb": rnd(self.peak_rss), "peak_rss_sampled_mb": rnd(self.peak_rss_sampled),
            "peak_rss_hwm_mb": rnd(self.peak_rss_hwm), "rss_after_mb": rnd(self.rss_after),
            "server_cpu_pct": rnd(self.server_cpu), "server_cpu_ms_per_accepted": rnd(self.cpu_ms_per_ok), "client_cpu_pct": rnd(self.client_cpu),
            "other_processes_cpu_pct": rnd(self.others_cpu),
            "server_threads_max": self.max_threads, "errors": self.errors,
        }


def percentile(values: list, p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000.0, 1)


def rnd(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


class RSSSampler(threading.Thread):
    """Reads VmRSS of the daemon every 50 ms; keeps the maximum."""

    def __init__(self, daemon: Daemon):
        super().__init__(daemon=True)
        self.target = daemon
        self.peak: float | None = None
        self.max_threads: int | None = None
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            rss = self.target.rss_mb()
            if rss is not None and (self.peak is None or rss > self.peak):
                self.peak = rss
            threads = self.target.threads()
            if threads is not None and (self.max_threads is None or threads > self.max_threads):
                self.max_threads = threads
            self.stop_event.wait(RSS_SAMPLE_INTERVAL)

    def stop(self) -> None:
        self.stop_event.set()
        self.join()


def run_phase(phase: Phase, daemon: Daemon, ctx: Context, honour_retry_after: bool, seed: int) -> PhaseResult:
    result = PhaseResult(phase.name, phase.clients)
    lock = threading.Lock()
    started = [0]
    barrier = threading.Barrier(phase.clients + 1)
    start_time = [0.0]
    deadline = [0.0]

    def take_ticket() -> bool:
        with lock:
            if started[0] >= phase.max_requests or time.monotonic() >= deadline[0]:
                return False
            started[0] += 1
            return True

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        conn = http.client.HTTPConnection("127.0.0.1", ctx.port, timeout=120)
        statuses: Counter = Counter()
        ok_lat: list = []
        all_lat: list = []
        errors: list = []
        barrier.wait()
        while take_ticket():
            begin = time.monotonic()
            try:
                outcome = phase.workload.request(conn, rng, ctx)
            except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
                outcome = Outcome(0, error="%s: %s" % (type(error).__name__, error))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", ctx.port, timeout=120)
            elapsed = time.monotonic() - begin
            statuses[outcome.status] += 1
            all_lat.append(elapsed)
            if 200 <= outcome.status < 300:
                ok_lat.append(elapsed)
            if outcome.error and len(errors) < 5:
                errors.append(outcome.error)
            if outcome.status == 0 and not daemon.alive():
                break  # the daemon is gone: no point in hammering a closed port
            if outcome.status == 503:
                with lock:
                    started[0] -= 1  # a refusal does not use up the phase's request budget
            if outcome.status == 503 and honour_retry_after:
                # A well-behaved client waits as told (with jitter), but not past the phase end.
                pause = (outcome.retry_after or 1.0) * rng.uniform(0.8, 1.2)
                time.sleep(max(0.0, min(pause, deadline[0] - time.monotonic())))
        conn.close()
        with lock:
            result.statuses.update(statuses)
            result.latencies_ok.extend(ok_lat)
            result.latencies_all.extend(all_lat)
            result.errors.extend(errors[: max(0, 10 - len(result.errors))])

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(phase.clients)]
    for t in threads:
        t.start()
    daemon.reset_hwm()
    sampler = RSSSampler(daemon)
    sampler.start()
    cpu_before = daemon.cpu_seconds()
    client_before = os.times()
    system_before = system_busy_seconds()
    start_time[0] = time.monotonic()
    deadline[0] = start_time[0] + phase.duration
    barrier.wait()
    for t in threads:
        t.join()
    end = time.monotonic()
    cpu_after = daemon.cpu_seconds()
    client_after = os.times()
    system_after = system_busy_seconds()
    time.sleep(2 * RSS_SAMPLE_INTERVAL)
    sampler.stop()
    result.wall = end - start_time[0]
    result.peak_rss_sampled = sampler.peak
    result.peak_rss_hwm = daemon.hwm_mb()
    result.max_threads = sampler.max_threads
    if cpu_before is not None and cpu_after is not None:
        result.server_cpu = 100.0 * (cpu_after - cpu_before) / result.wall
    result.client_cpu = 100.0 * ((client_after.user - client_before.user)
                                 + (client_after.system - client_before.system)) / result.wall
    if None not in (system_before, system_after, result.server_cpu):
        result.others_cpu = max(0.0, 100.0 * (system_after - system_before) / result.wall
                                - result.server_cpu - result.client_cpu)
    result.rss_after = daemon.rss_mb()
    return result


# Phases that start only once every code derived ahead is ready (the daemon is idle).
AFTER_IDLE = {"normal", "burst", "inbox"}


def build_phases(clients: list[int], duration: float, max_requests: int) -> list[Phase]:
    """The load phases, in order: submissions at normal load and a burst, both served by
    codes derived ahead; sustained submissions right after the burst, when the pool is
    empty and every submission waits for its own Argon2id; the reporter inbox at idle and
    under concurrency alongside submissions."""
    submit = SubmitWorkload()
    phases = [Phase("normal", submit, 2, duration, NORMAL_REQUESTS),
              Phase("burst", submit, BURST_CLIENTS, max(duration, 60.0), BURST_REPORTS)]
    phases += [Phase("submit", submit, n, duration, max_requests) for n in clients]
    # Opening a thread at idle: one client, one request at a time.
    phases.append(Phase("inbox", InboxWorkload(), 1, min(duration, 10.0), 100))
    # Under concurrency, alongside submissions.
    phases.append(Phase("mixed", MixedWorkload(), max(clients), duration, max_requests))
    return phases


# ---------------------------------------------------------------------------------------
# Reporting


def fmt(value, spec: str = "%.1f", missing: str = "-") -> str:
    return missing if value is None else spec % value


def print_phase(r: PhaseResult, kdf_rate: float) -> None:
    statuses = ", ".join("%s: %d" % (k if k else "transport error", v) for k, v in sorted(r.statuses.items()))
    print("  %s, %d clients: %d accepted in %.1f s = %.1f submissions/s (%.0f%% of Argon2id rate)"
          % (r.name, r.clients, r.ok, r.wall, r.rate, 100.0 * r.rate / kdf_rate if kdf_rate else 0))
    print("    latency of 201s: p50 %s ms, p99 %s ms, max %s ms; all answers p50 %s ms"
          % (fmt(ms(percentile(r.latencies_ok, 50)), "%.0f"), fmt(ms(percentile(r.latencies_ok, 99)), "%.0f"),
             fmt(ms(max(r.latencies_ok)) if r.latencies_ok else None, "%.0f"),
             fmt(ms(percentile(r.latencies_all, 50)), "%.0f")))
    print("    statuses: %s (201: %d, 503: %d, other: %d)" % (statuses, r.ok, r.busy, r.other))
    print("    peak RSS %s MB (sampled every 50 ms %s MB, kernel VmHWM %s MB), RSS after %s MB, threads max %s"
          % (fmt(r.peak_rss), fmt(r.peak_rss_sampled), fmt(r.peak_rss_hwm), fmt(r.rss_after), fmt(r.max_threads, "%d")))
    print("    CPU (100%% = one core of %d): server %s%% (%s ms per accepted submission), benchmark client %s%%, "
          "other processes %s%%" % (os.cpu_count() or 0, fmt(r.server_cpu, "%.0f"), fmt(r.cpu_ms_per_ok, "%.0f"),
                                    fmt(r.client_cpu, "%.0f"), fmt(r.others_cpu, "%.0f")))
    if r.others_cpu is not None and r.others_cpu > CONTENDED_PCT:
        print("    WARNING: other processes used %.0f%% of a core: the machine was not quiet, figures are low" % r.others_cpu)
    for error in r.errors[:3]:
        print("    error: %s" % error)
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get("SEALBOX_BIN"),
                        help="directory holding sealboxd, or the sealboxd binary (default: $SEALBOX_BIN)")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per load phase (default 15)")
    parser.add_argument("--max-requests", type=int, default=600,
                        help="requests per load phase at most, 503s not counted (default 600)")
    parser.add_argument("--clients", default="8,64", help="concurrent clients per phase, comma-separated (default 8,64)")
    parser.add_argument("--kdf-seconds", type=float, default=5.0, help="length of the bare Argon2id measurement (default 5)")
    parser.add_argument("--warmup", type=int, default=4, help="submissions before idle RSS is taken (default 4)")
    parser.add_argument("--ignore-retry-after", action="store_true",
                        help="clients retry a 503 at once instead of waiting as Retry-After says")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for sealboxd, e.g. SEALBOX_CRYPTO_KDF_WORKERS=3 (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--seed", type=int, default=1, help="seed of the report generator")
    parser.add_argument("--skip", default="", help="comma-separated extra phases to leave out: flood, cost")
    args = parser.parse_args()

    binary = args.bin
    if not binary:
        parser.error("set SEALBOX_BIN (make bench does) or pass --bin")
    if os.path.isdir(binary):
        binary = os.path.join(binary, "sealboxd")
    if not os.access(binary, os.X_OK):
        parser.error("no executable sealboxd at %s (build it: swift build -c release)" % binary)
    try:
        clients = [int(c) for c in args.clients.split(",") if c.strip()]
        assert clients and all(c > 0 for c in clients)
    except (ValueError, AssertionError):
        parser.error("--clients takes positive numbers separated by commas, e.g. 8,64")
    extra_env = {}
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error("--env takes KEY=VALUE")
        extra_env[key] = value

    daemon = Daemon(binary, extra_env)
    failures: list[str] = []
    report: dict = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_description(),
        "binary": binary,
        "settings": {"duration_s": args.duration, "max_requests": args.max_requests, "clients": clients,
                     "honour_retry_after": not args.ignore_retry_after,
                     "kdf_workers": int(daemon.env.get("SEALBOX_CRYPTO_KDF_WORKERS", "2")),
                     "kdf_queue": int(daemon.env.get("SEALBOX_CRYPTO_KDF_QUEUE", "128")),
                     "extra_env": extra_env},
    }
    results: list[PhaseResult] = []
    crashed = False
    kdf_rate = 0.0
    try:
        print("Sealbox benchmark, %s" % report["date"])
        print("machine: %s" % report["machine"])
        print("daemon: %s (KDF workers %d, queue %d)" % (binary, report["settings"]["kdf_workers"],
                                                        report["settings"]["kdf_queue"]))
        daemon.start()
        ctx = Context(port=daemon.port)
        print("listening on 127.0.0.1:%d, pid %d; RSS right after start %s MB"
              % (daemon.port, daemon.pid, fmt(daemon.rss_mb())))
        report["rss_start_mb"] = rnd(daemon.rss_mb())

        # Warm-up, then rest: idle RSS.
        warm = PhaseResult("warm-up", 1)
        conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=60)
        rng = random.Random(args.seed)
        for _ in range(args.warmup):
            outcome = SubmitWorkload().request(conn, rng, ctx)
            warm.statuses[outcome.status] += 1
        conn.request("GET", "/healthz")
        health = conn.getresponse()
        health.read()
        warm.statuses[health.status] += 1
        conn.close()
        if warm.other:
            failures.append("warm-up answered %s" % dict(warm.statuses))
        waited = wait_idle(daemon)
        print("codes derived ahead ready after %.1f s" % waited)
        time.sleep(2.0)
        idle_rss = daemon.rss_mb()
        report["idle_rss_mb"] = rnd(idle_rss)
        report["idle_rss_breakdown"] = daemon.rss_breakdown()
        print("idle RSS after %d warm-up submissions and 2 s rest: %s MB (%s)"
              % (args.warmup, fmt(idle_rss), report["idle_rss_breakdown"]))

        # Bare Argon2id rate, while the daemon is idle.
        print("measuring bare Argon2id for %.0f s ..." % args.kdf_seconds)
        sys.stdout.flush()
        busy_before, wall_before = system_busy_seconds(), time.monotonic()
        kdf = daemon.benchmark_kdf(args.kdf_seconds)
        busy_after, wall_after = system_busy_seconds(), time.monotonic()
        report["kdf"] = kdf
        kdf_rate = kdf["rate"]
        print("  " + kdf["line"])
        if None not in (busy_before, busy_after):
            # The benchmark keeps `workers` cores busy; anything beyond that is someone else.
            workers = report["settings"]["kdf_workers"]
            wall = wall_after - wall_before
            own = 100.0 * kdf["cpu_seconds"] / wall
            others = max(0.0, 100.0 * (busy_after - busy_before) / wall - own)
            kdf["cpu_pct"] = round(own, 1)
            kdf["other_processes_cpu_pct"] = round(others, 1)
            print("  CPU: Argon2id %.0f%% (of at most %d00%%), %.0f ms per derivation; other processes %.0f%%"
                  % (own, min(workers, os.cpu_count() or workers), kdf["cpu_ms_per_derivation"], others))
            if others > CONTENDED_PCT:
                print("  WARNING: other processes used %.0f%% of a core: the machine was not quiet, R is low" % others)

        print("load phases (%.0f s or %d requests each, new keep-alive connection per client):"
              % (args.duration, args.max_requests))
        for index, phase in enumerate(build_phases(clients, args.duration, args.max_requests)):
            if phase.name in AFTER_IDLE:
                waited = wait_idle(daemon)
                print("  (waited %.1f s for the codes derived ahead to be ready)" % waited)
            elif phase.name == "submit":
                time.sleep(0.2)  # sustained: right after the burst, while the pool is empty
            else:
                time.sleep(1.0)  # let the previous phase's connections close
            result = run_phase(phase, daemon, ctx, not args.ignore_retry_after, args.seed + index + 1)
            results.append(result)
            print_phase(result, kdf_rate)
            if not daemon.alive():
                crashed = True
                failures.append("sealboxd exited during phase %s/%d with status %s"
                                % (phase.name, phase.clients, daemon.process.returncode))
                break
            if result.other:
                failures.append("phase %s/%d: %d answers other than 201/503 %s"
                                % (phase.name, phase.clients, result.other, result.errors[:3]))
        time.sleep(2.0)
        if daemon.alive():
            report["rss_end_mb"] = rnd(daemon.rss_mb())
            report["rss_end_breakdown"] = daemon.rss_breakdown()
            print("RSS after the load phases and 2 s rest: %s MB (%s)"
                  % (fmt(report["rss_end_mb"]), report["rss_end_breakdown"]))
        status = daemon.stop()
        if "flood" not in args.skip:
            print("flood (a daemon of its own, trusting X-Forwarded-For) ...")
            sys.stdout.flush()
            # Twice: with the configured queue (128 by default, deeper than the junk clients,
            # so that every request waits its turn; the targets apply to this run), and with
            # the old default of 32, where 503s send reporters away for the pool's estimate.
            for key, queue in (("flood", None), ("flood_shallow_queue", FLOOD_SHALLOW_QUEUE)):
                flood = bench_attack.run_flood(binary, extra_env, args.duration, args.seed, queue)
                report[key] = flood
                bench_attack.print_flood(flood)
                if flood["other_5xx"] or flood["transport_errors"] or flood["exit_status"] != 0:
                    failures.append("flood: %d 5xx other than 503/507, %d transport errors, exit %s"
                                    % (flood["other_5xx"], flood["transport_errors"], flood["exit_status"]))
        if "cost" not in args.skip:
            print("cost around the KDF (a daemon of its own) ...")
            sys.stdout.flush()
            cost = bench_attack.run_cost(binary, extra_env, COST_REQUESTS, 8, args.seed)
            report["cost"] = cost
            bench_attack.print_cost(cost)
            if cost.get("other") or cost["exit_status"] != 0:
                failures.append("cost: %s answers other than 201/503, exit %s" % (cost.get("other"), cost["exit_status"]))
    except SetupError as error:
        print("sealbox bench: error: %s" % error, file=sys.stderr)
        daemon.kill()
        daemon.cleanup()
        return 2
    except KeyboardInterrupt:
        daemon.stop()
        daemon.cleanup()
        return 130
    except Exception as error:  # a request outside the load phases failed: report, then clean up
        failures.append("%s: %s" % (type(error).__name__, error))
        if not daemon.alive():
            crashed = True
    finally:
        if daemon.process and daemon.process.poll() is None:
            status = daemon.stop()
        else:
            status = daemon.process.returncode if daemon.process else None
    report["exit_status"] = status
    if status != 0 and not crashed:
        failures.append("sealboxd did not exit 0 on SIGTERM (status %s)" % status)
        crashed = True
    if failures:
        print("daemon output (last lines):\n" + daemon.tail())
    daemon.cleanup()

    report["phases"] = [r.as_dict() for r in results]
    report["targets"] = summarise(report, results, kdf_rate)
    report["failures"] = failures
    for failure in failures:
        print("FAILURE: %s" % failure)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
            f.write("\n")
        print("figures written to %s" % args.json)
    return 1 if failures or crashed else 0


TARGET_INBOX_MS = 100.0
TARGET_NORMAL_P50_MS = 20.0
TARGET_BURST_RATE = 100.0
TARGET_COST_MS = 1.0
NORMAL_REQUESTS = 100   # 2 clients at normal load, served by codes derived ahead
BURST_CLIENTS = 32
BURST_REPORTS = 500
COST_REQUESTS = 2000
FLOOD_SHALLOW_QUEUE = 32  # crypto.kdf_queue of the second flood run: the default before 0.9, fewer places than junk clients


def summarise(report: dict, results: list[PhaseResult], kdf_rate: float) -> list[dict]:
    print()
    print("summary")
    print("  %-8s %-7s %8s %7s %9s %9s %6s %6s %6s %9s %7s %7s %7s"
          % ("phase", "clients", "subm/s", "ratio", "p50 ms", "p99 ms", "201", "503", "other",
             "peak MB", "srv CPU", "cli CPU", "others"))
    for r in results:
        print("  %-8s %-7d %8.1f %7.2f %9s %9s %6d %6d %6d %9s %6s%% %6s%% %6s%%"
              % (r.name, r.clients, r.rate, r.rate / kdf_rate if kdf_rate else 0,
                 fmt(ms(percentile(r.latencies_ok, 50)), "%.0f"), fmt(ms(percentile(r.latencies_ok, 99)), "%.0f"),
                 r.ok, r.busy, r.other, fmt(r.peak_rss), fmt(r.server_cpu, "%.0f"), fmt(r.client_cpu, "%.0f"),
                 fmt(r.others_cpu, "%.0f")))
    print("  bare Argon2id rate R = %.1f/s; idle RSS %s MB" % (kdf_rate, fmt(report.get("idle_rss_mb"))))
    per_derivation = report.get("kdf", {}).get("cpu_ms_per_derivation")
    if per_derivation:
        # Robust against a busy machine: CPU cost of a bare derivation over that of a whole submission.
        print("  CPU cost: %.0f ms per bare derivation; per accepted submission %s"
              % (per_derivation, ", ".join("%s ms at %d clients (ratio %s)"
                                           % (fmt(r.cpu_ms_per_ok, "%.0f"), r.clients,
                                              fmt(per_derivation / r.cpu_ms_per_ok if r.cpu_ms_per_ok else None, "%.2f"))
                                           for r in results)))
    print()
    targets = []

    def target(name: str, measured, limit: str, passed: bool) -> None:
        targets.append({"target": name, "measured": measured, "limit": limit, "pass": passed})
        print("  %-4s %-52s %-14s (target %s)" % ("PASS" if passed else "FAIL", name, measured, limit))

    normal = [r for r in results if r.name == "normal" and r.latencies_ok]
    if normal:
        median = ms(percentile(normal[0].latencies_ok, 50))
        target("submission p50 at normal load (2 clients)", "%.1f ms" % median, "<= %.0f ms" % TARGET_NORMAL_P50_MS,
               median <= TARGET_NORMAL_P50_MS)
    burst = [r for r in results if r.name == "burst"]
    if burst:
        target("burst of %d reports, accepted per second" % BURST_REPORTS, "%.0f/s" % burst[0].rate,
               ">= %.0f/s" % TARGET_BURST_RATE, burst[0].rate >= TARGET_BURST_RATE and burst[0].ok >= BURST_REPORTS)
    submit = [r for r in results if r.name == "submit"]
    if submit:
        worst = min(submit, key=lambda r: r.rate)
        ratio = worst.rate / kdf_rate if kdf_rate else 0.0
        target("submissions/s ÷ Argon2id rate (worst phase: %d clients)" % worst.clients,
               "%.2f" % ratio, ">= %.2f" % TARGET_RATIO, ratio >= TARGET_RATIO)
    idle = report.get("idle_rss_mb")
    target("idle RSS", "%s MB" % fmt(idle), "<= %.0f MB" % TARGET_IDLE_RSS_MB,
           idle is not None and idle <= TARGET_IDLE_RSS_MB)
    big = [r for r in results if r.clients >= TARGET_PEAK_CLIENTS]
    if big:
        peak = max(r.peak_rss or 0 for r in big)
        target("peak RSS with %d concurrent clients" % max(r.clients for r in big), "%.1f MB" % peak,
               "<= %.0f MB" % TARGET_PEAK_RSS_MB, peak <= TARGET_PEAK_RSS_MB)
    else:
        print("  (no phase with %d clients: peak RSS target not evaluated)" % TARGET_PEAK_CLIENTS)
    idle_inbox = [r for r in results if r.name == "inbox" and r.clients == 1]
    if idle_inbox and idle_inbox[0].latencies_ok:
        median = ms(percentile(idle_inbox[0].latencies_ok, 50))
        target("opening a thread at idle, median", "%.0f ms" % median, "<= %.0f ms" % TARGET_INBOX_MS,
               median <= TARGET_INBOX_MS)
    other = sum(r.other for r in results)
    target("errors other than deliberate 503", str(other), "0", other == 0)
    shallow = report.get("flood_shallow_queue")
    if shallow:
        print("  (flood with kdf_queue %d: genuine p99 %s ms, %d failed; the targets below are for the configured queue)"
              % (FLOOD_SHALLOW_QUEUE, fmt(shallow["genuine_p99_ms"], "%.0f"), shallow["genuine_failed"]))
    flood = report.get("flood")
    if flood:
        p99 = flood["genuine_p99_ms"]
        target("flood: genuine requests that failed", "%d of %d" % (flood["genuine_failed"], flood["genuine_ok"] + flood["genuine_failed"]),
               "0", flood["genuine_failed"] == 0 and flood["genuine_ok"] > 0)
        target("flood: genuine p99 (retrying 429/503)", "%s ms" % fmt(p99, "%.0f"),
               "<= %.0f ms" % (1000 * bench_attack.TARGET_FLOOD_P99_S), p99 is not None and p99 <= 1000 * bench_attack.TARGET_FLOOD_P99_S)
        target("flood: peak RSS", "%s MB" % fmt(flood["peak_rss_mb"]), "<= %.0f MB" % TARGET_PEAK_RSS_MB,
               flood["peak_rss_mb"] is not None and flood["peak_rss_mb"] <= TARGET_PEAK_RSS_MB)
        target("flood: 5xx other than 503/507", str(flood["other_5xx"]), "0", flood["other_5xx"] == 0)
    cost = report.get("cost")
    if cost and cost.get("cpu_ms_outside_kdf") is not None:
        target("CPU per submission outside the KDF", "%.2f ms" % cost["cpu_ms_outside_kdf"], "<= %.1f ms" % TARGET_COST_MS,
               cost["cpu_ms_outside_kdf"] <= TARGET_COST_MS)
    disturbed = [r for r in results if r.others_cpu is not None and r.others_cpu > CONTENDED_PCT]
    if disturbed:
        print("  note: other processes were busy during %s; rerun on a quiet machine for absolute figures"
              % ", ".join("%s/%d" % (r.name, r.clients) for r in disturbed))
    return targets


def machine_description() -> str:
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "?"
    try:
        with open("/proc/meminfo") as f:
            memory = "%.0f GB RAM" % (int(f.readline().split()[1]) / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return "%d cores (%s), %s, Linux %s, Python %s" % (
        os.cpu_count() or 0, model, memory, platform.release(), platform.python_version())


if __name__ == "__main__":
    sys.exit(main())
