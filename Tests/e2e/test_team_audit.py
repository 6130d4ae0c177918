"""Issue 10, three parts: the hash-chained audit log, four-eyes deletion and retention,
with the real daemon, two staff keys (two members) and two workstation stores driven by
the real `sealbox` CLI.

- `sealbox audit --verify` passes; after a row of the daemon's SQLite file is changed
  it fails (exit 3) naming that entry, and a later action of the same day does not hide it.
- A deletion asked for by one member is refused to her own confirmation (409) and
  deletes nothing; a second member's confirmation deletes the case on the server, in
  her store, and (at its next sync) in the first member's store. A request older than
  deletion.confirm_days is dropped (audited `delete-expired`) and cannot be confirmed.
- The daemon deletes a case past its retention period at start (audited
  `retention-delete`), keeps one retained with `sealbox retain`, and the deletion
  reaches the workstation at its next sync.

The daemon's day is moved with SEALBOX_TEST_DAY_OFFSET, which only a debug build reads
(src: Sources/SealboxServer/DaemonClock.swift); with a release build those tests skip.
"""
from __future__ import annotations

import datetime
import sqlite3
import time

import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e
import sealbox_open as so


def two_key_daemon(factory, keys, **settings) -> e2e.Daemon:
    return factory(SEALBOX_STAFF_KEYS=f"{keys.staff_public_text},{keys.other_staff_public_text}", **settings)


def workstations(tmp_path_factory, d: e2e.Daemon, keys) -> tuple[ih.Workstation, ih.Workstation]:
    first = ih.Workstation(tmp_path_factory.mktemp("member-a"), d, keys)
    second = ih.Workstation(tmp_path_factory.mktemp("member-b"), d, keys)
    second.env["SEALBOX_STAFF_KEY"] = str(keys.other_staff_key_file)
    return first, second


def submit(d: e2e.Daemon, text: str = "Meldung") -> tuple[str, str]:
    r = d.post("/api/v1/reports", json={"text": text})
    assert r.status_code == 201, r.text
    return r.json()["case"], r.json()["code"]


def restart(d: e2e.Daemon, wss, **settings) -> None:
    d.stop()
    d.settings.update(settings)
    d.start()
    for ws in wss:
        ws.env["SEALBOX_SERVER"] = d.staff_url
    if any(k == "SEALBOX_TEST_DAY_OFFSET" and v not in (None, "0") for k, v in settings.items()) \
            and "test build: the day of staff actions" not in d.stderr():
        pytest.skip("this sealboxd does not read SEALBOX_TEST_DAY_OFFSET (a release build)")


def audit(ws: ih.Workstation) -> list[dict]:
    return ws.json("audit")["entries"]


def key_id(public_text: str) -> str:
    return so.key_id(so.unb64u(public_text.split(":", 1)[1])).hex()


def store_cases(ws: ih.Workstation) -> set[str]:
    with sqlite3.connect(ws.store / "store.sqlite") as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT case_ref FROM items")}


def day(offset: int = 0) -> str:
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=offset)).isoformat()


# --- the audit chain -------------------------------------------------------------------------

def test_audit_verify_holds_then_names_the_row_changed_in_the_database(daemon_factory, keys, tmp_path_factory):
    d = two_key_daemon(daemon_factory, keys)
    a, b = workstations(tmp_path_factory, d, keys)
    case, _ = submit(d)
    a.ok("sync")
    b.ok("sync")
    a.ok("status", case, "in-progress")
    b.ok("sync")  # a second sync of the day: no second entry
    entries = audit(a)
    assert [e["action"] for e in entries].count("sync") == 2, entries
    assert {e["member"] for e in entries} == {key_id(keys.staff_public_text), key_id(keys.other_staff_public_text)}
    assert all(len(so.unb64u(e["request"])) == 32 for e in entries)
    assert so.audit_first_break(entries) is None  # PyNaCl agrees, from PROTOCOL §11 alone
    result = a.ok("audit", "--verify")
    assert "The audit chain holds: 3 entries verified." in result.stdout.decode(), result.stdout
    assert "(you)" in a.ok("audit").stdout.decode()

    # Tamper with the status entry in the daemon's database, as someone with the file would.
    position = next(i for i, e in enumerate(entries) if e["action"] == "status:in-progress")
    with sqlite3.connect(d.db_path, timeout=10) as connection:
        changed = connection.execute("UPDATE audit SET action = 'status:closed' WHERE action = 'status:in-progress'").rowcount
    connection.close()
    assert changed == 1
    result = a.run("audit", "--verify")
    assert result.returncode == 3, result.stderr
    err = result.stderr.decode()
    assert f"the audit chain is broken at entry {position + 1} of 3" in err, err
    assert f"status:closed {case}" in err and "its hash does not match its fields" in err, err
    assert so.audit_first_break(audit(a)) == position

    # Another action of the same day is linked in, and the change stays visible.
    a.ok("status", case, "closed")
    after = audit(a)
    broken = so.audit_first_break(after)
    assert broken is not None and broken <= [e["id"] for e in after].index(entries[position]["id"])
    assert b.run("audit", "--verify").returncode == 3


def test_nothing_a_reporter_does_is_an_audit_entry(daemon_factory, keys, tmp_path_factory):
    d = two_key_daemon(daemon_factory, keys)
    a, _ = workstations(tmp_path_factory, d, keys)
    before = audit(a)
    _, code = submit(d)
    assert ih.open_inbox(d, code).status_code == 200
    assert ih.follow_up_json(d, code, "Noch etwas").status_code == 201
    assert audit(a) == before


# --- four eyes -------------------------------------------------------------------------------

def test_a_deletion_needs_a_second_member_and_reaches_both_stores(daemon_factory, keys, tmp_path_factory):
    d = two_key_daemon(daemon_factory, keys, SEALBOX_DELETION_CONFIRM_DAYS="3")
    a, b = workstations(tmp_path_factory, d, keys)
    signer_a, signer_b = e2e.StaffSigner(keys.staff_seed), e2e.StaffSigner(
        so.open_key_file(keys.other_staff_key_file.read_bytes(), keys.passphrase, "staff")[0])
    case, code = submit(d, "Bitte löschen")
    kept, _ = submit(d, "Bleibt")
    a.ok("sync")
    b.ok("sync")
    assert {case, kept} <= store_cases(a) and {case, kept} <= store_cases(b)

    # One-step deletion is refused with two keys; the CLI asks instead.
    assert ih.staff_send(signer_a, d, "DELETE", f"/api/v1/staff/cases/{case}").json()["error"]["code"] == "second_member_required"
    out = a.ok("delete", case, "--yes").stdout.decode()
    assert f"Asked to delete case {case}" in out and "Nothing is deleted yet" in out, out
    assert f"by {day(3)}" in out, out
    again = ih.staff_send(signer_b, d, "POST", f"/api/v1/staff/cases/{case}/deletion-request")
    assert again.status_code == 409 and again.json()["error"]["code"] == "deletion_pending"

    # Her own confirmation: 409, over HTTP and through the CLI; nothing is deleted.
    own = ih.staff_send(signer_a, d, "POST", f"/api/v1/staff/cases/{case}/deletion-confirm")
    assert own.status_code == 409 and own.json()["error"]["code"] == "own_deletion_request"
    result = a.run("delete", case, "--confirm", "--yes")
    assert result.returncode == 1 and "the same member cannot confirm it" in result.stderr.decode(), result.stderr
    assert ih.open_inbox(d, code).status_code == 200

    # Both workstations show the pending request after a sync.
    b.ok("sync")
    line = next(l for l in b.ok("list").stdout.decode().splitlines() if l.startswith(case))
    assert f"deletion requested by {key_id(keys.staff_public_text)} on {day()}" in line, line
    listed = {c["case"]: c for c in b.json("list")["cases"]}
    assert listed[case]["deletion_requested_by"] == key_id(keys.staff_public_text)
    assert f"Deletion requested by {key_id(keys.staff_public_text)} on {day()}" in b.ok("show", case).stdout.decode()

    # The second member confirms: gone on the server and in her store at once …
    out = b.ok("delete", case, "--confirm", "--yes").stdout.decode()
    assert f"Deleted case {case} on the server and in the local store" in out, out
    assert case not in store_cases(b) and kept in store_cases(b)
    assert ih.open_inbox(d, code).status_code == 404
    # … and in the first member's store at her next sync.
    out = a.ok("sync").stdout.decode()
    assert f"Removed 1 case deleted on the server from the local store: {case}." in out, out
    assert case not in store_cases(a) and kept in store_cases(a)
    assert case not in a.ok("list").stdout.decode()

    steps = [(e["action"], e["member"]) for e in audit(a) if e["case"] == case]
    assert steps == [("delete-request", key_id(keys.staff_public_text)),
                     ("delete-confirm", key_id(keys.other_staff_public_text))] \
        or sorted(steps) == sorted([("delete-request", key_id(keys.staff_public_text)),
                                    ("delete-confirm", key_id(keys.other_staff_public_text))]), steps
    assert "holds" in a.ok("audit", "--verify").stdout.decode()
    again = ih.staff_send(signer_b, d, "POST", f"/api/v1/staff/cases/{case}/deletion-confirm")
    assert again.status_code == 404


def test_a_request_older_than_confirm_days_is_dropped_and_cannot_be_confirmed(daemon_factory, keys, tmp_path_factory):
    d = two_key_daemon(daemon_factory, keys, SEALBOX_DELETION_CONFIRM_DAYS="3")
    a, b = workstations(tmp_path_factory, d, keys)
    case, code = submit(d)
    a.ok("delete", case, "--yes")
    restart(d, [a, b], SEALBOX_TEST_DAY_OFFSET="4")
    result = b.run("delete", case, "--confirm", "--yes")
    assert result.returncode == 1, result.stdout
    assert "no deletion of case" in result.stderr.decode() and "expired" in result.stderr.decode(), result.stderr
    assert ih.open_inbox(d, code).status_code == 200
    expired = [e for e in audit(a) if e["case"] == case and e["action"] == "delete-expired"]
    assert len(expired) == 1 and expired[0]["member"] is None and expired[0]["request"] == "", expired
    assert expired[0]["day"] == day(4)
    # A new request can be made and confirmed.
    a.ok("delete", case, "--yes")
    assert "Deleted case" in b.ok("delete", case, "--confirm", "--yes").stdout.decode()
    assert "holds" in a.ok("audit", "--verify").stdout.decode()


# --- retention -------------------------------------------------------------------------------

def test_the_daemon_deletes_a_case_past_retention_and_keeps_a_retained_one(daemon_factory, keys, tmp_path_factory):
    d = two_key_daemon(daemon_factory, keys, SEALBOX_RETENTION_INACTIVE_DAYS="5", SEALBOX_RETENTION_CLOSED_DAYS="2")
    a, b = workstations(tmp_path_factory, d, keys)
    a.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.other_staff_public_text  # b's signed note is authentic for a
    due, due_code = submit(d, "Wird fällig")
    retained, retained_code = submit(d, "Bleibt länger")
    closed, _ = submit(d, "Abgeschlossen")
    a.ok("status", closed, "closed")
    # The reason travels as a sealed note: the case must be in b's store first.
    unsynced = b.run("retain", retained, "--until", day(60), "--reason", "Verfahren läuft")
    assert unsynced.returncode == 1 and "no case" in unsynced.stderr.decode(), unsynced.stderr
    b.ok("sync")
    result = b.ok("retain", retained, "--until", day(60), "--reason", "Verfahren läuft")
    assert f"Case {retained} is kept until {day(60)} at least. The reason is in a team note." in result.stdout.decode()
    bad = b.run("retain", retained, "--until", day(0), "--reason", "x")
    assert bad.returncode == 1 and "not later than today" in bad.stderr.decode(), bad.stderr
    a.ok("sync")
    # Another member reads the reason as a note of the team; the reporter never does.
    shown = a.ok("show", retained).stdout.decode()
    assert f"Retention extended until {day(60)}: Verfahren läuft" in shown, shown
    assert "Retention extended" not in ih.open_inbox(d, retained_code).text
    notes = [e for e in audit(a) if e["case"] == retained and e["action"] == "note"]
    assert len(notes) == 1 and notes[0]["member"] == key_id(keys.other_staff_public_text), notes
    expiring = a.ok("list", "--expiring").stdout.decode()
    assert due in expiring and closed in expiring and retained not in expiring, expiring
    assert f"deleted by retention after {day(5)}" in expiring and f"deleted by retention after {day(2)}" in expiring
    listed = {c["case"]: c for c in a.json("list")["cases"]}
    assert listed[retained]["retained_until"] == day(60) and listed[retained]["expires"] == day(60)

    restart(d, [a, b], SEALBOX_TEST_DAY_OFFSET="6")
    deadline = time.monotonic() + 20
    while "retention deleted" not in d.stderr() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "retention deleted 2 case(s)" in d.stderr()
    on_server = {c["case"] for c in e2e.StaffSigner(keys.staff_seed).get(d, "/api/v1/staff/cases").json()["cases"]}
    assert on_server == {retained}, on_server
    assert ih.open_inbox(d, due_code).status_code == 404
    assert ih.open_inbox(d, retained_code).status_code == 200
    deleted = [e for e in audit(a) if e["action"] == "retention-delete"]
    assert sorted(e["case"] for e in deleted) == sorted([due, closed])
    assert all(e["member"] is None and e["day"] == day(6) for e in deleted)
    assert any(e["action"] == f"retain:{day(60)}" and e["case"] == retained for e in audit(a))
    out = a.ok("sync").stdout.decode()
    assert "Removed 2 cases deleted on the server" in out, out
    assert store_cases(a) == {retained}
    assert "holds" in a.ok("audit", "--verify").stdout.decode()
