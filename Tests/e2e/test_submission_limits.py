"""Issue 8, gap 3: new reports have budgets per client and for all clients (per 10
minutes, counted under a keyed hash of the address, nothing stored), the storage
keeps a reserve (507 before anything is written), and a busy key-derivation pool
refuses a submission before its upload is read, not after it.

Other clients are simulated with other loopback source addresses."""

from __future__ import annotations

import socket
import time

import pytest
import requests

import inbox_helpers as ih
import sealbox_e2e as e2e

WINDOW = 600


def report(client, daemon, text="Eine Meldung", **kw):
    return client.post(daemon.url("/api/v1/reports"), json={"text": text}, timeout=60, **kw)


def assert_limited(r, message_start: str | None = None):
    assert r.status_code == 429, f"{r.status_code}: {r.text[:300]}"
    assert r.headers.get("Retry-After", "").isdigit(), dict(r.headers)
    assert 1 <= int(r.headers["Retry-After"]) <= WINDOW
    if r.headers.get("Content-Type", "").startswith("application/json"):
        assert r.json()["error"]["code"] == "submissions_limited"
        assert set(r.json()) == {"error"}
        if message_start:
            assert r.json()["error"]["message"].startswith(message_start), r.json()


def counts(daemon):
    return daemon.counts()["cases"]


@pytest.fixture
def budget(daemon_factory):
    """Two reports per client, five for everyone, per 10 minutes."""
    return daemon_factory(SEALBOX_LIMITS_SUBMISSIONS="2", SEALBOX_LIMITS_SUBMISSIONS_GLOBAL="5")


def test_a_client_over_its_budget_gets_429_with_retry_after_and_nothing_is_stored(budget):
    ih.away_from_window_edge(30, WINDOW)
    one = ih.client_at("127.0.0.11")
    assert report(one, budget).status_code == 201
    assert report(one, budget).status_code == 201
    before = counts(budget)
    limited = report(one, budget, headers={"Accept-Language": "en"})
    assert_limited(limited, "Too many reports were sent from here")
    assert limited.headers.get("Content-Language") == "en"
    assert counts(budget) == before


def test_the_web_form_over_the_budget_answers_a_localised_429_page(budget):
    ih.away_from_window_edge(30, WINDOW)
    one = ih.client_at("127.0.0.12")
    for _ in range(2):
        assert report(one, budget).status_code == 201
    r = one.post(budget.url("/report"), data={"text": "noch eine"}, timeout=60)
    assert_limited(r)
    assert r.headers["Content-Type"].startswith("text/html")
    assert 'lang="de"' in r.text and "Zu viele" in r.text


def test_another_client_is_not_limited_by_the_first(budget):
    ih.away_from_window_edge(30, WINDOW)
    one, other = ih.client_at("127.0.0.13"), ih.client_at("127.0.0.14")
    for _ in range(2):
        assert report(one, budget).status_code == 201
    assert_limited(report(one, budget))
    assert report(other, budget).status_code == 201


def test_the_global_budget_limits_every_client_once_spent(budget):
    ih.away_from_window_edge(30, WINDOW)
    statuses = [report(ih.client_at(f"127.0.1.{i}"), budget).status_code for i in range(1, 6)]
    assert statuses == [201] * 5
    assert_limited(report(ih.client_at("127.0.1.99"), budget))
    # Refusals of a spent budget are not counted: the daemon still serves everything else.
    assert budget.get("/healthz").status_code == 200


def test_the_header_of_the_proxy_separates_clients_only_when_configured(daemon_factory):
    d = daemon_factory(SEALBOX_LIMITS_SUBMISSIONS="1", SEALBOX_PUBLIC_CLIENT_ADDRESS_HEADER="X-Real-IP")
    ih.away_from_window_edge(30, WINDOW)
    assert report(requests, d, headers={"X-Real-IP": "192.0.2.1"}).status_code == 201
    assert_limited(report(requests, d, headers={"X-Real-IP": "192.0.2.1"}))
    assert report(requests, d, headers={"X-Real-IP": "192.0.2.2"}).status_code == 201


# --- the storage reserve ------------------------------------------------------------------------------


@pytest.mark.parametrize("path,kind", [("/api/v1/reports", "json"), ("/report", "form"), ("/report", "multipart")])
def test_below_the_storage_reserve_a_submission_gets_507_and_nothing_is_written(daemon_factory, path, kind):
    d = daemon_factory(SEALBOX_STORAGE_RESERVE=str(1 << 60))  # more than any disk has
    before = d.counts()
    if kind == "json":
        r = d.post(path, json={"text": "kein Platz"}, headers={"Accept-Language": "en"})
        assert r.json()["error"]["code"] == "storage_full"
        assert r.json()["error"]["message"].startswith("We cannot store reports at the moment")
    elif kind == "form":
        r = d.post(path, data={"text": "kein Platz"})
        assert "Speicher voll" in r.text
    else:
        body, ctype = e2e.multipart([("text", "kein Platz")], [("attachment", "a.png", "image/png", b"\x89PNG" * 1000)])
        r = d.post(path, data=body, headers={"Content-Type": ctype})
    assert r.status_code == 507, r.text[:300]
    assert d.counts() == before
    assert d.tmp_files() == []
    assert d.get("/healthz").status_code == 200


def test_a_declared_upload_that_would_cut_into_the_reserve_is_refused_before_it_is_read(daemon_factory):
    d = daemon_factory()
    free = __import__("shutil").disk_usage(d.storage).free
    head = (f"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {max(free, 1)}\r\n\r\n").encode()
    # The daemon answers without waiting for the body.
    raw, first = e2e.raw_http(d.public_url, head, read_timeout=10)
    assert e2e.status_of(raw) == 507
    assert first < 5


def test_follow_ups_below_the_reserve_get_507(daemon_factory):
    d = daemon_factory(SEALBOX_STORAGE_RESERVE=str(1 << 60))
    r = ih.follow_up_json(d, ih.random_code(), "nachgereicht")
    assert r.status_code == 507
    assert r.json()["error"]["code"] == "storage_full"


# --- a busy pool refuses before the upload is read ----------------------------------------------------


def held_upload(daemon, source: str, size=20 << 20):
    """Starts a multipart submission of `size` bytes and sends only its first part; the
    connection stays open (the daemon now holds a key-derivation place for it)."""
    boundary = "held"
    head = (f"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {size}\r\n\r\n").encode()
    first = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nlangsam\r\n"
             f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.bin\"\r\n"
             f"Content-Type: application/octet-stream\r\n\r\n").encode() + b"\0" * 4096
    host, port = daemon.public_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0))
    sock.sendall(head + first)
    return sock


def test_a_busy_pool_answers_503_at_once_before_a_large_upload_is_read_and_counts_nothing(daemon_factory):
    """Two uploads from other clients hold both places (one worker, one in the queue);
    this client's two refusals (503) do not spend its budget of one report."""
    d = daemon_factory(SEALBOX_CRYPTO_KDF_WORKERS="1", SEALBOX_CRYPTO_KDF_QUEUE="1",
                       SEALBOX_LIMITS_ATTACHMENT_SIZE=str(25 << 20), SEALBOX_LIMITS_SUBMISSIONS="1")
    ih.away_from_window_edge(40, WINDOW)
    held = [held_upload(d, "127.0.0.21"), held_upload(d, "127.0.0.22")]
    try:
        time.sleep(0.5)
        # A third 20 MB upload: the answer comes before the body is sent.
        head = (b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                b"Content-Length: 20000000\r\n\r\n")
        started = time.monotonic()
        raw, first = e2e.raw_http(d.public_url, head, read_timeout=10)
        assert e2e.status_of(raw) == 503, raw[:300]
        assert time.monotonic() - started < 3
        assert b"Retry-After: " in raw or b"retry-after: " in raw.lower()
        r = d.post("/api/v1/reports", json={"text": "auch besetzt"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "busy"
    finally:
        for sock in held:
            sock.close()
    # The places come back when the held uploads break off.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        r = d.post("/api/v1/reports", json={"text": "wieder frei"})
        if r.status_code == 201:
            break
        time.sleep(0.2)
    assert r.status_code == 201, r.text
    assert d.wait_tmp_empty() == []
