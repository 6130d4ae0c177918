"""Section 7: the daemon refuses to start on a bad pepper file or team key, creates a
missing pepper privately, stops cleanly on SIGTERM, and survives SIGKILL with every
answered submission intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import threading
import time

import pytest
import requests

import sealbox_e2e as e2e
from sealbox_e2e import start_refused


def write_pepper(path, data: bytes, mode: int):
    path.write_bytes(data)
    path.chmod(mode)
    return path


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660], ids=oct)
def test_pepper_readable_by_others_refuses_start(keys, tmp_path, mode):
    secret = os.urandom(32)
    pepper = write_pepper(tmp_path / "pepper", secret, mode)
    result = start_refused(keys, tmp_path, SEALBOX_CRYPTO_PEPPER_FILE=str(pepper))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert err.startswith("sealboxd: error: ") and "pepper" in err.lower()
    assert b"listener on" not in result.stdout
    assert secret.hex() not in err and e2e.b64(secret) not in err
    assert pepper.read_bytes() == secret and stat.S_IMODE(pepper.stat().st_mode) == mode  # left alone


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_pepper_of_wrong_length_refuses_start(keys, tmp_path, size):
    pepper = write_pepper(tmp_path / "pepper", os.urandom(size), 0o600)
    result = start_refused(keys, tmp_path, SEALBOX_CRYPTO_PEPPER_FILE=str(pepper))
    assert result.returncode == 1
    assert "pepper" in result.stderr.decode().lower()
    assert b"listener on" not in result.stdout
    assert pepper.stat().st_size == size


def test_unreadable_pepper_refuses_start(keys, tmp_path):
    pepper = tmp_path / "pepper"
    pepper.mkdir(mode=0o700)  # a directory cannot be read as a file, even by root
    result = start_refused(keys, tmp_path, SEALBOX_CRYPTO_PEPPER_FILE=str(pepper))
    assert result.returncode == 1
    assert "pepper" in result.stderr.decode().lower()


def test_pepper_in_a_missing_directory_refuses_start(keys, tmp_path):
    result = start_refused(keys, tmp_path, SEALBOX_CRYPTO_PEPPER_FILE=str(tmp_path / "nope" / "deeper" / "pepper"))
    assert result.returncode == 1
    assert result.stderr.decode().startswith("sealboxd: error: ")


@pytest.mark.parametrize("team_key", [
    "sealbox-team-v1:AAAA",
    "sealbox-team-v1:" + "A" * 44,
    "sealbox-staff-v1:" + e2e.so.b64u(os.urandom(32)),
    e2e.so.b64u(os.urandom(32)),
    "REPLACE-WITH-TEAM-PUBLIC-KEY",
], ids=["short", "33-bytes", "staff-prefix", "no-prefix", "placeholder"])
def test_invalid_team_key_refuses_start(keys, tmp_path, team_key):
    result = start_refused(keys, tmp_path, SEALBOX_CRYPTO_TEAM_PUBLIC_KEY=team_key)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert err.startswith("sealboxd: error: ")
    assert "crypto.team_public_key" in err
    assert not (tmp_path / "data" / "sealbox.sqlite").exists()


def test_missing_team_key_refuses_start(keys, tmp_path):
    env_daemon = e2e.Daemon(keys, tmp_path)
    env = env_daemon.env()
    del env["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY"]
    result = subprocess.run([str(e2e.SEALBOXD)], env=env, capture_output=True, timeout=20, cwd=tmp_path)
    assert result.returncode == 1
    assert "crypto.team_public_key" in result.stderr.decode()


def test_invalid_staff_key_refuses_start(keys, tmp_path):
    result = start_refused(keys, tmp_path, SEALBOX_STAFF_KEYS=keys.staff_public_text + ",sealbox-staff-v1:broken")
    assert result.returncode == 1
    assert "staff.keys" in result.stderr.decode()


def test_missing_pepper_is_created_private_and_kept_across_restarts(daemon_factory, tmp_path):
    pepper = tmp_path / "secret" / "pepper"
    pepper.parent.mkdir(mode=0o700)
    daemon = daemon_factory(SEALBOX_CRYPTO_PEPPER_FILE=str(pepper))
    assert stat.S_IMODE(pepper.stat().st_mode) == 0o600
    first = pepper.read_bytes()
    assert len(first) == 32 and first != bytes(32)
    assert not (daemon.storage / "pepper").exists()
    assert daemon.stop() == 0
    daemon.start()
    assert pepper.read_bytes() == first


def test_default_pepper_and_storage_are_private(daemon_factory):
    daemon = daemon_factory()
    assert daemon.post("/api/v1/reports", json={"text": "Rechte"}).status_code == 201
    assert stat.S_IMODE(daemon.storage.stat().st_mode) == 0o700
    assert stat.S_IMODE((daemon.storage / "pepper").stat().st_mode) == 0o600
    assert stat.S_IMODE(daemon.tmp_dir.stat().st_mode) == 0o700
    for path in e2e.all_files(daemon.storage):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_database_runs_in_wal_mode(daemon_factory):
    daemon = daemon_factory()
    assert daemon.post("/api/v1/reports", json={"text": "WAL"}).status_code == 201
    connection = sqlite3.connect(str(daemon.db_path))
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_the_daemon_with_exit_0(daemon_factory, sig):
    daemon = daemon_factory()
    assert daemon.post("/api/v1/reports", json={"text": "vor dem Ende"}).status_code == 201
    started = time.monotonic()
    assert daemon.stop(sig) == 0
    assert time.monotonic() - started < 5
    with pytest.raises(requests.ConnectionError):
        requests.get(daemon.url("/healthz"), timeout=5)


def test_restart_keeps_reports_and_their_lookup(daemon_factory, signer):
    daemon = daemon_factory()
    answer = daemon.post("/api/v1/reports", json={"text": "bleibt"}).json()
    assert daemon.stop() == 0
    daemon.start()
    assert [i["case"] for i in signer.all_items(daemon)] == [answer["case"]]


def test_leftovers_in_tmp_are_removed_at_start(daemon_factory):
    daemon = daemon_factory(start=False)
    daemon.tmp_dir.mkdir(parents=True)
    (daemon.tmp_dir / "0123456789abcdef0123456789abcdef.sealed").write_bytes(b"SBA1 half an upload")
    daemon.start()
    assert daemon.tmp_files() == []


def test_sigkill_mid_way_loses_no_answered_submission(daemon_factory, signer):
    daemon = daemon_factory()
    answered: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()

    def submit(worker: int):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 3 == 0:
                    body, ctype = e2e.multipart([("text", f"w{worker} n{n}")],
                                                [("attachment", "f.bin", "application/octet-stream", os.urandom(30_000))])
                    r = requests.post(daemon.url("/api/v1/reports"), data=body, headers={"Content-Type": ctype},
                                      timeout=30)
                else:
                    r = requests.post(daemon.url("/api/v1/reports"), json={"text": f"w{worker} n{n}"}, timeout=30)
            except requests.RequestException:
                continue
            if r.status_code == 201:
                with lock:
                    answered.append(r.json())

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(answered) < 12 and time.monotonic() < deadline:
        time.sleep(0.05)
    daemon.kill()  # SIGKILL while submissions are in flight
    stop.set()
    for t in threads:
        t.join(40)
    assert len(answered) >= 12, "too few submissions were answered before the kill"

    daemon.start()
    with daemon.db() as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in connection.execute("SELECT ref FROM cases")}
    connection.close()
    answered_cases = {a["case"] for a in answered}
    assert answered_cases <= stored, f"answered but lost: {answered_cases - stored}"
    assert answered_cases <= {i["case"] for i in signer.all_items(daemon)}
    assert daemon.tmp_files() == []
    assert daemon.post("/api/v1/reports", json={"text": "nach dem Neustart"}).status_code == 201
