"""The reply composer (issue 11, docs/design/DESK.md §5): the real `sealbox desk` over a
real workstation synced from a real daemon, and the real reporter pages.

A template is offered in the reporter's language (the `lang` sealed in the report), a
GET form picks it without script; Preview re-renders the page with the text as the
reporter's inbox shows it (their language and direction) and sends nothing; a text with a
[[placeholder]] left is refused on Send with the text kept; Send delivers the reply and
the reporter reads it with the code over the reporter pages. An office's template folder
replaces a language's templates; a broken office file is named on the page.
"""

from __future__ import annotations

import html
import json
import re

import pytest

import desk_helpers as dh
import inbox_helpers as ih
import sealbox_e2e as e2e


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000")


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory) -> ih.Workstation:
    return workstation_factory(daemon)


def report(daemon, language: str, text: str) -> tuple[str, str]:
    r = daemon.post("/api/v1/reports", json={"text": text}, headers={"Accept-Language": language})
    assert r.status_code == 201, r.text
    assert r.headers["Content-Language"] == language
    return r.json()["case"], r.json()["code"]


@pytest.fixture(scope="module")
def cases(daemon, anna):
    found = {"tr": report(daemon, "tr", "İşyerinde bana sürekli hakaret ediliyor."),
             "ar": report(daemon, "ar", "يتم التمييز ضدي في العمل."),
             "de": report(daemon, "de", "Die Vermieterin will mir die Wohnung nicht geben.")}
    anna.ok("sync")
    return found


@pytest.fixture(scope="module")
def desk(anna, cases):
    d = dh.Desk(anna)
    d.enter()
    assert d.unlock().status_code == 303
    yield d
    d.stop()


def textarea(page: str) -> str:
    match = re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, page[:500]
    return html.unescape(match.group(1))


def daemon_state(daemon) -> tuple:
    connection = daemon.db()
    try:
        return (connection.execute("SELECT COUNT(*) FROM items").fetchone()[0],
                connection.execute("SELECT ref, status FROM cases ORDER BY ref").fetchall())
    finally:
        connection.close()


def test_templates_are_offered_in_the_reporters_language(desk, cases):
    case, _ = cases["tr"]
    page = desk.get(f"/cases/{case}")
    assert page.status_code == 200
    assert "The reporter wrote in Türkçe (tr)" in page.text
    assert f'<form method="get" action="/cases/{case}">' in page.text
    for name in ["acknowledgement", "more-detail", "referral", "closing"]:
        assert f'<option value="{name}"' in page.text
    chosen = desk.get(f"/cases/{case}?template=acknowledgement")
    assert chosen.status_code == 200
    assert textarea(chosen.text).startswith("Merhaba,\n\nbildiriminiz için teşekkür ederiz.")
    assert '<option value="acknowledgement" selected>' in chosen.text
    assert 'lang="tr"' in chosen.text
    unknown = desk.get(f"/cases/{case}?template=../../etc/passwd")
    assert unknown.status_code == 200 and textarea(unknown.text) == ""


def test_a_german_report_gets_german_templates(desk, cases):
    case, _ = cases["de"]
    page = desk.get(f"/cases/{case}?template=more-detail")
    assert textarea(page.text).startswith("Guten Tag,\n\nvielen Dank für Ihre Nachricht.")
    assert "The reporter wrote in Deutsch (de)" in page.text


def test_the_preview_shows_the_text_in_the_reporters_direction_and_sends_nothing(desk, cases, daemon):
    case, code = cases["ar"]
    template = textarea(desk.get(f"/cases/{case}?template=closing").text)
    assert template.startswith("مرحبًا")
    text = template + "\n<script>alert(1)</script>"
    before = daemon_state(daemon)
    messages_before = ih.open_inbox(daemon, code).json()["messages"]
    shown = desk.post(f"/cases/{case}/reply", {"text": text, "action": "preview"})
    assert shown.status_code == 200
    assert "This is a preview. Nothing was sent." in shown.text
    assert '<div class="reporter-view" lang="ar" dir="rtl">' in shown.text
    # The reporter page's word for the team, in Arabic, as the author of the message.
    assert '<span class="message-author">فريق الاستشارة</span>' in shown.text
    assert html.escape(template, quote=False).split("\n")[0] in shown.text
    assert "<script>alert(1)</script>" not in shown.text
    assert textarea(shown.text) == text  # kept for editing
    assert daemon_state(daemon) == before
    assert ih.open_inbox(daemon, code).json()["messages"] == messages_before


def test_an_empty_preview_says_so(desk, cases):
    case, _ = cases["tr"]
    shown = desk.post(f"/cases/{case}/reply", {"text": " \r\n", "action": "preview"})
    assert shown.status_code == 400
    assert "The text is empty" in shown.text and "reporter-view" not in shown.text


def test_a_referral_with_its_placeholder_left_is_flagged_and_refused(desk, cases, daemon):
    case, code = cases["tr"]
    text = textarea(desk.get(f"/cases/{case}?template=referral").text)
    assert "[[Name und Kontakt der Stelle / name and contact of the service]]" in text
    preview = desk.post(f"/cases/{case}/reply", {"text": text, "action": "preview"})
    assert preview.status_code == 200
    assert "The text still contains a part to fill in: [[Name und Kontakt der Stelle" in preview.text
    before = daemon_state(daemon)
    refused = desk.post(f"/cases/{case}/reply", {"text": text, "action": "send"})
    assert refused.status_code == 400
    assert "The text still contains a part to fill in" in refused.text
    assert textarea(refused.text) == text
    assert daemon_state(daemon) == before
    assert not [m for m in ih.open_inbox(daemon, code).json()["messages"] if m["author"] == "team"]


def test_send_delivers_the_reply_the_reporter_reads_it_with_the_code(desk, cases, daemon, anna):
    case, code = cases["tr"]
    text = textarea(desk.get(f"/cases/{case}?template=referral").text).replace(
        "[[Name und Kontakt der Stelle / name and contact of the service]]", "Beratungsstelle Beispiel, Tel. 0000")
    sent = desk.post(f"/cases/{case}/reply", {"text": text, "action": "send"})
    assert sent.status_code == 303 and sent.headers["Location"] == f"/cases/{case}?done=reply"
    visit = ih.open_visit(daemon, code, headers={"Accept-Language": "tr"})
    page = visit.response.text
    assert '<html lang="tr"' in page
    shown = re.findall(r'<p class="message-text" dir="auto">(.*?)</p>', page, re.S)
    assert html.unescape(shown[-1]) == text
    assert "Beratungsstelle Beispiel, Tel. 0000" in ih.visible_text(page)


def test_an_office_folder_replaces_a_languages_templates(anna, cases, tmp_path):
    case, _ = cases["tr"]
    folder = tmp_path / "templates"
    folder.mkdir()
    templates = {"acknowledgement": "Merhaba, ofisimizin metni.", "more-detail": "Daha fazla?",
                 "referral": "Şuraya: [[Stelle]]", "closing": "Son."}
    (folder / "tr.json").write_text(json.dumps({"format": "sealbox-reply-templates/1", "language": "tr",
                                                "templates": templates}), encoding="utf-8")
    d = dh.Desk(anna, SEALBOX_REPLY_TEMPLATES=str(folder))
    try:
        d.enter()
        assert d.unlock().status_code == 303
        assert textarea(d.get(f"/cases/{case}?template=acknowledgement").text) == "Merhaba, ofisimizin metni."
        (folder / "tr.json").write_text('{"format": "sealbox-reply-templates/1", "language": "tr"', encoding="utf-8")
        broken = d.get(f"/cases/{case}?template=acknowledgement")
        assert broken.status_code == 200
        assert "The office&#39;s reply templates could not be read" in broken.text or \
            "The office's reply templates could not be read" in broken.text
        assert f"{folder}/tr.json: not a JSON object" in html.unescape(broken.text)
        assert textarea(broken.text) == ""
    finally:
        d.stop()


# --- `sealbox reply --template` uses the same templates ------------------------------------------------------

def reply_on_a_terminal(ws: ih.Workstation, case: str, editor_script: str, tmp_path, *args: str):
    """`sealbox reply CASE --template …` with a scripted 'editor' on a pseudo-terminal."""
    import os
    import pty
    import select
    import subprocess

    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\n" + editor_script)
    editor.chmod(0o700)
    environment = e2e.clean_env()
    environment.update(HOME=str(ws.home), XDG_CONFIG_HOME=str(ws.home / "config"), XDG_DATA_HOME=str(ws.home / "data"),
                       EDITOR=str(editor), VISUAL=str(editor), **ws.env)
    primary, secondary = pty.openpty()
    try:
        result = subprocess.run([str(e2e.SEALBOX), "reply", case, *args], env=environment, stdin=secondary,
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
    return result, said.decode(errors="replace")


def test_the_cli_starts_a_reply_from_a_template_in_the_reporters_language(anna, cases, daemon, tmp_path):
    case, code = cases["ar"]
    copy = tmp_path / "template.txt"
    result, said = reply_on_a_terminal(anna, case, f'cp "$1" "{copy}"\n: > "$1"\n', tmp_path, "--template", "more-detail")
    assert result.returncode == 1 and "the reply is empty; nothing was sent" in said, said
    text = copy.read_text(encoding="utf-8")
    assert text.startswith("مرحبًا،\n\nشكرًا لك على رسالتك.")
    assert f"# Write your reply to case {case}" in text


def test_the_cli_refuses_a_template_with_its_placeholder_left(anna, cases, daemon, tmp_path):
    case, code = cases["de"]
    before = daemon_state(daemon)
    result, said = reply_on_a_terminal(anna, case, "exit 0\n", tmp_path, "--template", "referral")
    assert result.returncode != 0
    assert "the reply still contains [[Name und Kontakt der Stelle / name and contact of the service]] to fill in" in said
    assert daemon_state(daemon) == before
    assert not [m for m in ih.open_inbox(daemon, code).json()["messages"] if m["author"] == "team"]


def test_the_cli_refuses_an_unknown_template_or_one_with_a_file(anna, cases, tmp_path):
    case, _ = cases["de"]
    unknown = anna.run("reply", case, "--template", "greeting")
    assert unknown.returncode == 2 and b"unknown template 'greeting'" in unknown.stderr
    message = tmp_path / "m.txt"
    message.write_text("Hallo")
    combined = anna.run("reply", case, "--template", "closing", "--file", str(message))
    assert combined.returncode == 2 and b"cannot be combined with --file" in combined.stderr


def test_a_reply_the_server_did_not_take_stays_in_the_composer(anna, cases, daemon):
    case, code = cases["de"]
    d = dh.Desk(anna, SEALBOX_SERVER="http://127.0.0.1:9")
    try:
        d.enter()
        assert d.unlock().status_code == 303
        text = "Guten Tag,\nwir melden uns morgen."
        failed = d.post(f"/cases/{case}/reply", {"text": text, "action": "send"})
        assert failed.status_code == 502
        assert "could not be reached" in failed.text
        assert textarea(failed.text) == text
    finally:
        d.stop()
    assert not [m for m in ih.open_inbox(daemon, code).json()["messages"] if m["author"] == "team"]
