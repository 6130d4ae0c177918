"""Codes derived ahead (crypto.code_pool): once the pool has filled in idle time, a burst
of submissions is accepted even though the one key-derivation worker is taken and no
submission may wait, and every code shown opens its own case."""
from __future__ import annotations

import time

from test_concurrency import burst


def test_a_burst_takes_codes_derived_ahead_and_each_code_opens_its_case(daemon_factory):
    daemon = daemon_factory(SEALBOX_CRYPTO_CODE_POOL="6", SEALBOX_CRYPTO_KDF_WORKERS="1",
                            SEALBOX_CRYPTO_KDF_QUEUE="0", SEALBOX_CRYPTO_KDF_OPSLIMIT="1",
                            SEALBOX_CRYPTO_KDF_MEMLIMIT="8192")
    time.sleep(1.0)  # six cheap derivations fill the pool
    results = burst(daemon, 6)
    statuses = [r.status_code for r in results]
    assert statuses == [201] * 6, statuses
    answers = [r.json() for r in results]
    for answer in answers:
        r = daemon.post("/api/v1/inbox", json={"code": answer["code"]})
        assert r.status_code == 200, r.text
        assert r.json()["case"] == answer["case"]
    assert len({a["code"] for a in answers}) == 6
    assert daemon.counts()["cases"] == 6
