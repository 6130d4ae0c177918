"""Hostile signature headers on the staff listener: timestamps at and beyond the ends of a
64-bit integer or not plain decimal, nonces and signatures of the wrong shape or 10 KB
long, and a POST announcing a body of 2^63 bytes. Each request carries the staff key the
daemon is configured with and is otherwise signed as PROTOCOL §7 says (over the very
header text sent), so that only the one bad field can be the reason for the refusal.

Each case gets a daemon of its own. The request must get the same 401 as any refusal
(the oversized body may get 413 instead), and afterwards the daemon must still be
running, answer /healthz on both listeners and serve a correctly signed request."""

from __future__ import annotations

import json
import subprocess

import pytest
import requests

import sealbox_e2e as e2e

ITEMS = "/api/v1/staff/items?limit=10"
TEN_KB = 10 * 1024
ANSWER_TIMEOUT = 15.0        # seconds the daemon has to answer a bad request
CRASH_REPORT_TIMEOUT = 10.0  # seconds a crashing daemon may take to write its backtrace and exit

TIMESTAMPS = {
    "int64-min": "-9223372036854775808",
    "near-int64-min": "-9223372036854775000",
    "int64-max": "9223372036854775807",
    "beyond-int64": "99999999999999999999999",
    "plus-sign": "+300",
    "leading-space": " 12",
    "exponent": "1e9",
    "empty": "",
}

NONCES = {
    "too-long": e2e.so.b64u(bytes(range(24))),   # 32 characters, 24 bytes
    "not-base64url": "+/+/+/+/+/+/+/+/+/+/+A",    # 22 characters of standard base64
    "10-KB": "A" * TEN_KB,
}


def signed_head(signer, method: str, path: str, host_url: str, *, timestamp: str | None = None,
                nonce: str | None = None, signature: str | None = None, extra: dict | None = None) -> bytes:
    """A raw request head signed over `timestamp` and `nonce` exactly as given; `signature`
    replaces the signature; `extra` adds headers (e.g. Content-Length)."""
    headers = signer.headers(method, path, timestamp=timestamp, nonce=nonce)
    if signature is not None:
        headers["Sealbox-Signature"] = signature
    headers.update(extra or {})
    host = host_url.removeprefix("http://")
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def what_happened(daemon) -> str:
    """Whether the daemon still runs, and the end of its stderr (a crash report, with the
    reason and the crashed thread's frames, follows the trace lines of the log audit)."""
    try:
        daemon.process.wait(CRASH_REPORT_TIMEOUT)  # a crashing daemon first writes its backtrace
    except subprocess.TimeoutExpired:
        pass
    lines = [line[:200] for line in daemon.stderr().splitlines()[-60:]]
    return f"sealboxd running: {daemon.running} (exit {daemon.process.returncode}); stderr:\n" + "\n".join(lines)


def ask(daemon, head: bytes) -> tuple[int, bytes]:
    """Sends `head` to the staff listener; returns (status, body)."""
    try:
        raw, seconds = e2e.raw_http(daemon.staff_url, head, read_timeout=ANSWER_TIMEOUT)
    except OSError as exc:
        raise AssertionError(f"the staff listener refused the connection ({exc}); {what_happened(daemon)}") from exc
    assert raw, (f"no answer: after {seconds:.1f} s the staff listener had closed the connection or sent nothing "
                 f"(limit {ANSWER_TIMEOUT:.0f} s); {what_happened(daemon)}")
    return e2e.status_of(raw), raw.partition(b"\r\n\r\n")[2]


def assert_unauthorized(daemon, status: int, body: bytes):
    """401, word for word the answer to a request without any signature header."""
    assert status == 401, f"got {status}: {body[:300]!r}"
    assert json.loads(body)["error"]["code"] == "unauthorized"
    assert body == requests.get(daemon.staff_url + ITEMS, timeout=30).content  # no hint at the reason


def assert_still_serving(daemon, signer):
    """The daemon is alive, both listeners answer /healthz, and a signed request gets 200."""
    assert daemon.running, what_happened(daemon)
    for url in (daemon.public_url, daemon.staff_url):
        r = requests.get(url + "/healthz", timeout=10)
        assert r.status_code == 200 and r.text == "ok\n", (url, r.status_code, r.text[:200])
    r = requests.get(daemon.staff_url + ITEMS, headers=signer.headers("GET", ITEMS), timeout=30)
    assert r.status_code == 200, r.text[:300]
    assert "items" in r.json()


def test_raw_signed_request_is_accepted(daemon_factory, signer):
    """The control: a request built the way the cases below build theirs, with nothing bad in it."""
    daemon = daemon_factory()
    status, body = ask(daemon, signed_head(signer, "GET", ITEMS, daemon.staff_url))
    assert status == 200, body[:300]
    assert "items" in json.loads(body)
    assert_still_serving(daemon, signer)


@pytest.mark.parametrize("timestamp", list(TIMESTAMPS.values()), ids=list(TIMESTAMPS))
def test_out_of_range_timestamp_gets_401_and_the_daemon_keeps_serving(daemon_factory, signer, timestamp):
    daemon = daemon_factory()
    status, body = ask(daemon, signed_head(signer, "GET", ITEMS, daemon.staff_url, timestamp=timestamp))
    assert_unauthorized(daemon, status, body)
    assert_still_serving(daemon, signer)


@pytest.mark.parametrize("nonce", list(NONCES.values()), ids=list(NONCES))
def test_malformed_nonce_gets_401_and_the_daemon_keeps_serving(daemon_factory, signer, nonce):
    daemon = daemon_factory()
    status, body = ask(daemon, signed_head(signer, "GET", ITEMS, daemon.staff_url, nonce=nonce))
    assert_unauthorized(daemon, status, body)
    assert_still_serving(daemon, signer)


def test_10_kb_signature_gets_401_and_the_daemon_keeps_serving(daemon_factory, signer):
    daemon = daemon_factory()
    status, body = ask(daemon, signed_head(signer, "GET", ITEMS, daemon.staff_url, signature="A" * TEN_KB))
    assert_unauthorized(daemon, status, body)
    assert_still_serving(daemon, signer)


def test_post_announcing_2_to_the_63_bytes_is_refused_and_the_daemon_keeps_serving(daemon_factory, signer):
    """A staff POST whose Content-Length is 2^63 (one past the largest 64-bit signed
    integer), sent without a body: 413 (too large) or 401 (not signed over that body)."""
    daemon = daemon_factory()
    path = "/api/v1/staff/cases/ABCD-EFGH/status"
    head = signed_head(signer, "POST", path, daemon.staff_url,
                       extra={"Content-Type": "application/json", "Content-Length": str(2 ** 63)})
    status, body = ask(daemon, head)
    assert status in (401, 413), f"got {status}: {body[:300]!r}"
    assert_still_serving(daemon, signer)
