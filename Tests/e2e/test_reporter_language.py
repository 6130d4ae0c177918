"""The reporter's language and the AGG clock (issue 11; PROTOCOL §3.2 `lang`, `incident`),
end to end with the real daemon and the real `sealbox` CLI:

- a report through the web form in Turkish with an incident month: `sealbox show` names
  Turkish and the month, `--json` gives `lang` and `incident`;
- a JSON report with an incident day in the negotiated language; a follow-up's own language;
- an impossible, a too early and a future incident date: 422 with the localised message
  (form and API), the form given back filled, nothing stored;
- the incident date is never in the daemon's database or log in clear;
- `sealbox list --due` names the AGG clock for a recent incident and not for one older
  than three months; the reply template names the reporter's language.
"""

from __future__ import annotations

import calendar
import datetime
import json
import os
import pty
import re
import select
import subprocess
import uuid

import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e

MARK = "Lang" + uuid.uuid4().hex[:10]


def today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def months_ago(n: int) -> tuple[int, int]:
    index = today().year * 12 + today().month - 1 - n
    return index // 12, index % 12 + 1


def agg_end(year: int, month: int, day: int | None = None) -> str:
    """The latest end of the two months (WORKSTATION.md §5), written out independently."""
    last = day or calendar.monthrange(year, month)[1]
    index = year * 12 + month - 1 + 2
    y, m = index // 12, index % 12 + 1
    end = datetime.date(y, m, min(last, calendar.monthrange(y, m)[1]))
    if end.isoweekday() == 6:
        end += datetime.timedelta(days=2)
    elif end.isoweekday() == 7:
        end += datetime.timedelta(days=1)
    return end.isoformat()


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000")


@pytest.fixture(scope="module")
def ws(daemon, workstation_factory) -> ih.Workstation:
    return workstation_factory(daemon)


def form_report(daemon, language: str, fields: list[tuple[str, str]]):
    body, ctype = e2e.multipart(fields)
    return daemon.post(f"/report?lang={language}", data=body, headers={"Content-Type": ctype})


def item(shown: dict, kind: str) -> dict:
    return next(i for i in shown["items"] if i["kind"] == kind)


@pytest.fixture(scope="module")
def turkish(daemon, ws):
    """A report through the web form in Turkish, with the month before last as the incident."""
    year, month = months_ago(1)
    page = daemon.get("/report?lang=tr").text
    r = form_report(daemon, "tr", [("text", f"Ev sahibi {MARK}-tr bana daireyi vermedi."), ("incident_day", ""),
                                   ("incident_month", str(month)), ("incident_year", str(year))])
    assert r.status_code == 200, r.text[:400]
    case, code = e2e.parse_confirmation(r.text)
    ws.ok("sync")
    return {"case": case, "code": code, "incident": f"{year:04d}-{month:02d}", "page": page,
            "agg": agg_end(year, month)}


def test_the_form_offers_the_incident_date_as_three_labelled_inputs_in_a_fieldset(turkish):
    page = turkish["page"]
    fieldset = re.search(r'<fieldset class="field"[^>]*aria-describedby="hint-incident"[^>]*>(.*?)</fieldset>', page, re.S)
    assert fieldset, "no fieldset described by the incident hint"
    inner = fieldset.group(1)
    assert "<legend>Hangi tarihte oldu? (isteğe bağlı)</legend>" in inner
    for part, label, field_id in [("day", "Gün", "field-incident"), ("month", "Ay", "field-incident-month"),
                                  ("year", "Yıl", "field-incident-year")]:
        assert f'<label for="{field_id}">{label}</label>' in inner
        assert re.search(rf'<input type="text" id="{field_id}" name="incident_{part}" value="" inputmode="numeric"', inner)
    assert 'type="month"' not in page and 'type="date"' not in page
    assert "<script" not in page


def test_show_names_turkish_and_the_incident_month(ws, turkish):
    text = ws.ok("show", turkish["case"]).stdout.decode()
    assert "Language:     Türkçe (tr)" in text
    assert f"Incident:     {turkish['incident']} (month only); AGG two-month deadline may run until {turkish['agg']}" in text
    report = item(ws.json("show", turkish["case"]), "report")
    assert report["lang"] == "tr" and report["incident"] == turkish["incident"]


def test_a_json_report_carries_its_incident_day_and_the_negotiated_language(daemon, ws):
    r = daemon.post("/api/v1/reports", json={"text": f"Im Amt {MARK}-json", "incident": " 2019-07-13 "},
                    headers={"Accept-Language": "pl;q=0.9, en;q=0.5"})
    assert r.status_code == 201, r.text
    assert r.headers["Content-Language"] == "pl"
    ws.ok("sync")
    report = item(ws.json("show", r.json()["case"]), "report")
    assert report["incident"] == "2019-07-13" and report["lang"] == "pl"
    text = ws.ok("show", r.json()["case"]).stdout.decode()
    assert "Incident:     2019-07-13\n" in text and "AGG" not in text  # long past: no clock
    assert "Language:     Polski (pl)" in text
    # Sealed, never in clear: not in the database file, its journal, or the daemon's log.
    for path in daemon.storage.iterdir():
        if path.is_file():
            assert b"2019-07-13" not in path.read_bytes(), path
    assert b"2019-07-13" not in daemon.log_bytes()


def test_a_report_through_the_api_without_a_language_gets_the_default(daemon, ws):
    r = daemon.post("/api/v1/reports", json={"text": f"Ohne Sprache {MARK}-default"})
    assert r.status_code == 201, r.text
    ws.ok("sync")
    report = item(ws.json("show", r.json()["case"]), "report")
    assert report["lang"] == r.headers["Content-Language"] == "de" and "incident" not in report


def test_each_follow_up_carries_its_own_language(daemon, ws, turkish):
    r = ih.follow_up_json(daemon, turkish["code"], f"Ещё одно {MARK}-ru", headers={"Accept-Language": "ru"})
    assert r.status_code == 201, r.text
    r = ih.follow_up_json(daemon, turkish["code"], f"Nachtrag {MARK}-simple", params={"lang": "de-simple"})
    assert r.status_code == 201, r.text
    ws.ok("sync")
    shown = ws.json("show", turkish["case"])
    follow_ups = [i for i in shown["items"] if i["kind"] == "follow-up"]
    assert [(f["lang"], f["status"]) for f in follow_ups] == [("ru", "ok"), ("de-simple", "ok")]
    assert all("incident" not in f for f in follow_ups)
    text = ws.ok("show", turkish["case"]).stdout.decode()
    assert text.count("Language:") == 3
    assert "Language:     Русский (ru)" in text and "Language:     Leichte Sprache (de-simple)" in text


def test_the_reply_template_names_the_reporters_language(ws, turkish, tmp_path):
    """`sealbox reply` on a terminal opens the editor on its template; this 'editor' keeps a
    copy and empties the file, so that nothing is sent."""
    copy = tmp_path / "template.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\ncp "$1" "{copy}"\n: > "$1"\n')
    editor.chmod(0o700)
    environment = e2e.clean_env()
    environment.update(HOME=str(ws.home), XDG_CONFIG_HOME=str(ws.home / "config"), XDG_DATA_HOME=str(ws.home / "data"),
                       EDITOR=str(editor), VISUAL=str(editor), **ws.env)
    primary, secondary = pty.openpty()  # standard input and error on a terminal, as a counsellor's
    try:
        result = subprocess.run([str(e2e.SEALBOX), "reply", turkish["case"]], env=environment, stdin=secondary,
                                stdout=subprocess.PIPE, stderr=secondary, timeout=120, check=False)
        said = b""
        while select.select([primary], [], [], 1)[0]:
            chunk = os.read(primary, 4096)
            if not chunk:
                break
            said += chunk
    finally:
        os.close(primary)
        os.close(secondary)
    assert result.returncode == 1 and b"the reply is empty; nothing was sent" in said, said
    template = copy.read_text()
    assert f"# Write your reply to case {turkish['case']}" in template
    # The newest message of the reporter (the follow-up in Leichte Sprache) names the language.
    assert "# The reporter wrote in Leichte Sprache (de-simple): consider answering in that language." in template


@pytest.mark.parametrize("language, fields, key, message", [
    ("tr", [("incident_month", "13"), ("incident_year", "2026")], "incident_invalid", "Bu tarihi okuyamıyoruz."),
    ("ar", [("incident_month", "٣"), ("incident_year", "١٨٩٩")], "incident_too_early", "يُرجى كتابة سنة من 1900"),
    ("de", [("incident_day", "1"), ("incident_month", "1"), ("incident_year", str(today().year + 1))],
     "incident_future", "Dieses Datum liegt in der Zukunft."),
])
def test_an_invalid_incident_date_gives_the_form_back_with_422_and_stores_nothing(daemon, language, fields, key, message):
    before = daemon.counts()
    text = f"Nicht gespeichert {MARK}-{key}"
    r = form_report(daemon, language, [("text", text)] + fields)
    assert r.status_code == 422, r.text[:300]
    assert r.headers["Content-Language"] == language
    assert message in r.text
    assert '<a href="#field-incident">' in r.text  # the error summary links to the first input
    assert re.search(r'<p class="field-error" id="error-incident">', r.text)
    assert re.search(r'aria-describedby="hint-incident error-incident"', r.text)
    assert r.text.count('aria-invalid="true"') == 3  # day, month, year
    for name, value in fields:
        assert f'name="{name}" value="{value}"' in r.text  # given back as typed
    assert text in r.text
    assert daemon.counts() == before


@pytest.mark.parametrize("incident, code", [("2026-02-30", "incident_invalid"), ("letzte Woche", "incident_invalid"),
                                            ("1899-12", "incident_too_early"), ("2999-01", "incident_future"),
                                            ("2" * 10_000, "incident_invalid")])
def test_the_api_refuses_an_invalid_incident_with_a_field_error(daemon, incident, code):
    before = daemon.counts()
    r = daemon.post("/api/v1/reports", json={"text": "x", "incident": incident}, headers={"Accept-Language": "en"})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == code
    [field] = error["fields"]
    assert field["field"] == "incident" and field["code"] == code and field["message"]
    assert incident[:20] not in r.text  # never echoed
    assert daemon.counts() == before


def test_the_api_refuses_an_incident_that_is_not_a_string(daemon):
    before = daemon.counts()
    r = daemon.post("/api/v1/reports", json={"text": "x", "incident": 202610})
    assert r.status_code == 400 and ih.error_code(r) == "malformed_body", r.text
    assert daemon.counts() == before


def test_list_due_names_the_agg_clock_for_a_recent_incident_and_not_for_an_old_one(daemon, ws):
    recent_year, recent_month = months_ago(0)
    old_year, old_month = months_ago(4)
    cases = {}
    for name, (year, month) in {"recent": (recent_year, recent_month), "old": (old_year, old_month)}.items():
        r = daemon.post("/api/v1/reports", json={"text": f"AGG {name} {MARK}", "incident": f"{year:04d}-{month:02d}"})
        assert r.status_code == 201, r.text
        cases[name] = r.json()["case"]
    ws.ok("sync")
    due = {c["case"]: c for c in ws.json("list", "--due")["cases"]}
    recent, old = due[cases["recent"]], due[cases["old"]]  # both listed: their acknowledgement is due
    assert recent["incident"] == f"{recent_year:04d}-{recent_month:02d}"
    assert recent["agg_deadline"] == agg_end(recent_year, recent_month)
    assert old["incident"] == f"{old_year:04d}-{old_month:02d}" and old["agg_deadline"] is None
    table = ws.ok("list", "--due").stdout.decode()
    recent_line = next(line for line in table.splitlines() if line.startswith(cases["recent"]))
    old_line = next(line for line in table.splitlines() if line.startswith(cases["old"]))
    assert f"AGG two-month deadline may run until {agg_end(recent_year, recent_month)}" in recent_line
    assert "AGG" not in old_line
    # Without --due nothing is decrypted: no AGG column, no passphrase needed.
    plain = ws.run("list", env={"SEALBOX_PASSPHRASE_FILE": os.devnull})
    assert plain.returncode == 0 and "AGG" not in plain.stdout.decode()
    # A closed case's clock is no longer the office's to watch. (It may still be listed for
    # the reporter's unanswered report, issue 11's attention, but never for the AGG clock.)
    ws.ok("status", cases["recent"], "closed")
    row = {c["case"]: c for c in ws.json("list", "--due")["cases"]}.get(cases["recent"])
    assert row is None or (row.get("agg_deadline") is None and row["unanswered"]), row
    closed_line = next((line for line in ws.ok("list", "--due").stdout.decode().splitlines()
                        if line.startswith(cases["recent"])), "")
    assert "AGG" not in closed_line


def test_list_due_without_a_team_key_says_the_agg_clock_is_not_shown(daemon, ws):
    r = daemon.post("/api/v1/reports", json={"text": f"Ohne Schlüssel {MARK}", "incident": today().isoformat()})
    assert r.status_code == 201, r.text
    ws.ok("sync")
    environment = {k: v for k, v in ws.env.items() if k != "SEALBOX_TEAM_KEY"}
    result = e2e.run_cli(["list", "--due", "--json"], env=environment, home=ws.home)
    assert result.returncode == 0, result.stderr.decode()
    assert "sealbox: warning: the AGG clock is not shown" in result.stderr.decode()
    listed = {c["case"]: c for c in json.loads(result.stdout)["cases"]}
    assert "agg_deadline" not in listed[r.json()["case"]]  # still listed: its acknowledgement is due
