"""Issue 8, gap 4: `onion.listen` is a listener for tor alone. Behind tor every client
is 127.0.0.1, so it counts no client (one Tor client's wrong codes must not lock the
others out), trusts no client-address header, and has global budgets of its own,
apart from the public listener's. docs/OPERATIONS.md describes tor's own
proof-of-work defence, which meters clients before they reach the daemon."""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests

import inbox_helpers as ih
import sealbox_e2e as e2e


def onion_url(daemon, timeout=10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in daemon.stdout_lines:
            match = re.match(r"sealboxd: onion listener on (http://\S+)/", line)
            if match:
                return match.group(1)
        time.sleep(0.05)
    raise AssertionError("no onion listener announced")


@pytest.fixture
def onion(daemon_factory):
    """Public listener: 3 code attempts per client (behind a proxy header). Onion listener:
    its own global budget of 40 code attempts per minute."""
    d = daemon_factory(SEALBOX_ONION_LISTEN="127.0.0.1:0", SEALBOX_LIMITS_CODE_ATTEMPTS="3",
                       SEALBOX_ONION_CODE_ATTEMPTS_GLOBAL="40", SEALBOX_PUBLIC_CLIENT_ADDRESS_HEADER="X-Real-IP",
                       SEALBOX_PUBLIC_ONION_ADDRESS="http://" + "a" * 56 + ".onion")
    d.onion = onion_url(d)
    r = d.post("/api/v1/reports", json={"text": "Meldung, die über Tor wieder geöffnet wird"})
    assert r.status_code == 201
    d.case, d.code = r.json()["case"], r.json()["code"]
    return d


def open_at(base: str, code: str, **kw) -> requests.Response:
    return requests.post(base + "/api/v1/inbox", json={"code": code}, timeout=60, **kw)


def test_the_onion_listener_serves_the_reporters_pages_without_onion_location(onion):
    r = requests.get(onion.onion + "/report", timeout=30)
    assert r.status_code == 200 and 'name="text"' in r.text
    assert "Onion-Location" not in r.headers
    assert "Onion-Location" in onion.get("/report").headers
    assert requests.get(onion.onion + "/healthz", timeout=30).text == "ok\n"


def test_ten_wrong_codes_from_one_tor_client_do_not_lock_out_another_reporter(onion):
    ih.away_from_window_edge(20, 60)
    wrong = [open_at(onion.onion, ih.grouped(ih.random_code())).status_code for _ in range(10)]
    assert wrong == [404] * 10
    r = open_at(onion.onion, onion.code)
    assert r.status_code == 200, r.text
    assert r.json()["case"] == onion.case


def test_a_genuine_reporter_gets_in_during_a_flood_of_wrong_codes(onion):
    ih.away_from_window_edge(30, 60)
    statuses: list[int] = []

    def flood():
        for _ in range(5):
            statuses.append(open_at(onion.onion, ih.grouped(ih.random_code())).status_code)

    floods = [threading.Thread(target=flood) for _ in range(2)]
    for t in floods:
        t.start()
    time.sleep(0.2)
    genuine = open_at(onion.onion, onion.code)
    for t in floods:
        t.join()
    assert genuine.status_code == 200, genuine.text
    assert statuses == [404] * 10


def test_the_onion_listener_trusts_no_client_address_header(onion):
    """On the public listener the proxy's header names the client; a Tor client that
    sends it to the onion listener chooses no bucket of its own (there are none)."""
    ih.away_from_window_edge(20, 60)
    for _ in range(3):
        assert open_at(onion.url(""), ih.grouped(ih.random_code()), headers={"X-Real-IP": "192.0.2.7"}).status_code == 404
    assert open_at(onion.url(""), onion.code, headers={"X-Real-IP": "192.0.2.7"}).status_code == 429
    # The same header on the onion listener changes nothing, and the public client's
    # exhausted bucket does not reach it.
    assert open_at(onion.onion, onion.code, headers={"X-Real-IP": "192.0.2.7"}).status_code == 200


def test_the_onion_listener_has_its_own_global_budget(daemon_factory):
    d = daemon_factory(SEALBOX_ONION_LISTEN="127.0.0.1:0", SEALBOX_ONION_CODE_ATTEMPTS_GLOBAL="4",
                       SEALBOX_ONION_SUBMISSIONS_GLOBAL="2")
    base = onion_url(d)
    ih.away_from_window_edge(20, 60)
    assert [open_at(base, ih.grouped(ih.random_code())).status_code for _ in range(4)] == [404] * 4
    limited = open_at(base, ih.grouped(ih.random_code()), headers={"Accept-Language": "en"})
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # The public listener's budget is another one.
    assert open_at(d.url(""), ih.grouped(ih.random_code())).status_code == 404

    ih.away_from_window_edge(20, 600)
    posts = [requests.post(base + "/api/v1/reports", json={"text": f"über Tor {i}"}, timeout=60).status_code
             for i in range(3)]
    assert posts == [201, 201, 429]
    assert d.post("/api/v1/reports", json={"text": "öffentlich"}).status_code == 201


def test_an_onion_listener_on_the_public_address_is_refused_at_start(keys, tmp_path):
    result = e2e.start_refused(keys, tmp_path, SEALBOX_PUBLIC_LISTEN="127.0.0.1:18080",
                               SEALBOX_ONION_LISTEN="127.0.0.1:18080")
    assert result.returncode != 0
    assert b"onion.listen" in result.stderr + result.stdout
