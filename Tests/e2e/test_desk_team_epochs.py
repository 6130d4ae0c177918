"""The desk's team page once the team has key epochs (issue 11, docs/design/DESK.md §5;
PROTOCOL §12.5, §12.7): the real `sealbox desk` of a lead against the real `sealboxd` with a
recovery key. Rotating through the desk (confirmed on a second page) starts a new epoch
that a counsellor's CLI opens new cases with; restricting a case through the desk makes
the counsellor's workstation drop it at its next sync; a reference that is not a case,
or a label that is not a member, is refused (400) and changes nothing.
"""

from __future__ import annotations

import pytest

import desk_helpers as dh
import sealbox_e2e as e2e
from test_desk_team_audit import MemberDesk, roster, token_on
from test_team import Member
from test_team_keys import recovery_block
from test_team_roles import Team


@pytest.fixture(scope="module")
def team(keys, tmp_path_factory, module_daemons) -> Team:
    directory = tmp_path_factory.mktemp("desk-epochs")
    home = directory / "home"
    home.mkdir()
    members = {name: Member(directory, name, keys.passphrase_file, home) for name in ("Lena", "Anna")}
    made = e2e.run_cli(["recovery-keygen", "--office", "Testamt"], home=home)
    assert made.returncode == 0, made.stderr.decode()
    recovery = recovery_block(made.stdout.decode())
    daemon = module_daemons(SEALBOX_STAFF_LEADS=f"Lena={members['Lena'].text}",
                            SEALBOX_CRYPTO_RECOVERY_PUBLIC_KEY=recovery["public"])
    t = Team(directory, members, daemon, keys)
    t.ok("Lena", "team", "init", "--counsellor", str(members["Anna"].pub_file), "--recovery-key", recovery["public"],
         "--team-key", str(keys.team_key_file))
    for name in members:
        t.ok(name, "sync")
    return t


@pytest.fixture(scope="module")
def lena(team):
    d = dh.Desk(MemberDesk(team, "Lena"))
    d.enter()
    assert d.unlock().status_code == 303
    yield d
    d.stop()


def anna_cases(team: Team) -> set[str]:
    return {c["case"] for c in team.json("Anna", "list")["cases"]}


def test_rotating_through_the_desk_starts_a_new_epoch_the_team_reads_new_cases_with(lena, team):
    assert "Current key epoch: 1." in lena.get("/team").text
    first = lena.post("/team/rotate", {}, token=token_on(lena.get("/team").text, "/team/rotate"))
    assert first.status_code == 200 and "Please confirm:" in first.text
    assert "Current key epoch: 1." in lena.get("/team").text, "the first step signed something"
    done = lena.post("/team/rotate/confirm", {"passphrase": e2e.PASSPHRASE},
                     token=token_on(first.text, "/team/rotate/confirm"))
    assert done.status_code == 303 and done.headers["Location"] == "/team?done=rotate", done.text
    assert "Current key epoch: 2." in lena.get("/team").text
    case, _ = team.submit("Nach der neuen Epoche")
    team.ok("Anna", "sync")
    assert "Nach der neuen Epoche" in team.ok("Anna", "show", case)


def test_restricting_a_case_through_the_desk_drops_it_from_the_other_members_store(lena, team):
    case, _ = team.submit("Über eine Kollegin")
    team.ok("Anna", "sync")
    team.ok("Lena", "sync")
    assert case in anna_cases(team)
    done = lena.post("/team/restrict", {"case": case, "to": "Lena", "passphrase": e2e.PASSPHRASE},
                     token=token_on(lena.get("/team").text, "/team/restrict"))
    assert done.status_code == 303 and done.headers["Location"] == "/team?done=restrict", done.text
    team.ok("Anna", "sync")
    assert case not in anna_cases(team)
    assert "Über eine Kollegin" in team.ok("Lena", "show", case)


@pytest.mark.parametrize("fields", [
    {"case": "not-a-case", "to": "Lena"},
    {"case": "7KQM-3XWP", "to": "Lena"},
    {"case": "CASE", "to": "Nobody"},
])
def test_a_bad_restriction_is_refused_400_and_changes_nothing(lena, team, fields):
    if fields["case"] == "CASE":
        fields = dict(fields, case=team.submit("Noch ein Fall")[0])
    before = team.json("Lena", "team", "list")["head"]
    answer = lena.post("/team/restrict", dict(fields, passphrase=e2e.PASSPHRASE),
                       token=token_on(lena.get("/team").text, "/team/restrict"))
    assert answer.status_code == 400, answer.text
    assert "A field of the form cannot be used." in answer.text
    assert team.json("Lena", "team", "list")["head"] == before
    assert ("Anna", True) in roster(team)
