"""Section 1: a report goes in through every public door (form multipart with and
without files, urlencoded form, JSON API, multipart API), comes out through the
real `sealbox sync` and `sealbox show`, and is what was sent."""

from __future__ import annotations

import datetime
import json
import random
import re
import socket

import pytest

import sealbox_e2e as e2e

PDF = random.Random(1).randbytes(200 * 1024)
NOTE = ("Gedächtnisprotokoll\n" * 4000).encode()[:65536]  # exactly one stream chunk
PHOTO = random.Random(2).randbytes(70001)  # crosses a chunk boundary

REPORTS = {
    "form-with-file": {
        "text": "Der Vermieter sagte am Telefon, „Leute wie Sie“ nehme er nicht.\nZweite Zeile: äöüß ÄÖÜ 🙂 — Ende.",
        "grounds": ["ethnic-origin", "language"],
        "area": "housing",
        "when": "im März 2026, nachmittags",
        "where": "Hausverwaltung Musterstraße 5",
        "contact": "Signal: +49 170 0000000",
    },
    "form-without-file": {"text": "Kurze Meldung ohne Datei.", "grounds": ["age"]},
    "urlencoded": {
        "text": "Per urlencoded Formular & mit Sonderzeichen = + % ü",
        "grounds": ["disability", "chronic-illness"],
        "area": "work",
        "contact": "nur per E-Mail: a@example.org",
    },
    "json": {
        "text": "Über die JSON-API gesendet.\n\nمرحبا — Привіт — 你好",
        "grounds": ["religion"],
        "area": "online",
        "when": "2026-11-01",
        "where": "Forum",
        "contact": "—",
    },
    "json-minimal": {"text": "Nur Text."},
    "api-multipart": {
        "text": "Zwei Anhänge über die API.",
        "grounds": ["gender", "other"],
        "area": "authorities",
    },
}
FILES = {
    "form-with-file": [("Brief vom Vermieter ü.pdf", "application/pdf", PDF)],
    "api-multipart": [("notiz.txt", "text/plain", NOTE), ("foto.png", "image/png", PHOTO)],
}


@pytest.fixture(scope="module")
def submitted(daemon):
    """Submits every report once; returns {name: (case, grouped code, received, response)}."""
    out = {}

    body, ctype = e2e.multipart(e2e.report_fields(REPORTS["form-with-file"]),
                                [("attachment", *f) for f in FILES["form-with-file"]])
    r = daemon.post("/report", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 200, r.text[:500]
    out["form-with-file"] = (*e2e.parse_confirmation(r.text), r)

    # A browser sends an empty file part when no file was chosen.
    body, ctype = e2e.multipart(e2e.report_fields(REPORTS["form-without-file"]),
                                [("attachment", "", "application/octet-stream", b"")])
    r = daemon.post("/report", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 200, r.text[:500]
    out["form-without-file"] = (*e2e.parse_confirmation(r.text), r)

    r = daemon.post("/report", data=e2e.report_fields(REPORTS["urlencoded"]))
    assert r.status_code == 200, r.text[:500]
    out["urlencoded"] = (*e2e.parse_confirmation(r.text), r)

    for name in ("json", "json-minimal"):
        r = daemon.post("/api/v1/reports", json=REPORTS[name])
        assert r.status_code == 201, r.text
        out[name] = (r.json()["case"], r.json()["code"], r)

    body, ctype = e2e.multipart(e2e.report_fields(REPORTS["api-multipart"]),
                                [("attachment", *f) for f in FILES["api-multipart"]])
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 201, r.text
    out["api-multipart"] = (r.json()["case"], r.json()["code"], r)
    return out


@pytest.fixture(scope="module")
def workstation(tmp_path_factory, daemon, keys, submitted):
    """A workstation that has run `sealbox sync` once."""
    home = tmp_path_factory.mktemp("workstation")
    store = home / "store"
    sync = e2e.run_cli(["sync", "--server", daemon.staff_url, "--staff-key", str(keys.staff_key_file),
                        "--store", str(store), "--passphrase-file", str(keys.passphrase_file)], home=home)
    return {"home": home, "store": store, "sync": sync}


def show(workstation, keys, case, *extra):
    return e2e.run_cli(["show", case, "--store", str(workstation["store"]), "--team-key", str(keys.team_key_file),
                        "--passphrase-file", str(keys.passphrase_file), *extra], home=workstation["home"])


def show_json(workstation, keys, case, *extra) -> dict:
    result = show(workstation, keys, case, "--json", *extra)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def today() -> str:
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


# --- what the reporter is given ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_door_gives_a_case_reference_and_a_valid_code(submitted, name):
    case, code = submitted[name][0], submitted[name][1]
    assert e2e.CASE_RE.match(case), case
    assert e2e.CODE_RE.match(code), code
    assert e2e.so.normalise_code(code) == e2e.code_digits(code)  # the Damm check digit holds


def test_submissions_get_distinct_cases_and_codes(submitted):
    cases = [v[0] for v in submitted.values()]
    codes = [v[1] for v in submitted.values()]
    assert len(set(cases)) == len(cases)
    assert len(set(codes)) == len(codes)


def test_json_api_answers_201_with_case_code_and_day(submitted):
    response = submitted["json"][2]
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"case", "code", "received"}
    assert body["received"] == today()


def test_confirmation_page_shows_code_once_with_receipt_form(submitted):
    html = submitted["form-with-file"][2].text
    case, code = submitted["form-with-file"][:2]
    assert html.count('class="code-groups"') == 1
    assert 'action="/receipt"' in html
    assert f'name="code" value="{code}"' in html
    assert f'name="case" value="{case}"' in html
    assert f'name="received" value="{today()}"' in html
    assert submitted["form-with-file"][2].headers["Cache-Control"] == "no-store"


def test_receipt_download_is_a_text_attachment_with_code_and_case(daemon, submitted):
    case, code = submitted["urlencoded"][:2]
    r = daemon.post("/receipt", data={"code": code, "case": case, "received": today()})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert case in r.headers["Content-Disposition"]
    assert code in r.text and case in r.text


def test_language_switch_on_confirmation_page_shows_it_again_in_english(daemon, submitted):
    """The switch is a submit button of the receipt form (view=page), so the code never enters a URL."""
    html = submitted["form-with-file"][2].text
    case, code = submitted["form-with-file"][:2]
    button = re.search(r'<button type="submit"[^>]*formaction="([^"]+)"[^>]*name="view" value="page"[^>]*lang="en"', html)
    assert button, "no English language switch on the confirmation page"
    action = button.group(1).replace("&amp;", "&")
    assert code.replace(" ", "") not in action and code not in action
    r = daemon.post(action, data={"code": code, "case": case, "received": today(), "view": "page"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html"), r.headers.get("Content-Disposition")
    assert "Content-Disposition" not in r.headers
    assert '<html lang="en"' in r.text
    assert e2e.parse_confirmation(r.text) == (case, code)
    assert r.headers["Cache-Control"] == "no-store"


def test_receipt_with_a_mistyped_code_is_refused(daemon, submitted):
    case, code = submitted["urlencoded"][:2]
    digits = e2e.code_digits(code)
    typo = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    r = daemon.post("/receipt", data={"code": typo, "case": case, "received": today()})
    assert r.status_code == 422
    assert typo not in r.text


# --- what the workstation gets --------------------------------------------------------------------------


def test_first_sync_fetches_every_item_and_attachment(workstation):
    sync = workstation["sync"]
    assert sync.returncode == 0, sync.stderr.decode()
    assert "6 new items, 3 new attachments." in sync.stdout.decode()


def test_second_sync_fetches_nothing_new(workstation, daemon, keys):
    again = e2e.run_cli(["sync", "--server", daemon.staff_url, "--staff-key", str(keys.staff_key_file),
                         "--store", str(workstation["store"]), "--passphrase-file", str(keys.passphrase_file)],
                        home=workstation["home"])
    assert again.returncode == 0, again.stderr.decode()
    assert "0 new items, 0 new attachments." in again.stdout.decode()


def test_list_json_shows_each_case_with_its_counts(workstation, submitted):
    result = e2e.run_cli(["list", "--store", str(workstation["store"]), "--json"], home=workstation["home"])
    assert result.returncode == 0, result.stderr.decode()
    rows = {row["case"]: row for row in json.loads(result.stdout)["cases"]}
    assert set(rows) == {v[0] for v in submitted.values()}
    for name, value in submitted.items():
        row = rows[value[0]]
        assert row["items"] == 1
        assert row["attachments"] == len(FILES.get(name, []))
        assert row["attachments_not_fetched"] == 0
        assert row["received"] == today()
        assert row["other_team_key"] is False


def test_list_table_names_every_case(workstation, submitted):
    result = e2e.run_cli(["list", "--store", str(workstation["store"])], home=workstation["home"])
    assert result.returncode == 0
    out = result.stdout.decode()
    for value in submitted.values():
        assert value[0] in out


@pytest.mark.parametrize("name", list(REPORTS))
def test_show_json_returns_exactly_what_was_sent(workstation, keys, submitted, name):
    case = submitted[name][0]
    shown = show_json(workstation, keys, case)
    assert shown["case"] == case
    assert len(shown["items"]) == 1
    item = shown["items"][0]
    sent = REPORTS[name]
    assert item["status"] == "ok"
    assert item["kind"] == "report"
    assert item["day"] == today()
    assert item["text"] == sent["text"].strip()
    assert item.get("grounds", []) == sent.get("grounds", [])
    for key in ("area", "when", "where", "contact"):
        assert item.get(key) == sent.get(key), key
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", item["reporter_key"])
    files = FILES.get(name, [])
    assert [(a["name"], a["type"], a["size"]) for a in item["attachments"]] == \
        [(fname, ctype, len(content)) for fname, ctype, content in files]
    assert all("saved_as" not in a for a in item["attachments"])


def test_show_plain_prints_text_fields_and_attachment(workstation, keys, submitted):
    case = submitted["form-with-file"][0]
    result = show(workstation, keys, case)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    sent = REPORTS["form-with-file"]
    assert f"Case {case}" in out
    for line in sent["text"].splitlines():
        assert "  " + line in out
    assert re.search(r"Grounds:\s+ethnic origin, language", out)
    assert re.search(r"Area:\s+housing", out)
    assert re.search(r"When:\s+" + re.escape(sent["when"]), out)
    assert re.search(r"Where:\s+" + re.escape(sent["where"]), out)
    assert re.search(r"Contact:\s+" + re.escape(sent["contact"]), out)
    assert "Brief vom Vermieter ü.pdf (application/pdf" in out
    assert result.stderr == b""


@pytest.mark.parametrize("name", ["form-with-file", "api-multipart"])
def test_show_attachments_writes_byte_identical_files(workstation, keys, submitted, name, tmp_path):
    case = submitted[name][0]
    target = tmp_path / "out"
    shown = show_json(workstation, keys, case, "--attachments", str(target))
    saved = {a["name"]: a["saved_as"] for a in shown["items"][0]["attachments"]}
    for fname, _, content in FILES[name]:
        assert (target / fname).read_bytes() == content
        assert saved[fname] == str(target / fname)
        assert (target / fname).stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in target.iterdir()) == sorted(f[0] for f in FILES[name])


def test_show_attachments_never_overwrites_an_existing_file(workstation, keys, submitted, tmp_path):
    case = submitted["form-with-file"][0]
    target = tmp_path / "out"
    target.mkdir()
    (target / "Brief vom Vermieter ü.pdf").write_bytes(b"mine")
    shown = show_json(workstation, keys, case, "--attachments", str(target))
    assert (target / "Brief vom Vermieter ü.pdf").read_bytes() == b"mine"
    saved = shown["items"][0]["attachments"][0]["saved_as"]
    assert saved != str(target / "Brief vom Vermieter ü.pdf")
    assert open(saved, "rb").read() == PDF


def test_staff_api_lists_every_item_by_day_and_id_not_in_submission_order(daemon, signer, submitted):
    items = signer.all_items(daemon)
    assert sorted(i["case"] for i in items) == sorted(v[0] for v in submitted.values())
    assert [(i["day"], i["id"]) for i in items] == sorted((i["day"], i["id"]) for i in items)
    assert all(i["position"] == 1 for i in items)
    for item in items:
        assert re.fullmatch(r"[0-9a-f]{32}", item["id"])
        assert item["kind"] == "report" and item["day"] == today()


# --- failures of the CLI -------------------------------------------------------------------------------------


def test_show_with_wrong_passphrase_fails_with_authentication_status(workstation, keys, submitted, tmp_path):
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    case = submitted["json"][0]
    result = e2e.run_cli(["show", case, "--store", str(workstation["store"]), "--team-key", str(keys.team_key_file),
                          "--passphrase-file", str(wrong)], home=workstation["home"])
    assert result.returncode == 3
    assert result.stderr.decode().startswith("sealbox: error: ")
    assert "passphrase" in result.stderr.decode()
    assert REPORTS["json"]["text"].encode() not in result.stdout


def test_show_unknown_case_fails_and_names_it(workstation, keys):
    result = show(workstation, keys, "2222-2222")
    assert result.returncode == 1
    assert "sealbox: error: there is no case 2222-2222" in result.stderr.decode()


def test_show_with_a_malformed_case_reference_is_a_usage_error(workstation, keys):
    result = show(workstation, keys, "not-a-case")
    assert result.returncode == 2
    assert result.stderr.decode().startswith("sealbox: error: ")


def test_show_with_another_team_key_names_the_key_mismatch(workstation, keys, submitted, tmp_path):
    other = tmp_path / "other-team.key"
    e2e.keygen("keygen", other, keys.passphrase_file, tmp_path)
    case = submitted["json"][0]
    result = e2e.run_cli(["show", case, "--store", str(workstation["store"]), "--team-key", str(other),
                          "--passphrase-file", str(keys.passphrase_file)], home=workstation["home"])
    assert result.returncode == 3
    assert "different team key" in result.stderr.decode()
    assert REPORTS["json"]["text"].encode() not in result.stdout


def test_sync_to_an_unreachable_server_fails_with_server_status(keys, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = e2e.run_cli(["sync", "--server", f"http://127.0.0.1:{port}", "--staff-key", str(keys.staff_key_file),
                          "--store", str(tmp_path / "store"), "--passphrase-file", str(keys.passphrase_file)],
                         home=tmp_path)
    assert result.returncode == 4
    assert "sealbox: error: cannot reach the server" in result.stderr.decode()


def test_sync_with_wrong_passphrase_fails_before_contacting_the_server(daemon, keys, tmp_path):
    wrong = tmp_path / "wrong"
    wrong.write_text("nope\n")
    result = e2e.run_cli(["sync", "--server", daemon.staff_url, "--staff-key", str(keys.staff_key_file),
                          "--store", str(tmp_path / "store"), "--passphrase-file", str(wrong)], home=tmp_path)
    assert result.returncode == 3
    assert result.stderr.decode().startswith("sealbox: error: ")


# --- settings from the environment and the settings file ----------------------------------------------------


def test_sync_and_show_take_every_setting_from_the_environment(daemon, keys, submitted, tmp_path):
    env = {"SEALBOX_SERVER": daemon.staff_url, "SEALBOX_STAFF_KEY": str(keys.staff_key_file),
           "SEALBOX_TEAM_KEY": str(keys.team_key_file), "SEALBOX_PASSPHRASE_FILE": str(keys.passphrase_file)}
    sync = e2e.run_cli(["sync"], env=env, home=tmp_path)
    assert sync.returncode == 0, sync.stderr.decode()
    assert "6 new items, 3 new attachments." in sync.stdout.decode()
    assert (tmp_path / "data" / "sealbox").is_dir()  # the default store under $XDG_DATA_HOME
    case = submitted["json"][0]
    shown = e2e.run_cli(["show", case, "--json"], env=env, home=tmp_path)
    assert shown.returncode == 0, shown.stderr.decode()
    assert json.loads(shown.stdout)["items"][0]["text"] == REPORTS["json"]["text"]


def test_sync_and_show_take_settings_from_the_settings_file(daemon, keys, submitted, tmp_path):
    config = tmp_path / "config" / "sealbox"
    config.mkdir(parents=True)
    (config / "config.json").write_text(json.dumps({
        "server": daemon.staff_url, "staff_key": str(keys.staff_key_file), "team_key": str(keys.team_key_file),
        "passphrase_file": str(keys.passphrase_file), "store": str(tmp_path / "from-config")}))
    sync = e2e.run_cli(["sync"], home=tmp_path)
    assert sync.returncode == 0, sync.stderr.decode()
    assert (tmp_path / "from-config").is_dir()
    case = submitted["urlencoded"][0]
    shown = e2e.run_cli(["show", case, "--json"], home=tmp_path)
    assert shown.returncode == 0, shown.stderr.decode()
    assert json.loads(shown.stdout)["items"][0]["contact"] == REPORTS["urlencoded"]["contact"]


def test_sync_without_a_staff_key_anywhere_names_the_missing_setting(daemon, tmp_path):
    result = e2e.run_cli(["sync", "--server", daemon.staff_url, "--store", str(tmp_path / "s")], home=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert err.startswith("sealbox: error: no staff key file given")
    assert "SEALBOX_STAFF_KEY" in err
