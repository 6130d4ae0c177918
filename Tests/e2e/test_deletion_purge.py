"""Gap 8: deleting a case leaves no byte of it on disk, and never answers an error once
the deletion is committed. With secure_delete in WAL mode the zeroed pages reach the
main file only at a checkpoint, which a reader can hold up: the daemon retries it for a
bounded time, records the case as a pending purge in the deleting transaction, and
finishes the purge at the next start when it was killed first."""

from __future__ import annotations

import os
import sqlite3
import threading

import durability_helpers as dh
import inbox_helpers as ih


def victim_secrets(daemon, case: str) -> dict[str, bytes]:
    with daemon.db() as connection:
        lookup = connection.execute("SELECT lookup_hash FROM cases WHERE ref = ?", (case,)).fetchone()[0]
        envelope = connection.execute("SELECT envelope FROM items WHERE case_ref = ?", (case,)).fetchone()[0]
        blob = connection.execute(
            "SELECT blob FROM attachments JOIN items ON items.id = attachments.item_id WHERE case_ref = ?",
            (case,)).fetchone()[0]
    connection.close()
    # Slices from the middle: long enough to be unique, short enough to catch a partial copy.
    return {"lookup hash": bytes(lookup), "envelope": bytes(envelope[200:264]), "blob": bytes(blob[5000:5064])}


def traces(daemon, secrets: dict[str, bytes]) -> list[str]:
    return [f"{what} in {name}" for name, data in dh.storage_bytes(daemon.storage).items()
            for what, needle in secrets.items() if needle in data]


def submit_victim(daemon) -> dh.Shown:
    status, shown = dh.submit(daemon, "wird gelöscht", ("beweis.bin", os.urandom(80_000)))
    assert status == 201
    return shown


def test_deleting_under_concurrent_reads_answers_204_and_leaves_no_byte_on_disk(daemon_factory, signer):
    daemon = daemon_factory(**dh.FAST)
    others = [dh.submit(daemon, f"bleibt {i}", None)[1] for i in range(4)]
    victim = submit_victim(daemon)
    secrets = victim_secrets(daemon, victim.case)
    assert traces(daemon, secrets), "the test cannot see the case on disk before deleting it"
    stop = threading.Event()
    opened = []

    def read():
        while not stop.is_set():
            for shown in others:
                opened.append(ih.open_inbox(daemon, shown.code).status_code)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    r = ih.staff_send(signer, daemon, "DELETE", f"/api/v1/staff/cases/{victim.case}")
    stop.set()
    for t in readers:
        t.join(30)
    assert r.status_code == 204, r.text
    assert opened and set(opened) == {200}
    assert traces(daemon, secrets) == []
    assert ih.open_inbox(daemon, victim.code).status_code == 404
    with daemon.db() as connection:
        assert connection.execute("SELECT count(*) FROM pending_purges").fetchone()[0] == 0
    connection.close()


def test_a_deletion_held_up_by_a_reader_answers_204_and_is_purged_at_the_next_start(daemon_factory, signer):
    daemon = daemon_factory(**dh.FAST)
    victim = submit_victim(daemon)
    secrets = victim_secrets(daemon, victim.case)

    # Another process reads (like a backup): its snapshot keeps the checkpoint from completing.
    reader = sqlite3.connect(str(daemon.db_path), isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM items").fetchone()[0] == 1
    r = ih.staff_send(signer, daemon, "DELETE", f"/api/v1/staff/cases/{victim.case}")
    assert r.status_code == 204, r.text
    with daemon.db() as connection:
        assert connection.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
        assert [tuple(row) for row in connection.execute("SELECT case_ref FROM pending_purges")] == [(victim.case,)]
    connection.close()
    assert traces(daemon, secrets), "the reader did not hold up the purge; this test proves nothing"

    daemon.kill()  # between the commit and the checkpoint
    reader.execute("END")  # still open: closing the last connection would checkpoint for the daemon
    daemon.start()
    try:
        assert traces(daemon, secrets) == []
        with daemon.db() as connection:
            assert connection.execute("SELECT count(*) FROM pending_purges").fetchone()[0] == 0
        connection.close()
        assert dh.integrity(daemon.db_path) == "ok"
        assert ih.open_inbox(daemon, victim.code).status_code == 404
    finally:
        reader.close()
