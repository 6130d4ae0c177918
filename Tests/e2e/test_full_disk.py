"""Section 4, full disk: the storage path on a tiny tmpfs. When the disk fills up
during a submission the reporter gets 507 (never a code), nothing is half-stored,
tmp/ is emptied, and the daemon keeps running and serves again, without a restart,
once there is room again.

The tmpfs is mounted by the test (`mount -t tmpfs`), which needs root or
CAP_SYS_ADMIN: CI runs the suite as root in its container (README, "Tests"); where
mounting is impossible these tests skip and say why."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess

import pytest

import durability_helpers as dh
import sealbox_e2e as e2e


@pytest.fixture
def tiny_disk(tmp_path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount_point)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): "
                    f"{result.stderr.decode(errors='replace').strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(directory, leave: int) -> os.PathLike:
    """Fills the file system of `directory` until about `leave` bytes are free."""
    filler = directory / "filler"
    with open(filler, "wb") as f:
        while True:
            free = shutil.disk_usage(directory).free
            if free <= leave:
                break
            try:
                f.write(b"\0" * min(4096, free - leave))
                f.flush()
                os.fsync(f.fileno())
            except OSError:
                break
    return filler


def integrity(daemon) -> str:
    connection = sqlite3.connect(str(daemon.db_path))
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize("leave", [0, 60_000], ids=["disk-full-before-upload", "disk-fills-during-upload"])
def test_full_disk_gives_an_error_status_stores_nothing_and_daemon_recovers(tiny_disk, daemon_factory, leave):
    storage = tiny_disk / "data"
    daemon = daemon_factory(storage=storage, SEALBOX_STORAGE_RESERVE="0")  # the disk itself fills, no reserve
    r = daemon.post("/api/v1/reports", json={"text": "vorher, als noch Platz war"})
    assert r.status_code == 201
    before = daemon.counts()
    filler = fill(tiny_disk, leave)

    body, ctype = e2e.multipart([("text", "mit Anhang auf voller Platte")],
                                [("attachment", "scan.bin", "application/octet-stream", os.urandom(200_000))])
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 507, r.text
    assert set(r.json()) == {"error"}  # no case, no code
    leftover = daemon.wait_tmp_empty()
    assert daemon.running and daemon.healthy()
    assert daemon.counts() == before

    # A form submission on the full disk gets an error page, not a code.
    r = daemon.post("/report", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 507
    assert 'class="code-groups"' not in r.text
    assert daemon.counts() == before

    os.unlink(filler)
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 201, r.text
    after = daemon.counts()
    assert after["cases"] == before["cases"] + 1 and after["attachments"] == before["attachments"] + 1
    assert integrity(daemon) == "ok"
    assert leftover == [], "the refused upload left its staging file in tmp/"


def test_full_disk_for_a_text_only_report_stores_nothing(tiny_disk, daemon_factory):
    daemon = daemon_factory(storage=tiny_disk / "data", SEALBOX_STORAGE_RESERVE="0")
    assert daemon.post("/api/v1/reports", json={"text": "erste"}).status_code == 201
    before = daemon.counts()
    filler = fill(tiny_disk, 0)
    statuses = {daemon.post("/api/v1/reports", json={"text": "t" * 15_000 + str(i)}).status_code for i in range(3)}
    assert statuses == {507}, statuses
    assert daemon.running and daemon.healthy()
    assert daemon.counts() == before
    os.unlink(filler)
    assert daemon.post("/api/v1/reports", json={"text": "wieder Platz"}).status_code == 201
    assert integrity(daemon) == "ok"


def test_full_disk_under_concurrent_uploads_gives_only_507_and_no_partial_row(tiny_disk, daemon_factory):
    daemon = daemon_factory(storage=tiny_disk / "data", SEALBOX_STORAGE_RESERVE="0", **dh.FAST)
    status, first = dh.submit(daemon, "erste", None)
    assert status == 201
    before = daemon.counts()
    filler = fill(tiny_disk, 150_000)
    uploads = dh.Submitters(daemon, workers=8, size=120_000, label="voll", rounds=3).join()
    statuses, shown = uploads.statuses, uploads.shown
    assert 507 in statuses and set(statuses) <= {201, 507}, statuses
    assert daemon.wait_tmp_empty() == []
    after = daemon.counts()
    assert after["cases"] == before["cases"] + len(shown)
    assert after["items"] == before["items"] + len(shown)
    assert after["attachments"] == before["attachments"] + len(shown)
    assert daemon.running and daemon.healthy()

    os.unlink(filler)
    status, later = dh.submit(daemon, "wieder Platz", ("scan.bin", os.urandom(120_000)))
    assert status == 201
    assert integrity(daemon) == "ok"
    assert not dh.shown_missing(daemon, [first, *shown, later])
