"""The reporter's inbox, as people and browsers use it: a code typed with spaces,
dashes and other digit scripts opens the case, typos and malformed input are
refused before any key derivation, unknown codes all get one answer; what the
pages and the daemon keep is private (no marker of a reply or follow-up in any file
or log line, no code in a log line or a URL, no client address, a session cookie
that is HttpOnly and SameSite=Strict without Max-Age, Secure behind TLS, pages
not cached); and the visit protects the follow-up form against forged requests.
"""

from __future__ import annotations

import base64
import json
import random
import re
import statistics
import time
import uuid
from urllib.parse import urlparse

import pytest
import requests

import inbox_helpers as ih
import sealbox_e2e as e2e

so = e2e.so
RNG = random.Random(20261124)
OTHER_CLIENT = "127.0.0.9"


@pytest.fixture(scope="module")
def daemon(module_daemons):
    # Many code attempts from 127.0.0.1 here; test_inbox_limits.py tests the limit itself.
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="10000", SEALBOX_LOG_LEVEL="trace")


@pytest.fixture(scope="module")
def case(daemon):
    """(case reference, grouped code, report text) of one report."""
    text = "Meldung für die Code-Tests " + uuid.uuid4().hex
    r = daemon.post("/api/v1/reports", json={"text": text})
    assert r.status_code == 201, r.text
    return r.json()["case"], r.json()["code"], text


def api_open(daemon, code, **kw):
    return ih.open_inbox(daemon, code, **kw)


# --- 2. codes as people type them ---------------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(ih.typed_variants("0" * 16)))
def test_every_way_of_typing_the_code_opens_the_case(daemon, case, variant):
    reference, code, text = case
    typed = ih.typed_variants(e2e.code_digits(code))[variant]
    assert so.normalise_code(typed) == e2e.code_digits(code)  # the PyNaCl reader agrees it is this code
    r = api_open(daemon, typed)
    assert r.status_code == 200, f"{variant} {typed!r}: {r.status_code} {r.text[:200]}"
    assert r.json()["case"] == reference and r.json()["messages"][0]["text"] == text


@pytest.mark.parametrize("variant", ["full-width", "arabic-indic", "persian", "dashes", "odd-spacing"])
def test_the_code_form_takes_the_same_variants(daemon, case, variant):
    reference, code, _ = case
    visit = ih.open_visit(daemon, ih.typed_variants(e2e.code_digits(code))[variant])
    assert reference in visit.response.text


def test_the_code_may_fill_64_characters_but_not_65(daemon, case):
    reference, code, _ = case
    digits = e2e.code_digits(code)
    padded = (" " * 24 + ih.grouped(digits) + " " * 64)[:64]
    assert len(padded) == 64
    r = api_open(daemon, padded)
    assert r.status_code == 200 and r.json()["case"] == reference, r.text[:200]
    for too_long in (padded + " ", "-" * 49 + digits):
        assert len(too_long) == 65
        r = api_open(daemon, too_long)
        assert r.status_code == 422 and ih.error_code(r) == "code_malformed", r.text
    # Full-width digits count as one character each, not as their three UTF-8 bytes.
    wide = ih.in_digits(digits, ih.FULL_WIDTH) + "\u3000" * 48
    assert len(wide) == 64
    assert api_open(daemon, wide).status_code == 200


def test_one_wrong_digit_anywhere_is_a_typo(daemon, case):
    digits = e2e.code_digits(case[1])
    for typo in ih.single_digit_typos(digits, RNG):
        r = api_open(daemon, ih.grouped(typo))
        assert r.status_code == 422, f"{typo}: {r.status_code}"
        assert ih.error_code(r) == "code_typo", r.text
        assert typo not in r.text and ih.grouped(typo) not in r.text  # input is not echoed


def test_swapped_neighbours_are_a_typo(daemon, case):
    digits = e2e.code_digits(case[1])
    swaps = ih.neighbour_swaps(digits)
    assert len(swaps) >= 8
    for swapped in swaps:
        r = api_open(daemon, swapped)
        assert r.status_code == 422 and ih.error_code(r) == "code_typo", f"{swapped}: {r.status_code} {r.text}"


@pytest.mark.parametrize("typed", [
    "1" * 15, "1" * 17, "", "    ", "4721 0938 5562 117O", "4721.0938.5562.1170", "4721_0938_5562_1170",
    "٤٧٢١ 0938 5562 11700", "１２３４５６７８９０１２３４５", "0x" + "1" * 14, "+472109385562117",
    "4721 0938 5562 1170 0", "\u00b2" + "1" * 15,  # a superscript two is no digit
], ids=lambda t: repr(t)[:24])
def test_malformed_input_is_refused_as_malformed(daemon, typed):
    r = api_open(daemon, typed)
    assert r.status_code == 422, f"{typed!r}: {r.status_code}"
    assert ih.error_code(r) == "code_malformed", r.text


def test_bodies_that_are_not_a_code_request_are_bad_requests(daemon):
    for body in (b"{}", b'{"code": 4721093855621170}', b'{"code": null}', b"not json", b"[]"):
        r = daemon.post("/api/v1/inbox", data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, f"{body!r}: {r.status_code}"
    r = daemon.post("/api/v1/inbox", json={"code": "1" * 5000})
    assert r.status_code in (413, 422)
    assert daemon.get("/api/v1/inbox").status_code == 405


def test_overlong_input_is_refused_quickly_before_any_derivation(daemon):
    session = requests.Session()

    def timed(code):
        started = time.perf_counter()
        r = session.post(daemon.url("/api/v1/inbox"), json={"code": code}, timeout=30)
        return r, time.perf_counter() - started

    unknown_times, long_times = [], []
    for n in range(5):
        r, t = timed(ih.random_code(RNG))
        assert r.status_code == 404
        unknown_times.append(t)
        for long_input in ("7" * 200, (ih.grouped(ih.random_code(RNG)) + " ") * 10, "٣" * 64 + "1"):
            r, t = timed(long_input)
            assert r.status_code == 422 and ih.error_code(r) == "code_malformed", r.text
            long_times.append(t)
    derivation, refusal = statistics.median(unknown_times), statistics.median(long_times)
    print(f"\nmedian unknown code (one derivation) {derivation * 1000:.1f} ms, "
          f"median over-long input {refusal * 1000:.1f} ms")
    assert refusal < derivation / 3, (refusal, derivation)


def test_unknown_codes_all_get_the_same_404(daemon):
    bodies, pages = set(), set()
    for _ in range(3):
        code = ih.random_code(RNG)
        r = api_open(daemon, code)
        assert r.status_code == 404 and ih.error_code(r) == "code_unknown", r.text
        assert code not in r.text
        bodies.add(r.content)
        w = daemon.post("/inbox", data={"code": ih.grouped(code)})
        assert w.status_code == 404
        assert ih.visit_cookie(w) is None and ih.set_cookies(w) == []
        assert code not in w.text and ih.grouped(code) not in w.text
        pages.add(w.content)
    assert len(bodies) == 1 and len(pages) == 1


def test_the_code_form_shows_a_typo_and_keeps_no_visit(daemon, case):
    digits = e2e.code_digits(case[1])
    typo = ih.single_digit_typos(digits, RNG)[7]
    r = daemon.post("/inbox", data={"code": ih.grouped(typo)}, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert ih.set_cookies(r) == []
    assert "The code contains a typo" in ih.visible_text(r.text)
    form = next(f for f in ih.parse_page(r.text).forms if "code" in f.names())
    assert form.method == "post" and urlparse(form.action).path == "/inbox"
    r = daemon.post("/inbox", data={"code": "12"}, headers={"Accept-Language": "de"})
    assert r.status_code == 422 and "16 Ziffern" in ih.visible_text(r.text)


# --- 3. privacy ---------------------------------------------------------------------------------------------------


def test_the_visit_cookie_is_a_strict_session_cookie(daemon, case):
    reference, code, _ = case
    first, second = ih.open_visit(daemon, code), ih.open_visit(daemon, code)
    for visit in (first, second):
        attrs = visit.cookie_attrs
        assert "httponly" in attrs and attrs.get("samesite", "").lower() == "strict"
        assert attrs.get("path") == "/inbox"
        assert "max-age" not in attrs and "expires" not in attrs, attrs  # a session cookie
        assert "secure" not in attrs, "Secure is set although public.https is not"
        assert "domain" not in attrs
        assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", visit.cookie), visit.cookie
        assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", visit.token), visit.token
        assert visit.cookie != visit.token
        assert e2e.code_digits(code) not in visit.cookie and reference.replace("-", "") not in visit.cookie
    assert first.cookie != second.cookie and first.token != second.token
    assert len(ih.set_cookies(first.response)) == 1


def test_behind_tls_the_cookie_is_secure(daemon_factory, keys):
    tls = daemon_factory(SEALBOX_PUBLIC_HTTPS="true")
    r = tls.post("/api/v1/reports", json={"text": "über TLS"})
    visit = ih.open_visit(tls, r.json()["code"])
    assert "secure" in visit.cookie_attrs and "httponly" in visit.cookie_attrs
    assert visit.cookie_attrs.get("samesite", "").lower() == "strict" and "max-age" not in visit.cookie_attrs
    left = visit.leave()
    cleared = ih.visit_cookie(left)
    assert cleared is not None and cleared[0] == "" and "secure" in cleared[1]


def test_pages_with_content_are_not_cached(daemon, case):
    reference, code, _ = case
    visit = ih.open_visit(daemon, code)
    sent = visit.follow_up("Nicht zwischenspeichern, bitte.")
    answers = {
        "thread page": visit.response, "sent page": sent,
        "api thread": api_open(daemon, code),
        "api follow-up": ih.follow_up_json(daemon, code, "auch hier nicht"),
        "typo page": daemon.post("/inbox", data={"code": ih.single_digit_typos(ih.random_code(RNG), RNG)[3]}),
        "unknown page": daemon.post("/inbox", data={"code": ih.random_code(RNG)}),
        "code form": daemon.get("/inbox"),
        "leave page": visit.leave(),
    }
    for name, r in answers.items():
        assert r.status_code < 500
        assert "no-store" in r.headers.get("Cache-Control", ""), f"{name}: {r.headers.get('Cache-Control')}"
    assert answers["thread page"].status_code == 200 and answers["sent page"].status_code == 200


def all_code_spellings(digits: str) -> list[str]:
    return [digits, ih.grouped(digits), "-".join(ih.grouped(digits).split()), "%20".join(ih.grouped(digits).split()),
            "+".join(ih.grouped(digits).split())]


def test_the_code_is_in_no_url_link_form_or_page_after_it_is_typed(daemon, case):
    reference, code, _ = case
    digits = e2e.code_digits(code)
    english = {"Accept-Language": "en"}
    visit = ih.open_visit(daemon, code, english)
    sent = visit.follow_up("Links prüfen")
    pages = {
        "landing": daemon.get("/", headers=english),
        "code form": daemon.get("/inbox", headers=english),
        "thread": visit.response,
        "sent": sent,
        "typo": daemon.post("/inbox", data={"code": digits[:-1] + str((int(digits[-1]) + 1) % 10)}, headers=english),
        "unknown": daemon.post("/inbox", data={"code": ih.random_code(RNG)}, headers=english),
        "left": visit.leave(),
    }
    code_form = next(f for f in ih.parse_page(pages["code form"].text).forms if "code" in f.names())
    assert code_form.method == "post", "a GET form would put the code into the URL"
    for name, r in pages.items():
        assert "Location" not in r.headers
        page = ih.parse_page(r.text)
        for url in page.urls:
            for spelling in all_code_spellings(digits):
                assert spelling not in url, f"{name}: the code is in {url!r}"
        for form in page.forms:
            assert form.method == "post" or "code" not in form.names(), f"{name}: {form}"
            assert "code" not in [i.get("name") for i in form.inputs if i.get("type") == "hidden"], name
        # Once typed, the code is not repeated on any page: not shown, not in a field.
        for spelling in all_code_spellings(digits)[:3]:
            assert spelling not in r.text, f"the {name} page repeats the code"
    assert reference in pages["thread"].text


@pytest.fixture
def private_run(daemon_factory, keys, signer):
    """A daemon at log level trace taken through a whole conversation with markers, then stopped."""
    d = daemon_factory(SEALBOX_LOG_LEVEL="trace", SEALBOX_LIMITS_CODE_ATTEMPTS="100")
    marker = "Privat" + uuid.uuid4().hex[:12]
    forwarded = "198.51.100.77"
    probe = {"X-Forwarded-For": forwarded, "X-Real-IP": forwarded, "User-Agent": f"probe-{marker}-agent"}
    r = d.post("/api/v1/reports", json={"text": "Meldung ohne Marker"}, headers=probe)
    case, code = r.json()["case"], r.json()["code"]
    reporter = ih.reporter_key_of(signer, d, keys, case)
    reply = ih.seal_envelope(ih.reply_plaintext(case, f"Antwort {marker}-reply", seed=signer.seed), 3, [reporter, ih.team_public_key(keys)])
    assert ih.post_reply(signer, d, case, reply).status_code == 201
    file_content = (f"Datei {marker}-file " * 5000).encode()
    assert ih.follow_up_json(d, code, f"Nachtrag {marker}-json", headers=probe).status_code == 201
    assert ih.follow_up_multipart(d, code, f"Nachtrag {marker}-multi", [(f"{marker}-name.txt", "text/plain",
                                                                         file_content)], headers=probe).status_code == 201
    thread = ih.open_inbox(d, code, headers=probe).json()
    visit = ih.open_visit(d, code, probe)
    assert f"{marker}-reply" in visit.response.text and f"{marker}-multi" in visit.response.text
    sent = visit.follow_up(f"Nachtrag {marker}-web", [(f"{marker}-web.txt", "text/plain", file_content[::-1])])
    assert sent.status_code == 200
    assert d.post("/inbox", data={"code": code[:-1] + str((int(code[-1]) + 3) % 10)}, headers=probe).status_code == 422
    assert visit.leave().status_code == 200
    # The same from another client address, which then must appear nowhere.
    other = ih.client_at(OTHER_CLIENT)
    assert other.post(d.url("/api/v1/inbox"), json={"code": code}, timeout=30).status_code == 200
    assert other.post(d.url("/api/v1/inbox"), json={"code": ih.random_code()}, timeout=30).status_code == 404
    assert other.post(d.url("/api/v1/inbox/messages"), json={"code": code, "text": f"{marker}-other"},
                      timeout=30).status_code == 201
    assert other.post(d.url("/inbox"), data={"code": code}, timeout=30).status_code == 200
    assert d.wait_tmp_empty() == []
    running = {str(p.relative_to(d.storage)): p.read_bytes() for p in e2e.all_files(d.storage)}
    assert d.stop() == 0
    stopped = {str(p.relative_to(d.storage)): p.read_bytes() for p in e2e.all_files(d.storage)}
    return {"daemon": d, "marker": marker, "code": code, "case": case, "thread": thread, "running": running,
            "stopped": stopped, "forwarded": forwarded, "file": file_content}


def test_reply_and_follow_ups_are_in_no_file_and_no_log(private_run):
    marker = private_run["marker"].encode()
    assert len(private_run["thread"]["messages"]) == 4  # the reporter did read all of it
    assert private_run["marker"] in json.dumps(private_run["thread"], ensure_ascii=False)
    for moment in ("running", "stopped"):
        files = private_run[moment]
        assert any(name.endswith(".sqlite") for name in files)
        for name, data in files.items():
            assert marker not in data, f"{name} ({moment}) holds the marker"
            assert private_run["file"][:48] not in data and private_run["file"][::-1][:48] not in data, name
    logs = private_run["daemon"].log_bytes()
    assert logs.strip(), "the daemon at level trace logged nothing at all"
    assert marker not in logs


def test_the_code_and_the_client_address_are_in_no_log_and_no_file(private_run):
    logs = private_run["daemon"].log_bytes().decode(errors="replace")
    digits = e2e.code_digits(private_run["code"])
    for spelling in all_code_spellings(digits):
        assert spelling not in logs
    assert OTHER_CLIENT not in logs and private_run["forwarded"] not in logs and "probe-" not in logs
    for line in logs.splitlines():
        # The daemon's own listening address (127.0.0.1) may be announced, and nothing else of it.
        if re.search(r"listener on http://127\.0\.0\.1:\d+/$|listening on 127\.0\.0\.1:\d+$", line):
            continue
        assert "127.0.0.1" not in line, line
    for name, data in private_run["stopped"].items():
        assert digits.encode() not in data, name
        for address in ("127.0.0.1", OTHER_CLIENT, private_run["forwarded"]):
            assert address.encode() not in data, (name, address)


# --- 4. the visit and forged requests ----------------------------------------------------------------------------


@pytest.fixture
def visit(daemon, case) -> ih.Visit:
    return ih.open_visit(daemon, case[1])


def assert_refused_and_nothing_stored(daemon, response, before):
    assert response.status_code == 403, f"{response.status_code}: {response.text[:200]}"
    assert daemon.counts() == before, "a refused follow-up was stored"
    assert "name=\"code\"" in response.text, "the 403 page should offer the code form again"
    assert 'name="visit"' not in response.text


def test_a_follow_up_through_the_form_is_stored_and_the_visit_goes_on(daemon, visit, case):
    before = daemon.counts()
    assert visit.follow_up("erster Nachtrag im Formular").status_code == 200
    assert visit.follow_up("zweiter Nachtrag, dieselbe Seite").status_code == 200
    after = daemon.counts()
    assert after["items"] == before["items"] + 2
    texts = [m["text"] for m in api_open(daemon, case[1]).json()["messages"]]
    assert texts[-2:] == ["erster Nachtrag im Formular", "zweiter Nachtrag, dieselbe Seite"]


def test_a_follow_up_without_the_cookie_is_refused(daemon, visit):
    before = daemon.counts()
    assert_refused_and_nothing_stored(daemon, visit.follow_up("ohne Cookie", send_cookie=False), before)


@pytest.mark.parametrize("token", ["missing", "empty", "wrong", "truncated", "other-visit", "cookie-as-token"])
def test_a_follow_up_without_this_visit_s_form_token_is_refused(daemon, visit, case, token):
    before = daemon.counts()
    if token == "missing":
        r = visit.follow_up("ohne Token", send_token=False)
    else:
        other = ih.open_visit(daemon, case[1]).token if token == "other-visit" else None
        before = daemon.counts()
        value = {"empty": "", "wrong": base64.urlsafe_b64encode(bytes(32)).decode().rstrip("="),
                 "truncated": visit.token[:-1], "other-visit": other, "cookie-as-token": visit.cookie}[token]
        r = visit.follow_up(f"Token {token}", token=value)
    assert_refused_and_nothing_stored(daemon, r, before)
    assert visit.follow_up("danach mit dem richtigen Token").status_code == 200  # the real visit is unharmed


def test_a_made_up_cookie_is_refused(daemon, visit):
    before = daemon.counts()
    for cookie in (visit.token, "A" * 43, visit.cookie[:-2], visit.cookie + "x"):
        assert_refused_and_nothing_stored(daemon, visit.follow_up("erfunden", cookie=cookie), before)


def test_after_leaving_the_visit_sends_nothing(daemon, visit):
    left = visit.leave()
    assert left.status_code == 200
    cleared = ih.visit_cookie(left)
    assert cleared is not None and cleared[0] == ""
    assert "expires" in cleared[1] or cleared[1].get("max-age") == "0"
    assert visit.token not in left.text and 'name="visit"' not in left.text
    before = daemon.counts()
    assert_refused_and_nothing_stored(daemon, visit.follow_up("nach dem Verlassen"), before)
    assert visit.leave().status_code == 200  # leaving twice is harmless


def test_a_forged_leave_does_not_end_the_visit(daemon, visit):
    """"leave" changes state, so it is bound to the visit's form token like the follow-up:
    a request without it neither ends the visit on the server nor tells the browser to
    drop the cookie (which would sign the reporter out just the same)."""
    for fields in ({"visit": "falsch"}, {"weiter": "nein"}, {"visit": visit.cookie}):
        r = daemon.post("/inbox/leave", data=fields, headers=visit.cookie_header)
        assert visit.follow_up("noch da").status_code == 200, f"{fields}: the visit was ended"
        assert ih.visit_cookie(r) is None, f"{fields}: answered {r.status_code} and cleared the cookie"
        assert r.status_code in (200, 403), f"{fields}: {r.status_code}"


@pytest.mark.parametrize("door", ["form", "api-json", "api-multipart"])
def test_an_empty_follow_up_is_refused_and_not_stored(daemon, visit, case, door):
    before = daemon.counts()
    for text in ("", "  \n\t "):
        if door == "form":
            r = visit.follow_up(text)
        elif door == "api-json":
            r = ih.follow_up_json(daemon, case[1], text)
        else:
            r = ih.follow_up_multipart(daemon, case[1], text, [("leer.txt", "text/plain", b"nur eine Datei")])
        assert r.status_code == 422, f"{text!r}: {r.status_code} {r.text[:200]}"
        if door == "form":  # the page comes back with the form and this visit's token
            assert ih.parse_page(r.text).forms and visit.token in r.text
    assert daemon.counts() == before
    assert daemon.wait_tmp_empty() == []


def test_visits_live_in_memory_only(daemon_factory):
    d = daemon_factory()
    code = d.post("/api/v1/reports", json={"text": "Neustart"}).json()["code"]
    visit = ih.open_visit(d, code)
    assert d.stop() == 0
    d.start()
    visit.daemon = d
    before = d.counts()
    r = visit.follow_up("nach dem Neustart")
    assert r.status_code == 403 and d.counts() == before


def test_the_thread_page_is_sent_to_one_visit_only(daemon, case):
    """Two visits of the same case are independent: leaving one leaves the other open."""
    a, b = ih.open_visit(daemon, case[1]), ih.open_visit(daemon, case[1])
    assert a.leave().status_code == 200
    assert b.follow_up("die andere Sitzung").status_code == 200
    assert a.follow_up("die beendete Sitzung").status_code == 403


def test_the_json_thread_has_the_documented_shape(daemon, case):
    reference, code, text = case
    t = api_open(daemon, code).json()
    assert set(t) == {"case", "status", "received", "acknowledged", "acknowledgement_due", "feedback_due", "messages"}
    assert t["case"] == reference and t["status"] == "received" and t["acknowledged"] is None
    assert t["acknowledgement_due"] == ih.acknowledgement_due(t["received"])
    assert t["feedback_due"] == ih.feedback_due(t["received"])
    first = t["messages"][0]
    assert set(first) == {"author", "day", "text", "attachments"}
    assert first == {"author": "reporter", "day": t["received"], "text": text, "attachments": []}
    assert json.dumps(t).count(e2e.code_digits(code)) == 0
