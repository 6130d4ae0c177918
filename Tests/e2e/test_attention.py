"""Issue 11, "what a week of real use showed": attention first and a forgiving CLI.

One real daemon, one workstation store, the real `sealbox` CLI. A reporter's follow-up on a
closed case is marked unanswered with its own due day in `list` and `list --due`; a reply
reopens the case and the reporter's inbox says it is in progress; `sync` names the cases it
changed and `list --new` shows them until `show` opens them; references are accepted in any
case and in two halves, a typo is answered with "did you mean", a mistyped status too; the
delete confirmation on a terminal shows the report's day and first words; `LANG=de_DE.UTF-8`
lists German statuses and headers; `COLUMNS` cuts the table but never the reference.
"""

from __future__ import annotations

import datetime
import json
import os
import pty
import subprocess

import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e

FIRST_WORDS = "My team lead said people from my country cannot be trusted with the keys"


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000")


@pytest.fixture(scope="module")
def ws(daemon, workstation_factory) -> ih.Workstation:
    return workstation_factory(daemon)


def today() -> str:
    return datetime.date.today().isoformat()


def in_days(n: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def new_case(daemon, text: str) -> tuple[str, str]:
    r = daemon.post("/api/v1/reports", json={"text": text})
    assert r.status_code == 201, r.text
    return r.json()["case"], r.json()["code"]


def listed(ws, *flags) -> dict:
    return {c["case"]: c for c in ws.json("list", *flags)["cases"]}


def row_of(table: str, case: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(case))


@pytest.fixture(scope="module")
def closed_case(daemon, ws):
    """A case answered and closed, then written to again by its reporter."""
    case, code = new_case(daemon, FIRST_WORDS + ", and nobody did anything.")
    ws.ok("sync")
    ws.ok("reply", case, "-", input=b"Thank you, we are looking into it.")
    ws.ok("status", case, "closed")
    r = ih.follow_up_json(daemon, code, "It happened again today. Can you still help?")
    assert r.status_code in (200, 201), r.text
    sync = ws.ok("sync").stdout.decode()
    return case, code, sync


def test_a_follow_up_on_a_closed_case_is_unanswered_with_its_own_due_day(ws, closed_case):
    case, _, sync = closed_case
    assert f"New or changed: {case}" in sync
    row = listed(ws)[case]
    assert row["status"] == "closed" and row["feedback_due"] is None
    assert [m["kind"] for m in row["unanswered"]] == ["follow-up"]
    assert row["unanswered"][0]["due"] == in_days(7) and row["reply_due"] == in_days(7)
    assert row["reply_overdue"] is False
    line = row_of(ws.ok("list").stdout.decode(), case)
    assert f"! {in_days(7)} (due soon)" in line and "closed" in line
    assert case in listed(ws, "--due")
    assert f"! {in_days(7)}" in row_of(ws.ok("list", "--due").stdout.decode(), case)
    # Eight days on, it is overdue; reply_due_days moves the due day.
    assert listed(ws, "--today", in_days(8))[case]["reply_overdue"] is True
    later = ws.run("list", "--json", env={"SEALBOX_REPLY_DUE_DAYS": "3"})
    assert later.returncode == 0
    assert next(c for c in json.loads(later.stdout)["cases"] if c["case"] == case)["reply_due"] == in_days(3)
    refused = ws.run("list", env={"SEALBOX_REPLY_DUE_DAYS": "0"})
    assert refused.returncode == 1 and "reply_due_days" in refused.stderr.decode()


def test_show_marks_the_unanswered_message(ws, closed_case):
    case, _, _ = closed_case
    out = ws.ok("show", case).stdout.decode()
    assert f"! unanswered, reply by {in_days(7)}" in out
    assert out.count("! unanswered") == 1


def test_a_reply_to_a_closed_case_reopens_it_and_the_reporter_sees_in_progress(daemon, ws, closed_case):
    case, code, _ = closed_case
    out = ws.ok("reply", case, "-", input=b"We are on it again.").stdout.decode()
    assert "open again: in-progress" in out
    r = ih.open_inbox(daemon, code)
    assert r.status_code == 200 and r.json()["status"] == "in-progress"
    page = daemon.post("/inbox", data={"code": code})  # the page in German, its default
    assert page.status_code == 200 and "Das Beratungsteam bearbeitet Ihre Meldung." in page.text
    row = listed(ws)[case]
    assert row["status"] == "in-progress" and row["unanswered"] == [] and row["reply_due"] is None
    # A reply to an open case says nothing of reopening.
    again = ws.ok("reply", case, "-", input=b"One more thing.").stdout.decode()
    assert "open again" not in again


def test_sync_names_changed_cases_and_list_new_shows_them_until_show(daemon, ws):
    ws.ok("sync")
    case, code = new_case(daemon, "A new report for the list of new cases.")
    sync = ws.ok("sync").stdout.decode()
    assert f"New or changed: {case}." in sync
    assert case in listed(ws, "--new")
    assert listed(ws)[case]["new"] is True
    assert "new" in row_of(ws.ok("list").stdout.decode(), case)
    ws.ok("show", case)
    assert case not in listed(ws, "--new") and listed(ws)[case]["new"] is False
    # Nothing new: sync names nothing.
    assert "New or changed" not in ws.ok("sync").stdout.decode()
    # A follow-up makes it new again; the workstation's own reply does not.
    ws.ok("reply", case, "-", input=b"Thanks.")
    assert "New or changed" not in ws.ok("sync").stdout.decode()
    assert ih.follow_up_json(daemon, code, "One more detail.").status_code in (200, 201)
    assert f"New or changed: {case}." in ws.ok("sync").stdout.decode()
    assert case in listed(ws, "--new")


def test_references_in_any_case_with_a_space_or_in_two_halves(ws, closed_case):
    case, _, _ = closed_case
    first, second = case.split("-")
    for args in ([first.lower(), second.lower()], [f"{first.lower()} {second.lower()}"], [first + second],
                 ["--json", first.lower(), second]):
        result = ws.run("show", *args)
        assert result.returncode == 0, (args, result.stderr.decode())
        assert case in result.stdout.decode()


def typo_of(case: str) -> str:
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    last = case[-1]
    return case[:-1] + next(c for c in alphabet if c != last)


def test_a_typo_gets_did_you_mean_instead_of_sync(ws, closed_case):
    case, _, _ = closed_case
    typo = typo_of(case)
    result = ws.run("show", typo.lower())
    assert result.returncode == 1
    err = result.stderr.decode()
    assert f"there is no case {typo} in the local store; did you mean" in err and case in err
    assert "sealbox sync" not in err
    # Nothing close: then the hint is to sync.
    far = "ZZZZ-ZZZZ" if not case.startswith("Z") else "2222-2222"
    err = ws.run("show", far).stderr.decode()
    assert "did you mean" not in err and "sealbox sync" in err
    # reply and note say the same.
    err = ws.run("reply", typo, "-", input=b"x").stderr.decode()
    assert "did you mean" in err and case in err


def test_a_reference_with_a_letter_missing_or_too_many_gets_did_you_mean(ws, closed_case):
    case, _, _ = closed_case
    for typed in (case[:-1], case + "2", case[:4] + "0" + case[5:]):
        result = ws.run("show", typed)
        assert result.returncode == 2, typed
        err = result.stderr.decode()
        assert "is not a case reference; did you mean" in err and case in err, err
    # Nothing close: ArgumentParser's own message.
    result = ws.run("show", "QQQQ")
    assert result.returncode == 2 and "did you mean" not in result.stderr.decode()


def test_a_mistyped_status_gets_did_you_mean(ws, closed_case):
    case, _, _ = closed_case
    result = ws.run("status", case, "clsoed")
    assert result.returncode == 2
    assert "did you mean closed?" in result.stderr.decode()
    result = ws.run("status", case, "finished")
    assert result.returncode == 2 and "received, acknowledged, in-progress, closed" in result.stderr.decode()
    assert "in German: eingegangen, bestätigt, in Bearbeitung, abgeschlossen" in result.stderr.decode()
    result = ws.run("status", case, "abgeschlosen")
    assert result.returncode == 2 and "did you mean closed?" in result.stderr.decode()


def test_a_status_may_be_typed_in_german(ws, closed_case):
    case, _, _ = closed_case
    ws.ok("status", case, "Abgeschlossen")
    assert listed(ws)[case]["status"] == "closed"
    ws.ok("status", case, "in Bearbeitung")
    assert listed(ws)[case]["status"] == "in-progress"


def test_the_delete_confirmation_shows_the_day_and_the_first_words(ws, closed_case):
    case, _, _ = closed_case
    master, slave = pty.openpty()
    env = e2e.clean_env(**ws.env, HOME=str(ws.home), XDG_CONFIG_HOME=str(ws.home / "config"))
    os.write(master, b"ZZZZ-ZZZZ\n")  # not the reference: nothing is deleted
    try:
        result = subprocess.run([str(e2e.SEALBOX), "delete", case], stdin=slave, capture_output=True, env=env,
                                timeout=120, check=False)
    finally:
        os.close(slave)
        os.close(master)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert f"Its report arrived on {today()} and begins: \"My team lead said people from my country…\"" in err
    assert "Type the case reference to confirm" in err and "nothing was deleted" in err
    assert case in listed(ws)


def test_german_statuses_and_headers_follow_lang(ws, closed_case):
    case, _, _ = closed_case
    german = ws.run("list", env={"LANG": "de_DE.UTF-8"})
    assert german.returncode == 0
    out = german.stdout.decode()
    assert out.splitlines()[0].startswith("FALL") and "ANTWORTEN BIS" in out
    assert "in Bearbeitung" in row_of(out, case)
    english = ws.ok("list").stdout.decode()
    assert english.splitlines()[0].startswith("CASE") and "in-progress" in row_of(english, case)
    # JSON stays the wire form whatever the language.
    assert listed(ws)[case]["status"] == "in-progress"


def test_list_fits_columns_but_never_cuts_the_reference(ws, closed_case):
    case, _, _ = closed_case
    narrow = ws.run("list", env={"COLUMNS": "60"})
    assert narrow.returncode == 0
    lines = narrow.stdout.decode().splitlines()
    assert all(len(line) <= 60 for line in lines), lines
    assert any(line.startswith(case + " ") for line in lines)
    assert "…" in narrow.stdout.decode()
