"""The desk's team and audit pages (issue 11, docs/design/DESK.md §5): the real `sealbox
desk` of team members with member key files made by the real `sealbox keygen --member`,
against the real `sealboxd` with `staff.leads`, over real HTTP on loopback.

A lead (Lena) adds a member (Eve) from her public key file's text and removes her again
through the desk: the removal asks for confirmation on a second page and signs nothing
before it; afterwards Eve's own CLI is refused (401). A wrong passphrase, a key that is
no key, a missing form token change nothing. A counsellor (Anna) sees the team read-only,
is told that only leads may change it, and a change she posts anyway is refused (403)
with that message. The audit page shows the chain verified in words; a changed row of
the daemon's audit table, or a changed pin in the local store, shows it broken in words.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import sqlite3
from pathlib import Path

import pytest

import desk_helpers as dh
import sealbox_e2e as e2e
from test_team import Member
from test_team_roles import Team


class MemberDesk:
    """The settings of one member's workstation, as dh.Desk takes them."""

    def __init__(self, team: Team, name: str):
        self.home = team.directory / f"home-{name}"
        self.home.mkdir(exist_ok=True)
        self.store = team.directory / f"store-{name}"
        self.env = {
            "SEALBOX_SERVER": team.daemon.staff_url,
            "SEALBOX_STAFF_KEY": str(team.members[name].key_file),
            "SEALBOX_STORE": str(self.store),
            "SEALBOX_TRUSTED_LEADS": team.members["Lena"].text,
            "SEALBOX_TEAM_KEY": str(team.keys.team_key_file),
        }


@pytest.fixture(scope="module")
def team(keys, tmp_path_factory, module_daemons) -> Team:
    directory = tmp_path_factory.mktemp("desk-team")
    home = directory / "home"
    home.mkdir()
    members = {name: Member(directory, name, keys.passphrase_file, home) for name in ("Lena", "Anna", "Ben", "Eve")}
    daemon = module_daemons(SEALBOX_STAFF_LEADS=f"Lena={members['Lena'].text}")
    t = Team(directory, members, daemon, keys)
    t.ok("Lena", "team", "init", "--counsellor", str(members["Anna"].pub_file), "--lead", str(members["Ben"].pub_file))
    for name in ("Lena", "Anna", "Ben"):
        t.ok(name, "sync")
    return t


def open_desk(team: Team, name: str, language: str = "en") -> dh.Desk:
    d = dh.Desk(MemberDesk(team, name), language=language)
    d.enter()
    assert d.unlock().status_code == 303
    return d


@pytest.fixture(scope="module")
def lena(team):
    d = open_desk(team, "Lena")
    yield d
    d.stop()


@pytest.fixture(scope="module")
def anna(team):
    d = open_desk(team, "Anna")
    yield d
    d.stop()


def roster(team: Team, name: str = "Lena") -> list[tuple[str, bool]]:
    listing = team.json(name, "team", "list")
    return [(m["label"], m["active"]) for m in listing["members"]]


def token_on(page: str, path: str) -> str:
    match = re.search(r'action="' + re.escape(path) + r'"><input type="hidden" name="token" value="([^"]+)"', page)
    assert match, f"no form for {path}"
    return html.unescape(match.group(1))


def computed_token(desk: dh.Desk, path: str) -> str:
    """The form token of `path` as DeskDoor computes it (BLAKE2b keyed with the session secret)."""
    secret = base64.urlsafe_b64decode(desk.cookie + "=" * (-len(desk.cookie) % 4))
    digest = hashlib.blake2b(b"sealbox/desk/form" + path.encode(), key=secret, digest_size=32).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# --- the team page --------------------------------------------------------------------------

def test_a_lead_sees_the_members_with_roles_and_ids_and_the_forms(lena, team):
    page = lena.get("/team")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Lena (you)" in text and ">Anna</th><td>counsellor</td>" in text and ">Ben</th><td>lead</td>" in text
    assert team.members["Anna"].id in text
    assert "The team does not use key epochs yet." in text
    for path in ("/team/add", "/team/remove", "/team/rotate", "/team/restrict"):
        token_on(text, path)
    assert "Only leads may change the team" not in text


def test_a_lead_adds_a_member_from_her_public_key_file(lena, team):
    eve = team.members["Eve"]
    page = lena.get("/team").text
    answer = lena.post("/team/add", {"label": "Eve", "key": eve.pub_file.read_text(), "role": "counsellor",
                                     "passphrase": e2e.PASSPHRASE}, token=token_on(page, "/team/add"))
    assert answer.status_code == 303 and answer.headers["Location"] == "/team?done=add", answer.text
    assert ("Eve", True) in roster(team)
    assert "The member was added." in lena.get("/team?done=add").text
    team.ok("Eve", "sync")  # her requests are accepted now


def test_removing_asks_for_confirmation_first_and_then_the_removed_members_cli_gets_401(lena, team):
    eve = team.members["Eve"]
    if ("Eve", True) not in roster(team):
        pytest.skip("needs the member added by the previous test")
    page = lena.get("/team").text
    first = lena.post("/team/remove", {"label": "Eve"}, token=token_on(page, "/team/remove"))
    assert first.status_code == 200
    assert "Eve will be removed from the team." in first.text and "Please confirm:" in first.text
    assert ("Eve", True) in roster(team), "the first step signed something"
    assert eve.signer().get(team.daemon, "/api/v1/staff/cases").status_code == 200
    confirm = lena.post("/team/remove/confirm", {"label": "Eve", "passphrase": e2e.PASSPHRASE},
                        token=token_on(first.text, "/team/remove/confirm"))
    assert confirm.status_code == 303 and confirm.headers["Location"] == "/team?done=remove", confirm.text
    assert ("Eve", False) in roster(team)
    assert eve.signer().get(team.daemon, "/api/v1/staff/cases").status_code == 401
    refused = team.run("Eve", "sync")
    assert refused.returncode == 4 and b"did not accept your staff key" in refused.stderr, refused.stderr


def test_a_wrong_passphrase_changes_nothing(lena, team):
    before = roster(team)
    page = lena.get("/team").text
    answer = lena.post("/team/add", {"label": "Zoe", "key": team.members["Eve"].text, "role": "lead",
                                     "passphrase": "not the passphrase"}, token=token_on(page, "/team/add"))
    assert answer.status_code == 401
    assert "The passphrase does not open your key files." in answer.text
    assert roster(team) == before


@pytest.mark.parametrize("fields", [
    {"label": "Zoe", "key": "sealbox-member-v1:not-a-key", "role": "counsellor"},
    {"label": "", "key": "x", "role": "counsellor"},
    {"label": "Zoe", "key": "x", "role": "admin"},
    {"label": "a,b", "key": "KEY", "role": "counsellor"},
])
def test_a_bad_field_is_refused_400_and_changes_nothing(lena, team, fields):
    before = roster(team)
    fields = dict(fields, passphrase=e2e.PASSPHRASE)
    if fields["key"] == "KEY":
        fields["key"] = team.members["Eve"].text
    page = lena.get("/team").text
    answer = lena.post("/team/add", fields, token=token_on(page, "/team/add"))
    assert answer.status_code == 400, answer.text
    assert 'role="alert"' in answer.text and "A field of the form cannot be used." in answer.text
    assert roster(team) == before


def test_a_change_without_the_form_token_is_refused(lena, team):
    before = roster(team)
    answer = lena.post("/team/remove/confirm", {"label": "Ben", "passphrase": e2e.PASSPHRASE}, token=None)
    assert answer.status_code == 403
    assert roster(team) == before


def test_rotating_asks_for_confirmation_and_is_refused_before_key_epochs(lena, team):
    page = lena.get("/team").text
    first = lena.post("/team/rotate", {}, token=token_on(page, "/team/rotate"))
    assert first.status_code == 200 and "A new key epoch starts" in first.text
    answer = lena.post("/team/rotate/confirm", {"passphrase": e2e.PASSPHRASE},
                       token=token_on(first.text, "/team/rotate/confirm"))
    assert answer.status_code == 400 and "no key epoch yet" in answer.text


def test_a_counsellor_sees_the_team_read_only_and_is_told_only_leads_may_change_it(anna, team):
    page = anna.get("/team")
    assert page.status_code == 200
    assert "Only leads may change the team." in page.text and "Anna (you)" in page.text
    assert 'action="/team/' not in page.text


@pytest.mark.parametrize("path,fields", [
    ("/team/add", {"label": "Zoe", "key": "KEY", "role": "lead"}),
    ("/team/remove/confirm", {"label": "Ben"}),
    ("/team/rotate/confirm", {}),
])
def test_a_counsellors_change_is_refused_403_with_the_reason(anna, team, path, fields):
    before = roster(team)
    fields = dict(fields, passphrase=e2e.PASSPHRASE)
    if fields.get("key") == "KEY":
        fields["key"] = team.members["Eve"].text
    answer = anna.post(path, fields, token=computed_token(anna, path))
    assert answer.status_code == 403, answer.text
    assert "Only leads may change the team. Nothing was changed." in answer.text
    assert roster(team) == before


def test_the_team_page_speaks_german(team):
    d = open_desk(team, "Anna", language="de")
    try:
        page = d.get("/team").text
        assert "Nur Leitungen dürfen das Team ändern." in page and "Beratung" in page
    finally:
        d.stop()


# --- the audit page -------------------------------------------------------------------------

def test_the_audit_page_shows_the_chain_verified_with_entries_by_day(lena, team):
    page = lena.get("/audit")
    assert page.status_code == 200, page.text
    assert "✓ Verified:" in page.text and "The chain holds:" in page.text
    assert "changed the team (entry 1)" in page.text and ">synced<" in page.text
    assert re.search(r'<th scope="rowgroup" colspan="3" class="audit-day"><time datetime="\d{4}-\d{2}-\d{2}">', page.text)
    assert "Lena (you)" in page.text and ">Anna<" in page.text


def test_a_changed_local_pin_shows_the_chain_broken_in_words(lena, team):
    store = MemberDesk(team, "Lena").store / "store.sqlite"
    assert "The chain holds:" in lena.get("/audit").text  # pins the chain
    with sqlite3.connect(store, timeout=10) as connection:
        saved = connection.execute("SELECT day, id, settled, hash FROM audit_pin").fetchall()
        assert saved, "nothing pinned"
        connection.execute("UPDATE audit_pin SET hash = zeroblob(32)")
    connection.close()
    try:
        page = lena.get("/audit")
        assert page.status_code == 200
        assert "✗ Broken:" in page.text and "does not extend what this workstation verified before" in page.text
        assert "The chain holds:" not in page.text and 'role="alert"' in page.text
    finally:
        with sqlite3.connect(store, timeout=10) as connection:
            connection.execute("DELETE FROM audit_pin")
            connection.executemany("INSERT INTO audit_pin (day, id, settled, hash) VALUES (?, ?, ?, ?)", saved)
        connection.close()
    assert "The chain holds:" in lena.get("/audit").text


def test_a_changed_row_of_the_daemons_audit_table_shows_the_chain_broken_in_words(lena, team):
    with sqlite3.connect(team.daemon.db_path, timeout=10) as connection:
        changed = connection.execute("UPDATE audit SET action = 'roster:9' WHERE action = 'roster:1'").rowcount
    connection.close()
    assert changed == 1
    page = lena.get("/audit")
    assert page.status_code == 200
    assert "✗ Broken:" in page.text and "The chain is broken at entry" in page.text
    assert "Its hash does not match its fields: the entry was changed." in page.text
    assert "The server&#39;s audit log was altered." in page.text
