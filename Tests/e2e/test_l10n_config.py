"""An office's own texts without rebuilding: `l10n.directory` overrides any shipped
text and adds whole languages; `sealboxd print-texts TAG` gives the starting file.
Bad files are refused at start, naming the file and the key."""

from __future__ import annotations

import json
import subprocess

import pytest

import sealbox_e2e as e2e
from sealbox_e2e import start_refused


def shipped_texts(tag: str) -> dict:
    result = subprocess.run([str(e2e.SEALBOXD), "print-texts", tag], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_print_texts_gives_every_key_of_a_shipped_language_with_its_metadata():
    german, arabic = shipped_texts("de"), shipped_texts("ar")
    assert german["_language"] == {"name": "Deutsch", "rtl": False, "html_lang": "de"}
    assert arabic["_language"]["rtl"] is True
    # German is the source and has no "_source_hashes"; every translation has one hash per text.
    assert set(german) | {"_source_hashes"} == set(arabic) and len(german) > 200
    assert set(arabic["_source_hashes"]) == {key for key in german if not key.startswith("_")}
    refused = subprocess.run([str(e2e.SEALBOXD), "print-texts", "xx"], capture_output=True, text=True, timeout=20)
    assert refused.returncode != 0 and "sealboxd: error:" in refused.stderr


@pytest.fixture(scope="module")
def office_daemon(module_daemons, tmp_path_factory):
    directory = tmp_path_factory.mktemp("l10n")
    (directory / "de.json").write_text(json.dumps({
        "landing.title": "Diskriminierung melden – Büro für Gleichbehandlung",
        "footer.contact": "Sprechzeiten und Telefon: {0}",
    }), encoding="utf-8")
    italian = shipped_texts("en")
    italian["_language"] = {"name": "Italiano", "rtl": False}
    italian["landing.title"] = "Segnalare una discriminazione in forma anonima"
    (directory / "it.json").write_text(json.dumps(italian), encoding="utf-8")
    return module_daemons(SEALBOX_L10N_DIRECTORY=str(directory), SEALBOX_OFFICE_CONTACT="0511 616-0")


def test_an_override_replaces_a_shipped_text_and_keeps_the_others(office_daemon):
    page = office_daemon.get("/?lang=de").text
    assert "Diskriminierung melden – Büro für Gleichbehandlung" in page
    assert "Sprechzeiten und Telefon: <bdi>0511 616-0</bdi>" in page
    assert "Meldung schreiben" in page  # untouched texts stay
    assert "Diskriminierung anonym melden" not in page.split("<main")[1]


def test_an_added_language_is_offered_chosen_and_linked_from_every_page(office_daemon):
    page = office_daemon.get("/?lang=it").text
    assert '<html lang="it" dir="ltr">' in page
    assert "Segnalare una discriminazione in forma anonima" in page
    assert 'href="/report?lang=it" hreflang="it"' in office_daemon.get("/report").text
    chosen = office_daemon.get("/", headers={"Accept-Language": "it-IT,it;q=0.9"}).text
    assert '<html lang="it"' in chosen


@pytest.mark.parametrize("files,message", [
    ({"de.json": {"no.such.key": "x"}}, "no.such.key is not a key"),
    ({"de.json": {"footer.contact": "Kontakt"}}, "placeholders"),
    ({"it.json": {"_language": {"name": "Italiano"}, "landing.title": "x"}}, "lacks"),
    ({"it.json": {"landing.title": "x"}}, "_language"),
    ({"de.json": ["not", "an", "object"]}, "not a JSON object"),
], ids=["unknown-key", "placeholders", "incomplete-language", "no-metadata", "not-an-object"])
def test_a_bad_texts_file_refuses_start_naming_the_problem(keys, tmp_path, files, message):
    directory = tmp_path / "l10n"
    directory.mkdir()
    for name, content in files.items():
        (directory / name).write_text(json.dumps(content), encoding="utf-8")
    result = start_refused(keys, tmp_path, SEALBOX_L10N_DIRECTORY=str(directory))
    assert result.returncode != 0
    stderr = result.stderr.decode()
    assert message in stderr and next(iter(files)) in stderr, stderr
