"""Attempts to open a case with a code are limited, per client and in total, and
every well-formed code costs the same: a code that opens nothing takes as long as
one that opens a thread (PROTOCOL §9.4, issue 3 §2).

The limiter's windows are aligned to Unix time (10 minutes per client, 1 minute
global); each burst below first moves away from a window's edge so that it lands in
one window. Other clients are simulated with other loopback source addresses.
"""

from __future__ import annotations

import random
import statistics
import time

import pytest
import requests

import inbox_helpers as ih
import sealbox_e2e as e2e

PER_CLIENT_WINDOW, GLOBAL_WINDOW = 600, 60


def retry_after(r: requests.Response, most: int) -> int:
    assert "Retry-After" in r.headers, f"429 without Retry-After: {dict(r.headers)}"
    value = r.headers["Retry-After"]
    assert value.isdigit(), value
    assert 1 <= int(value) <= most, value
    return int(value)


def assert_limited_json(r: requests.Response, most: int, language: str | None = None) -> str:
    assert r.status_code == 429, f"{r.status_code}: {r.text[:300]}"
    retry_after(r, most)
    if language:
        assert r.headers.get("Content-Language") == language
    error = r.json()["error"]
    assert error["code"] == "rate_limited"
    assert set(r.json()) == {"error"}, "a limited answer must carry no case data"
    return error["message"]


@pytest.fixture
def limited(daemon_factory):
    """A daemon allowing 3 code attempts per client per 10 minutes, with one case."""
    d = daemon_factory(SEALBOX_LIMITS_CODE_ATTEMPTS="3")
    r = d.post("/api/v1/reports", json={"text": "Meldung hinter dem Limit"})
    assert r.status_code == 201
    return d, r.json()["case"], r.json()["code"]


def test_the_fourth_attempt_of_a_client_gets_429_even_with_a_valid_code(limited):
    d, case, code = limited
    digits = e2e.code_digits(code)
    ih.away_from_window_edge(20, PER_CLIENT_WINDOW)

    # Typos and malformed input cost no derivation and are not counted (observed: they
    # are answered 422 before the limiter is asked, also once the client is limited).
    for typo in ih.single_digit_typos(digits, random.Random(3))[:6]:
        assert ih.open_inbox(d, typo).status_code == 422
    for malformed in ("123", "x" * 80):
        assert ih.open_inbox(d, malformed).status_code == 422
    assert d.post("/inbox", data={"code": digits[:-1] + str((int(digits[-1]) + 1) % 10)}).status_code == 422

    # Three well-formed attempts: an unknown code, the valid one, another unknown one.
    assert ih.open_inbox(d, ih.random_code()).status_code == 404
    opened = ih.open_inbox(d, code)
    assert opened.status_code == 200 and opened.json()["case"] == case
    assert d.post("/inbox", data={"code": ih.random_code()}).status_code == 404

    # The fourth, with the valid code, opens nothing: not in JSON, not as a page, not as a follow-up.
    english = assert_limited_json(ih.open_inbox(d, code, headers={"Accept-Language": "en"}), PER_CLIENT_WINDOW, "en")
    german = assert_limited_json(ih.open_inbox(d, code, headers={"Accept-Language": "de"}), PER_CLIENT_WINDOW, "de")
    print(f"\n429 messages: en {english!r}; de {german!r}")
    assert english != german and len(english) > 20 and len(german) > 20
    assert "attempts" in english.lower() and "Versuche" in german
    assert digits not in english + german

    before = d.counts()
    r = ih.follow_up_json(d, code, "über dem Limit")
    assert_limited_json(r, PER_CLIENT_WINDOW)
    assert d.counts() == before

    for language, words in (("en", "too many attempts"), ("de", "zu viele versuche")):
        page = d.post("/inbox", data={"code": code}, headers={"Accept-Language": language})
        assert page.status_code == 429
        retry_after(page, PER_CLIENT_WINDOW)
        assert ih.visit_cookie(page) is None and ih.set_cookies(page) == []
        assert case not in page.text
        assert words in ih.visible_text(page.text).lower(), ih.visible_text(page.text)[:400]
        assert 'name="code"' in page.text  # the form is offered again for later

    # A typo is still a typo (no derivation, so nothing to limit); an X-Forwarded-For
    # header does not make another client of the same peer.
    assert ih.open_inbox(d, digits[:-1] + str((int(digits[-1]) + 1) % 10)).status_code == 422
    r = ih.open_inbox(d, code, headers={"X-Forwarded-For": "203.0.113.5", "X-Real-IP": "203.0.113.5",
                                         "Forwarded": "for=203.0.113.5"})
    assert r.status_code == 429

    # Another client (another address) has its own budget.
    other = ih.client_at("127.0.0.2")
    r = other.post(d.url("/api/v1/inbox"), json={"code": code}, timeout=30)
    assert r.status_code == 200 and r.json()["case"] == case
    assert ih.open_inbox(d, code).status_code == 429  # and the first is still limited


def test_behind_a_proxy_the_configured_header_names_the_client(daemon_factory):
    """public.client_address_header: the proxy's header (its last value) is the client for
    the limiter; the peer address is not; and the header's values are never logged."""
    d = daemon_factory(SEALBOX_LIMITS_CODE_ATTEMPTS="2", SEALBOX_PUBLIC_CLIENT_ADDRESS_HEADER="X-Real-IP",
                       SEALBOX_LOG_LEVEL="trace")
    code = d.post("/api/v1/reports", json={"text": "hinter dem Proxy"}).json()["code"]
    ih.away_from_window_edge(15, PER_CLIENT_WINDOW)

    def attempt(client: requests.Session, real_ip: str, c: str | None = None) -> int:
        return client.post(d.url("/api/v1/inbox"), json={"code": c or ih.random_code()},
                           headers={"X-Real-IP": real_ip}, timeout=30).status_code

    here, there = ih.client_at("127.0.0.1"), ih.client_at("127.0.0.12")
    alice, bob = "198.51.100.41", "2001:db8::b0b"
    # Alice twice, from two different peers (proxies): one budget, now spent.
    assert attempt(here, alice) == 404
    assert attempt(there, alice) == 404
    assert attempt(here, alice, code) == 429
    assert attempt(there, "10.9.9.9, " + alice, code) == 429  # the last value is the proxy's
    # Bob, through the same peer, has his own budget.
    assert attempt(here, bob, code) == 200
    assert attempt(here, bob) == 404
    assert attempt(here, bob) == 429
    logs = d.log_bytes().decode(errors="replace")
    assert alice not in logs and bob not in logs and "10.9.9.9" not in logs


def test_the_global_budget_limits_every_client(daemon_factory):
    d = daemon_factory(SEALBOX_LIMITS_CODE_ATTEMPTS="100", SEALBOX_LIMITS_CODE_ATTEMPTS_GLOBAL="5")
    code = d.post("/api/v1/reports", json={"text": "global"}).json()["code"]
    ih.away_from_window_edge(12, GLOBAL_WINDOW)
    clients = [ih.client_at(f"127.0.0.{n}") for n in (1, 3, 4, 5, 6)]
    for n, client in enumerate(clients):
        r = client.post(d.url("/api/v1/inbox"), json={"code": code if n == 2 else ih.random_code()}, timeout=30)
        assert r.status_code == (200 if n == 2 else 404), f"attempt {n + 1}: {r.status_code}"
    # The sixth attempt, from a client that has not tried before, with the valid code.
    fresh = ih.client_at("127.0.0.7")
    r = fresh.post(d.url("/api/v1/inbox"), json={"code": code}, timeout=30)
    assert_limited_json(r, GLOBAL_WINDOW)
    page = fresh.post(d.url("/inbox"), data={"code": code}, timeout=30)
    assert page.status_code == 429 and ih.visit_cookie(page) is None
    retry_after(page, GLOBAL_WINDOW)
    # Typos are still answered; so are submissions (the budget is for code attempts only).
    assert fresh.post(d.url("/api/v1/inbox"), json={"code": "1" * 16}, timeout=30).status_code in (422,)
    assert d.post("/api/v1/reports", json={"text": "geht noch"}).status_code == 201


def test_unknown_and_valid_codes_take_the_same_time(daemon_factory, signer, keys):
    """Medians of POST /api/v1/inbox at the default INTERACTIVE cost, interleaved."""
    d = daemon_factory(SEALBOX_LIMITS_CODE_ATTEMPTS="1000")
    _, code = ih.case_with_a_thread_of_three(d, signer, keys)

    session = requests.Session()
    url = d.url("/api/v1/inbox")

    def timed(c: str, expect: int) -> float:
        started = time.perf_counter()
        answer = session.post(url, json={"code": c}, timeout=30)
        elapsed = time.perf_counter() - started
        assert answer.status_code == expect, answer.text[:200]
        return elapsed

    for _ in range(3):  # warm-up: connections, pages, allocator
        timed(code, 200)
        timed(ih.random_code(), 404)

    def measure() -> tuple[float, float, float, list, list]:
        unknown, valid, typo = [], [], []
        for n in range(15):
            pair = [(unknown, ih.random_code(), 404), (valid, code, 200)]
            for bucket, c, expect in (pair if n % 2 == 0 else pair[::-1]):
                bucket.append(timed(c, expect))
            typo.append(timed(e2e.code_digits(code)[:-1] + str((int(code[-1]) + 1) % 10), 422))
        return (*(statistics.median(x) for x in (unknown, valid, typo)), unknown, valid)

    # One more round only when the first is off: a machine busy with other work can
    # disturb one round; a real difference shows in both.
    for round_ in (1, 2):
        m_unknown, m_valid, m_typo, unknown, valid = measure()
        tolerance = max(0.015, 0.25 * min(m_unknown, m_valid))
        print(f"\nround {round_}: POST /api/v1/inbox medians over 15 each: unknown code {m_unknown * 1000:.1f} ms, "
              f"valid code (thread of 3) {m_valid * 1000:.1f} ms, typo {m_typo * 1000:.1f} ms; "
              f"difference {abs(m_valid - m_unknown) * 1000:.1f} ms (allowed {tolerance * 1000:.1f} ms)")
        print("  unknown ms:", [round(x * 1000) for x in unknown])
        print("  valid ms:  ", [round(x * 1000) for x in valid])
        if abs(m_valid - m_unknown) < tolerance:
            break
    assert abs(m_valid - m_unknown) < tolerance, (m_unknown, m_valid)
    # Both pay the derivation; a typo pays none.
    assert m_typo < min(m_unknown, m_valid) / 3, (m_typo, m_unknown)
