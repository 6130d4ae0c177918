"""Issue 8 gap 2: a refused web form comes back filled. On every refusal of POST /report
(503 while the key derivation is busy, 413 for a file or a body over the limits, 422)
and of the inbox's follow-up form, the answer is the form again, under the truthful
status, with what the reporter wrote (never a file's contents), the names of the files
to choose again (escaped), and the message first, focused. Gap 7: no free-text field is
offered to a spell checker. And a 1-byte and a 1,000-byte report cannot be told apart by
their stored size or by the length of their confirmation pages."""

from __future__ import annotations

import html as htmllib
import re
import threading
import time

import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e

TEXT = "Der Vermieter sagte <nein> & legte auf."
FIELDS = [("text", TEXT), ("grounds", "age"), ("grounds", "religion"), ("area", "housing"),
          ("when", "letzte Woche"), ("where", "Hannover-Linden"), ("contact", "erreichbar@example.org")]
EVIL_NAME = "<b onmouseover=x>bild & 'foto'.jpg"


def assert_filled_form(page: str, files: list[str]) -> None:
    """The report form, filled with FIELDS, the files named, the message first and focused."""
    assert f">{htmllib.escape(TEXT, quote=True).replace('&#x27;', '&#39;')}</textarea>" in page, page[:3000]
    for ground in ("age", "religion"):
        assert f'value="{ground}" checked' in page
    assert 'value="housing" checked' in page
    for value in ("letzte Woche", "Hannover-Linden"):
        assert f'value="{value}"' in page
    assert ">erreichbar@example.org</textarea>" in page
    summary = page.find('<div class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus')
    assert 0 < summary < page.find("<form ") and page.find("<h1>") < summary, "the message is not first"
    assert page.count(" autofocus") == 1
    for name in files:
        escaped = htmllib.escape(name, quote=True).replace("&#x27;", "&#39;")
        assert page.count(f'<li><bdi>{escaped}</bdi></li>') == 2, f"{name} is not named as a file to choose again"
    assert "<b onmouseover" not in page
    assert 'class="code-groups"' not in page


def form_with_files(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    return e2e.multipart(FIELDS, [("attachment", name, "image/jpeg", data) for name, data in files])


# --- 503 -----------------------------------------------------------------------------------------

def test_busy_key_derivation_gives_the_form_back_filled_with_503_and_retry_after(daemon_factory):
    daemon = daemon_factory(SEALBOX_CRYPTO_KDF_WORKERS="1", SEALBOX_CRYPTO_KDF_QUEUE="0",
                            SEALBOX_CRYPTO_KDF_OPSLIMIT="8", SEALBOX_CRYPTO_KDF_MEMLIMIT="67108864")
    body, ctype = form_with_files([("beleg.jpg", b"\xff\xd8 secret-photo-bytes"), (EVIL_NAME, b"x" * 100)])
    answers = []
    for attempt in range(10):
        slow: list = []
        holder = threading.Thread(target=lambda: slow.append(
            daemon.post("/api/v1/reports", json={"text": f"hält den Ableiter besetzt {attempt}"}, timeout=120)))
        holder.start()
        time.sleep(0.1)
        response = daemon.post("/report?lang=de", data=body, headers={"Content-Type": ctype})
        holder.join(120)
        answers.append(response.status_code)
        if response.status_code == 503:
            break
    else:
        pytest.fail(f"no 503 in {answers}")
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.text
    assert_filled_form(page, ["beleg.jpg", EVIL_NAME])
    assert '<h2 id="error-summary-title">Im Moment ausgelastet</h2>' in page
    assert "secret-photo-bytes" not in page
    assert "Ihre Meldung wurde noch nicht gesendet." in page
    # Sent again once the pool is free, the same form is accepted.
    again = daemon.post("/report?lang=de", data=body, headers={"Content-Type": ctype})
    assert again.status_code == 200 and 'class="code-groups"' in again.text
    assert daemon.wait_tmp_empty() == []


# --- 413 -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(module_daemons):
    """Files of at most 2 KiB each and 3 KiB together."""
    return module_daemons(SEALBOX_LIMITS_ATTACHMENT_SIZE="2048", SEALBOX_LIMITS_ATTACHMENT_TOTAL="3072")


def test_a_file_over_its_limit_gives_the_form_back_filled_with_413(small):
    body, ctype = form_with_files([("klein.jpg", b"k" * 100), ("gross.jpg", b"g" * 4000)])
    response = small.post("/report?lang=en", data=body, headers={"Content-Type": ctype})
    assert response.status_code == 413, response.text[:500]
    assert_filled_form(response.text, ["klein.jpg", "gross.jpg"])
    assert "A file is too large." in response.text
    assert small.counts()["cases"] == 0 and small.wait_tmp_empty() == []


def test_a_body_declared_over_the_limit_gives_back_the_fields_it_began_with_413(small):
    """The declared length is over the limit, so the files are never read: only the
    fields before them, and the name of the first file."""
    body, ctype = form_with_files([("scan.pdf", b"s" * 200_000), ("zwei.pdf", b"z" * 200_000)])
    response = small.post("/report?lang=en", data=body, headers={"Content-Type": ctype})
    assert response.status_code == 413, response.text[:500]
    assert_filled_form(response.text, ["scan.pdf"])
    assert "s" * 1000 not in response.text
    assert small.counts()["cases"] == 0


def test_a_stalled_body_over_the_limit_is_answered_at_once_with_the_fields_it_sent(small):
    """A client that declares 50 MB, sends its fields and the start of a file, then
    stalls: the form comes back with those fields within seconds, not at the client's
    leisure (the fields are read for a bounded time only)."""
    body, ctype = form_with_files([("riesig.mov", b"m" * 100_000)])
    host = small.public_url.removeprefix("http://")
    head = (f"POST /report?lang=en HTTP/1.1\r\nHost: {host}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {50 * 1024 * 1024}\r\n\r\n").encode()
    raw, waited = e2e.raw_http(small.public_url, head, [body[:-20]], read_timeout=20)
    assert e2e.status_of(raw) == 413
    assert waited < 8, f"the answer took {waited:.1f} s"
    assert_filled_form(raw.partition(b"\r\n\r\n")[2].decode(), ["riesig.mov"])
    assert small.healthy()


def test_a_refused_body_with_a_non_ascii_part_header_name_is_salvaged_without_harm(small):
    """The salvage of a refused form reads the start of the body through the same guarded
    path as a submission: a part header name with a byte over 0x7F (which traps the
    multipart parser underneath) gets the form back, and the daemon keeps serving."""
    boundary = "gegen"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nHallo\r\n"
            f"--{boundary}\r\n").encode() + b"\xc3\xa4: a\r\n\r\nx\r\n" + f"--{boundary}--\r\n".encode()
    host = small.public_url.removeprefix("http://")
    head = (f"POST /report?lang=en HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {50 * 1024 * 1024}\r\n\r\n").encode()
    raw, _ = e2e.raw_http(small.public_url, head, [body], read_timeout=20)
    assert e2e.status_of(raw) == 413
    assert small.healthy()
    assert small.post("/api/v1/reports", json={"text": "danach"}).status_code == 201


# --- 422 -----------------------------------------------------------------------------------------

def test_a_missing_text_gives_the_form_back_with_the_other_fields_and_files_named_with_422(small):
    body, ctype = e2e.multipart([("text", "  "), ("where", "Hannover-Linden")],
                                [("attachment", "foto.png", "image/png", b"png")])
    response = small.post("/report?lang=en", data=body, headers={"Content-Type": ctype})
    assert response.status_code == 422
    assert 'value="Hannover-Linden"' in response.text
    assert response.text.count('<li><bdi>foto.png</bdi></li>') == 2
    assert '<a href="#field-text">' in response.text


# --- the follow-up form ------------------------------------------------------------------------

def test_a_refused_follow_up_gives_its_text_back_and_names_its_files_with_413(small):
    created = small.post("/api/v1/reports", json={"text": "erste Meldung"})
    assert created.status_code == 201
    visit = ih.open_visit(small, created.json()["code"])
    text = "Noch etwas <wichtiges> dazu."
    response = visit.follow_up(text, [("zu-gross.jpg", "image/jpeg", b"g" * 4000)])
    assert response.status_code == 413
    page = response.text
    assert f">{htmllib.escape(text, quote=False)}</textarea>" in page
    assert page.count('<li><bdi>zu-gross.jpg</bdi></li>') == 2
    summary = page.find('id="error-summary" autofocus')
    assert 0 < summary < page.find('action="/inbox/messages"')
    assert f'name="visit" value="{visit.token}"' in page, "the form can be sent again in the same visit"
    # Sent again without the file, it arrives.
    assert visit.follow_up(text).status_code == 200


# --- spell checkers (gap 7) -----------------------------------------------------------------------

def test_no_free_text_field_is_offered_to_a_spell_checker(daemon):
    form = daemon.get("/report").text
    fields = re.findall(r"<(?:textarea|input type=\"text\")[^>]*>", form)
    assert len(fields) == 7, fields  # text, when, the incident's day, month and year, where, contact
    for field in fields:
        assert 'spellcheck="false"' in field and 'autocomplete="off"' in field, field
    created = daemon.post("/api/v1/reports", json={"text": "x"}).json()
    thread = ih.open_visit(daemon, created["code"]).response.text
    textareas = re.findall(r"<textarea[^>]*>", thread)
    assert textareas and all('spellcheck="false"' in t for t in textareas), textareas
    assert 'spellcheck="true"' not in form + thread


# --- what the length of a report can tell --------------------------------------------------------

@pytest.fixture(scope="module")
def short_and_long(daemon):
    """{length of the text: (case reference, confirmation page bytes)} for a 1-byte and a 1,000-byte report."""
    pages = {}
    for text in ("x", "y" * 1000):
        response = daemon.post("/report?lang=de", data={"text": text})
        assert response.status_code == 200
        case, _ = e2e.parse_confirmation(response.text)
        pages[len(text)] = (case, response.content)
    return pages


def stored_sizes(daemon, pages) -> dict[int, int]:
    with daemon.db() as db:
        return {n: db.execute("SELECT length(envelope) FROM items WHERE case_ref = ? AND kind = 'report'",
                              (case,)).fetchone()[0] for n, (case, _) in pages.items()}


def test_a_one_byte_and_a_thousand_byte_report_have_confirmation_pages_of_one_length(short_and_long):
    lengths = {n: len(body) for n, (_, body) in short_and_long.items()}
    assert lengths[1] == lengths[1000], lengths


def test_a_one_byte_and_a_thousand_byte_report_are_stored_in_envelopes_of_one_size(daemon, short_and_long):
    """PROTOCOL §3.1: the smallest bucket (2 KiB) holds a 1,000-byte text with its JSON."""
    sizes = stored_sizes(daemon, short_and_long)
    assert sizes[1] == sizes[1000] and sizes[1] >= 2048, sizes


def test_short_reports_up_to_the_smallest_bucket_are_stored_in_envelopes_of_one_size(daemon, short_and_long):
    response = daemon.post("/report?lang=de", data={"text": "z" * 800})
    case, _ = e2e.parse_confirmation(response.text)
    sizes = stored_sizes(daemon, {**short_and_long, 800: (case, response.content)})
    assert sizes[1] == sizes[800] >= 2048, sizes
    assert len(response.content) == len(short_and_long[1][1])
