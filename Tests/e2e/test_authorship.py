"""Messages are authenticated to their authors (PROTOCOL §3.3), and one malformed item
never makes a case unreadable (§9.1, §9.2).

Someone who can write to the daemon's SQLite file inserts plausible items, sealed to
the team key and the reporter key as the real ones are: a follow-up signed with a key of
their own, an unsigned reply, a reply signed by a staff key nobody knows, and a copy of
a genuine follow-up. `sealbox show` marks each as forged (NOT AUTHENTIC, "forged" in
--json) and the genuine ones as ok; the reporter's inbox shows only the genuine ones.
"""

from __future__ import annotations

import json
import os

import nacl.signing
import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e
import sealbox_open as so
import storage_layer as sl


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000")


@pytest.fixture(scope="module")
def ws(daemon, workstation_factory) -> ih.Workstation:
    return workstation_factory(daemon)


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


def stored_envelope(daemon: e2e.Daemon, item_id: str) -> bytes:
    connection = daemon.db()
    try:
        case, stored = connection.execute("SELECT case_ref, envelope FROM items WHERE id = ?", (item_id,)).fetchone()
        return sl.unwrap_item(sl.storage_key(daemon.storage, case), item_id, bytes(stored))
    finally:
        connection.close()


def new_case(daemon, text):
    r = daemon.post("/api/v1/reports", json={"text": text})
    assert r.status_code == 201, r.text
    return r.json()["case"], r.json()["code"]


def show(ws, case):
    result = ws.run("show", case, "--json")
    return result, json.loads(result.stdout)["items"]


@pytest.fixture(scope="module")
def forged_case(daemon, ws, signer, keys):
    case, code = new_case(daemon, "Meldung mit gefälschten Nachrichten")
    team, reporter = ih.team_public_key(keys), ih.reporter_key_of(signer, daemon, keys, case)
    assert ih.follow_up_json(daemon, code, "echter Nachtrag").status_code == 201
    ws.ok("sync")
    assert ws.run("reply", case, "-", input="echte Antwort".encode()).returncode == 0
    day = ih.today().isoformat()
    follow = {"v": 1, "type": "follow-up", "case": case, "day": day, "text": "gefälschter Nachtrag", "attachments": []}
    signed_by_stranger = so.sign_item(follow, os.urandom(32))
    ids = {
        "follow-up": insert_item(daemon, case, "follow-up", ih.seal_envelope(
            json.dumps(signed_by_stranger).encode(), 2, [team, reporter])),
        "unsigned reply": insert_item(daemon, case, "reply", ih.seal_envelope(
            ih.reply_plaintext(case, "gefälschte Antwort ohne Signatur"), 3, [reporter, team])),
        "unknown staff key": insert_item(daemon, case, "reply", ih.seal_envelope(
            ih.reply_plaintext(case, "gefälschte Antwort, fremder Schlüssel", seed=os.urandom(32)), 3,
            [reporter, team])),
    }
    genuine_follow_up = [i for i in signer.all_items(daemon) if i["case"] == case and i["kind"] == "follow-up"][0]
    ids["copy"] = insert_item(daemon, case, "follow-up", stored_envelope(daemon, genuine_follow_up["id"]))
    ws.ok("sync")
    return {"case": case, "code": code, "ids": ids}


def test_forged_items_are_shown_as_forged_and_genuine_ones_verify(ws, forged_case, keys):
    result, items = show(ws, forged_case["case"])
    assert result.returncode == 3, result.stderr.decode()
    by_id = {i["id"]: i for i in items}
    forged = {name: by_id[item_id] for name, item_id in forged_case["ids"].items()}
    assert all(i["status"] == "forged" for i in forged.values()), forged
    genuine = [i for i in items if i["id"] not in forged_case["ids"].values()]
    assert [(i["kind"], i["status"]) for i in genuine] == [("report", "ok"), ("follow-up", "ok"), ("reply", "ok")]
    staff_id = so.key_id(so.parse_key_text(keys.staff_public_text, so.STAFF_PREFIX)).hex()
    assert genuine[2]["signer"] == staff_id and genuine[2]["text"] == "echte Antwort"
    assert forged["unknown staff key"]["signer"] != staff_id
    stderr = result.stderr.decode()
    assert stderr.count("NOT AUTHENTIC") == 4
    text = ws.run("show", forged_case["case"]).stdout.decode()
    assert text.count("NOT AUTHENTIC") == 4 and "signed by staff key " + staff_id in text


def test_the_reporter_never_sees_a_forged_item(daemon, forged_case):
    thread = ih.open_inbox(daemon, forged_case["code"]).json()
    assert [(m["author"], m["text"]) for m in thread["messages"]] == [
        ("reporter", "Meldung mit gefälschten Nachrichten"), ("reporter", "echter Nachtrag"), ("team", "echte Antwort")]


def test_a_colleagues_key_is_accepted_once_listed(ws, daemon, signer, keys):
    case, _ = new_case(daemon, "Antwort einer Kollegin")
    colleague = os.urandom(32)
    reporter = ih.reporter_key_of(signer, daemon, keys, case)
    envelope = ih.seal_envelope(ih.reply_plaintext(case, "Antwort der Kollegin", seed=colleague), 3,
                                [reporter, ih.team_public_key(keys)])
    assert ih.post_reply(signer, daemon, case, envelope).status_code == 201
    ws.ok("sync")
    result, items = show(ws, case)
    assert result.returncode == 3 and items[1]["status"] == "forged"
    text = so.staff_key_text(bytes(nacl.signing.SigningKey(colleague).verify_key))
    listed = ws.run("show", case, "--json", env={"SEALBOX_STAFF_PUBLIC_KEYS": text})
    assert listed.returncode == 0, listed.stderr.decode()
    assert json.loads(listed.stdout)["items"][1]["status"] == "ok"


# --- Gap 9: a malformed reply --------------------------------------------------------------------------------

def test_a_reply_without_v_leaves_the_rest_of_the_case_readable(daemon, ws, signer, keys):
    case, code = new_case(daemon, "Meldung vor der kaputten Antwort")
    reporter = ih.reporter_key_of(signer, daemon, keys, case)
    plain = json.dumps({"type": "reply", "case": case, "day": ih.today().isoformat(), "text": "ohne v",
                        "attachments": []}).encode()
    r = ih.post_reply(signer, daemon, case, ih.seal_envelope(plain, 3, [reporter, ih.team_public_key(keys)]))
    assert r.status_code == 201  # the daemon cannot read it: it is well formed on the outside
    assert ih.follow_up_json(daemon, code, "Nachtrag danach").status_code == 201
    ws.ok("sync")
    result, items = show(ws, case)
    assert result.returncode == 3
    assert [(i["kind"], i["status"]) for i in items] == [("report", "ok"), ("reply", "malformed"), ("follow-up", "ok")]
    assert "not a well-formed Sealbox item" in result.stderr.decode()
    # The reporter cannot read that reply, so for them nothing acknowledged the case.
    thread = ih.open_inbox(daemon, code).json()
    assert thread["status"] == "received" and thread["acknowledged"] is None
    assert [m["text"] for m in thread["messages"]] == ["Meldung vor der kaputten Antwort", "Nachtrag danach"]


def test_the_server_refuses_a_reply_too_short_to_be_an_envelope(daemon, signer, keys):
    case, _ = new_case(daemon, "Meldung, kurze Antwort")
    reporter = ih.reporter_key_of(signer, daemon, keys, case)
    whole = ih.seal_envelope(ih.reply_plaintext(case, "x", seed=signer.seed), 3, [reporter, ih.team_public_key(keys)])
    r = ih.post_reply(signer, daemon, case, whole[:-600])
    assert r.status_code == 422, r.text


def test_pynacl_verifies_the_signatures_the_daemon_and_the_cli_made(daemon, forged_case, signer, keys):
    """An independent reader (PyNaCl, PROTOCOL §3.3 alone) checks the genuine follow-up against the
    reporter signing key inside the sealed report, and the genuine reply against the staff key."""
    items = sorted((i for i in signer.all_items(daemon) if i["case"] == forged_case["case"]), key=lambda i: i["position"])
    opened = [(i["id"], *so.open_envelope(e2e.unb64u(i["envelope"]), keys.team_secret)) for i in items]
    contents = {item_id: json.loads(plain) for item_id, _, plain in opened}
    report = contents[items[0]["id"]]
    follow_up, reply = (contents[i["id"]] for i in items[1:3])
    assert so.verify_item(follow_up) == so.unb64u(report["reporter_signing_key"])
    assert so.verify_item(reply) == so.parse_key_text(keys.staff_public_text, so.STAFF_PREFIX)
    with pytest.raises(so.AuthenticationFailed):
        so.verify_item({**reply, "text": reply["text"] + "!"})
