"""Backup and restore: `sealboxd backup --to FILE` copies the live database consistently
while submissions go on, into a new file of mode 0600 that it never overwrites; the
restore drill of docs/OPERATIONS.md §7 (the copy, the key store's copy beside it and the
pepper file into a fresh storage directory) gives a daemon in which every code shown
before the backup opens its case."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time

import durability_helpers as dh
import sealbox_e2e as e2e


def backup(daemon, target) -> subprocess.CompletedProcess:
    return subprocess.run([str(e2e.SEALBOXD), "backup", "--to", str(target)], env=daemon.env(),
                          capture_output=True, timeout=120, cwd=daemon.workdir)


def keystore_copy(copy):
    """The key store's copy `sealboxd backup --to X.sqlite` writes beside it."""
    return copy.with_name(copy.name.removesuffix(".sqlite") + ".keystore.sqlite")


def restore(daemon_factory, copy, daemon, fresh, keystore=None):
    """The drill of OPERATIONS.md §7: the copy, a key-store copy (by default the one made with
    it) and the pepper file into a fresh storage directory, and a daemon on it."""
    fresh.mkdir(mode=0o700)
    shutil.copyfile(copy, fresh / "sealbox.sqlite")
    os.chmod(fresh / "sealbox.sqlite", 0o600)
    shutil.copyfile(keystore or keystore_copy(copy), fresh / "keystore.sqlite")
    os.chmod(fresh / "keystore.sqlite", 0o600)
    shutil.copyfile(daemon.storage / "pepper", fresh / "pepper")
    os.chmod(fresh / "pepper", 0o600)
    return daemon_factory(storage=fresh, **dh.FAST)


def test_backup_while_submitting_then_restore_opens_every_earlier_code(daemon_factory, tmp_path):
    daemon = daemon_factory(**dh.FAST)
    before = []
    for i in range(12):
        status, shown = dh.submit(daemon, f"vor der Sicherung {i}", ("a.bin", os.urandom(20_000)) if i % 2 else None)
        assert status == 201
        before.append(shown)

    submitters = dh.Submitters(daemon, workers=4, size=30_000, label="während")
    deadline = time.monotonic() + 30
    while len(submitters.statuses) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    target = tmp_path / "backups" / "sealbox-backup.sqlite"
    target.parent.mkdir(mode=0o700)
    try:
        result = backup(daemon, target)
    finally:
        submitters.stop()
    statuses, during = submitters.statuses, submitters.shown
    assert result.returncode == 0, result.stderr.decode()
    assert b"written to" in result.stdout
    assert statuses and set(statuses) == {201}, "submissions failed while the backup ran"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(keystore_copy(target).stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["sealbox-backup.keystore.sqlite", "sealbox-backup.sqlite"]
    assert dh.integrity(target) == "ok" and dh.integrity(keystore_copy(target)) == "ok"

    # A second backup to the same name is refused and leaves the first one as it was.
    content = target.read_bytes()
    again = backup(daemon, target)
    assert again.returncode != 0 and b"sealboxd: error:" in again.stderr
    assert target.read_bytes() == content

    # The drill: a fresh storage directory with the copy and the pepper file.
    restored = restore(daemon_factory, target, daemon, tmp_path / "restored")
    assert dh.integrity(restored.db_path) == "ok"
    missing = dh.shown_missing(restored, before)
    assert not missing, missing
    # A report shown during the backup is in the copy or not, but never half.
    with restored.db() as connection:
        copied = {row[0] for row in connection.execute("SELECT ref FROM cases")}
    connection.close()
    assert not dh.shown_missing(restored, [s for s in during if s.case in copied])
    print(f"backup: {len(before)} cases before, {len(during)} submitted during, {len(copied)} in the copy")


def test_backup_refuses_a_missing_database_and_creates_nothing(daemon_factory, tmp_path):
    daemon = daemon_factory(start=False, **dh.FAST)
    target = tmp_path / "b.sqlite"
    result = backup(daemon, target)
    assert result.returncode != 0 and b"no database" in result.stderr
    assert not target.exists() and not daemon.db_path.exists()


def test_after_a_restore_a_workstation_names_later_reports_lost_and_earlier_deletions_deleted(
        daemon_factory, workstation_factory, keys, signer, tmp_path):
    """The restore drill seen from a counsellor's workstation: a report stored after the
    backup is gone from the restored server without any deletion; `sealbox sync` names it
    lost (kept on the workstation), while a case deleted before the backup was purged from
    the workstation at the sync after its deletion (issue 10: deletion reaches every
    store) and is not named lost. Every code shown before the backup still opens its case."""
    import requests

    import inbox_helpers as ih

    daemon = daemon_factory(**dh.FAST)
    status, kept = dh.submit(daemon, "vor der Sicherung, bleibt", None)
    assert status == 201
    status, removed = dh.submit(daemon, "vor der Sicherung, gelöscht", None)
    assert status == 201
    ws = workstation_factory(daemon)
    ws.ok("sync")
    path = f"/api/v1/staff/cases/{removed.case}"
    r = requests.delete(daemon.staff_url + path, headers=signer.headers("DELETE", path), timeout=30)
    assert r.status_code == 204, r.text
    target = tmp_path / "sealbox-backup.sqlite"
    result = backup(daemon, target)
    assert result.returncode == 0, result.stderr.decode()
    status, later = dh.submit(daemon, "nach der Sicherung", None)
    assert status == 201
    purged = ws.ok("sync").stdout.decode()
    assert f"Removed 1 case deleted on the server from the local store: {removed.case}." in purged, purged
    daemon.stop()

    restored = restore(daemon_factory, target, daemon, tmp_path / "restored")
    assert not dh.shown_missing(restored, [kept])
    assert dh.opens_completely(restored, later) is not None, "a report after the backup opened on the restored server"

    again = ih.Workstation(ws.home, restored, keys)
    synced = again.ok("sync")
    warning = synced.stderr.decode()
    assert later.case in warning and "restored from an older backup" in warning, warning
    assert kept.case not in warning and removed.case not in warning, warning
    listed = {c["case"]: c for c in again.json("list")["cases"]}
    assert listed[later.case]["on_server"] is False and listed[later.case]["lost_on_server"] is True
    assert listed[kept.case]["on_server"] is True and listed[kept.case]["lost_on_server"] is False
    # The case deleted before the backup was purged here, and stays so.
    assert removed.case not in listed
    table = again.ok("list").stdout.decode()
    line = next(l for l in table.splitlines() if l.startswith(later.case))
    assert "lost on the server" in line, table
    assert removed.case not in table, table
