"""A server that alters what it stores cannot make `sealbox show` print something
else: the CLI names an altered report, an altered attachment and a report filed
under the wrong case, exits 3, and still shows the untouched cases. The server here
holds its key store (docs/PROTOCOL.md §10.4): it alters what is inside its storage layer,
so that the daemon serves the altered bytes and the workstation must find them."""

from __future__ import annotations

import json
import os

import pytest

import sealbox_e2e as e2e
import storage_layer as sl

LETTER = os.urandom(90_000)


@pytest.fixture(scope="module")
def tampered(module_daemons, keys, tmp_path_factory):
    daemon = module_daemons()
    answers = {}
    body, ctype = e2e.multipart([("text", "Anhang wird verändert")], [("attachment", "brief.pdf", "application/pdf", LETTER)])
    answers["blob"] = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype}).json()
    for name in ("envelope", "moved", "target", "intact"):
        answers[name] = daemon.post("/api/v1/reports", json={"text": f"Meldung {name}"}).json()
    connection = daemon.db()
    with connection:
        case = answers["envelope"]["case"]
        key = sl.storage_key(daemon.storage, case)
        item_id, stored = connection.execute("SELECT id, envelope FROM items WHERE case_ref = ?", (case,)).fetchone()
        envelope = bytearray(sl.unwrap_item(key, item_id, stored))
        envelope[-20] ^= 0x40
        connection.execute("UPDATE items SET envelope = ? WHERE id = ?", (sl.wrap_item(key, item_id, bytes(envelope)), item_id))
        blob_id, stored, blob_case = connection.execute(
            "SELECT a.id, a.blob, i.case_ref FROM attachments a JOIN items i ON i.id = a.item_id").fetchone()
        key = sl.storage_key(daemon.storage, blob_case)
        blob = bytearray(sl.unwrap_blob(key, blob_id, stored))
        blob[-100] ^= 0x01
        connection.execute("UPDATE attachments SET blob = ?", (sl.wrap_blob(key, blob_id, bytes(blob)),))
        # The server files one report under another case.
        moved, target = answers["moved"]["case"], answers["target"]["case"]
        item_id, stored = connection.execute("SELECT id, envelope FROM items WHERE case_ref = ?", (moved,)).fetchone()
        connection.execute("UPDATE items SET envelope = ?, case_ref = ?, position = (SELECT MAX(position) + 1 FROM items "
                           "WHERE case_ref = ?) WHERE id = ?",
                           (sl.rewrap_item(daemon.storage, item_id, moved, target, stored), target, target, item_id))
    connection.close()
    home = tmp_path_factory.mktemp("tamper-ws")
    store = home / "store"
    sync = e2e.run_cli(["sync", "--server", daemon.staff_url, "--staff-key", str(keys.staff_key_file),
                        "--store", str(store), "--passphrase-file", str(keys.passphrase_file)], home=home)
    assert sync.returncode == 0, sync.stderr.decode()
    return {"answers": answers, "home": home, "store": store}


def show(tampered, keys, case, *extra):
    return e2e.run_cli(["show", case, "--store", str(tampered["store"]), "--team-key", str(keys.team_key_file),
                        "--passphrase-file", str(keys.passphrase_file), *extra], home=tampered["home"])


def test_untouched_case_still_opens(tampered, keys):
    result = show(tampered, keys, tampered["answers"]["intact"]["case"], "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["items"][0]["text"] == "Meldung intact"


def test_altered_report_is_named_and_not_printed(tampered, keys):
    case = tampered["answers"]["envelope"]["case"]
    result = show(tampered, keys, case, "--json")
    assert result.returncode == 3
    assert "failed authentication: it was altered or damaged" in result.stderr.decode()
    item = json.loads(result.stdout)["items"][0]
    assert item["status"] == "tampered" and "text" not in item


def test_report_filed_under_another_case_is_refused(tampered, keys):
    case = tampered["answers"]["target"]["case"]
    result = show(tampered, keys, case, "--json")
    assert result.returncode == 3
    items = json.loads(result.stdout)["items"]
    assert sorted(i["status"] for i in items) == ["ok", "tampered"]
    assert [i["text"] for i in items if i["status"] == "ok"] == ["Meldung target"]
    assert "Meldung moved" not in result.stdout.decode()


def test_altered_attachment_is_not_written(tampered, keys, tmp_path):
    case = tampered["answers"]["blob"]["case"]
    target = tmp_path / "out"
    result = show(tampered, keys, case, "--attachments", str(target))
    assert result.returncode == 3
    assert 'attachment "brief.pdf"' in result.stderr.decode() and "altered or damaged" in result.stderr.decode()
    assert not (target / "brief.pdf").exists()
    assert "Anhang wird verändert" in result.stdout.decode()  # the report itself is intact


@pytest.mark.parametrize("hostile,expected", [
    ("../../../../tmp/evil.txt", "evil.txt"),
    ("..\\..\\Windows\\system32\\evil.txt", None),
    (".bashrc", None),
    ("\u202etxt.exe", "txt.exe"),
], ids=["dotdot-slash", "dotdot-backslash", "dotfile", "bidi-override"])
def test_hostile_attachment_name_is_written_inside_the_target_folder(daemon_factory, keys, tmp_path, hostile, expected):
    daemon = daemon_factory()
    body, ctype = e2e.multipart([("text", "feindlicher Dateiname")], [("attachment", hostile, "text/plain", b"inhalt")])
    answer = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert answer.status_code == 201, answer.text
    store = tmp_path / "store"
    sync = e2e.run_cli(["sync", "--server", daemon.staff_url, "--staff-key", str(keys.staff_key_file),
                        "--store", str(store), "--passphrase-file", str(keys.passphrase_file)], home=tmp_path)
    assert sync.returncode == 0, sync.stderr.decode()
    target = tmp_path / "deep" / "out"
    result = e2e.run_cli(["show", answer.json()["case"], "--store", str(store), "--team-key", str(keys.team_key_file),
                          "--passphrase-file", str(keys.passphrase_file), "--attachments", str(target), "--json"],
                         home=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    [written] = list(target.iterdir())
    assert written.read_bytes() == b"inhalt"
    assert not written.name.startswith(".") and "\u202e" not in written.name
    if expected:
        assert written.name == expected
    saved = json.loads(result.stdout)["items"][0]["attachments"][0]["saved_as"]
    assert saved == str(written)
    everywhere = [p for p in e2e.all_files(tmp_path) if "evil" in p.name or "txt.exe" in p.name or "bashrc" in p.name]
    assert everywhere == [written]
    assert not e2e.Path("/tmp/evil.txt").exists()
