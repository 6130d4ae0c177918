"""The benchmark's own daemon (scripts/bench.py, scripts/bench_attack.py) starts with the
settings the scripts give it and serves. `make bench` runs only by hand, so without this
a new required setting (as the privacy notice's office.controller once was) breaks it
unnoticed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import requests

import sealbox_e2e as e2e

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def load(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_daemon_starts_with_the_scripts_settings_and_accepts_a_report():
    bench = load("bench")
    daemon = bench.Daemon(str(e2e.SEALBOXD), {"SEALBOX_CRYPTO_KDF_OPSLIMIT": "1", "SEALBOX_CRYPTO_KDF_MEMLIMIT": "8192",
                                              "SEALBOX_CRYPTO_CODE_POOL": "0"})
    try:
        daemon.start()
        url = f"http://127.0.0.1:{daemon.port}"
        assert requests.get(url + "/healthz", timeout=10).text == "ok\n"
        r = requests.post(url + "/api/v1/reports", json={"text": "Benchmark-Probe"}, timeout=60)
        assert r.status_code == 201, r.text
        assert daemon.stop() == 0
    finally:
        daemon.kill()
        daemon.cleanup()


def test_the_flood_phase_runs_briefly_without_an_error():
    load("bench")
    attack = load("bench_attack")
    flood = attack.run_flood(str(e2e.SEALBOXD), {"SEALBOX_CRYPTO_KDF_OPSLIMIT": "1",
                                                 "SEALBOX_CRYPTO_KDF_MEMLIMIT": "8192"}, 2, 1)
    assert flood["exit_status"] == 0, flood
    assert flood["other_5xx"] == 0 and flood["transport_errors"] == 0, flood
    assert flood["genuine_ok"] > 0, flood
