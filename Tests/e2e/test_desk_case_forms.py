"""The case forms of the desk (issue 11, docs/design/DESK.md §5): assignment, follow-up day,
coding, retention and four-eyes deletion, through the real `sealbox desk` of two members
(Anna and Ben, two staff keys) against a real daemon over real HTTP on loopback.

What one member does on her desk, the second member's CLI reads after a sync (`show`);
the deletion asked for by Anna cannot be confirmed by Anna (409), Ben confirms on his
desk, and the case is gone from both stores and the daemon while its statistic record
is still counted by `sealbox stats`. Every failure re-renders the case page with a
truthful status, the field marked and what was typed kept, and sends nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import re
import types

import pytest

import desk_helpers as dh
import inbox_helpers as ih
import sealbox_e2e as e2e
import sealbox_open as so

REPORT = "Der Vermieter lehnt uns ab, weil wir ein Kopftuch tragen, sagt die Hausverwaltung."


def key_id(text: str) -> str:
    return so.key_id(so.parse_key_text(text, so.STAFF_PREFIX)).hex()


def day(offset: int = 0) -> str:
    return (ih.today() + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
def daemon(module_daemons, keys):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000",
                          SEALBOX_STAFF_KEYS=keys.staff_public_text + "," + keys.other_staff_public_text)


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory, keys) -> ih.Workstation:
    ws = workstation_factory(daemon)
    ws.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.other_staff_public_text
    return ws


@pytest.fixture(scope="module")
def ben(daemon, workstation_factory, keys) -> ih.Workstation:
    ws = workstation_factory(daemon)
    ws.env["SEALBOX_STAFF_KEY"] = str(keys.other_staff_key_file)
    ws.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.staff_public_text
    return ws


def new_case(daemon, *workstations, text: str = REPORT):
    r = daemon.post("/api/v1/reports", json={"text": text, "grounds": ["religion"], "area": "housing"})
    assert r.status_code == 201, r.text
    for ws in workstations:
        ws.ok("sync")
    return r.json()["case"], r.json()["code"]


def open_desk(ws: ih.Workstation, language: str = "en") -> dh.Desk:
    d = dh.Desk(ws, language=language)
    d.enter()
    assert d.unlock().status_code == 303
    return d


@pytest.fixture(scope="module")
def anna_desk(anna, daemon):
    d = open_desk(anna)
    yield d
    d.stop()


@pytest.fixture(scope="module")
def ben_desk(ben, daemon):
    d = open_desk(ben)
    yield d
    d.stop()


def post(desk: dh.Desk, case: str, action: str, data: dict | list) -> "requests.Response":  # noqa: F821
    """A case form as the browser posts it, with the token of the case page's form."""
    path = f"/cases/{case}/{action}"
    token = desk.form_token(path, f"/cases/{case}" if action != "delete/confirm" else f"/cases/{case}/delete")
    fields = list(data.items()) if isinstance(data, dict) else list(data)
    return desk.request("POST", path, data=fields + [("token", token)])


def items(ws: ih.Workstation, case: str) -> list[dict]:
    return ws.json("show", case)["items"]


def field_marked(page: str, field: str) -> bool:
    """The field (or fieldset) carries aria-invalid or is described by its error message."""
    tag = re.search(r'<[a-z]+ [^>]*id="' + re.escape(field) + r'"[^>]*>', page)
    assert tag, f"no element {field}"
    describes = f'aria-describedby="' in tag.group(0) and f"{field}-error" in tag.group(0)
    return describes and f'<span class="field-error" id="{field}-error">' in page


# --- the work reaches the second member ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def worked_case(daemon, anna, ben, anna_desk, keys):
    """A case Anna assigned to Ben, gave a follow-up day, coded and kept longer, all on her desk."""
    case, code = new_case(daemon, anna)
    page = anna_desk.get(f"/cases/{case}").text
    ben_id = key_id(keys.other_staff_public_text)
    assert f'<option value="{ben_id}">' in page and f'<option value="{key_id(keys.staff_public_text)}"' in page
    answers = []
    answers.append(post(anna_desk, case, "assign", {"member": ben_id}))
    answers.append(post(anna_desk, case, "follow-up", {"day": day(30), "action": "set"}))
    answers.append(post(anna_desk, case, "code", [("grounds", "racism"), ("grounds", "religion"), ("area", "housing"),
                                                  ("form", ""), ("level", "institutional"),
                                                  ("interventions", "counselling"), ("outcome", "")]))
    answers.append(post(anna_desk, case, "retain", {"until": day(400), "reason": "Klage vor dem Amtsgericht läuft"}))
    return case, code, answers


def test_each_form_answers_with_a_redirect_and_a_done_message(anna_desk, worked_case):
    case, _, answers = worked_case
    done = ["assigned", "follow_up", "coded", "retained"]
    assert [a.status_code for a in answers] == [303] * 4, [a.text[:300] for a in answers]
    assert [a.headers["Location"] for a in answers] == [f"/cases/{case}?caseforms={d}" for d in done]
    page = anna_desk.get(answers[0].headers["Location"]).text
    assert 'role="status"><p>The assignment was saved. The team sees it.</p>' in page
    page = anna_desk.get(answers[2].headers["Location"]).text
    assert "The coding was saved, and its statistic record was sent." in page


def test_the_case_page_shows_the_work_prefilled_and_in_the_thread(anna_desk, worked_case, keys):
    case, _, _ = worked_case
    page = anna_desk.get(f"/cases/{case}").text
    ben_id = key_id(keys.other_staff_public_text)
    assert f'<option value="{ben_id}" selected>' in page
    assert f'<input type="date" id="caseforms-follow-up" name="day" value="{day(30)}"' in page
    assert 'id="caseforms-code-grounds-racism" name="grounds" value="racism" checked' in page
    assert 'id="caseforms-code-grounds-religion" name="grounds" value="religion" checked' in page
    assert 'id="caseforms-code-grounds-age" name="grounds" value="age">' in page
    assert 'id="caseforms-code-level-institutional" name="level" value="institutional" checked' in page
    assert 'id="caseforms-code-outcome-none" name="outcome" value="" checked' in page
    assert f"It is kept at least until {day(400)}." in page
    # The thread: case data (twice), the coding and the retention note, each signed by Anna.
    articles = re.findall(r'<li class="item item-([a-z-]+)"><article>(.*?)</article></li>', page, re.S)
    kinds = [k for k, _ in articles]
    assert kinds[0] == "report" and kinds.count("case-data") == 2 and kinds.count("coding") == 1 and kinds.count("note") == 1
    for kind, body in articles[1:]:
        assert "✓ Signature checked" in body, (kind, body)
    coding = [b for k, b in articles if k == "coding"][0]
    assert "Religion / belief (religion)" in coding and "(institutional)" in coding
    note = [b for k, b in articles if k == "note"][0]
    assert f"Retention extended until {day(400)}: Klage vor dem Amtsgericht läuft" in html.unescape(note)


def test_the_second_members_cli_sees_assignment_follow_up_coding_and_retention(ben, worked_case, keys):
    case, _, _ = worked_case
    ben.ok("sync")
    shown = items(ben, case)
    data = [i for i in shown if i["kind"] == "case-data" and i.get("current")]
    assert len(data) == 1 and data[0]["status"] == "ok" and data[0]["signer"] == key_id(keys.staff_public_text)
    assert data[0]["assigned"] == key_id(keys.other_staff_public_text) and data[0]["follow_up"] == day(30)
    coding = [i for i in shown if i["kind"] == "coding" and i.get("current")]
    assert len(coding) == 1 and coding[0]["status"] == "ok"
    assert coding[0]["grounds"] == ["racism", "religion"] and coding[0]["area"] == "housing"
    assert coding[0]["level"] == "institutional" and coding[0]["interventions"] == ["counselling"]
    assert coding[0]["form"] is None and coding[0]["outcome"] is None
    notes = [i["text"] for i in shown if i["kind"] == "note"]
    assert notes == [f"Retention extended until {day(400)}: Klage vor dem Amtsgericht läuft"]
    text = ben.ok("show", case).stdout.decode()
    assert "(you)" in text and day(30) in text
    listed = {r["case"]: r for r in ben.json("list", "--mine")["cases"]}
    assert case in listed


def test_clearing_the_follow_up_keeps_the_assignment(anna_desk, anna, worked_case, keys):
    case, _, _ = worked_case
    cleared = post(anna_desk, case, "follow-up", {"day": "", "action": "clear"})
    assert cleared.status_code == 303
    data = [i for i in items(anna, case) if i["kind"] == "case-data" and i.get("current")][0]
    assert data.get("follow_up") is None and data["assigned"] == key_id(keys.other_staff_public_text)
    # Set again in the German way of writing a day, and assign to nobody.
    assert post(anna_desk, case, "follow-up", {"day": "1.3.2031", "action": "set"}).status_code == 303
    assert post(anna_desk, case, "assign", {"member": ""}).status_code == 303
    data = [i for i in items(anna, case) if i["kind"] == "case-data" and i.get("current")][0]
    assert data["follow_up"] == "2031-03-01" and data.get("assigned") is None


# --- failures: a truthful status, the field marked, what was typed kept, nothing sent ---------------------------

@pytest.fixture(scope="module")
def plain_case(daemon, anna):
    return new_case(daemon, anna)


def assert_nothing_sent(anna, case, before):
    assert items(anna, case) == before


@pytest.mark.parametrize("action, data, field, message, kept", [
    ("assign", {"member": "Nobody Such"}, "caseforms-member", "Choose one of the team&#39;s members offered", None),
    ("follow-up", {"day": "31.02.2027", "action": "set"}, "caseforms-follow-up", "This is not a valid day",
     'type="text" id="caseforms-follow-up" name="day" value="31.02.2027"'),
    ("follow-up", {"day": "", "action": "set"}, "caseforms-follow-up", "This is not a valid day", None),
    ("code", [("grounds", "racism"), ("grounds", "astrology"), ("area", "housing")], "caseforms-code-grounds",
     "Choose only values of the coding scheme", 'name="grounds" value="racism" checked'),
    ("code", [("area", "moon")], "caseforms-code-area", "Choose only values of the coding scheme", None),
    ("code", [("interventions", "none"), ("interventions", "counselling")], "caseforms-code-interventions",
     "Choose only values of the coding scheme", None),
    ("retain", {"until": "2031-01-01", "reason": "  "}, "caseforms-retain-reason", "The reason is missing",
     'name="until" value="2031-01-01"'),
    ("retain", {"until": "gestern", "reason": "Gerichtsverfahren"}, "caseforms-until", "This is not a valid day",
     ">Gerichtsverfahren</textarea>"),
    ("retain", {"until": "2020-01-01", "reason": "Gerichtsverfahren"}, "caseforms-until", "This is not a valid day", None),
    ("delete/request", {"reason": "", "reference": "x"}, "caseforms-delete-reason", "The reason is missing", None),
    ("delete/request", {"reason": "Bitte löschen", "reference": ""}, "caseforms-delete-reference",
     "The reference typed is not this case&#39;s.", ">Bitte löschen</textarea>"),
])
def test_a_bad_field_is_refused_with_400_marked_and_kept(anna_desk, anna, plain_case, action, data, field, message, kept):
    case, _ = plain_case
    before = items(anna, case)
    answer = post(anna_desk, case, action, data)
    assert answer.status_code == 400, answer.text[:500]
    page = answer.text
    assert f'<div class="error" role="alert"><p>{message}' in page
    assert field_marked(page, field)
    if kept:
        assert kept in page
    assert page.count('aria-invalid="true"') >= 1
    assert_nothing_sent(anna, case, before)
    assert "Deletion requested" not in anna_desk.get(f"/cases/{case}").text


def test_a_bad_token_is_refused_403_and_an_unknown_case_404(anna_desk, anna, plain_case):
    case, _ = plain_case
    before = items(anna, case)
    forged = anna_desk.request("POST", f"/cases/{case}/assign", data={"member": "", "token": "x"})
    assert forged.status_code == 403
    token = anna_desk.form_token(f"/cases/{case}/code", f"/cases/{case}")
    other = anna_desk.request("POST", f"/cases/{case}/follow-up", data={"day": day(3), "action": "set", "token": token})
    assert other.status_code == 403
    assert_nothing_sent(anna, case, before)
    # An unknown case, with a token computed as the desk computes it: 404.
    unknown = "ZZZZ-ZZZ2" if case != "ZZZZ-ZZZ2" else "ZZZZ-ZZZ3"
    path = f"/cases/{unknown}/assign"
    answer = anna_desk.request("POST", path, data={"member": "", "token": token_for(anna_desk, path)})
    assert answer.status_code == 404 and "There is no such case in the local store." in answer.text


def token_for(desk: dh.Desk, path: str) -> str:
    """The form token of `path`: BLAKE2b keyed with the session secret (DeskDoor.formToken)."""
    secret = e2e.unb64u(desk.cookie)
    digest = hashlib.blake2b(b"sealbox/desk/form" + path.encode(), key=secret, digest_size=32).digest()
    return e2e.b64u(digest)


# --- four-eyes deletion --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def deleted_case(daemon, anna, ben, anna_desk, ben_desk):
    """A case coded on Anna's desk, asked to be deleted by Anna, refused to Anna, confirmed by Ben."""
    case, code = new_case(daemon, anna, ben, text="Beim Bewerbungsgespräch wurde ich nach meiner Herkunft gefragt.")
    coded = post(anna_desk, case, "code", [("grounds", "nationality"), ("area", "work"), ("level", "individual")])
    assert coded.status_code == 303
    ben.ok("sync")
    before = ben.json("stats", "--min-cell", "1")
    steps = {"before": before, "case": case, "code": code}
    steps["mistyped"] = post(anna_desk, case, "delete/request", {"reason": "Die meldende Person bat um Löschung.",
                                                                "reference": "ZZZZ-ZZZ2"})
    steps["request"] = post(anna_desk, case, "delete/request", {"reason": "Die meldende Person bat um Löschung.",
                                                               "reference": case.lower().replace("-", " ")})
    steps["page_after_request"] = anna_desk.get(f"/cases/{case}").text
    steps["anna_confirm_page"] = anna_desk.get(f"/cases/{case}/delete")
    steps["anna_confirm"] = post(anna_desk, case, "delete/confirm", {})
    steps["after_refusal_items"] = len(items(anna, case))
    steps["inbox_after_refusal"] = ih.open_inbox(daemon, code).status_code
    assert ben_desk.post("/sync").status_code == 303
    steps["ben_confirm_page"] = ben_desk.get(f"/cases/{case}/delete")
    steps["ben_confirm"] = post(ben_desk, case, "delete/confirm", {})
    return steps


def test_a_mistyped_reference_asks_for_nothing(deleted_case):
    mistyped = deleted_case["mistyped"]
    assert mistyped.status_code == 400
    assert field_marked(mistyped.text, "caseforms-delete-reference") and 'value="ZZZZ-ZZZ2"' in mistyped.text
    assert "Deletion requested by" not in mistyped.text


def test_a_deletion_request_shows_pending_on_the_case_page(deleted_case, keys):
    request = deleted_case["request"]
    case = deleted_case["case"]
    assert request.status_code == 303 and request.headers["Location"] == f"/cases/{case}?caseforms=deletion_requested"
    page = deleted_case["page_after_request"]
    assert f"Deletion requested by {key_id(keys.staff_public_text)} on {day()}." in page
    assert "You asked for this deletion yourself: a second member must confirm it." in page
    assert f'href="/cases/{case}/delete"' in page
    # The reason is a signed note of the team in the thread.
    assert "Deletion requested: Die meldende Person bat um Löschung." in html.unescape(page)


def test_the_requester_cannot_confirm_her_own_request(deleted_case):
    page = deleted_case["anna_confirm_page"]
    assert page.status_code == 200 and "You asked for this deletion yourself" in page.text
    refused = deleted_case["anna_confirm"]
    assert refused.status_code == 409, refused.text[:400]
    assert "You asked to delete this case yourself, and the same member cannot confirm it." in refused.text
    # Nothing was deleted: not locally, not on the server.
    assert deleted_case["after_refusal_items"] >= 3
    assert deleted_case["inbox_after_refusal"] == 200


def test_the_confirmation_page_shows_the_day_and_the_first_words(deleted_case):
    page = deleted_case["ben_confirm_page"]
    assert page.status_code == 200
    assert f'<time datetime="{day()}">{day()}</time>' in page.text
    assert "<q>Beim Bewerbungsgespräch wurde ich nach meiner Herkunft gefragt.</q>" in page.text
    assert "You asked for this deletion yourself" not in page.text
    assert f"Delete case {deleted_case['case']} for good" in page.text


def test_a_second_member_confirms_and_the_case_is_gone_everywhere(deleted_case, daemon, anna, ben, anna_desk):
    case, code = deleted_case["case"], deleted_case["code"]
    confirmed = deleted_case["ben_confirm"]
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == "/?caseforms=deleted"
    assert ih.open_inbox(daemon, code).status_code == 404
    gone = ben.run("show", case)
    assert gone.returncode != 0
    anna.ok("sync")
    assert anna.run("show", case).returncode != 0
    assert anna_desk.get(f"/cases/{case}").status_code == 404
    # The statistic record survives the deletion: `sealbox stats` still counts the case.
    ben.ok("sync")
    after = ben.json("stats", "--min-cell", "1")
    before = deleted_case["before"]
    assert after["cases"] == before["cases"] >= 1, (before, after)
    assert after["grounds"].get("nationality", 0) >= 1 and after["area"].get("work", 0) >= 1


def test_confirming_without_a_request_is_refused_409(ben_desk, ben, daemon, anna):
    case, code = new_case(daemon, ben)
    answer = post(ben_desk, case, "delete/confirm", {})
    assert answer.status_code == 409
    assert "no deletion of this case is waiting for confirmation" in answer.text
    assert ih.open_inbox(daemon, code).status_code == 200 and len(items(ben, case)) == 1


# --- the server down: 502, nothing half-done -----------------------------------------------------------------

@pytest.fixture(scope="module")
def down(module_daemons, keys, workstation_factory):
    """A daemon of its own, a workstation with one case on it, and its desk; then the daemon stops."""
    daemon = module_daemons(SEALBOX_STAFF_KEYS=keys.staff_public_text + "," + keys.other_staff_public_text)
    ws = workstation_factory(daemon)
    ws.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.other_staff_public_text
    case, _ = new_case(daemon, ws)
    desk = open_desk(ws)
    desk.get(f"/cases/{case}")
    daemon.stop()
    yield ws, desk, case
    desk.stop()


@pytest.mark.parametrize("action, data", [
    ("assign", {"member": "me"}),
    ("follow-up", {"day": "2031-01-01", "action": "set"}),
    ("code", [("grounds", "racism")]),
    ("retain", {"until": "2031-01-01", "reason": "Verfahren läuft"}),
    ("delete/request", {"reason": "Bitte löschen", "reference": "REF"}),
])
def test_the_server_down_is_502_and_nothing_is_half_done(down, action, data):
    ws, desk, case = down
    before = items(ws, case)
    if isinstance(data, dict) and data.get("reference") == "REF":
        data = {**data, "reference": case}
    answer = post(desk, case, action, data)
    assert answer.status_code == 502, answer.text[:400]
    assert "The server refused or could not be reached. Nothing was changed." in answer.text
    assert items(ws, case) == before
    page = desk.get(f"/cases/{case}")
    assert page.status_code == 200 and "Deletion requested" not in page.text
    assert desk.process.poll() is None


# --- a team with a roster: members by label, a counsellor's confirmation refused (403) ------------------------

@pytest.fixture(scope="module")
def team(keys, tmp_path_factory, module_daemons):
    """Lena (first lead), Anna (counsellor) and Ben (lead) with member key files (test_team_roles)."""
    import test_team_roles as roles
    return roles.team.__wrapped__(keys, tmp_path_factory, module_daemons)


def member_desk(team, name: str) -> dh.Desk:
    """The desk of a member of `team`, over her store and member key file."""
    home = team.directory / f"home-{name}"
    home.mkdir(exist_ok=True)
    ws = types.SimpleNamespace(home=home, env={
        "SEALBOX_SERVER": team.daemon.staff_url, "SEALBOX_STAFF_KEY": str(team.members[name].key_file),
        "SEALBOX_STORE": str(team.directory / f"store-{name}"), "SEALBOX_TRUSTED_LEADS": team.members["Lena"].text,
        "SEALBOX_TEAM_KEY": str(team.keys.team_key_file)})
    return open_desk(ws)


def test_a_team_assigns_by_label_and_only_a_lead_confirms_a_deletion(team):
    case, code = team.submit("Meine Kollegin wird wegen ihres Alters übergangen.")
    for name in team.members:
        team.ok(name, "sync")
    anna, ben, lena = (member_desk(team, n) for n in ("Anna", "Ben", "Lena"))
    try:
        page = anna.get(f"/cases/{case}").text
        assert '<option value="Anna">Anna (you)</option>' in page and '<option value="Ben">Ben</option>' in page
        assert '<option value="Lena">Lena</option>' in page
        assert post(anna, case, "assign", {"member": "Ben"}).status_code == 303
        unknown = post(anna, case, "assign", {"member": "Mira"})
        assert unknown.status_code == 400 and 'aria-invalid="true"' in unknown.text
        team.ok("Lena", "sync")
        assert "Assigned to:  Ben" in team.ok("Lena", "show", case)
        asked = post(ben, case, "delete/request", {"reason": "Auf Wunsch der meldenden Person", "reference": case})
        assert asked.status_code == 303
        assert f"Deletion requested by Ben on {day()}" in ben.get(f"/cases/{case}").text
        assert anna.post("/sync").status_code == 303
        refused = post(anna, case, "delete/confirm", {})
        assert refused.status_code == 403, refused.text[:400]
        assert "Only a lead of the team may confirm a deletion. Nothing was deleted." in refused.text
        assert ih.open_inbox(team.daemon, code).status_code == 200
        assert anna.get(f"/cases/{case}").status_code == 200
        assert lena.post("/sync").status_code == 303
        assert post(lena, case, "delete/confirm", {}).status_code == 303
        assert ih.open_inbox(team.daemon, code).status_code == 404
        assert lena.get(f"/cases/{case}").status_code == 404
    finally:
        for d in (anna, ben, lena):
            d.stop()
