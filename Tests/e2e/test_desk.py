"""The counsellor's desk (issue 11, docs/design/DESK.md §3–§5): the real `sealbox desk`
over a real workstation store, against a real daemon, over real HTTP on loopback.

The door: the one-time start address, the session cookie, Host (421), Origin (403) and
form tokens (403), the headers of every answer. Sign-in with the typed passphrase (the
passphrase file setting is removed), Lock and the idle lock, after which no decrypted text
is served. The work: the inbox lists the case, the case page shows the report with its
checked signature, a reply reaches the reporter (read with her code), a status change is
seen by the reporter, a note is read by a second member's CLI after a sync.
"""

from __future__ import annotations

import json
import time

import pytest

import desk_helpers as dh
import inbox_helpers as ih
import sealbox_e2e as e2e

REPORT = "Mein Vorgesetzter nennt mich vor dem Team wiederholt 'die Quotenfrau'. Bitte um Rat."
REPORT_HTML = REPORT.replace("'", "&#39;")  # as the page escapes it


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


@pytest.fixture(scope="module")
def report(daemon, anna):
    r = daemon.post("/api/v1/reports", json={"text": REPORT, "when": "seit März"})
    assert r.status_code == 201, r.text
    anna.ok("sync")
    return r.json()["case"], r.json()["code"]


@pytest.fixture(scope="module")
def desk(anna, report):
    """Anna's desk, entered and unlocked."""
    d = dh.Desk(anna)
    d.enter()
    assert d.unlock().status_code == 303
    yield d
    d.stop()


@pytest.fixture
def fresh_desk(anna, report):
    """A desk not yet entered."""
    d = dh.Desk(anna)
    yield d
    d.stop()


def assert_desk_headers(response):
    assert response.headers.get("Content-Security-Policy") == dh.DESK_CSP, response.url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", response.url
    assert response.headers.get("Referrer-Policy") == "no-referrer", response.url
    assert response.headers.get("Cache-Control") == "no-store", response.url


# --- the door ----------------------------------------------------------------------------------------------

def test_the_start_address_works_once_and_sets_a_strict_cookie(fresh_desk):
    assert fresh_desk.get("/start?s=" + "A" * 43, cookie=False).status_code == 403
    assert fresh_desk.get("/start", cookie=False).status_code == 403
    first = fresh_desk.enter()
    assert first.headers["Location"] == "/"
    cookie = first.headers["Set-Cookie"]
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= {part.strip() for part in cookie.split(";")}
    assert "Domain" not in cookie and "Expires" not in cookie and "Max-Age" not in cookie
    second = fresh_desk.get("/start?s=" + fresh_desk.secret, cookie=False)
    assert second.status_code == 403
    assert "Set-Cookie" not in second.headers
    assert "sealbox desk" in second.text


def test_the_start_address_is_on_loopback_with_a_32_byte_secret(fresh_desk):
    assert fresh_desk.start_url.startswith("http://127.0.0.1:")
    assert len(e2e.unb64u(fresh_desk.secret)) == 32


def test_without_the_session_cookie_nothing_is_served(fresh_desk, report):
    case, _ = report
    fresh_desk.enter()
    for path in ["/", f"/cases/{case}", "/nowhere"]:
        assert fresh_desk.get(path, cookie=False).status_code == 403
        assert fresh_desk.get(path, cookie=False, headers={"Cookie": "sealbox_desk=" + "A" * 43}).status_code == 403
    refused = fresh_desk.request("POST", "/unlock", cookie=False, data={"passphrase": e2e.PASSPHRASE})
    assert refused.status_code == 403
    assert fresh_desk.get("/").status_code == 200


def test_a_foreign_host_is_misdirected(desk):
    for host in ["evil.example", f"evil.example:{desk.port}", f"127.0.0.1:{desk.port + 1}", "127.0.0.1"]:
        response = desk.get("/", headers={"Host": host})
        assert response.status_code == 421, host
        assert "Quotenfrau" not in response.text


def test_a_state_change_from_a_foreign_origin_is_refused(desk, report, anna):
    case, _ = report
    token = desk.form_token(f"/cases/{case}/note")
    for headers in [{"Origin": "http://evil.example"}, {"Origin": "null"},
                    {"Origin": f"http://127.0.0.1:{desk.port + 1}"}]:
        response = desk.post(f"/cases/{case}/note", {"text": "von fremder Seite"}, token=token, origin=None,
                             headers=headers)
        assert response.status_code == 403, headers
    for site in ["cross-site", "same-site", "none"]:
        sandboxed = desk.post(f"/cases/{case}/note", {"text": "fremd aus der Sandbox"}, token=token, origin=None,
                              headers={"Origin": "null", "Sec-Fetch-Site": site})
        assert sandboxed.status_code == 403, site
    no_origin = desk.post(f"/cases/{case}/note", {"text": "ohne Origin"}, token=token, origin=None)
    assert no_origin.status_code == 403
    foreign_referer = desk.post(f"/cases/{case}/note", {"text": "fremder Referer"}, token=token, origin=None,
                                headers={"Referer": "http://evil.example/page"})
    assert foreign_referer.status_code == 403
    own_referer = desk.post("/sync", token=desk.form_token("/sync"), origin=None,
                            headers={"Referer": desk.url("/")})
    assert own_referer.status_code == 303
    items = anna.json("show", case)["items"]
    assert not any("fremd" in (i.get("text") or "") or "ohne Origin" in (i.get("text") or "") for i in items)


def test_a_missing_or_wrong_form_token_is_refused(desk, report):
    case, _ = report
    path = f"/cases/{case}/note"
    assert desk.post(path, {"text": "ohne Token"}, token=None).status_code == 403
    assert desk.post(path, {"text": "falsches Token"}, token="A" * 43).status_code == 403
    other = desk.form_token(f"/cases/{case}/reply")
    assert desk.post(path, {"text": "Token der Antwort"}, token=other).status_code == 403
    assert desk.post("/lock", token=None).status_code == 403
    assert desk.get("/").status_code == 200 and "Inbox" in desk.get("/").text  # not locked by the refused post


# --- sign-in ------------------------------------------------------------------------------------------------

def test_a_wrong_passphrase_is_refused_with_a_message(fresh_desk, report):
    case, _ = report
    fresh_desk.enter()
    page = fresh_desk.get("/")
    assert page.status_code == 200 and 'type="password"' in page.text
    refused = fresh_desk.unlock("falsche Passphrase")
    assert refused.status_code == 401
    assert "The passphrase does not open your key files" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert "Quotenfrau" not in fresh_desk.get(f"/cases/{case}").text
    assert fresh_desk.unlock().status_code == 303
    assert REPORT_HTML in fresh_desk.get(f"/cases/{case}").text


def test_the_sign_in_page_speaks_german_by_default(anna, report):
    d = dh.Desk(anna, language="de-DE,de;q=0.9")
    try:
        d.enter()
        page = d.get("/")
        assert '<html lang="de"' in page.text and "Schreibtisch entsperren" in page.text
        refused = d.unlock("falsch")
        assert "Die Passphrase öffnet Ihre Schlüsseldateien nicht" in refused.text
    finally:
        d.stop()


# --- the work -----------------------------------------------------------------------------------------------

def test_the_inbox_lists_the_case_with_its_clock(desk, report):
    case, _ = report
    page = desk.get("/")
    assert page.status_code == 200
    assert '<caption id="inbox-caption">' in page.text and '<th scope="col">' in page.text
    assert f'<a href="/cases/{case}">{case}</a>' in page.text
    row = page.text.split(f'<a href="/cases/{case}">', 1)[1].split("</tr>", 1)[0]
    assert "received" in row and "New message" in row and "Acknowledgement due in 7 days" in row
    assert "Quotenfrau" not in page.text


def test_the_case_page_shows_the_report_with_its_checked_signature(desk, report):
    case, _ = report
    page = desk.get(f"/cases/{case}")
    assert page.status_code == 200
    assert REPORT_HTML in page.text
    assert "seit März" in page.text
    assert "Signature checked" in page.text
    for action in ["reply", "status", "note"]:
        assert f'action="/cases/{case}/{action}"' in page.text


def test_an_unknown_case_is_not_found(desk):
    page = desk.get("/cases/2222-2222")
    assert page.status_code == 404
    assert "There is no such case in the local store" in page.text
    assert desk.get("/cases/not-a-case").status_code == 404


def test_a_reply_reaches_the_reporter(desk, report, daemon):
    case, code = report
    text = "Danke für Ihre Meldung. Wir melden uns bis Freitag."
    sent = desk.post(f"/cases/{case}/reply", {"text": text})
    assert sent.status_code == 303 and sent.headers["Location"] == f"/cases/{case}?done=reply"
    shown = desk.get(sent.headers["Location"])
    assert "The reply was sent" in shown.text and text in shown.text
    inbox = ih.open_inbox(daemon, code).json()
    assert ("team", text) in [(m["author"], m["text"]) for m in inbox["messages"]]
    assert inbox["status"] == "acknowledged"


def test_an_empty_reply_sends_nothing_and_says_so(desk, report, daemon):
    case, code = report
    before = len(ih.open_inbox(daemon, code).json()["messages"])
    refused = desk.post(f"/cases/{case}/reply", {"text": "  \r\n "})
    assert refused.status_code == 400
    assert "The text is empty" in refused.text
    assert len(ih.open_inbox(daemon, code).json()["messages"]) == before


def test_a_status_change_is_seen_by_the_reporter(desk, report, daemon):
    case, code = report
    changed = desk.post(f"/cases/{case}/status", {"status": "in-progress"})
    assert changed.status_code == 303
    page = desk.get(changed.headers["Location"])
    assert "The status was set" in page.text and '<option value="in-progress" selected>' in page.text
    assert ih.open_inbox(daemon, code).json()["status"] == "in-progress"
    bad = desk.post(f"/cases/{case}/status", {"status": "archived"})
    assert bad.status_code == 400 and "Choose one of the statuses offered" in bad.text


def test_a_note_is_read_by_a_second_member(desk, report, ben, keys):
    case, code = report
    note = "Notiz: Rückruf am Montag, Mietvertrag anfordern."
    added = desk.post(f"/cases/{case}/note", {"text": note})
    assert added.status_code == 303
    assert note in desk.get(f"/cases/{case}").text
    ben.ok("sync")
    items = ben.json("show", case)["items"]
    notes = [i for i in items if i["kind"] == "note"]
    assert [n["text"] for n in notes] == [note]
    assert notes[0]["status"] == "ok"


def test_sync_fetches_a_new_report(desk, daemon):
    r = daemon.post("/api/v1/reports", json={"text": "Zweite Meldung über die Kantine."})
    assert r.status_code == 201
    synced = desk.post("/sync")
    assert synced.status_code == 303 and synced.headers["Location"].startswith("/?synced=")
    assert int(synced.headers["Location"].split("=", 1)[1]) >= 1
    assert r.json()["case"] in desk.get("/").text


def test_every_answer_carries_the_desk_headers(desk):
    desk.get("/desk.css")
    desk.get("/nowhere")
    desk.get("/", headers={"Host": "evil.example"})
    desk.get("/", cookie=False)
    assert len(desk.responses) > 20
    statuses = set()
    for response in desk.responses:
        assert_desk_headers(response)
        statuses.add(response.status_code)
    assert {200, 303, 403, 421} <= statuses


# --- locking ------------------------------------------------------------------------------------------------

def test_lock_wipes_the_session_and_serves_no_decrypted_text(anna, report):
    case, _ = report
    d = dh.Desk(anna)
    try:
        d.enter()
        assert d.unlock().status_code == 303
        assert REPORT_HTML in d.get(f"/cases/{case}").text
        note_token = d.form_token(f"/cases/{case}/note")
        locked = d.post("/lock")
        assert locked.status_code == 303
        for path in ["/", f"/cases/{case}", "/?locked=1"]:
            page = d.get(path)
            assert page.status_code == 200 and 'type="password"' in page.text
            assert "Quotenfrau" not in page.text and case not in page.text
        assert d.post(f"/cases/{case}/note", {"text": "nach dem Sperren"},
                      token=note_token).status_code == 200  # the sign-in page
        assert "nach dem Sperren" not in json.dumps(anna.json("show", case))
    finally:
        d.stop()


def test_the_desk_locks_itself_after_the_idle_time(anna, report):
    case, _ = report
    d = dh.Desk(anna, SEALBOX_DESK_IDLE_LOCK="0.05")  # 3 seconds
    try:
        d.enter()
        assert d.unlock().status_code == 303
        assert "Quotenfrau" in d.get(f"/cases/{case}").text
        time.sleep(4.5)
        page = d.get(f"/cases/{case}")
        assert page.status_code == 200 and 'type="password"' in page.text
        assert "Quotenfrau" not in page.text
    finally:
        output = d.stop()
    assert b"Quotenfrau" not in output


def test_a_bad_idle_lock_setting_stops_the_desk_at_start(anna):
    result = anna.run("desk", "--no-browser", env={"SEALBOX_DESK_IDLE_LOCK": "zero"})
    assert result.returncode == 2
    assert b"desk_idle_lock must be a number of minutes" in result.stderr


def test_the_desk_logs_no_request_and_no_content(desk, report):
    case, _ = report
    desk.get(f"/cases/{case}?x=geheim")
    output = desk.stop()
    assert b"Quotenfrau" not in output and b"geheim" not in output and f"/cases/{case}".encode() not in output
    assert output.count(desk.secret.encode()) == 1  # the start address, printed once
