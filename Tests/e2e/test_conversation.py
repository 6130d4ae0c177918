"""The conversation, end to end, with the real daemon and the real `sealbox` CLI:
reports go in (JSON and form), staff sync and reply (from a file and from standard
input), the reporter reads the reply through the JSON API and the thread page, writes
follow-ups (JSON, multipart with a file, the web form with a file), staff see the whole
thread in order and decrypt the follow-up's file byte for byte, change the status (the
reporter sees it), list deadlines, delete the case (the code then answers exactly like
a code never issued, and nothing of the case is left in the SQLite files), and the
audit log names every action without content.

Then the daemon's refusals of replies that are not sealed as PROTOCOL §9.1 says
(crafted with PyNaCl and signed like the CLI), and of bad staff case requests.

The tests of this module are steps of one conversation and run in file order; a step
whose prerequisite failed fails at once and names it.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import uuid
from urllib.parse import urlparse

import pytest
import requests

import inbox_helpers as ih
import sealbox_e2e as e2e
import sealbox_open as so

so = e2e.so
MARK = "Konv" + uuid.uuid4().hex[:10]
REPORT_A = {"text": f"Meldung A {MARK}-report-a: der Hausmeister sagte „so Leute nicht“.", "grounds": ["language"],
            "area": "housing", "contact": "nur über das Postfach"}
REPORT_B = {"text": f"Meldung B {MARK}-report-b über das Formular & mit Sonderzeichen ü", "grounds": ["age"]}
REPORT_C = {"text": f"Meldung C {MARK}-report-c bleibt unbeantwortet"}
REPLY_A = (f"Guten Tag,\n\nvielen Dank. <script>alert('x')</script> & \"Zitat\" <b>fett</b> — {MARK}-reply-a\n"
           "Mit freundlichen Grüßen\nIhre Beratungsstelle")
REPLY_B = f"Antwort auf B über die Standardeingabe, {MARK}-reply-b. مرحبا 🙂"
FOLLOW_JSON = f"Nachtrag 1 über JSON {MARK}-follow-json <i>kein HTML</i>"
FOLLOW_MULTI = f"Nachtrag 2 mit Datei {MARK}-follow-multi"
FOLLOW_WEB = f"Nachtrag 3 über das Formular {MARK}-follow-web"
FILE_MULTI = ("protokoll <b>&1.txt", "text/plain", random.Random(7).randbytes(70_001))  # crosses a stream chunk
FILE_WEB = ("Foto vom Aushang ü.png", "image/png", random.Random(8).randbytes(3_000))


class Conversation:
    def __init__(self):
        self.done: set[str] = set()
        self.cases: dict[str, tuple[str, str]] = {}  # name -> (case, grouped code)
        self.visit_a: ih.Visit | None = None

    def need(self, *steps: str) -> None:
        missing = [s for s in steps if s not in self.done]
        if missing:
            pytest.fail(f"an earlier step of the conversation failed: {', '.join(missing)}")


@pytest.fixture(scope="module")
def daemon(module_daemons):
    # Many code attempts from 127.0.0.1 in this module: the rate limit is tested elsewhere.
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000")


@pytest.fixture(scope="module")
def ws(daemon, workstation_factory) -> ih.Workstation:
    return workstation_factory(daemon)


@pytest.fixture(scope="module")
def conv() -> Conversation:
    return Conversation()


def today() -> str:
    return ih.today().isoformat()


def server_case(signer, daemon, case) -> dict | None:
    r = ih.staff_send(signer, daemon, "GET", "/api/v1/staff/cases")
    assert r.status_code == 200, r.text
    return next((c for c in r.json()["cases"] if c["case"] == case), None)


def audit_entries(signer, daemon) -> list[dict]:
    r = ih.staff_send(signer, daemon, "GET", "/api/v1/staff/audit")
    assert r.status_code == 200, r.text
    return r.json()["entries"]


def thread(daemon, code) -> dict:
    r = ih.open_inbox(daemon, code)
    assert r.status_code == 200, f"{r.status_code} {r.text[:300]}"
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


# --- 1. reports in, first sync ------------------------------------------------------------------------------


def test_reports_arrive_and_staff_sync_them(daemon, ws, conv):
    for name, report in (("A", REPORT_A), ("C", REPORT_C)):
        r = daemon.post("/api/v1/reports", json=report)
        assert r.status_code == 201, r.text
        conv.cases[name] = (r.json()["case"], r.json()["code"])
    r = daemon.post("/report", data=e2e.report_fields(REPORT_B))
    assert r.status_code == 200, r.text[:300]
    conv.cases["B"] = e2e.parse_confirmation(r.text)
    sync = ws.ok("sync")
    assert sync.stdout.decode().startswith("3 new items"), sync.stdout
    listed = {c["case"]: c for c in ws.json("list")["cases"]}
    assert set(listed) == {conv.cases[n][0] for n in "ABC"}
    assert all(c["status"] == "received" and c["acknowledged"] is None for c in listed.values())
    conv.done.add("submitted")


# --- 2. staff reply -----------------------------------------------------------------------------------------


def test_reply_from_a_file_acknowledges_the_case(daemon, ws, conv, signer, tmp_path):
    conv.need("submitted")
    case = conv.cases["A"][0]
    reply_file = tmp_path / "reply.txt"
    reply_file.write_text(REPLY_A + "\n", encoding="utf-8")
    answer = ws.json("reply", case, "--file", str(reply_file))
    assert answer["case"] == case and answer["day"] == today() and answer["status"] == "acknowledged"
    assert re.fullmatch(r"[0-9a-f]{32}", answer["id"])
    on_server = server_case(signer, daemon, case)
    assert on_server["status"] == "acknowledged" and on_server["acknowledged"] == today()
    # The stored reply is sealed to [the reporter key from inside the report, the team key], in that order.
    stored = [i for i in signer.all_items(daemon) if i["id"] == answer["id"]]
    assert len(stored) == 1 and stored[0]["kind"] == "reply" and stored[0]["case"] == case
    kind, kids = so.envelope_recipients(e2e.unb64u(stored[0]["envelope"]))
    reporter = ih.reporter_key_of(signer, daemon, daemon.keys, case)
    assert kind == "reply" and kids == [so.key_id(reporter), so.key_id(ih.team_public_key(daemon.keys))]
    conv.done.add("reply-a")


def test_reply_from_standard_input(daemon, ws, conv, signer):
    conv.need("submitted")
    case = conv.cases["B"][0]
    result = ws.ok("reply", case, "-", input=("\n\n" + REPLY_B + "\n\n").encode())
    assert case in result.stdout.decode() and "acknowledged" in result.stdout.decode()
    assert server_case(signer, daemon, case)["status"] == "acknowledged"
    conv.done.add("reply-b")


def test_an_empty_reply_sends_nothing(daemon, ws, conv, signer):
    conv.need("submitted")
    case = conv.cases["C"][0]
    items_before, audit_before = len(signer.all_items(daemon)), len(audit_entries(signer, daemon))
    for text in (b"", b"\n  \n\t\n"):
        result = ws.run("reply", case, "-", input=text)
        assert result.returncode == 1, result.stderr.decode()
        assert result.stderr.decode().startswith("sealbox: error: ")
    assert len(signer.all_items(daemon)) == items_before
    assert len(audit_entries(signer, daemon)) == audit_before
    assert server_case(signer, daemon, case)["status"] == "received"


def test_reply_to_a_case_not_in_the_local_store_is_refused_locally(ws, conv):
    conv.need("submitted")
    result = ws.run("reply", "2345-6789", "-", input=b"Hallo")
    assert result.returncode == 1
    assert "no case 2345-6789 in the local store" in result.stderr.decode()


# --- 3. the reporter reads the reply --------------------------------------------------------------------------


def test_reporter_reads_the_reply_through_the_api(daemon, conv):
    conv.need("reply-a", "reply-b")
    for name, report, reply in (("A", REPORT_A, REPLY_A), ("B", REPORT_B, REPLY_B)):
        case, code = conv.cases[name]
        t = thread(daemon, code)
        assert t["case"] == case
        assert t["status"] == "acknowledged"
        assert t["received"] == today() and t["acknowledged"] == today()
        assert t["feedback_due"] == ih.feedback_due(t["received"])
        assert [(m["author"], m["text"]) for m in t["messages"]] == [("reporter", report["text"]), ("team", reply)]
        assert all(m["day"] == today() and m["attachments"] == [] for m in t["messages"])


def test_reporter_reads_the_reply_on_the_thread_page_escaped(daemon, conv):
    conv.need("reply-a")
    case, code = conv.cases["A"]
    visit = ih.open_visit(daemon, code)
    page = visit.response.text
    assert visit.response.headers["Content-Type"].startswith("text/html")
    assert case in page
    # The reply's markup is shown as text, never as markup.
    assert "<script>alert" not in page and "<b>fett</b>" not in page
    assert "&lt;script&gt;" in page or "&#60;script&#62;" in page
    text = ih.visible_text(page)
    for expected in (REPORT_A["text"], REPLY_A):
        assert " ".join(expected.split()) in text, f"{expected!r} is not on the thread page"
    assert text.index(f"{MARK}-report-a") < text.index(f"{MARK}-reply-a")  # in order
    conv.visit_a = visit
    conv.done.add("visit-a")


# --- 4. follow-ups ---------------------------------------------------------------------------------------------


def test_reporter_writes_follow_ups_through_the_api_and_the_form(daemon, conv):
    conv.need("reply-a", "visit-a")
    case, code = conv.cases["A"]
    r = ih.follow_up_json(daemon, code, FOLLOW_JSON)
    assert r.status_code == 201, r.text
    assert r.json() == {"case": case, "received": today()}
    r = ih.follow_up_multipart(daemon, ih.typed_variants(e2e.code_digits(code))["persian"], FOLLOW_MULTI, [FILE_MULTI])
    assert r.status_code == 201, r.text
    assert r.json() == {"case": case, "received": today()}

    visit: ih.Visit = conv.visit_a
    form = visit.form_with("text")
    assert form.method == "post" and urlparse(form.action).path == "/inbox/messages"
    assert form.enctype == "multipart/form-data"
    assert "attachment" in form.names() and form.value("visit") == visit.token
    assert "code" not in form.names(), "the follow-up form must not carry the code"
    r = visit.follow_up(FOLLOW_WEB, [FILE_WEB])
    assert r.status_code == 200, f"{r.status_code} {r.text[:300]}"
    assert r.headers["Content-Type"].startswith("text/html")
    assert MARK not in r.text, "the sent page repeats content"
    leave = ih.parse_page(r.text).forms
    assert any(urlparse(f.action).path == "/inbox/leave" and f.value("visit") == visit.token for f in leave)
    conv.done.add("follow-ups")


def test_a_follow_up_with_a_code_never_issued_is_refused_and_not_stored(daemon, conv, signer):
    conv.need("submitted")
    before = daemon.counts()
    r = ih.follow_up_json(daemon, ih.random_code(), "an wen?")
    assert r.status_code == 404 and ih.error_code(r) == "code_unknown", r.text
    typo = ih.single_digit_typos(e2e.code_digits(conv.cases["C"][1]), random.Random(5))[9]
    r = ih.follow_up_json(daemon, typo, "Tippfehler")
    assert r.status_code == 422 and ih.error_code(r) == "code_typo", r.text
    assert daemon.counts() == before


def test_reporter_sees_the_whole_thread_in_order(daemon, conv):
    conv.need("follow-ups")
    t = thread(daemon, conv.cases["A"][1])
    assert [(m["author"], m["text"]) for m in t["messages"]] == [
        ("reporter", REPORT_A["text"]), ("team", REPLY_A), ("reporter", FOLLOW_JSON),
        ("reporter", FOLLOW_MULTI), ("reporter", FOLLOW_WEB)]
    attachments = [m["attachments"] for m in t["messages"]]
    assert attachments[:3] == [[], [], []]
    assert attachments[3] == [{"name": FILE_MULTI[0], "type": FILE_MULTI[1], "size": len(FILE_MULTI[2])}]
    assert attachments[4] == [{"name": FILE_WEB[0], "type": FILE_WEB[1], "size": len(FILE_WEB[2])}]
    # The thread page shows the same, in the same order, with names as text.
    page = ih.open_visit(daemon, conv.cases["A"][1]).response.text
    text = ih.visible_text(page)
    positions = [text.index(f"{MARK}-{name}") for name in
                 ("report-a", "reply-a", "follow-json", "follow-multi", "follow-web")]
    assert positions == sorted(positions)
    assert FILE_MULTI[0] in text and FILE_WEB[0] in text
    assert "<b>&1" not in page and "&lt;b&gt;&amp;1.txt" in page and "<i>kein HTML</i>" not in page


def test_staff_see_report_reply_and_follow_ups_in_order_and_decrypt_the_files(daemon, ws, conv, tmp_path):
    conv.need("follow-ups")
    case = conv.cases["A"][0]
    ws.ok("sync")
    out = tmp_path / "files"
    shown = ws.json("show", case, "--attachments", str(out))
    assert shown["case"] == case
    messages = [i for i in shown["items"] if i["kind"] != "status"]
    assert [(i["kind"], i["author"], i["text"]) for i in messages] == [
        ("report", "reporter", REPORT_A["text"]), ("reply", "team", REPLY_A), ("follow-up", "reporter", FOLLOW_JSON),
        ("follow-up", "reporter", FOLLOW_MULTI), ("follow-up", "reporter", FOLLOW_WEB)]
    assert all(i["status"] == "ok" and i["day"] == today() for i in shown["items"])
    saved = {}
    for item in messages:
        for a in item["attachments"]:
            assert a.get("error") is None, a
            saved[a["name"]] = (a["type"], a["size"], open(a["saved_as"], "rb").read())
    assert saved == {FILE_MULTI[0]: (FILE_MULTI[1], len(FILE_MULTI[2]), FILE_MULTI[2]),
                     FILE_WEB[0]: (FILE_WEB[1], len(FILE_WEB[2]), FILE_WEB[2])}
    conv.done.add("staff-saw")


# --- 5. status -------------------------------------------------------------------------------------------------


def test_status_change_is_seen_by_the_reporter_and_by_staff(daemon, ws, conv, signer):
    conv.need("follow-ups")
    case, code = conv.cases["A"]
    english = {"Accept-Language": "en"}
    page_before = ih.visible_text(ih.open_visit(daemon, code, english).response.text)
    assert "The counselling team has read your report." in page_before
    answer = ws.json("status", case, "in-progress")
    assert answer["case"] == case and answer["status"] == "in-progress" and answer["day"] == today()
    t = thread(daemon, code)
    assert t["status"] == "in-progress" and t["acknowledged"] == today()
    assert len(t["messages"]) == 5  # a status change is no message
    page_after = ih.visible_text(ih.open_visit(daemon, code, english).response.text)
    assert "The counselling team is working on your report." in page_after
    assert "The counselling team has read your report." not in page_after
    german = ih.visible_text(ih.open_visit(daemon, code, {"Accept-Language": "de"}).response.text)
    assert "Das Beratungsteam bearbeitet Ihre Meldung." in german
    ws.ok("sync")
    shown = ws.json("show", case)
    assert shown["status"] == "in-progress"
    assert shown["items"][-1]["kind"] == "status" and shown["items"][-1]["case_status"] == "in-progress"
    assert server_case(signer, daemon, case)["status"] == "in-progress"
    conv.done.add("status")


def test_status_with_an_invalid_value_is_refused_by_the_cli_and_sends_nothing(daemon, ws, conv, signer):
    conv.need("submitted")
    case = conv.cases["C"][0]
    before = len(audit_entries(signer, daemon))
    result = ws.run("status", case, "done")
    assert result.returncode == 2, result.stderr.decode()
    assert "'done' is invalid for '<status>'" in result.stderr.decode()
    assert len(audit_entries(signer, daemon)) == before
    assert server_case(signer, daemon, case)["status"] == "received"


# --- 6. list and deadlines ---------------------------------------------------------------------------------------


def test_list_shows_status_and_due_dates(ws, conv):
    conv.need("status", "reply-b")
    ws.ok("sync")
    listed = {c["case"]: c for c in ws.json("list")["cases"]}
    a, b, c = (listed[conv.cases[n][0]] for n in "ABC")
    received = today()
    assert a["status"] == "in-progress" and a["acknowledged"] == received
    assert b["status"] == "acknowledged" and b["acknowledged"] == received
    assert c["status"] == "received" and c["acknowledged"] is None
    for entry in (a, b, c):
        assert entry["received"] == received and entry["last_activity"] == received
        assert entry["feedback_due"] == ih.feedback_due(received)
        assert entry["feedback_overdue"] is False and entry["feedback_due_soon"] is False
    assert a["acknowledgement_due"] is None and b["acknowledgement_due"] is None
    assert c["acknowledgement_due"] == ih.acknowledgement_due(received)
    assert c["acknowledgement_due_soon"] is True and c["acknowledgement_overdue"] is False
    assert (a["needs_action"], b["needs_action"], c["needs_action"]) == (False, False, True)
    assert a["items"] == 5 and a["attachments"] == 2  # report, reply, 3 follow-ups (a status change is no item)
    # A's follow-ups came after the team's reply: they wait for one, due in 7 days (issue 11).
    assert [m["kind"] for m in a["unanswered"]] == ["follow-up"] * 3 and a["reply_due"] == ih.acknowledgement_due(received)
    assert b["unanswered"] == [] and [m["kind"] for m in c["unanswered"]] == ["report"]
    due = ws.json("list", "--due")["cases"]
    assert sorted(d["case"] for d in due) == sorted([conv.cases["A"][0], conv.cases["C"][0]])
    table = ws.ok("list", "--due").stdout.decode()
    assert conv.cases["C"][0] in table and "due soon" in table and conv.cases["B"][0] not in table


# --- 7. delete ---------------------------------------------------------------------------------------------------


def test_delete_needs_a_confirmation(daemon, ws, conv, signer):
    conv.need("status")
    case = conv.cases["A"][0]
    result = ws.run("delete", case)  # no terminal, no --yes
    assert result.returncode == 1
    assert "--yes" in result.stderr.decode()
    assert server_case(signer, daemon, case) is not None
    assert thread(daemon, conv.cases["A"][1])["case"] == case


def test_delete_removes_the_case_and_its_code_answers_like_one_never_issued(daemon, ws, conv, signer):
    conv.need("status", "staff-saw")
    case, code = conv.cases["A"]
    # What must disappear from the files: the case's lookup hash, reporter key, envelopes and blobs.
    with daemon.db() as db:
        row = db.execute("SELECT lookup_hash, reporter_key FROM cases WHERE ref = ?", (case,)).fetchone()
        envelopes = [r[0] for r in db.execute("SELECT envelope FROM items WHERE case_ref = ? AND kind != 'status'",
                                              (case,))]
        blobs = [r[0] for r in db.execute(
            "SELECT a.blob FROM attachments a JOIN items i ON a.item_id = i.id WHERE i.case_ref = ?", (case,))]
    db.close()
    assert row is not None and len(envelopes) == 5 and len(blobs) == 2
    needles = {"lookup_hash": bytes(row["lookup_hash"]), "reporter_key": bytes(row["reporter_key"])}
    for n, env in enumerate(envelopes):
        needles[f"envelope{n}"] = bytes(env[len(env) // 2: len(env) // 2 + 32])
    for n, blob in enumerate(blobs):
        needles[f"blob{n}-start"] = bytes(blob[200:232])
        needles[f"blob{n}-end"] = bytes(blob[-48:-16])

    # The search below can find them: before the deletion, every one is in the files.
    before = b"".join(path.read_bytes() for path in e2e.all_files(daemon.storage))
    assert ih.find_bytes(before, needles) == list(needles)

    never_issued = ih.random_code()
    baseline_api = ih.open_inbox(daemon, never_issued)
    baseline_web = daemon.post("/inbox", data={"code": never_issued})
    assert baseline_api.status_code == 404 and baseline_web.status_code == 404

    result = ws.ok("delete", case, "--yes")
    assert f"Deleted case {case} on the server and in the local store" in result.stdout.decode()

    gone_api = ih.open_inbox(daemon, code)
    assert gone_api.status_code == 404
    assert gone_api.content == baseline_api.content
    assert ih.error_code(gone_api) == "code_unknown"
    assert {k: v for k, v in gone_api.headers.items() if k.lower() != "date"} == \
        {k: v for k, v in baseline_api.headers.items() if k.lower() != "date"}
    gone_web = daemon.post("/inbox", data={"code": code})
    assert gone_web.status_code == 404 and gone_web.content == baseline_web.content
    assert ih.visit_cookie(gone_web) is None
    r = ih.follow_up_json(daemon, code, "noch da?")
    assert r.status_code == 404 and ih.error_code(r) == "code_unknown"
    # An old visit of the deleted case can send nothing either.
    r = conv.visit_a.follow_up("nach dem Löschen")
    assert r.status_code in (403, 404), r.status_code

    with daemon.db() as db:
        for table, column in (("cases", "ref"), ("items", "case_ref")):
            assert db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (case,)).fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0  # B and C have no files
    db.close()
    for path in e2e.all_files(daemon.storage):
        found = ih.find_bytes(path.read_bytes(), needles)
        assert not found, f"{path.name} still holds {found} of the deleted case"
    # The other cases are untouched.
    assert thread(daemon, conv.cases["B"][1])["case"] == conv.cases["B"][0]
    assert ws.run("show", case).returncode == 1  # gone from the local store too
    assert case not in {c["case"] for c in ws.json("list")["cases"]}
    conv.done.add("deleted")


def test_audit_lists_the_staff_actions_without_content(daemon, ws, conv, keys):
    conv.need("deleted")
    entries = ws.json("audit")["entries"]
    a, b = conv.cases["A"][0], conv.cases["B"][0]
    # One day, in the order of random ids: nothing orders the actions of one day by
    # time (gap 11 of issue 8). The chain (PROTOCOL §11) holds, as PyNaCl recomputes it.
    on_cases = [(e["action"], e["case"]) for e in entries if e["case"]]
    assert sorted(on_cases) == sorted([("reply", a), ("status:in-progress", a), ("delete", a), ("reply", b)])
    assert [e["action"] for e in entries if not e["case"]].count("sync") == 1
    assert all(e["member"] == ih.staff_key_id(keys) and e["day"] == today() for e in entries)
    assert all(set(e) == {"id", "day", "member", "action", "case", "request", "prev", "hash"} for e in entries)
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    assert so.audit_first_break(entries) is None
    table = ws.ok("audit").stdout.decode()
    assert "(you)" in table and a in table
    everything = json.dumps(entries) + table
    assert MARK not in everything
    with daemon.db() as db:
        stored = [tuple(r) for r in db.execute("SELECT * FROM audit")]
    db.close()
    assert MARK not in repr(stored)


# --- 8. the daemon checks every reply ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_case(daemon, signer, keys):
    r = daemon.post("/api/v1/reports", json={"text": f"Meldung D {MARK}-report-d"})
    assert r.status_code == 201, r.text
    case, code = r.json()["case"], r.json()["code"]
    return case, code, ih.reporter_key_of(signer, daemon, keys, case)


def refused_reply_cases(case: str, reporter: bytes, team: bytes) -> dict[str, bytes]:
    stranger = so.box_public_key(os.urandom(32))
    plain = ih.reply_plaintext(case, "sollte nie ankommen")
    return {
        "other-reporter-key": ih.seal_envelope(plain, 3, [stranger, team]),
        "team-key-only": ih.seal_envelope(plain, 3, [team]),
        "reporter-key-only": ih.seal_envelope(plain, 3, [reporter]),
        "swapped-order": ih.seal_envelope(plain, 3, [team, reporter]),
        "extra-recipient": ih.seal_envelope(plain, 3, [reporter, team, stranger]),
        "kind-follow-up": ih.seal_envelope(plain, 2, [reporter, team]),
        "kind-report": ih.seal_envelope(plain, 1, [reporter, team]),
        "not-an-envelope": b"SBX2" + bytes(200),
        "truncated-header": ih.seal_envelope(plain, 3, [reporter, team])[:100],
    }


def test_replies_not_sealed_to_the_reporter_and_team_key_are_refused(daemon, signer, keys, fresh_case):
    case, code, reporter = fresh_case
    team = ih.team_public_key(keys)
    before_items, before_audit = len(signer.all_items(daemon)), len(audit_entries(signer, daemon))
    for name, envelope in refused_reply_cases(case, reporter, team).items():
        r = ih.post_reply(signer, daemon, case, envelope)
        assert r.status_code == 422, f"{name}: {r.status_code} {r.text}"
        assert "sollte" not in r.text
    r = ih.staff_send(signer, daemon, "POST", f"/api/v1/staff/cases/{case}/replies", {"envelope": "nicht base64!"})
    assert r.status_code in (400, 422), r.text
    r = ih.staff_send(signer, daemon, "POST", f"/api/v1/staff/cases/{case}/replies", body=b"{not json")
    assert r.status_code == 400, r.text
    assert len(signer.all_items(daemon)) == before_items
    assert len(audit_entries(signer, daemon)) == before_audit
    assert server_case(signer, daemon, case)["status"] == "received"
    assert len(thread(daemon, code)["messages"]) == 1

    # The same request, sealed as PROTOCOL §9.1 says, is taken: the refusals above are about the sealing.
    text = f"Richtig versiegelt {MARK}-reply-d"
    r = ih.post_reply(signer, daemon, case, ih.seal_envelope(ih.reply_plaintext(case, text, seed=signer.seed), 3, [reporter, team]))
    assert r.status_code == 201, r.text
    assert r.json()["case"] == case and r.json()["status"] == "acknowledged" and r.json()["day"] == today()
    t = thread(daemon, code)
    assert t["status"] == "acknowledged"
    assert [(m["author"], m["text"]) for m in t["messages"]][1:] == [("team", text)]


def test_a_reply_sealed_for_another_case_is_not_shown_to_the_reporter(daemon, signer, keys, fresh_case):
    """The daemon checks recipients, not the sealed `case`; the reporter's reader must skip a
    reply whose plaintext names another case (PROTOCOL §3.2)."""
    case, code, reporter = fresh_case
    team = ih.team_public_key(keys)
    before = len(thread(daemon, code)["messages"])
    plain = ih.reply_plaintext("2345-6789" if case != "2345-6789" else "3456-789A", "falscher Fall")
    r = ih.post_reply(signer, daemon, case, ih.seal_envelope(plain, 3, [reporter, team]))
    assert r.status_code in (201, 422), r.text
    messages = thread(daemon, code)["messages"]
    assert len(messages) == before and all(m["text"] != "falscher Fall" for m in messages)


def test_staff_case_requests_for_unknown_cases_and_bad_status_values(daemon, signer, keys, fresh_case):
    case, code, reporter = fresh_case
    team = ih.team_public_key(keys)
    unknown = "2345-6789" if case != "2345-6789" else "3456-789A"
    envelope = ih.seal_envelope(ih.reply_plaintext(unknown, "x"), 3, [reporter, team])
    before_items, before_audit = len(signer.all_items(daemon)), len(audit_entries(signer, daemon))

    assert ih.post_reply(signer, daemon, unknown, envelope).status_code == 404
    assert ih.post_reply(signer, daemon, "not-a-case", envelope).status_code == 404
    assert ih.post_reply(signer, daemon, conv_deleted_case(signer, daemon) or unknown, envelope).status_code == 404
    assert ih.staff_send(signer, daemon, "POST", f"/api/v1/staff/cases/{unknown}/status",
                         {"status": "closed"}).status_code == 404
    assert ih.staff_send(signer, daemon, "DELETE", f"/api/v1/staff/cases/{unknown}").status_code == 404
    for value in ("done", "", "In-Progress", "in_progress", "closed ", None, 3):
        r = ih.staff_send(signer, daemon, "POST", f"/api/v1/staff/cases/{case}/status", {"status": value})
        assert r.status_code in ((422,) if isinstance(value, str) else (400, 422)), f"{value!r}: {r.status_code}"
    r = ih.staff_send(signer, daemon, "POST", f"/api/v1/staff/cases/{case}/status", {"state": "closed"})
    assert r.status_code in (400, 422)
    assert len(signer.all_items(daemon)) == before_items
    assert len(audit_entries(signer, daemon)) == before_audit
    assert thread(daemon, code)["status"] == "acknowledged"

    # Unsigned, or signed by a key the daemon does not know: 401, nothing changes.
    path = f"/api/v1/staff/cases/{case}/status"
    body = json.dumps({"status": "closed"}).encode()
    r = requests.post(daemon.staff_url + path, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 401
    other_seed, _ = so.open_key_file(keys.other_staff_key_file.read_bytes(), keys.passphrase, "staff")
    r = ih.staff_send(e2e.StaffSigner(other_seed), daemon, "DELETE", f"/api/v1/staff/cases/{case}")
    assert r.status_code == 401
    assert thread(daemon, code)["status"] == "acknowledged"
    assert len(audit_entries(signer, daemon)) == before_audit


def conv_deleted_case(signer, daemon) -> str | None:
    """A case that was deleted earlier in this module (from the audit log), if any."""
    deleted = [e["case"] for e in audit_entries(signer, daemon) if e["action"] == "delete"]
    return deleted[0] if deleted else None


def test_no_marker_reached_the_logs_or_the_data_directory(daemon, conv):
    conv.need("follow-ups")
    logs = daemon.log_bytes()
    assert MARK.encode() not in logs
    for name in "ABC":
        digits = e2e.code_digits(conv.cases[name][1])
        assert digits.encode() not in logs and conv.cases[name][1].encode() not in logs
    for path in e2e.all_files(daemon.storage):
        data = path.read_bytes()
        assert MARK.encode() not in data, path
        assert FILE_MULTI[2][1000:1064] not in data and FILE_WEB[2][1000:1064] not in data, path
