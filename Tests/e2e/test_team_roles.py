"""Issue 10: roles, member ids, labels, the pinned audit head, retention reasons and
statistics that survive deletion, end to end (docs/PROTOCOL.md §3.5, §9.5, §11, §12).

Three members with member key files made by the real `sealbox keygen --member`, on three
workstation stores, against the real `sealboxd` with `staff.leads`: Lena (first lead), Anna
(counsellor) and Ben (lead). A counsellor's confirmation of a deletion is refused (403) and
deletes nothing, a lead's deletes; the audit log names members by roster member id and
shows roster changes; workstations name members by label; a daemon database restored to
an older copy is refused by a pinned workstation; `retain --reason` reaches another member
as a team note; a coded case deleted by four eyes is still counted by `sealbox stats` on
another store, while the daemon's statistics table names no case and the reporter never
sees a statistic.
"""

from __future__ import annotations

import datetime
import json
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e
from test_team import Member

so = e2e.so


def day(offset: int = 0) -> str:
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=offset)).isoformat()


class Team:
    def __init__(self, directory: Path, members: dict, daemon: e2e.Daemon, keys):
        self.directory, self.members, self.daemon, self.keys = directory, members, daemon, keys

    def run(self, name: str, *args: str, input: bytes | None = None, env: dict[str, str] | None = None):
        member = self.members[name]
        home = self.directory / f"home-{name}"
        home.mkdir(exist_ok=True)
        env = {
            "SEALBOX_SERVER": self.daemon.staff_url,
            "SEALBOX_STAFF_KEY": str(member.key_file),
            "SEALBOX_STORE": str(self.directory / f"store-{name}"),
            "SEALBOX_TRUSTED_LEADS": self.members["Lena"].text,
            "SEALBOX_TEAM_KEY": str(self.keys.team_key_file),
            "SEALBOX_PASSPHRASE_FILE": str(self.keys.passphrase_file),
        } | (env or {})
        return e2e.run_cli(list(args), env=env, home=home, input=input)

    def ok(self, name: str, *args: str, input: bytes | None = None) -> str:
        result = self.run(name, *args, input=input)
        assert result.returncode == 0, (f"{name}: sealbox {' '.join(args)} exited {result.returncode}:\n"
                                        f"{result.stderr.decode(errors='replace')}\n{result.stdout.decode(errors='replace')}")
        return result.stdout.decode()

    def json(self, name: str, *args: str):
        return json.loads(self.ok(name, *args, "--json"))

    def submit(self, text: str) -> tuple[str, str]:
        r = self.daemon.post("/api/v1/reports", json={"text": text})
        assert r.status_code == 201, r.text
        return r.json()["case"], r.json()["code"]

    def audit(self) -> list[dict]:
        return self.json("Lena", "audit")["entries"]


@pytest.fixture(scope="module")
def team(keys, tmp_path_factory, module_daemons) -> Team:
    directory = tmp_path_factory.mktemp("roles")
    home = directory / "home"
    home.mkdir()
    members = {name: Member(directory, name, keys.passphrase_file, home) for name in ("Lena", "Anna", "Ben")}
    daemon = module_daemons(SEALBOX_STAFF_LEADS=f"Lena={members['Lena'].text}", SEALBOX_DELETION_CONFIRM_DAYS="5")
    t = Team(directory, members, daemon, keys)
    out = t.ok("Lena", "team", "init", "--counsellor", str(members["Anna"].pub_file), "--lead", str(members["Ben"].pub_file))
    assert "Added Anna as counsellor (entry 1)" in out and "Added Ben as lead (entry 2)" in out
    for name in members:
        t.ok(name, "sync")
    return t


def test_roster_changes_are_audit_entries_by_the_signing_lead_and_listed_by_label(team):
    lena = team.members["Lena"]
    entries = team.audit()
    roster = [e for e in entries if e["action"].startswith("roster:")]
    assert sorted(e["action"] for e in roster) == ["roster:1", "roster:2"], roster
    assert all(e["member"] == lena.id and e["case"] is None and len(so.unb64u(e["request"])) == 32 for e in roster)
    # Syncs are by member id (the key id of the X25519 key), not the signing key's id.
    syncs = {e["member"] for e in entries if e["action"] == "sync"}
    assert syncs == {m.id for m in team.members.values()}, syncs
    assert so.key_id(lena.sign_pk).hex() not in {e["member"] for e in entries}
    assert so.audit_first_break(entries) is None
    table = team.ok("Ben", "audit")
    line = next(l for l in table.splitlines() if "roster:1" in l)
    assert "Lena" in line and lena.id not in line, table
    assert any("Ben (you)" in l for l in table.splitlines()), table
    assert "holds" in team.ok("Anna", "audit", "--verify")


def test_assign_takes_a_label_and_every_store_shows_it(team):
    case, _ = team.submit("Zuweisung nach Namen")
    for name in team.members:
        team.ok(name, "sync")
    assert "assigned to Anna" in team.ok("Lena", "assign", case, "Anna")
    bad = team.run("Lena", "assign", case, "Mira")
    assert bad.returncode == 2 and "Anna" in bad.stderr.decode() and "names no member" in bad.stderr.decode(), bad.stderr
    team.ok("Anna", "sync")
    mine = team.json("Anna", "list", "--mine")["cases"]
    assert [c["case"] for c in mine] == [case] and mine[0]["assigned"] == team.members["Anna"].id
    team.ok("Ben", "sync")
    assert "Assigned to:  Anna" in team.ok("Ben", "show", case)
    listed = team.ok("Ben", "list", "--unassigned")
    assert case not in listed
    assert f"Case {case} assigned to Anna (you)." in team.ok("Anna", "assign", case, "me")
    assert "Assigned to:  Anna (you)" in team.ok("Anna", "show", case)


def test_a_counsellors_confirmation_is_refused_and_a_leads_deletes(team):
    case, code = team.submit("Bitte löschen")
    for name in team.members:
        team.ok(name, "sync")
    out = team.ok("Ben", "delete", case, "--yes")
    assert f"request by Ben on {day()}" in out, out
    refused = team.run("Anna", "delete", case, "--confirm", "--yes")
    assert refused.returncode == 4, refused.stderr
    assert "only a lead of your team may confirm a deletion" in refused.stderr.decode()
    assert "403 role_required" in refused.stderr.decode()
    assert ih.open_inbox(team.daemon, code).status_code == 200
    anna = team.members["Anna"].signer()
    answer = ih.staff_send(anna, team.daemon, "POST", f"/api/v1/staff/cases/{case}/deletion-confirm")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "role_required"
    team.ok("Lena", "sync")
    line = next(l for l in team.ok("Lena", "list").splitlines() if l.startswith(case))
    assert f"deletion requested by Ben on {day()}" in line, line
    assert f"Deletion requested by Ben on {day()}" in team.ok("Lena", "show", case)
    assert "Deleted case" in team.ok("Lena", "delete", case, "--confirm", "--yes")
    assert ih.open_inbox(team.daemon, code).status_code == 404
    steps = {(e["action"], e["member"]) for e in team.audit() if e["case"] == case}
    assert steps == {("delete-request", team.members["Ben"].id), ("delete-confirm", team.members["Lena"].id)}, steps


def test_retain_reason_is_a_team_note_another_member_reads(team):
    case, code = team.submit("Aufbewahren")
    team.ok("Anna", "sync")
    out = team.ok("Anna", "retain", case, "--until", day(90), "--reason", "Klage anhängig")
    assert "The reason is in a team note." in out
    team.ok("Ben", "sync")
    shown = team.ok("Ben", "show", case)
    assert f"Retention extended until {day(90)}: Klage anhängig" in shown, shown
    assert "(signed by Anna)" in shown, shown
    inbox = ih.open_inbox(team.daemon, code).json()
    assert [m["author"] for m in inbox["messages"]] == ["reporter"]
    assert all("Klage" not in m["text"] for m in inbox["messages"])
    actions = {e["action"] for e in team.audit() if e["case"] == case}
    assert {f"retain:{day(90)}", "note"} <= actions


def test_statistics_survive_a_four_eyes_deletion_and_name_no_case(team):
    case, code = team.submit("Wohnungssuche abgelehnt")
    team.ok("Anna", "sync")
    team.ok("Anna", "code", case, "--ground", "religion", "--area", "work")
    # A second coding replaces the first: one record per case.
    team.ok("Anna", "code", case, "--ground", "racism", "--ground", "religion", "--area", "housing",
            "--level", "institutional", "--intervention", "counselling")
    before = team.json("Ben", "stats", "--min-cell", "1")
    # The reporter never sees the coding or the statistic.
    inbox = ih.open_inbox(team.daemon, code).json()
    assert [m["author"] for m in inbox["messages"]] == ["reporter"]
    kinds = {i["kind"] for i in e2e.StaffSigner(team.members["Ben"].seed).all_items(team.daemon)}
    assert "statistic" not in kinds
    team.ok("Ben", "sync")
    team.ok("Ben", "delete", case, "--yes")
    team.ok("Lena", "sync")
    team.ok("Lena", "delete", case, "--confirm", "--yes")
    assert ih.open_inbox(team.daemon, code).status_code == 404
    team.ok("Ben", "sync")
    after = team.json("Ben", "stats", "--min-cell", "1")
    assert after["cases"] == before["cases"] and after["grounds"] == before["grounds"], (before, after)
    assert after["grounds"].get("racism", 0) >= 1 and after["area"].get("housing", 0) >= 1
    assert after["skipped"] == 0
    month = day()[:7]
    assert after["months"].get(month, 0) >= 1
    text = team.ok("Ben", "stats", "--from", month, "--to", month, "--min-cell", "1")
    assert "Racism" in text or "racism" in text, text
    # Published figures hide small counts (stats_min_cell, default 5), so that a total
    # never gives one back: a handful of cases shows as "< 5" throughout.
    published = team.ok("Ben", "stats")
    assert f"Coded cases: < 5" in published and "fewer than 5 cases" in published, published
    hidden = team.json("Ben", "stats")
    assert hidden["min_cell"] == 5 and hidden["cases"] is None and hidden["grounds"]["racism"] is None, hidden
    env_one = team.run("Ben", "stats", "--json", env={"SEALBOX_STATS_MIN_CELL": "1"})
    assert env_one.returncode == 0 and json.loads(env_one.stdout)["cases"] == after["cases"]
    bad_cell = team.run("Ben", "stats", "--min-cell", "0")
    assert bad_cell.returncode != 0 and b"stats_min_cell must be a whole number from 1 to 1000" in bad_cell.stderr
    empty = team.json("Ben", "stats", "--from", "2001-01", "--to", "2001-12")
    assert empty["cases"] == 0
    bad = team.run("Ben", "stats", "--from", "2026-13")
    assert bad.returncode == 2
    # An independent reader (PyNaCl and PROTOCOL §3.5 alone) opens and verifies each record.
    served = e2e.StaffSigner(team.members["Ben"].seed).get(team.daemon, "/api/v2/staff/statistics?limit=1000").json()
    assert len(served["statistics"]) == after["cases"]
    for record in served["statistics"]:
        kind, plaintext = so.open_envelope(e2e.unb64u(record["envelope"]), team.keys.team_secret)
        content = json.loads(plaintext)
        assert kind == content["type"] == "statistic" and content["month"] == record["month"] == month
        assert not {"case", "day", "text"} & set(content), content
        assert so.verify_item(content) == team.members["Anna"].sign_pk
        with pytest.raises(so.AuthenticationFailed):
            so.verify_item({**content, "month": "2000-01"})
    with sqlite3.connect(team.daemon.db_path) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(statistics)")]
        rows = connection.execute("SELECT id, month, envelope FROM statistics").fetchall()
    connection.close()
    assert columns == ["id", "month", "envelope"]
    assert len(rows) == after["cases"]
    for record_id, record_month, envelope in rows:
        assert case not in record_id and case not in record_month and case.encode() not in bytes(envelope)
        assert len(record_month) == 7
        assert bytes(envelope)[4] == 7  # the envelope kind byte: statistic


def test_a_rolled_back_audit_log_is_refused_by_a_pinned_workstation(team, tmp_path):
    daemon = team.daemon
    assert daemon.stop(signal.SIGTERM) == 0
    old = tmp_path / "older.sqlite"
    shutil.copy(daemon.db_path, old)
    daemon.start()
    case, _ = team.submit("Nach der Kopie")
    team.ok("Lena", "sync")
    team.ok("Lena", "status", case, "in-progress")
    assert "pinned now" in team.ok("Lena", "audit", "--verify")
    assert daemon.stop(signal.SIGTERM) == 0
    for suffix in ("-wal", "-shm"):
        Path(str(daemon.db_path) + suffix).unlink(missing_ok=True)
    shutil.copy(old, daemon.db_path)
    daemon.start()
    refused = team.run("Lena", "sync")
    assert refused.returncode == 3, refused.stderr
    err = refused.stderr.decode()
    assert "refusing the audit log" in err and "rolled back" in err, err
    verify = team.run("Lena", "audit", "--verify")
    assert verify.returncode == 3 and "rolled back" in verify.stderr.decode(), verify.stderr
