"""Crypto-shredding (issue 10, TEAM.md §9, docs/PROTOCOL.md §10.4, OPERATIONS.md §7): every
stored envelope and blob is wrapped with its case's storage key, kept in keystore.sqlite
beside the database and backed up into copies of its own that `sealboxd backup` keeps for
`backup.keystore_keep_days`. A case deleted after a backup can still be restored from that
backup with the key-store copy of the same day (the horizon is real), and no longer once
every key-store copy made before the deletion is gone: the restored database still holds
its rows, but no key that exists opens them. The staff API answers 404 and the reporter's
code answers exactly as a code never issued.

The daemon's day (and the backup's) is moved with SEALBOX_TEST_DAY_OFFSET, which only a
debug build reads; the tests skip on a release build."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess

import pytest
import requests
from nacl.exceptions import CryptoError

import durability_helpers as dh
import inbox_helpers as ih
import sealbox_e2e as e2e
import storage_layer as sl


def backup_run(daemon, directory, offset: int = 0, **extra) -> subprocess.CompletedProcess:
    env = daemon.env()
    env.update({"SEALBOX_TEST_DAY_OFFSET": str(offset), **extra})
    result = subprocess.run([str(e2e.SEALBOXD), "backup", "--to-dir", str(directory)], env=env,
                            capture_output=True, timeout=120, cwd=daemon.workdir)
    assert result.returncode == 0, result.stderr.decode()
    return result


def restore(daemon_factory, daemon, database_copy, keystore_copy, fresh):
    """OPERATIONS.md §7: a database copy, a key-store copy and the pepper into a fresh directory."""
    fresh.mkdir(mode=0o700)
    for source, name in ((database_copy, "sealbox.sqlite"), (keystore_copy, "keystore.sqlite"),
                         (daemon.storage / "pepper", "pepper")):
        shutil.copyfile(source, fresh / name)
        os.chmod(fresh / name, 0o600)
    return daemon_factory(storage=fresh, **dh.FAST)


def items_of(signer, daemon, case):
    return [i for i in signer.all_items(daemon) if i["case"] == case]


def test_after_the_horizon_a_restored_backup_keeps_a_deleted_case_closed_to_every_key(
        daemon_factory, signer, keys, tmp_path):
    daemon = daemon_factory(**dh.FAST, SEALBOX_TEST_DAY_OFFSET="0")
    probe = daemon_factory(**dh.FAST, SEALBOX_TEST_DAY_OFFSET="1")
    if "test build: the day of staff actions" not in probe.stderr():
        pytest.skip("this sealboxd does not read SEALBOX_TEST_DAY_OFFSET (a release build)")
    probe.stop()
    status, kept = dh.submit(daemon, "bleibt", ("bleibt.bin", os.urandom(70_000)))
    assert status == 201
    status, victim = dh.submit(daemon, "wird gelöscht, auch in jeder Sicherung", ("beweis.bin", os.urandom(90_000)))
    assert status == 201
    [victim_item] = items_of(signer, daemon, victim.case)
    attachment = victim_item["attachments"][0]["id"]
    with daemon.db() as db:
        stored_rows = {row[0]: bytes(row[1]) for row in db.execute(
            "SELECT id, envelope FROM items WHERE case_ref = ?", (victim.case,))}
    db.close()

    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    day0 = backup_run(daemon, backups, 0).stdout.decode()
    assert "key store (2 keys) written to" in day0, day0
    [db_copy] = [p for p in backups.iterdir() if not p.name.endswith(".keystore.sqlite")]
    [ks_copy] = list(backups.glob("*.keystore.sqlite"))
    assert db_copy.name.removesuffix(".sqlite") == ks_copy.name.removesuffix(".keystore.sqlite")

    # The case is deleted after that backup (one step: this office has a single staff key).
    path = f"/api/v1/staff/cases/{victim.case}"
    r = requests.delete(daemon.staff_url + path, headers=signer.headers("DELETE", path), timeout=30)
    assert r.status_code == 204, r.text
    assert sl.storage_key(daemon.storage, victim.case) is None
    assert not any(p.name.endswith("-wal") and p.stat().st_size for p in daemon.storage.glob("keystore.sqlite*"))

    # Before the horizon the backup of day 0 with its key store still restores the case:
    # the horizon is a real one.
    early = restore(daemon_factory, daemon, db_copy, ks_copy, tmp_path / "restored-early")
    assert dh.opens_completely(early, victim) is None
    assert len(items_of(signer, early, victim.case)) == 1
    early.stop()

    # A week of daily backups: the key-store copy of day 0 is removed at the run of day 7
    # (backup.keystore_keep_days = 7, the default); the database copies stay (30).
    for day in range(1, 8):
        out = backup_run(daemon, backups, day).stdout.decode()
        if day < 7:
            assert ks_copy.exists() and "past the horizon" not in out, out
    assert f"removed the key-store copy {ks_copy.name} (past the horizon)" in out, out
    assert not ks_copy.exists() and db_copy.exists()
    remaining = sorted(backups.glob("*.keystore.sqlite"))
    assert len(remaining) == 7 and len([p for p in backups.iterdir() if not p.name.endswith(".keystore.sqlite")]) == 8

    # No key that still exists opens the deleted case's rows in the old database copy.
    for copy in [*remaining, daemon.storage / "keystore.sqlite"]:
        connection = sqlite3.connect(str(copy))
        every_key = [bytes(row[0]) for row in connection.execute("SELECT key FROM storage_keys")]
        assert connection.execute("SELECT count(*) FROM storage_keys WHERE case_ref = ?", (victim.case,)).fetchone()[0] == 0
        connection.close()
        for item_id, stored in stored_rows.items():
            for key in every_key:
                with pytest.raises(CryptoError):
                    sl.unwrap_item(key, item_id, stored)

    # The old database restored with the current key store (and with the oldest copy left):
    # the case's rows are there, yet it is gone for staff and reporter alike.
    for n, key_store in enumerate((daemon.storage / "keystore.sqlite", remaining[0])):
        late = restore(daemon_factory, daemon, db_copy, key_store, tmp_path / f"restored-late-{n}")
        with late.db() as db:
            assert db.execute("SELECT count(*) FROM items WHERE case_ref = ?", (victim.case,)).fetchone()[0] == 1
        db.close()
        assert "1 case(s) in the database have no storage key" in late.stderr()
        assert victim.case not in late.stderr()
        never_issued = ih.random_code()
        baseline = ih.open_inbox(late, never_issued)
        gone = ih.open_inbox(late, victim.code)
        assert baseline.status_code == gone.status_code == 404
        assert gone.content == baseline.content and ih.error_code(gone) == "code_unknown"
        assert {k: v for k, v in gone.headers.items() if k.lower() != "date"} == \
            {k: v for k, v in baseline.headers.items() if k.lower() != "date"}
        assert ih.follow_up_json(late, victim.code, "noch da?").status_code == 404
        gone_web = late.post("/inbox", data={"code": victim.code})
        assert gone_web.status_code == 404 and gone_web.content == late.post("/inbox", data={"code": never_issued}).content
        for method, url in (("DELETE", f"/api/v1/staff/cases/{victim.case}"),
                            ("GET", f"/api/v1/staff/attachments/{attachment}"),
                            ("POST", f"/api/v1/staff/cases/{victim.case}/status")):
            body = b'{"status":"closed"}' if method == "POST" else b""
            r = requests.request(method, late.staff_url + url, data=body,
                                 headers={**signer.headers(method, url, body), "Content-Type": "application/json"},
                                 timeout=30)
            assert r.status_code == 404, (url, r.status_code, r.text)
        assert items_of(signer, late, victim.case) == []
        assert victim.case not in signer.get(late, "/api/v1/staff/cases").text
        # The other case opens, with its attachment.
        assert dh.opens_completely(late, kept) is None
        assert len(items_of(signer, late, kept.case)) == 1
        late.stop()


def test_no_file_of_the_server_or_its_backups_holds_an_envelope_or_blob_as_served(daemon_factory, signer, tmp_path):
    daemon = daemon_factory(**dh.FAST)
    status, shown = dh.submit(daemon, "Meldung mit Anhang", ("a.bin", os.urandom(100_000)))
    assert status == 201
    [item] = items_of(signer, daemon, shown.case)
    envelope = e2e.unb64u(item["envelope"])
    path = f"/api/v1/staff/attachments/{item['attachments'][0]['id']}"
    blob = signer.get(daemon, path).content
    assert len(blob) == item["attachments"][0]["size"]
    needles = {"envelope": envelope[100:164], "envelope tail": envelope[-64:],
               "blob": blob[5000:5064], "blob tail": blob[-64:]}
    backups = tmp_path / "b"
    backups.mkdir(mode=0o700)
    backup_run(daemon, backups)
    daemon.stop()
    files = [*e2e.all_files(daemon.storage), *e2e.all_files(backups)]
    assert any(p.name == "keystore.sqlite" for p in files) and any(p.name.endswith(".keystore.sqlite") for p in files)
    # The search can find them: the stored rows are these bytes wrapped.
    with sqlite3.connect(str(daemon.db_path)) as db:
        stored = bytes(db.execute("SELECT envelope FROM items WHERE id = ?", (item["id"],)).fetchone()[0])
    db.close()
    assert sl.unwrap_item(sl.storage_key(daemon.storage, shown.case), item["id"], stored) == envelope
    for file in files:
        data = file.read_bytes()
        found = [name for name, needle in needles.items() if needle in data]
        assert not found, f"{file.name} holds the {found} as served"


def test_a_missing_key_store_beside_cases_is_a_clear_refusal_and_nothing_is_lost(daemon_factory, keys, tmp_path):
    daemon = daemon_factory(**dh.FAST)
    status, shown = dh.submit(daemon, "braucht ihren Schlüssel", None)
    assert status == 201
    daemon.stop()
    moved = tmp_path / "keystore-aside.sqlite"
    shutil.move(daemon.storage / "keystore.sqlite", moved)
    before = daemon.db_path.read_bytes()
    refused = e2e.start_refused(keys, daemon.workdir, SEALBOX_STORAGE_PATH=str(daemon.storage), **dh.FAST)
    assert refused.returncode != 0
    message = refused.stderr.decode()
    assert "key store" in message and "keystore.sqlite is missing" in message and "1 case" in message, message
    assert "Restore drill" in message
    assert not (daemon.storage / "keystore.sqlite").exists()
    assert daemon.db_path.read_bytes() == before
    check = subprocess.run([str(e2e.SEALBOXD), "check-config"], env=daemon.env(), capture_output=True, timeout=60,
                           cwd=daemon.workdir)
    assert check.returncode != 0 and b"keystore.sqlite is missing" in check.stdout + check.stderr
    # Put back, everything opens again.
    shutil.move(moved, daemon.storage / "keystore.sqlite")
    daemon.start()
    assert dh.opens_completely(daemon, shown) is None


def unmigrate(daemon, keep_keys: bool):
    """The database as a release before v12 left it: envelopes and blobs unwrapped and the
    migration not recorded. With `keep_keys` the key store stays as a start killed during
    the migration leaves it (its keys committed, the database's transaction rolled back)."""
    with daemon.db() as db:
        for item_id, case, stored in db.execute("SELECT id, case_ref, envelope FROM items WHERE kind != 'status'").fetchall():
            key = sl.storage_key(daemon.storage, case)
            db.execute("UPDATE items SET envelope = ? WHERE id = ?", (sl.unwrap_item(key, item_id, stored), item_id))
        for blob_id, case, stored in db.execute(
                "SELECT a.id, i.case_ref, a.blob FROM attachments a JOIN items i ON i.id = a.item_id").fetchall():
            key = sl.storage_key(daemon.storage, case)
            db.execute("UPDATE attachments SET blob = ? WHERE id = ?", (sl.unwrap_blob(key, blob_id, stored), blob_id))
        db.execute("DELETE FROM grdb_migrations WHERE identifier = 'v12-storage-keys'")
    db.close()
    if not keep_keys:
        for p in daemon.storage.glob("keystore.sqlite*"):
            p.unlink()


@pytest.mark.parametrize("keep_keys", [False, True], ids=["first-start", "after-a-killed-migration"])
def test_an_older_database_is_wrapped_at_start_and_every_code_and_item_still_opens(
        daemon_factory, signer, keep_keys):
    daemon = daemon_factory(**dh.FAST)
    shown = []
    for n in range(3):
        status, s = dh.submit(daemon, f"vor dem Update {n}", ("x.bin", os.urandom(70_000)) if n == 1 else None)
        assert status == 201
        shown.append(s)
    served = {i["id"]: i["envelope"] for i in signer.all_items(daemon)}
    daemon.stop()
    keys_before = {s.case: sl.storage_key(daemon.storage, s.case) for s in shown}
    unmigrate(daemon, keep_keys)
    with daemon.db() as db:
        assert "v12-storage-keys" not in [r[0] for r in db.execute("SELECT identifier FROM grdb_migrations")]
        plain = {r[0]: bytes(r[1]) for r in db.execute("SELECT id, envelope FROM items")}
    db.close()
    assert plain == {k: e2e.unb64u(v) for k, v in served.items()}
    daemon.start()
    assert not dh.shown_missing(daemon, shown)
    assert {i["id"]: i["envelope"] for i in signer.all_items(daemon)} == served
    with daemon.db() as db:
        assert db.execute("SELECT identifier FROM grdb_migrations ORDER BY rowid DESC").fetchone()[0] == "v12-storage-keys"
        for item_id, stored in db.execute("SELECT id, envelope FROM items"):
            assert bytes(stored) != plain[item_id]
    db.close()
    keys_after = {s.case: sl.storage_key(daemon.storage, s.case) for s in shown}
    assert all(keys_after.values())
    assert (keys_after == keys_before) == keep_keys
