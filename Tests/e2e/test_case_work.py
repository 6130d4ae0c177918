"""The team's case work (PROTOCOL §3.4, issue 10 slice 4): notes, codings and case data.

Two workstation stores with two staff keys, one real daemon that knows both keys, the real
`sealbox` CLI. A note written on one store is read on the other after a sync, and never by
the reporter (JSON inbox and thread page); codings are checked against the coding scheme
before anything is sent; assignment and follow-up days are computed on the workstation;
the daemon refuses what it can tell is malformed; a tampered item is marked without
hiding the rest of the case.
"""

from __future__ import annotations

import datetime
import json
import os

import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e
import sealbox_open as so
import storage_layer as sl


@pytest.fixture(scope="module")
def daemon(module_daemons, keys):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000",
                          SEALBOX_STAFF_KEYS=keys.staff_public_text + "," + keys.other_staff_public_text)


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory, keys) -> ih.Workstation:
    """The first member: the suite's staff key; she knows Ben's key."""
    ws = workstation_factory(daemon)
    ws.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.other_staff_public_text
    return ws


@pytest.fixture(scope="module")
def ben(daemon, workstation_factory, keys) -> ih.Workstation:
    """The second member, on his own store, with the other staff key; he knows Anna's key."""
    ws = workstation_factory(daemon)
    ws.env["SEALBOX_STAFF_KEY"] = str(keys.other_staff_key_file)
    ws.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.staff_public_text
    return ws


def key_id(text: str) -> str:
    return so.key_id(so.parse_key_text(text, so.STAFF_PREFIX)).hex()


def new_case(daemon, text, **fields):
    r = daemon.post("/api/v1/reports", json={"text": text, **fields})
    assert r.status_code == 201, r.text
    return r.json()["case"], r.json()["code"]


def show(ws, case):
    result = ws.run("show", case, "--json")
    return result, json.loads(result.stdout)["items"]


def feed_of(signer, daemon, case):
    return sorted((i for i in signer.all_items(daemon) if i["case"] == case), key=lambda i: i["position"])


def server_case(signer, daemon, case):
    cases = ih.staff_send(signer, daemon, "GET", "/api/v1/staff/cases").json()["cases"]
    return next(c for c in cases if c["case"] == case)


def post_item(signer, daemon, case, envelope: bytes | None = None, body: bytes | None = None):
    if body is None:
        body = json.dumps({"envelope": e2e.b64u(envelope)}).encode()
    return ih.staff_send(signer, daemon, "POST", f"/api/v1/staff/cases/{case}/items", body=body)


# --- notes ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def noted_case(daemon, anna, ben):
    case, code = new_case(daemon, "Die Vermieterin wollte nicht an uns vermieten.",
                          grounds=["ethnic-origin"], area="housing")
    anna.ok("sync")
    ben.ok("sync")
    anna.ok("note", case, "-", input="Notiz: Rückruf am Montag, Mietvertrag anfordern.".encode())
    ben.ok("sync")
    return case, code


def test_a_note_written_on_one_store_is_read_on_the_other_with_its_author(noted_case, ben, keys):
    case, _ = noted_case
    result, items = show(ben, case)
    assert result.returncode == 0, result.stderr.decode()
    notes = [i for i in items if i["kind"] == "note"]
    assert len(notes) == 1
    note = notes[0]
    assert note["status"] == "ok" and note["author"] == "team"
    assert note["text"] == "Notiz: Rückruf am Montag, Mietvertrag anfordern."
    assert note["signer"] == key_id(keys.staff_public_text)
    text = ben.ok("show", case).stdout.decode()
    assert "Note of the team" in text and "signed by staff key " + key_id(keys.staff_public_text) in text
    assert "1 message · 1 team note" in text


def test_the_reporter_never_sees_a_note(daemon, noted_case):
    case, code = noted_case
    thread = ih.open_inbox(daemon, code).json()
    assert [(m["author"], m["text"]) for m in thread["messages"]] == [
        ("reporter", "Die Vermieterin wollte nicht an uns vermieten.")]
    assert thread["status"] == "received" and thread["acknowledged"] is None
    visit = ih.open_visit(daemon, code)
    page = ih.visible_text(visit.response.text)
    assert "Die Vermieterin wollte nicht" in page and "Rückruf am Montag" not in page
    visit.leave()


def test_a_note_is_sealed_to_the_team_key_alone_and_changes_nothing_on_the_case(daemon, noted_case, signer, keys):
    case, _ = noted_case
    items = feed_of(signer, daemon, case)
    assert [i["kind"] for i in items] == ["report", "note"]
    envelope = e2e.unb64u(items[1]["envelope"])
    assert envelope[:6] == b"SBX1" + bytes([4, 1])
    assert envelope[6:14] == so.key_id(ih.team_public_key(keys))
    kind, plaintext = so.open_envelope(envelope, keys.team_secret)
    content = json.loads(plaintext)
    assert kind == "note" and content["type"] == "note" and content["case"] == case and content["v"] == 2
    assert so.verify_item({**content, "attachments": []}) == so.parse_key_text(keys.staff_public_text, so.STAFF_PREFIX)
    summary = server_case(signer, daemon, case)
    assert summary["status"] == "received" and summary["acknowledged"] is None
    audit = ih.staff_send(signer, daemon, "GET", "/api/v1/staff/audit").json()["entries"]
    assert [(e["action"], e["member"]) for e in audit if e["case"] == case] == [
        ("note", key_id(keys.staff_public_text))]


def test_an_empty_note_sends_nothing(daemon, anna, noted_case, signer):
    case, _ = noted_case
    before = len(feed_of(signer, daemon, case))
    result = anna.run("note", case, "-", input=b"\n  \n")
    assert result.returncode == 1 and "the note is empty; nothing was sent" in result.stderr.decode()
    assert len(feed_of(signer, daemon, case)) == before


# --- coding ----------------------------------------------------------------------------------------------------

def test_the_scheme_is_listed_with_german_and_english_labels(anna):
    text = anna.ok("code", "--list").stdout.decode()
    assert "racism" in text and "Racism / ethnic origin / Rassismus / ethnische Herkunft" in text
    scheme = json.loads(anna.ok("code", "--list", "--json").stdout)
    assert scheme["scheme"] == "advd-dezim-ads-2026"
    assert [d["id"] for d in scheme["dimensions"]] == ["grounds", "area", "form", "level", "interventions", "outcome"]


def test_show_offers_the_reporters_answers_as_a_starting_point(anna, noted_case):
    case, _ = noted_case
    text = anna.ok("show", case).stdout.decode()
    assert f"from the reporter's answers: sealbox code {case} --ground racism --area housing" in text


def test_an_unknown_ground_is_refused_before_anything_is_sent(daemon, anna, noted_case, signer):
    case, _ = noted_case
    before = len(feed_of(signer, daemon, case))
    result = anna.run("code", case, "--ground", "astrology", "--area", "housing")
    assert result.returncode == 2, result.stderr.decode()
    stderr = result.stderr.decode()
    assert "sealbox: error: \"astrology\" is not a value of grounds in the coding scheme advd-dezim-ads-2026" in stderr
    assert "nothing was sent" in stderr and "sealbox code --list" in stderr
    assert len(feed_of(signer, daemon, case)) == before


def test_an_office_override_adds_a_ground(daemon, anna, noted_case, tmp_path):
    case, _ = noted_case
    override = tmp_path / "scheme.json"
    override.write_text(json.dumps({"scheme": "office-2027", "add": {"grounds": [
        {"id": "caste", "label": {"de": "Kaste", "en": "Caste"}}]}}), encoding="utf-8")
    assert anna.run("code", case, "--ground", "caste").returncode == 2
    listed = anna.run("code", "--list", env={"SEALBOX_CODING_SCHEME": str(override)})
    assert listed.returncode == 0 and "Caste / Kaste" in listed.stdout.decode()
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"add": {"grounds": [{"id": "caste", "label": {"en": "Caste"}}]}}), encoding="utf-8")
    refused = anna.run("code", "--list", env={"SEALBOX_CODING_SCHEME": str(broken)})
    assert refused.returncode == 1
    assert "the value \"caste\" of \"grounds\" has no German label" in refused.stderr.decode()


def test_the_newest_coding_counts_on_every_store(daemon, anna, ben, noted_case, signer):
    case, code = noted_case
    anna.ok("code", case, "--ground", "racism", "--area", "housing", "--level", "institutional")
    ben.ok("sync")
    ben.ok("code", case, "--ground", "racism", "--ground", "religion", "--area", "housing", "--form", "direct",
           "--level", "structural", "--intervention", "counselling", "--intervention", "complaint-letter")
    anna.ok("sync")
    result, items = show(anna, case)
    assert result.returncode == 0, result.stderr.decode()
    codings = [i for i in items if i["kind"] == "coding"]
    assert [(c["current"], c["level"]) for c in codings] == [(False, "institutional"), (True, "structural")]
    assert codings[1]["grounds"] == ["racism", "religion"]
    assert codings[1]["interventions"] == ["counselling", "complaint-letter"] and codings[1]["outcome"] is None
    text = anna.ok("show", case).stdout.decode()
    assert "Religion / belief (religion)" in text and "(replaced by a later coding)" in text
    assert "from the reporter's answers" not in text
    thread = ih.open_inbox(daemon, code).json()
    assert len(thread["messages"]) == 1 and thread["status"] == "received"
    audit = ih.staff_send(signer, daemon, "GET", "/api/v1/staff/audit").json()["entries"]
    assert [e["action"] for e in audit if e["case"] == case].count("coding") == 2


# --- assignment and follow-up ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def assigned_cases(daemon, anna, ben, keys):
    cases = [new_case(daemon, f"Fall {n} für die Zuteilung")[0] for n in range(3)]
    anna.ok("sync")
    ben.ok("sync")
    anna.ok("assign", cases[0], "me")
    ben.ok("assign", cases[1], "me")
    past = (ih.today() - datetime.timedelta(days=7)).isoformat()
    ben.ok("follow-up", cases[2], "--on", past)
    anna.ok("sync")
    ben.ok("sync")
    return cases


def listed(ws, *flags):
    return [c["case"] for c in ws.json("list", *flags)["cases"]]


def test_mine_lists_the_cases_assigned_to_each_member(anna, ben, assigned_cases):
    assert [c for c in listed(anna, "--mine") if c in assigned_cases] == [assigned_cases[0]]
    assert [c for c in listed(ben, "--mine") if c in assigned_cases] == [assigned_cases[1]]


def test_unassigned_leaves_out_assigned_cases(anna, assigned_cases):
    unassigned = listed(anna, "--unassigned")
    assert assigned_cases[2] in unassigned
    assert assigned_cases[0] not in unassigned and assigned_cases[1] not in unassigned


def test_due_includes_a_follow_up_day(anna, assigned_cases):
    # Seen ten days before today, no legal deadline of these cases is near; the follow-up
    # day (seven days ago) is three days ahead.
    early = (ih.today() - datetime.timedelta(days=10)).isoformat()
    rows = anna.json("list", "--due", "--today", early)["cases"]
    due = [r for r in rows if r["case"] in assigned_cases]
    assert [r["case"] for r in due] == [assigned_cases[2]]
    assert due[0]["follow_up"] == (ih.today() - datetime.timedelta(days=7)).isoformat()
    assert due[0]["assigned"] is None and due[0]["needs_action"] is False
    today_rows = {r["case"]: r for r in anna.json("list", "--due")["cases"]}
    assert today_rows[assigned_cases[2]]["follow_up_overdue"] is True


def test_assigning_keeps_the_follow_up_day_and_show_names_both(daemon, anna, ben, assigned_cases, keys, signer):
    case = assigned_cases[2]
    anna.ok("assign", case, key_id(keys.other_staff_public_text))
    ben.ok("sync")
    assert case in listed(ben, "--mine")
    text = ben.ok("show", case).stdout.decode()
    past = (ih.today() - datetime.timedelta(days=7)).isoformat()
    assert f"Assigned to:  {key_id(keys.other_staff_public_text)} (you)" in text and f"Follow-up:    {past}" in text
    ben.ok("follow-up", case, "--none")
    anna.ok("sync")
    rows = {r["case"]: r for r in anna.json("list", "--unassigned")["cases"]}
    assert case not in rows
    mine = {r["case"]: r for r in ben.json("list", "--mine")["cases"]}
    assert mine[case]["follow_up"] is None
    assert server_case(signer, daemon, case)["status"] == "received"


def test_assign_refuses_a_name_it_cannot_resolve(anna, assigned_cases):
    result = anna.run("assign", assigned_cases[0], "Anna")
    assert result.returncode == 2
    assert "\"Anna\" names no member" in result.stderr.decode()


# --- what the daemon refuses ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def target(daemon, signer, keys):
    case, _ = new_case(daemon, "Ziel der kaputten Einträge")
    return case, ih.reporter_key_of(signer, daemon, keys, case)


def note_plaintext(case: str, text: str = "Notiz", seed: bytes | None = None) -> bytes:
    content = {"v": 2, "type": "note", "case": case, "day": ih.today().isoformat(), "text": text}
    return json.dumps(so.sign_item(content, seed or os.urandom(32))).encode()


@pytest.mark.parametrize("name", ["sealed to the reporter too", "a reply's kind", "unknown kind 7", "truncated",
                                  "a coding padded beyond the smallest bucket", "not an envelope"])
def test_the_daemon_refuses_a_malformed_item_and_stores_nothing(daemon, signer, keys, target, name):
    case, reporter = target
    team = ih.team_public_key(keys)
    plain = note_plaintext(case, seed=signer.seed)
    envelope = {
        "sealed to the reporter too": lambda: ih.seal_envelope(plain, 4, [team, reporter]),
        "a reply's kind": lambda: ih.seal_envelope(plain, 3, [team]),
        "unknown kind 7": lambda: ih.seal_envelope(plain, 7, [team]),
        "truncated": lambda: ih.seal_envelope(plain, 4, [team])[:-600],
        "a coding padded beyond the smallest bucket": lambda: ih.seal_envelope(
            json.dumps({"v": 2, "type": "coding", "case": case, "day": ih.today().isoformat(), "scheme": "x" * 3000,
                        "grounds": [], "area": None, "form": None, "level": None, "interventions": [],
                        "outcome": None}).encode(), 5, [team]),
        "not an envelope": lambda: b"SBX1" + os.urandom(40),
    }[name]()
    before = len(feed_of(signer, daemon, case))
    r = post_item(signer, daemon, case, envelope)
    assert r.status_code == 422, r.text
    assert ih.error_code(r) == "malformed_body"
    assert len(feed_of(signer, daemon, case)) == before
    assert daemon.healthy()


def test_a_note_is_refused_where_replies_go(daemon, signer, keys, target):
    case, reporter = target
    envelope = ih.seal_envelope(note_plaintext(case, seed=signer.seed), 4, [reporter, ih.team_public_key(keys)])
    assert ih.post_reply(signer, daemon, case, envelope).status_code == 422


def test_a_body_that_is_not_json_is_400_and_an_unknown_case_404(daemon, signer, keys, target):
    case, _ = target
    assert post_item(signer, daemon, case, body=b"{not json").status_code == 400
    envelope = ih.seal_envelope(note_plaintext("ZZZZ-ZZZZ", seed=signer.seed), 4, [ih.team_public_key(keys)])
    assert post_item(signer, daemon, "ZZZZ-ZZZZ", envelope).status_code == 404


def test_an_unsigned_request_is_refused(daemon, keys, target):
    case, _ = target
    envelope = ih.seal_envelope(note_plaintext(case), 4, [ih.team_public_key(keys)])
    r = daemon_staff_post_unsigned(daemon, case, envelope)
    assert r.status_code == 401


def daemon_staff_post_unsigned(daemon, case, envelope):
    import requests
    return requests.post(daemon.staff_url + f"/api/v1/staff/cases/{case}/items",
                         json={"envelope": e2e.b64u(envelope)}, timeout=30)


# --- a tampered or forged item ---------------------------------------------------------------------------------

def insert_item(daemon: e2e.Daemon, case: str, kind: str, envelope: bytes) -> str:
    """Writes an item straight into the daemon's database, as an attacker with write access
    (and the key store) would."""
    item_id = os.urandom(16).hex()
    connection = daemon.db()
    with connection:
        connection.execute("INSERT INTO items (id, case_ref, position, kind, day, envelope) VALUES "
                           "(?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM items WHERE case_ref = ?), ?, ?, ?)",
                           (item_id, case, case, kind, ih.today().isoformat(),
                            sl.wrap_item(sl.storage_key(daemon.storage, case), item_id, envelope)))
    connection.close()
    return item_id


def test_a_tampered_note_is_marked_and_the_rest_of_the_case_stays_readable(daemon, anna, ben, signer, keys):
    case, code = new_case(daemon, "Meldung mit veränderter Notiz")
    anna.ok("sync")
    anna.ok("note", case, "-", input="echte Notiz".encode())
    anna.ok("assign", case, "me")
    genuine = [i for i in feed_of(signer, daemon, case) if i["kind"] == "note"][0]
    altered = bytearray(e2e.unb64u(genuine["envelope"]))
    altered[-1] ^= 1
    tampered_id = insert_item(daemon, case, "note", bytes(altered))
    forged_id = insert_item(daemon, case, "case-data", ih.seal_envelope(json.dumps(so.sign_item(
        {"v": 2, "type": "case-data", "case": case, "day": ih.today().isoformat(), "assigned": None,
         "follow_up": None}, os.urandom(32))).encode(), 6, [ih.team_public_key(keys)]))
    ben.ok("sync")
    result, items = show(ben, case)
    assert result.returncode == 3
    by_id = {i["id"]: i for i in items}
    assert by_id[tampered_id]["status"] == "tampered"
    assert by_id[forged_id]["status"] == "forged"
    # PyNaCl's signature (PROTOCOL §3.4 alone) verified in Swift; only its signer is unknown.
    assert "which this workstation does not know" in by_id[forged_id]["error"]
    rest = [(i["kind"], i["status"]) for i in items if i["id"] not in (tampered_id, forged_id)]
    assert rest == [("report", "ok"), ("note", "ok"), ("case-data", "ok")]
    assert "failed authentication" in result.stderr.decode()
    # The forged case data does not unassign the case: the genuine one is still current.
    current = [i for i in items if i["kind"] == "case-data" and i.get("current")]
    assert [c["assigned"] for c in current] == [key_id(keys.staff_public_text)]
    assert case in listed(anna, "--mine") or anna.ok("sync") and case in listed(anna, "--mine")
    thread = ih.open_inbox(daemon, code).json()
    assert [m["text"] for m in thread["messages"]] == ["Meldung mit veränderter Notiz"]


def test_pynacl_verifies_every_item_of_case_work_the_cli_signed(daemon, signer, keys, noted_case, assigned_cases):
    """An independent reader (PyNaCl and PROTOCOL §3.4 alone) opens each note, coding and case data
    the CLI wrote with the team key and checks its signature against one of the two staff keys."""
    members = {so.parse_key_text(keys.staff_public_text, so.STAFF_PREFIX),
               so.parse_key_text(keys.other_staff_public_text, so.STAFF_PREFIX)}
    seen = set()
    for case in [noted_case[0], *assigned_cases]:
        for item in feed_of(signer, daemon, case):
            if item["kind"] not in ("note", "coding", "case-data"):
                continue
            kind, plaintext = so.open_envelope(e2e.unb64u(item["envelope"]), keys.team_secret)
            content = json.loads(plaintext)
            assert kind == item["kind"] == content["type"] and content["case"] == case
            assert so.verify_item(content) in members
            with pytest.raises(so.AuthenticationFailed):
                so.verify_item({**content, "day": "2000-01-01"})
            seen.add(kind)
    assert seen == {"note", "coding", "case-data"}
