"""Section 4: every bad input gets its status and a localised message (German by
default, English by Accept-Language and by ?lang=en), and nothing is stored: no
row in the database and no file left in tmp/. Over-large bodies are refused
before they have been sent in full; broken and abandoned uploads leave nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import requests

import sealbox_e2e as e2e

LIMITS = {
    "SEALBOX_LIMITS_TEXT_LENGTH": "2000",
    "SEALBOX_LIMITS_FIELD_LENGTH": "100",
    "SEALBOX_LIMITS_ATTACHMENT_COUNT": "3",
    "SEALBOX_LIMITS_ATTACHMENT_SIZE": "100000",
    "SEALBOX_LIMITS_ATTACHMENT_TOTAL": "250000",
}

# A distinctive part of each message, from the catalogues (German, English).
MESSAGES = {
    "body_too_large": ("Die Meldung ist insgesamt zu groß", "The report is too large overall"),
    "file_too_large": ("Eine Datei ist zu groß", "A file is too large"),
    "too_many_files": ("Das sind zu viele Dateien", "You chose too many files"),
    "text_missing": ("Bitte beschreiben Sie, was passiert ist", "Please describe what happened"),
    "text_too_long": ("Ihr Text ist zu lang", "Your text is too long"),
    "field_too_long": ("Diese Angabe ist zu lang", "This entry is too long"),
    "invalid_choice": ("Diese Auswahl gibt es nicht", "This choice does not exist"),
    "invalid_utf8": ("Einige Zeichen konnten nicht gelesen werden", "Some characters could not be read"),
    "malformed_body": ("Die gesendeten Daten konnten nicht gelesen werden", "The data sent could not be read"),
    "unsupported_media_type": ("in einem Format, das wir nicht annehmen", "in a format we do not accept"),
}
# Titles of the HTML error pages.
TITLES = {
    400: ("Das hat nicht geklappt", "That did not work"),
    413: ("Die Meldung ist zu groß", "The report is too large"),
    415: ("Dieses Format wird nicht angenommen", "This format is not accepted"),
    422: ("Bitte prüfen Sie Ihre Angaben", "Please check what you entered"),
}
VARIANTS = [("de", {}, ""), ("en", {"Accept-Language": "en"}, ""), ("en", {}, "?lang=en")]


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(**LIMITS)


def refused(daemon, send, status, code=None, field=None):
    """Sends three times (German, English by header, English by query); checks each answer
    and that nothing was stored."""
    before = daemon.counts()
    for language, headers, query in VARIANTS:
        response = send(query, headers)
        assert response.status_code == status, (language, query, response.text[:300])
        assert response.headers.get("Content-Language") == language
        assert "Set-Cookie" not in response.headers
        if code:
            assert response.headers["Content-Type"].startswith("application/json")
            error = response.json()["error"]
            assert error["code"] == code
            assert MESSAGES[code][0 if language == "de" else 1] in error["message"], error["message"]
            if field:
                assert field in [f["field"] for f in error["fields"]]
        else:
            assert response.headers["Content-Type"].startswith("text/html")
            assert TITLES[status][0 if language == "de" else 1] in response.text
            assert f'lang="{language}"' in response.text
    assert daemon.counts() == before, "a refused submission was stored"
    assert daemon.wait_tmp_empty() == [], "a refused submission left files in tmp/"
    assert daemon.healthy()


def api_json(daemon, payload=None, raw: bytes | None = None, ctype="application/json"):
    data = raw if raw is not None else json.dumps(payload).encode()

    def send(query, headers):
        return daemon.post("/api/v1/reports" + query, data=data, headers={"Content-Type": ctype, **headers})
    return send


def api_multipart(daemon, fields, files=(), path="/api/v1/reports"):
    body, ctype = e2e.multipart(fields, files)

    def send(query, headers):
        return daemon.post(path + query, data=body, headers={"Content-Type": ctype, **headers})
    return send


def head(daemon, path, ctype, length, extra=""):
    host = daemon.public_url.removeprefix("http://")
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


# --- over-large bodies ------------------------------------------------------------------------------------


def test_json_over_one_mib_gets_413_and_nothing_is_stored(daemon):
    payload = {"text": "a" * (1 << 20)}
    refused(daemon, api_json(daemon, payload), 413, "body_too_large")


def test_json_of_just_under_one_mib_is_read_to_the_end(daemon):
    # Under the body limit but over the text limit: the body was read and judged.
    before = daemon.counts()
    r = daemon.post("/api/v1/reports", json={"text": "a" * ((1 << 20) - 100)})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "text_too_long"
    assert daemon.counts() == before


@pytest.mark.parametrize("path", ["/api/v1/reports", "/report"])
def test_body_declaring_50_mb_gets_413_before_it_is_sent(daemon, path):
    before = daemon.counts()
    ctype = "application/json" if path.startswith("/api") else "multipart/form-data; boundary=xyz"
    started = time.monotonic()
    raw, first_byte = e2e.raw_http(daemon.public_url, head(daemon, path, ctype, 50 * 1024 * 1024),
                                   [b"{" + b" " * 4096], read_timeout=10)
    assert e2e.status_of(raw) == 413
    assert first_byte < 3.0 and time.monotonic() - started < 10
    header, _, body = raw.partition(b"\r\n\r\n")
    assert b"connection: close" in header.lower()
    if path.startswith("/api"):
        assert json.loads(body)["error"]["code"] == "body_too_large"
    else:
        assert TITLES[413][0].encode() in body
    assert daemon.counts() == before


def test_multipart_declared_over_the_total_gets_413_with_localised_message(daemon):
    # 400 kB declared: more than attachment_total (250 kB) plus room for the fields.
    for language, headers, query in VARIANTS:
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        raw, first_byte = e2e.raw_http(
            daemon.public_url,
            head(daemon, "/api/v1/reports" + query, "multipart/form-data; boundary=b", 400_000, extra),
            [b"--b\r\n"], read_timeout=10)
        assert e2e.status_of(raw) == 413
        assert first_byte < 3.0
        error = json.loads(raw.partition(b"\r\n\r\n")[2])["error"]
        assert error["code"] == "body_too_large"
        assert MESSAGES["body_too_large"][0 if language == "de" else 1] in error["message"]


def send_chunked(daemon, ctype: str, chunks: list[bytes]) -> bytes:
    """Sends a body with Transfer-Encoding: chunked (no Content-Length); returns the raw answer."""
    host = daemon.public_url.removeprefix("http://")

    def chunked(data: bytes) -> bytes:
        return f"{len(data):x}\r\n".encode() + data + b"\r\n"
    raw, _ = e2e.raw_http(daemon.public_url,
                          (f"POST /api/v1/reports HTTP/1.1\r\nHost: {host}\r\nContent-Type: {ctype}\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n").encode(),
                          [chunked(c) for c in chunks] + [b"0\r\n\r\n"], read_timeout=15)
    return raw


def test_chunked_json_over_one_mib_is_cut_off_with_413(daemon):
    before = daemon.counts()
    raw = send_chunked(daemon, "application/json", [b'{"text": "'] + [b"a" * 65536] * 18 + [b'"}'])
    assert e2e.status_of(raw) == 413
    assert json.loads(raw.partition(b"\r\n\r\n")[2])["error"]["code"] == "body_too_large"
    assert daemon.counts() == before
    assert daemon.healthy()


def test_chunked_multipart_over_the_total_is_cut_off_with_413(daemon):
    """Without a Content-Length the body is counted as it streams in."""
    before = daemon.counts()
    boundary = "cutoff"
    start = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhallo\r\n"
             f"--{boundary}\r\nContent-Disposition: form-data; name=\"other\"; filename=\"x.bin\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n").encode()
    # About 790 kB, all in a part the daemon does not keep, so only the body limit can stop it.
    raw = send_chunked(daemon, f"multipart/form-data; boundary={boundary}", [start] + [b"\0" * 65536] * 12)
    assert e2e.status_of(raw) == 413
    assert json.loads(raw.partition(b"\r\n\r\n")[2])["error"]["code"] == "body_too_large"
    assert daemon.counts() == before
    assert daemon.wait_tmp_empty() == []
    assert daemon.healthy()


def test_one_file_over_attachment_size_gets_413_file_too_large(daemon):
    send = api_multipart(daemon, [("text", "mit zu großer Datei")],
                         [("attachment", "gross.bin", "application/octet-stream", os.urandom(100_001))])
    refused(daemon, send, 413, "file_too_large", field="attachment")


def test_one_file_over_attachment_size_in_the_form_gets_413_page(daemon):
    send = api_multipart(daemon, [("text", "mit zu großer Datei")],
                         [("attachment", "gross.bin", "application/octet-stream", os.urandom(100_001))], path="/report")
    refused(daemon, send, 413)


def test_file_of_exactly_attachment_size_is_accepted(daemon):
    before = daemon.counts()
    send = api_multipart(daemon, [("text", "genau an der Grenze")],
                         [("attachment", "grenze.bin", "application/octet-stream", os.urandom(100_000))])
    r = send("", {})
    assert r.status_code == 201, r.text
    after = daemon.counts()
    assert (after["cases"], after["attachments"]) == (before["cases"] + 1, before["attachments"] + 1)
    assert daemon.wait_tmp_empty() == []


def test_files_together_over_attachment_total_get_413(daemon):
    files = [("attachment", f"teil-{i}.bin", "application/octet-stream", os.urandom(90_000)) for i in range(3)]
    refused(daemon, api_multipart(daemon, [("text", "drei Dateien, zusammen zu groß")], files), 413, "file_too_large")


def test_too_many_files_get_422_too_many_files(daemon):
    files = [("attachment", f"d{i}.txt", "text/plain", b"inhalt") for i in range(4)]
    refused(daemon, api_multipart(daemon, [("text", "vier Dateien")], files), 422, "too_many_files", field="attachment")


def test_too_many_files_in_the_form_get_422_page(daemon):
    files = [("attachment", f"d{i}.txt", "text/plain", b"inhalt") for i in range(4)]
    refused(daemon, api_multipart(daemon, [("text", "vier Dateien")], files, path="/report"), 422)


# --- invalid fields ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["json-empty-object", "json-blank-text", "multipart-no-text", "multipart-with-file",
                                 "urlencoded-no-text"])
def test_missing_text_gets_422_text_missing(daemon, how):
    if how == "json-empty-object":
        send = api_json(daemon, {"grounds": ["age"]})
    elif how == "json-blank-text":
        send = api_json(daemon, {"text": "  \n\t "})
    elif how == "multipart-no-text":
        send = api_multipart(daemon, [("contact", "x")])
    elif how == "multipart-with-file":  # a staged, sealed file must be thrown away too
        send = api_multipart(daemon, [("area", "work")], [("attachment", "a.txt", "text/plain", b"x" * 70_000)])
    else:
        def send(query, headers):
            return daemon.post("/api/v1/reports" + query, data={"contact": "x"}, headers=headers)
    refused(daemon, send, 422, "text_missing", field="text")


def test_text_over_limit_gets_422_text_too_long(daemon):
    refused(daemon, api_json(daemon, {"text": "x" * 2001}), 422, "text_too_long", field="text")


def test_text_limit_counts_characters_not_bytes(daemon):
    before = daemon.counts()
    r = daemon.post("/api/v1/reports", json={"text": "ü" * 2000})
    assert r.status_code == 201, r.text
    assert daemon.counts()["cases"] == before["cases"] + 1


def test_unknown_ground_gets_422_invalid_choice(daemon):
    refused(daemon, api_json(daemon, {"text": "t", "grounds": ["age", "astrology"]}), 422, "invalid_choice",
            field="grounds")


def test_unknown_area_gets_422_invalid_choice(daemon):
    refused(daemon, api_multipart(daemon, [("text", "t"), ("area", "moon")]), 422, "invalid_choice", field="area")


@pytest.mark.parametrize("field", ["when", "where", "contact"])
def test_short_field_over_limit_gets_422_field_too_long(daemon, field):
    refused(daemon, api_json(daemon, {"text": "t", field: "y" * 101}), 422, "field_too_long", field=field)


def test_invalid_utf8_in_json_gets_400_invalid_utf8(daemon):
    refused(daemon, api_json(daemon, raw=b'{"text": "caf\xc3 \xff\xfe"}'), 400, "invalid_utf8")


def test_invalid_utf8_in_a_multipart_field_gets_400(daemon):
    refused(daemon, api_multipart(daemon, [("text", b"Gr\xfc\xdfe \xc0\xaf")]), 400, "invalid_utf8")


def test_invalid_utf8_in_a_urlencoded_field_gets_400(daemon):
    def send(query, headers):
        return daemon.post("/api/v1/reports" + query, data=b"text=Gr%FC%DFe",
                           headers={"Content-Type": "application/x-www-form-urlencoded", **headers})
    refused(daemon, send, 400, "invalid_utf8")


@pytest.mark.parametrize("raw", [b'{"text": "unterbrochen', b"[1, 2, 3]", b'{"text": 42}', b'{"grounds": "age", "text": "x"}',
                                 b""])
def test_malformed_json_gets_400_malformed_body(daemon, raw):
    refused(daemon, api_json(daemon, raw=raw), 400, "malformed_body")


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", "image/png"])
def test_wrong_content_type_gets_415(daemon, ctype):
    refused(daemon, api_json(daemon, raw=b'{"text": "x"}', ctype=ctype), 415, "unsupported_media_type")


def test_missing_content_type_gets_415(daemon):
    def send(query, headers):
        request = requests.Request("POST", daemon.url("/api/v1/reports" + query), data=b'{"text": "x"}',
                                   headers=headers).prepare()
        request.headers.pop("Content-Type", None)
        return requests.Session().send(request, timeout=30)
    refused(daemon, send, 415, "unsupported_media_type")


def test_json_to_the_html_form_gets_415_page(daemon):
    def send(query, headers):
        return daemon.post("/report" + query, json={"text": "x"}, headers=headers)
    refused(daemon, send, 415)


def test_multipart_without_boundary_gets_400(daemon):
    refused(daemon, api_json(daemon, raw=b"--x\r\n", ctype="multipart/form-data"), 400, "malformed_body")


def test_multipart_that_never_closes_gets_400(daemon):
    body, ctype = e2e.multipart([("text", "ohne Ende")], [("attachment", "a.txt", "text/plain", b"z" * 70_000)])
    cut = body[: body.rindex(b"\r\n--")]  # the closing boundary is missing

    def send(query, headers):
        return daemon.post("/api/v1/reports" + query, data=cut, headers={"Content-Type": ctype, **headers})
    refused(daemon, send, 400, "malformed_body")


# --- uploads that break off ----------------------------------------------------------------------------------


def test_truncated_upload_stores_nothing_and_daemon_keeps_answering(daemon):
    before = daemon.counts()
    body, ctype = e2e.multipart([("text", "abgebrochen")],
                                [("attachment", "gross.bin", "application/octet-stream", os.urandom(95_000)),
                                 ("attachment", "zwei.bin", "application/octet-stream", os.urandom(95_000))])
    e2e.raw_http(daemon.public_url, head(daemon, "/api/v1/reports", ctype, len(body)),
                 [body[: len(body) - 50_000]], close_after_send=True)
    assert daemon.wait_tmp_empty() == []
    assert daemon.counts() == before
    assert daemon.healthy()
    assert daemon.post("/api/v1/reports", json={"text": "danach"}).status_code == 201


KILLED_CLIENT = textwrap.dedent("""
    import socket, sys, time
    host, port, length = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    head = sys.stdin.buffer.read()
    sock = socket.create_connection((host, port))
    sock.sendall(head)
    sys.stdout.write("sent\\n"); sys.stdout.flush()
    time.sleep(60)
""")


def test_client_killed_mid_upload_leaves_nothing(daemon):
    before = daemon.counts()
    body, ctype = e2e.multipart([("text", "Client stirbt")],
                                [("attachment", "beweis.bin", "application/octet-stream", os.urandom(99_000))])
    host, port = daemon.public_url.removeprefix("http://").split(":")
    partial = head(daemon, "/api/v1/reports", ctype, len(body)) + body[:80_000]
    client = subprocess.Popen([sys.executable, "-c", KILLED_CLIENT, host, port, str(len(body))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    client.stdin.write(partial)
    client.stdin.close()
    assert client.stdout.readline() == b"sent\n"
    # The upload is in flight: its sealed staging file exists.
    deadline = time.monotonic() + 5
    while not daemon.tmp_files() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert daemon.tmp_files(), "no staging file appeared while the upload was in flight"
    client.send_signal(signal.SIGKILL)
    client.wait()
    assert daemon.wait_tmp_empty() == []
    assert daemon.counts() == before
    assert daemon.healthy()


# --- the HTML form -----------------------------------------------------------------------------------------------


FORM_VALUES = {"when": "letzte Woche", "where": "Bäckerei <Ecke> & Co", "contact": "ruf an: 0170 \"privat\""}


@pytest.mark.parametrize("language,headers,query", VARIANTS)
def test_form_without_text_renders_again_with_422_values_and_error_summary(daemon, language, headers, query):
    before = daemon.counts()
    fields = [("text", ""), ("grounds", "age"), ("grounds", "religion"), ("area", "health")] + list(FORM_VALUES.items())
    body, ctype = e2e.multipart(fields)
    r = daemon.post("/report" + query, data=body, headers={"Content-Type": ctype, **headers})
    assert r.status_code == 422
    html = r.text
    assert f'<html lang="{language}"' in html
    assert r.headers["Cache-Control"] == "no-store"
    assert 'class="error-summary"' in html
    assert TITLES[422][0 if language == "de" else 1] in html
    assert '<a href="#field-text">' + MESSAGES["text_missing"][0 if language == "de" else 1] in html
    assert 'id="field-text"' in html and 'aria-invalid="true"' in html
    assert 'value="letzte Woche"' in html
    assert 'value="Bäckerei &lt;Ecke&gt; &amp; Co"' in html
    assert "ruf an: 0170 &quot;privat&quot;</textarea>" in html
    assert 'value="age" checked' in html and 'value="religion" checked' in html
    assert 'value="gender" checked' not in html
    assert 'value="health" checked' in html
    assert "<form" in html and 'enctype="multipart/form-data"' in html
    if query:
        assert 'action="/report?lang=en"' in html
    assert daemon.counts() == before


def test_form_with_invalid_area_keeps_text_and_marks_the_area(daemon):
    before = daemon.counts()
    r = daemon.post("/report", data={"text": "Mein Text <b>bleibt</b>", "area": "mars"})
    assert r.status_code == 422
    assert "Mein Text &lt;b&gt;bleibt&lt;/b&gt;</textarea>" in r.text
    assert '<a href="#field-area">' + MESSAGES["invalid_choice"][0] in r.text
    assert daemon.counts() == before
