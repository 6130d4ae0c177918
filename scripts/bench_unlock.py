#!/usr/bin/env python3
"""`sealbox show` with and without the unlock agent (docs/WORKSTATION.md §8), at the
office's key cost: makes a team key and a staff key with `sealbox keygen`'s default cost
(Argon2id MODERATE), starts the real daemon on loopback, files one report, syncs a
workstation store, then times `sealbox show CASE` five times with the passphrase file
and five times through the agent. Prints the medians and their ratio.

    SEALBOX_BIN=$(swift build --show-bin-path) python3 scripts/bench_unlock.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "Tests" / "e2e"), str(REPO / "Tests" / "interop")]

import sealbox_e2e as e2e  # noqa: E402


def keygen(args: list[str], home: Path) -> str:
    result = e2e.run_cli(args, home=home)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode().strip().splitlines()[-1].strip()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="sbbu-", dir="/tmp"))
    home, runtime = work / "home", work / "run"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    passphrase = work / "passphrase"
    passphrase.write_text(e2e.PASSPHRASE + "\n", encoding="utf-8")
    team = keygen(["keygen", "--team", "--out", str(work / "team.key"), "--passphrase-file", str(passphrase)], home)
    staff = keygen(["staff-keygen", "--out", str(work / "staff.key"), "--passphrase-file", str(passphrase)], home)
    keys = e2e.Keys(work, passphrase, work / "team.key", team, work / "staff.key", staff, work / "staff.key", staff)
    daemon = e2e.Daemon(keys, work / "daemon").start()
    try:
        answer = daemon.post("/api/v1/reports", json={"text": "Eine Meldung für die Zeitmessung. " * 20})
        case = answer.json()["case"]
        env = {"SEALBOX_SERVER": daemon.staff_url, "SEALBOX_STAFF_KEY": str(keys.staff_key_file),
               "SEALBOX_TEAM_KEY": str(keys.team_key_file), "SEALBOX_STORE": str(work / "store"),
               "XDG_RUNTIME_DIR": str(runtime)}
        with_file = {**env, "SEALBOX_PASSPHRASE_FILE": str(passphrase)}

        def run(args: list[str], environment: dict) -> float:
            start = time.perf_counter()
            result = e2e.run_cli(args, env=environment, home=home)
            elapsed = time.perf_counter() - start
            assert result.returncode == 0, result.stderr.decode()
            return elapsed

        run(["sync"], with_file)
        without = statistics.median(run(["show", case], with_file) for _ in range(5))
        run(["unlock"], with_file)
        try:
            agent = statistics.median(run(["show", case], env) for _ in range(5))
        finally:
            e2e.run_cli(["lock"], env=env, home=home)
        print(f"sealbox show, keys at Argon2id MODERATE: {without * 1000:.0f} ms with the passphrase, "
              f"{agent * 1000:.0f} ms with the agent; ratio {without / agent:.1f}")
    finally:
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
