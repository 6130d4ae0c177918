"""Section 8: concurrent submissions all succeed with distinct cases and codes; when
the key-derivation pool is saturated, the surplus gets 503 with Retry-After (and
nothing stored), never an unbounded queue or another error."""

from __future__ import annotations

import threading

import requests


def burst(daemon, n: int, payload=lambda i: {"text": f"gleichzeitig {i}"}) -> list[requests.Response]:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def one(i):
        session = requests.Session()
        # Connect first, so that the requests really arrive together.
        session.get(daemon.url("/healthz"), timeout=30)
        barrier.wait()
        try:
            results[i] = session.post(daemon.url("/api/v1/reports"), json=payload(i), timeout=60)
        except requests.RequestException as exc:
            results[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_twenty_concurrent_submissions_all_succeed_with_distinct_cases_and_codes(daemon_factory, signer):
    daemon = daemon_factory()
    results = burst(daemon, 20)
    assert all(isinstance(r, requests.Response) for r in results), results
    assert [r.status_code for r in results] == [201] * 20
    answers = [r.json() for r in results]
    assert len({a["case"] for a in answers}) == 20
    assert len({a["code"] for a in answers}) == 20
    assert daemon.counts()["cases"] == 20
    assert {i["case"] for i in signer.all_items(daemon)} == {a["case"] for a in answers}


def test_saturated_pool_answers_503_with_retry_after_and_stores_only_the_accepted(daemon_factory):
    daemon = daemon_factory(SEALBOX_CRYPTO_KDF_WORKERS="1", SEALBOX_CRYPTO_KDF_QUEUE="0",
                            SEALBOX_CRYPTO_KDF_OPSLIMIT="4")
    results = burst(daemon, 16)
    assert all(isinstance(r, requests.Response) for r in results), results
    statuses = [r.status_code for r in results]
    assert set(statuses) <= {201, 503}, statuses
    accepted = statuses.count(201)
    busy = [r for r in results if r.status_code == 503]
    assert accepted >= 1 and busy, statuses
    for r in busy:
        assert int(r.headers["Retry-After"]) > 0
        assert r.json()["error"]["code"] == "busy"
        assert "Gerade kommen sehr viele Meldungen an" in r.json()["error"]["message"]
    assert daemon.counts()["cases"] == accepted
    assert daemon.wait_tmp_empty() == []
    # Once the burst is over, the daemon takes reports again.
    assert daemon.post("/api/v1/reports", json={"text": "danach"}).status_code == 201


def test_saturated_pool_refuses_form_submissions_with_a_503_page(daemon_factory):
    daemon = daemon_factory(SEALBOX_CRYPTO_KDF_WORKERS="1", SEALBOX_CRYPTO_KDF_QUEUE="0",
                            SEALBOX_CRYPTO_KDF_OPSLIMIT="4")
    barrier = threading.Barrier(8)
    results: list = [None] * 8

    def one(i):
        session = requests.Session()
        session.get(daemon.url("/healthz"), timeout=30)
        barrier.wait()
        results[i] = session.post(daemon.url("/report?lang=en"), data={"text": f"Formular {i}"}, timeout=60)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    statuses = [r.status_code for r in results]
    assert set(statuses) <= {200, 503} and 503 in statuses, statuses
    for r in results:
        if r.status_code == 503:
            assert "Busy right now" in r.text
            assert 'class="code-groups"' not in r.text
            assert int(r.headers["Retry-After"]) > 0
    assert daemon.counts()["cases"] == statuses.count(200)
