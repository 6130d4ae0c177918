"""Attachments on the desk (issue 11, docs/design/DESK.md §4): the real `sealbox desk`
over a real workstation store synced from a real daemon, over real HTTP on loopback.

A report carries a PNG, a PDF, an HTML file declared as an image and an .exe. The case
page lists them (the reporter's name escaped, the size, the kind sniffed from the bytes);
`/cases/REF/attachments/ID` answers with exactly `Content-Security-Policy: sandbox`,
`nosniff`, `no-store`; PNG and PDF inline, the HTML and the .exe only after a warning
page and then as a download with a safe name. An unknown id is 404, a blob altered in the
store gives a page that says so (never the bytes), a blob not in the store is fetched
from the server into memory (nothing is written), and 502 when the server is unreachable.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
import struct

import pytest

import desk_helpers as dh
import inbox_helpers as ih
import sealbox_e2e as e2e


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = png()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_AS_IMAGE = b"<html><body><script>document.title='pwned'</script>Hallo</body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)
HOSTILE_NAME = "<img src=x onerror=alert(1)>.png"  # the daemon keeps no path, so no "/"
HOSTILE_HTML = "&lt;img src=x onerror=alert(1)&gt;.png"
FILES = [("attachment", HOSTILE_NAME, "image/png", PNG),
         ("attachment", "brief.pdf", "application/pdf", PDF),
         ("attachment", "foto.png", "image/png", HTML_AS_IMAGE),
         ("attachment", "setup.exe", "application/octet-stream", EXE)]


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons()


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory) -> ih.Workstation:
    return workstation_factory(daemon)


@pytest.fixture(scope="module")
def case(daemon, anna):
    body, ctype = e2e.multipart([("text", "Vier Anhänge zur Meldung")], FILES)
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 201, r.text
    anna.ok("sync")
    return r.json()["case"]


@pytest.fixture(scope="module")
def ids(anna, case) -> dict[str, str]:
    """Attachment ids by the name the reporter gave."""
    report = next(i for i in anna.json("show", case)["items"] if i["kind"] == "report")
    return {a["name"]: a["id"] for a in report["attachments"]}


def open_desk(ws: ih.Workstation, **env) -> dh.Desk:
    d = dh.Desk(ws, **env)
    d.enter()
    assert d.unlock().status_code == 303
    return d


@pytest.fixture(scope="module")
def desk(anna, case):
    d = open_desk(anna)
    yield d
    d.stop()


def store(ws: ih.Workstation) -> sqlite3.Connection:
    return sqlite3.connect(ws.store / "store.sqlite")


def assert_sandboxed(response, disposition: str):
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].split(";")[0] == disposition


def test_the_case_page_lists_the_attachments_escaped_with_size_and_sniffed_kind(desk, case, ids):
    page = desk.get(f"/cases/{case}")
    assert page.status_code == 200
    assert "<img src=x" not in page.text and HOSTILE_HTML in page.text
    for name in ids:
        assert f'href="/cases/{case}/attachments/{ids[name]}"' in page.text, name
    items = re.findall(r"<li><a href=\"/cases/[^\"]+/attachments/([0-9a-f]{32})\">(.*?)</li>", page.text, re.S)
    kinds = {ident: text for ident, text in items}
    assert "PNG image" in kinds[ids[HOSTILE_NAME]]
    assert "PDF document" in kinds[ids["brief.pdf"]]
    assert "other file type" in kinds[ids["foto.png"]]  # declared image/png, but HTML
    assert "other file type" in kinds[ids["setup.exe"]]
    assert f"({len(EXE)} B, " in kinds[ids["setup.exe"]]
    # The image is shown, its name (escaped) as alt text; the HTML "image" is not.
    assert (f'<img class="attachment-image" src="/cases/{case}/attachments/{ids[HOSTILE_NAME]}" '
            f'alt="Image attached by the reporter: {HOSTILE_HTML}">') in page.text
    assert f'src="/cases/{case}/attachments/{ids["foto.png"]}"' not in page.text


def test_a_png_and_a_pdf_are_shown_inline_in_the_sandbox(desk, case, ids):
    image = desk.get(f"/cases/{case}/attachments/{ids[HOSTILE_NAME]}")
    assert_sandboxed(image, "inline")
    assert image.headers["Content-Type"] == "image/png" and image.content == PNG
    assert image.headers["Content-Disposition"] == ("inline; filename=\"<img src=x onerror=alert(1)>.png\"; "
                                                    "filename*=UTF-8''%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.png")
    pdf = desk.get(f"/cases/{case}/attachments/{ids['brief.pdf']}")
    assert_sandboxed(pdf, "inline")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content == PDF
    assert pdf.headers["Content-Disposition"] == "inline; filename=\"brief.pdf\"; filename*=UTF-8''brief.pdf"


@pytest.mark.parametrize("name, body", [("foto.png", HTML_AS_IMAGE), ("setup.exe", EXE)])
def test_other_kinds_get_a_warning_first_then_a_download_with_a_safe_name(desk, case, ids, name, body):
    path = f"/cases/{case}/attachments/{ids[name]}"
    warning = desk.get(path)
    assert warning.status_code == 200
    assert warning.headers["Content-Type"].startswith("text/html")
    assert warning.headers["Content-Security-Policy"] == dh.DESK_CSP  # a desk page, not the file
    assert "This file may be harmful" in warning.text and "it will be saved where you choose" in warning.text
    assert body not in warning.content
    assert f'<form method="get" action="{path}">' in warning.text
    assert '<input type="hidden" name="download" value="1">' in warning.text
    download = desk.get(path + "?download=1")
    assert_sandboxed(download, "attachment")
    assert download.headers["Content-Type"] == "application/octet-stream"
    assert download.content == body
    assert download.headers["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"


def test_html_is_never_inline_whatever_the_query(desk, case, ids):
    path = f"/cases/{case}/attachments/{ids['foto.png']}"
    for query in ["", "?download=0", "?inline=1", "?download=1&download=0"]:
        response = desk.get(path + query)
        assert not (response.headers.get("Content-Type", "").startswith("text/html") and HTML_AS_IMAGE in response.content)
        if HTML_AS_IMAGE in response.content:
            assert response.headers["Content-Disposition"].startswith("attachment;")
            assert response.headers["Content-Security-Policy"] == "sandbox"


def test_an_unknown_attachment_is_not_found(desk, case, ids):
    for ident in ["0" * 32, "not-an-id", ids["brief.pdf"].upper()]:
        response = desk.get(f"/cases/{case}/attachments/{ident}")
        assert response.status_code == 404, ident
        assert "%PDF" not in response.text
    other = desk.get(f"/cases/2222-2222/attachments/{ids['brief.pdf']}")
    assert other.status_code == 404 and "%PDF" not in other.text


def test_without_the_session_nothing_is_served(desk, case, ids):
    response = desk.get(f"/cases/{case}/attachments/{ids['brief.pdf']}", cookie=False)
    assert response.status_code == 403 and PDF not in response.content


def test_a_blob_missing_from_the_store_is_fetched_into_memory_only(anna, case, ids):
    ident = ids["brief.pdf"]
    with store(anna) as db:
        db.execute("UPDATE attachments SET blob = NULL WHERE id = ?", (ident,))
    d = open_desk(anna)
    try:
        response = d.get(f"/cases/{case}/attachments/{ident}")
        assert_sandboxed(response, "inline")
        assert response.content == PDF
        with store(anna) as db:
            assert db.execute("SELECT blob FROM attachments WHERE id = ?", (ident,)).fetchone()[0] is None
    finally:
        d.stop()
    unreachable = open_desk(anna, SEALBOX_SERVER="http://127.0.0.1:9")
    try:
        response = unreachable.get(f"/cases/{case}/attachments/{ident}")
        assert response.status_code == 502
        assert "could not be reached" in response.text and PDF not in response.content
    finally:
        unreachable.stop()
    anna.ok("sync")  # fetches the blob again for the tests after this one
    with store(anna) as db:
        assert db.execute("SELECT blob FROM attachments WHERE id = ?", (ident,)).fetchone()[0] is not None


def test_a_tampered_blob_gives_a_page_saying_so_not_the_bytes(anna, case, ids):
    ident = ids["setup.exe"]
    with store(anna) as db:
        blob = bytearray(db.execute("SELECT blob FROM attachments WHERE id = ?", (ident,)).fetchone()[0])
        blob[-50] ^= 0x01
        db.execute("UPDATE attachments SET blob = ? WHERE id = ?", (bytes(blob), ident))
    d = open_desk(anna)
    try:
        for query in ["", "?download=1"]:
            response = d.get(f"/cases/{case}/attachments/{ident}{query}")
            assert response.status_code == 422
            assert response.headers["Content-Type"].startswith("text/html")
            assert "The attachment could not be opened" in response.text
            assert "altered or damaged" in response.text
            assert b"MZ\x90" not in response.content
        page = d.get(f"/cases/{case}")
        listed = page.text.split(f"/attachments/{ident}\">", 1)[1].split("</li>", 1)[0]
        assert "type not known yet" in listed
    finally:
        d.stop()
