"""`sealbox sync` against a hostile staff server (issue 8, gap 15): a server that never
moves the cursor on, one that leads it round in a circle, one that sends an endless
answer, and one whose attachment is longer than it announced. The real CLI must stop
by itself, say what happened, and keep its memory bounded; nothing is stored twice."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import sealbox_e2e as e2e

CASE = "7KQM-3XWP"


def item(item_id: str, attachments: list[dict] | None = None) -> dict:
    return {"id": item_id, "case": CASE, "kind": "report", "day": "2026-11-24", "position": 1,
            "envelope": "AAAA", "attachments": attachments or []}


class HostileServer:
    """A staff API on 127.0.0.1 that answers every signed request with `handler(path)`."""

    def __init__(self, answer):
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests += 1
                answer(self, self.path)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def send_json(handler: BaseHTTPRequestHandler, value: dict, status: int = 200):
    body = json.dumps(value).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def cases_answer(handler):
    send_json(handler, {"cases": []})


def run_sync(keys, tmp_path: Path, server_url: str, timeout: float = 60):
    """Runs the real `sealbox sync`; returns (exit code, stderr, seconds)."""
    env = e2e.clean_env()
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    args = [str(e2e.SEALBOX), "sync", "--server", server_url, "--staff-key", str(keys.staff_key_file),
            "--store", str(tmp_path / "store"), "--passphrase-file", str(keys.passphrase_file)]
    started = time.monotonic()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"sealbox sync did not stop within {timeout} s")
    return process.returncode, err.decode(errors="replace"), time.monotonic() - started


def listed(keys, tmp_path: Path) -> list:
    result = e2e.run_cli(["list", "--store", str(tmp_path / "store"), "--json"], home=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)["cases"]


def test_a_server_that_repeats_one_item_and_cursor_cannot_keep_sync_going(keys, tmp_path):
    only = secrets.token_hex(16)

    def answer(handler, path):
        if path.startswith("/api/v1/staff/cases"):
            return cases_answer(handler)
        send_json(handler, {"items": [item(only)], "next": only})

    with HostileServer(answer) as server:
        code, err, _ = run_sync(keys, tmp_path, server.url)
        assert code == 0, err
        # The audit log before and after (PROTOCOL §11.1), two item pages, the case list.
        assert server.requests <= 5, f"{server.requests} requests for one item"
    assert [c["case"] for c in listed(keys, tmp_path)] == [CASE]


def test_a_server_that_leads_the_cursor_round_in_a_circle_cannot_keep_sync_going(keys, tmp_path):
    a, b = secrets.token_hex(16), secrets.token_hex(16)

    def answer(handler, path):
        if path.startswith("/api/v1/staff/cases"):
            return cases_answer(handler)
        nxt = b if f"after={a}" in path else a
        send_json(handler, {"items": [item(nxt)], "next": nxt})

    with HostileServer(answer) as server:
        code, err, _ = run_sync(keys, tmp_path, server.url)
        assert code == 0, err
        assert server.requests <= 6, f"{server.requests} requests for two items"
    assert listed(keys, tmp_path)[0]["items"] == 2


@pytest.mark.parametrize("announce", [True, False], ids=["announced-3GiB", "chunked-endless"])
def test_an_endless_answer_is_cut_off_and_memory_stays_bounded(keys, tmp_path, announce):
    """3 GiB of spaces, announced in Content-Length or streamed in chunks without end: the CLI
    reads at most its cap for an item page, says so, exits 4, and stores nothing."""
    chunk = b" " * (1 << 20)

    def answer(handler, path):
        if path.startswith("/api/v1/staff/cases"):
            return cases_answer(handler)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if announce:
            handler.send_header("Content-Length", str(3 << 30))
        else:
            handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for _ in range(3 << 10):
                if announce:
                    handler.wfile.write(chunk)
                else:
                    handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass

    with HostileServer(answer) as server:
        env = e2e.clean_env()
        env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
        args = [str(e2e.SEALBOX), "sync", "--server", server.url, "--staff-key", str(keys.staff_key_file),
                "--store", str(tmp_path / "store"), "--passphrase-file", str(keys.passphrase_file)]
        process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if process.poll() is None:
            process.kill()
            pytest.fail("sealbox sync did not stop reading an endless answer")
        err = process.stderr.read().decode(errors="replace")
    assert process.returncode == 4, err
    assert "sent an answer longer than" in err
    assert listed(keys, tmp_path) == []


PEAK_RSS_LIMIT_MB = 150


# Forks and execs the CLI from a small interpreter, and writes its pid, then its exit code
# and ru_maxrss, to the file named first. Linux keeps a process's peak RSS across exec, so
# a CLI forked straight from pytest would be charged with pytest's own memory.
LAUNCHER = """
import os, sys
report, args = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(args[0], args)
with open(report, "w") as out:
    out.write(f"{pid}\\n")
_, status, usage = os.wait4(pid, 0)
with open(report, "a") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}\\n")
"""


def run_measured(args: list[str], env: dict, stderr_path: Path) -> tuple[int, float]:
    """Runs the real CLI, reading its VmHWM from /proc/PID/status while it runs and its
    ru_maxrss when it ends; returns (exit code, the larger peak in MB)."""
    report = stderr_path.with_suffix(".rusage")
    with open(stderr_path, "wb") as stderr:
        launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(report), *args], env=env,
                                    stdout=subprocess.DEVNULL, stderr=stderr, stdin=subprocess.DEVNULL)
    peak_kb = 0
    deadline = time.monotonic() + 120
    while launcher.poll() is None:
        text = report.read_text() if report.exists() else ""
        if "\n" in text:
            try:
                for line in Path(f"/proc/{text.split()[0]}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            except (FileNotFoundError, ProcessLookupError):
                pass
        if time.monotonic() > deadline:
            launcher.kill()
            pytest.fail("sealbox sync did not stop reading an endless answer")
        time.sleep(0.01)
    assert launcher.returncode == 0, stderr_path.read_text(errors="replace")
    code, maxrss_kb = (int(word) for word in report.read_text().splitlines()[1].split())
    return code, max(peak_kb, maxrss_kb) / 1024


@pytest.mark.parametrize("endpoint", ["items", "cases"])
def test_the_peak_memory_of_a_cut_off_answer_stays_bounded(keys, tmp_path, endpoint):
    """3 GiB offered as fast as loopback carries it, in chunks without end, for the item
    page (cap about 17 MiB) or for the case list (cap 64 MiB): the CLI reads only as fast
    as it takes the data in, stops at the cap, and its peak RSS (VmHWM) stays below
    PEAK_RSS_LIMIT_MB. The peak of a sync against an empty server is about 93 MB (the
    Argon2id of the test key file, 64 MiB). Measured on one machine over ten runs: with
    FoundationNetworking the item page peaked at 100-268 MB and the case list at
    114-3324 MB, the server getting up to all of its 3072 MiB out before the CLI stopped
    (whether it queued depended on the load); with AsyncHTTPClient 93-94 MB and 106 MB in
    every run, and the server gets out about 20 and 70 MiB."""
    chunk = b" " * (1 << 20)
    sent_mib = [0]

    def answer(handler, path):
        if endpoint == "cases" and path.startswith("/api/v1/staff/items"):
            return send_json(handler, {"items": [], "next": None})
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for _ in range(3 << 10):
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent_mib[0] += 1
        except (BrokenPipeError, ConnectionResetError):
            pass

    with HostileServer(answer) as server:
        env = e2e.clean_env()
        env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
        args = [str(e2e.SEALBOX), "sync", "--server", server.url, "--staff-key", str(keys.staff_key_file),
                "--store", str(tmp_path / "store"), "--passphrase-file", str(keys.passphrase_file)]
        code, peak_mb = run_measured(args, env, tmp_path / "stderr")
    err = (tmp_path / "stderr").read_text(errors="replace")
    print(f"{endpoint}: peak RSS {peak_mb:.0f} MB, {sent_mib[0]} MiB sent")
    assert code == 4, err
    assert "sent an answer longer than" in err
    assert peak_mb < PEAK_RSS_LIMIT_MB, f"peak RSS {peak_mb:.0f} MB while a 3 GiB answer was refused"
    # Back-pressure: the server could write little more than the cap and the sockets' buffers.
    assert sent_mib[0] < 128, f"the server got {sent_mib[0]} MiB out before the CLI stopped reading"


def test_an_attachment_longer_than_announced_is_refused(keys, tmp_path):
    blob_id = secrets.token_hex(16)
    only = secrets.token_hex(16)

    def answer(handler, path):
        if path.startswith("/api/v1/staff/cases"):
            return cases_answer(handler)
        if path.startswith("/api/v1/staff/attachments/"):
            body = b"x" * 5000
            handler.send_response(200)
            handler.send_header("Content-Type", "application/octet-stream")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        send_json(handler, {"items": [item(only, [{"id": blob_id, "size": 100}])], "next": only})

    with HostileServer(answer) as server:
        code, err, _ = run_sync(keys, tmp_path, server.url)
    assert code == 4, err
    assert "sent an answer longer than" in err


def test_a_later_sync_reads_the_day_before_its_newest_day_again_and_keeps_an_item_that_sorts_first(keys, tmp_path):
    """Gap 11: the feed is ordered by (day, id), not by arrival. A report stored on
    2026-11-24 after the first sync gets an id that sorts before the one fetched then; the
    second sync asks from 2026-11-23 without a cursor and stores it (and the first once)."""
    late, early = "f" * 32, "0" * 32
    paths: list[str] = []

    def answer(handler, path):
        if path.startswith("/api/v1/staff/cases"):
            return cases_answer(handler)
        if path.startswith("/api/v1/staff/audit"):
            return send_json(handler, {"entries": []})
        paths.append(path)
        ids = [late] if len([p for p in paths if "after=" not in p]) == 1 else [early, late]
        if "after=" in path:
            ids = []
        items = [dict(item(i), case=c) for i, c in zip(ids, ["7KQM-3XWP", "AAAA-2222"] if len(ids) == 1 else
                                                        ["AAAA-2222", "7KQM-3XWP"])]
        send_json(handler, {"items": items, "next": ids[-1] if ids else None})

    with HostileServer(answer) as server:
        code, err, _ = run_sync(keys, tmp_path, server.url)
        assert code == 0, err
        assert "from=" not in paths[0]
        code, err, _ = run_sync(keys, tmp_path, server.url)
        assert code == 0, err
    second = [p for p in paths if "after=" not in p][1]
    assert "from=2026-11-23" in second, paths
    assert sorted(c["case"] for c in listed(keys, tmp_path)) == ["7KQM-3XWP", "AAAA-2222"]
    assert all(c["items"] == 1 for c in listed(keys, tmp_path))
