"""Durability under I/O errors: the Nth write or fsync on the daemon's storage fails with
EIO. An LD_PRELOAD shim (Tests/e2e/shim/fail_io.c, compiled here with `cc -shared
-fPIC`) counts the daemon's write/pwrite/fsync/fdatasync calls on files under the
storage directory and fails the Nth, once or from then on. Sweeping N over every call
a submission makes: each answer is a 201 with a stored report or a clear error
(500/507) without a code; the daemon serves again once the errors stop; after a
restart the database passes integrity_check and every code that was shown opens its
complete report."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import durability_helpers as dh

SHIM = Path(__file__).resolve().parent / "shim" / "fail_io.c"


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler (cc) to build the LD_PRELOAD shim")
    out = tmp_path_factory.mktemp("shim") / "fail_io.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O1", "-o", str(out), str(SHIM), "-ldl"], check=True)
    return out


class Control:
    """The shim's control file: arm, disarm, and how many calls it counted."""

    def __init__(self, path: Path):
        self.path = path

    def arm(self, n: int, mode: str, ops: str = "ws") -> None:
        fresh = self.path.with_suffix(".new")
        fresh.write_text(f"{n} {mode} {ops}\n")
        os.replace(fresh, self.path)  # a new inode: the shim re-arms and counts from zero

    def disarm(self) -> None:
        self.path.unlink(missing_ok=True)

    def count(self) -> int:
        counted = Path(str(self.path) + ".count")
        return int(counted.read_text()) if counted.exists() else 0


def test_the_nth_write_or_fsync_failing_never_acknowledges_a_lost_report(daemon_factory, shim, tmp_path):
    storage = tmp_path / "data"
    control = Control(tmp_path / "control")
    daemon = daemon_factory(storage=storage, **dh.FAST, LD_PRELOAD=str(shim),
                            SEALBOX_SHIM_PREFIX=str(storage), SEALBOX_SHIM_CONTROL=str(control.path))
    attachment = ("scan.bin", os.urandom(150_000))
    shown: list[dh.Shown] = []

    def submit(label: str) -> int:
        status, receipt = dh.submit(daemon, f"Bericht {label}", attachment)
        assert status in (201, 500, 507), f"{label}: unexpected {status}"
        if receipt:
            shown.append(receipt)
        return status

    control.arm(10**9, "once")
    assert submit("calibration") == 201
    calls = control.count()
    assert calls >= 5, f"the shim counted only {calls} calls for one submission"

    failures = {}
    for mode, points in (("once", range(1, calls + 1)), ("persist", sorted({1, calls // 3, calls // 2, calls - 1, calls}))):
        for n in points:
            control.arm(n, mode)
            statuses = [submit(f"{mode} {n} a"), submit(f"{mode} {n} b")]
            failures[(mode, n)] = statuses
            control.disarm()
            assert submit(f"after {mode} {n}") == 201, f"the daemon did not recover after {mode} failure {n}"
            assert daemon.running

    refused = sum(s != 201 for statuses in failures.values() for s in statuses)
    print(f"io errors: {calls} counted calls per submission; {len(failures)} failure points; "
          f"{refused} submissions refused, {len(shown)} codes shown")
    assert refused >= calls // 2, "too few injected failures reached a submission"

    # A kill while the errors persist, then a restart without the shim.
    control.arm(1, "persist")
    submit("under persistent errors")
    daemon.kill()
    control.disarm()
    for key in ("LD_PRELOAD", "SEALBOX_SHIM_PREFIX", "SEALBOX_SHIM_CONTROL"):
        daemon.settings.pop(key)
    daemon.start()
    assert dh.integrity(daemon.db_path) == "ok"
    assert daemon.tmp_files() == []
    missing = dh.shown_missing(daemon, shown)
    assert not missing, f"acknowledged reports lost: {missing[:5]}"
