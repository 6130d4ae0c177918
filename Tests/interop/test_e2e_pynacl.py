"""Section 3: PyNaCl opens what the real daemon stored, using nothing but
docs/PROTOCOL.md (implemented in sealbox_open.py), the team key file made by the
real `sealbox keygen`, its passphrase, and the daemon's SQLite file, its key store
(the storage layer, PROTOCOL §10.4, unwrapped by storage_layer.py) and pepper.

It also re-derives, from the code a reporter was shown and the pepper, the lookup
hash and the reporter key the daemon stored, and opens the report with that key."""

from __future__ import annotations

import datetime
import json
import random
import signal
import sqlite3

import pytest

import sealbox_e2e as e2e
import sealbox_open as so
import storage_layer as sl

REPORT = {
    "text": "Im Bürgeramt wurde ich wegen meines Akzents weggeschickt.\nZeuge: niemand.",
    "grounds": ["language", "nationality"],
    "area": "authorities",
    "when": "Dienstag",
    "where": "Bürgeramt Mitte",
    "contact": "Threema ABCD1234",
}
LETTER = random.Random(7).randbytes(150_000)  # three stream chunks, the last partial
# The approximate incident date (PROTOCOL §3.2, since 0.9.0): a day of the month before, as the API takes it.
_first = datetime.datetime.now(datetime.timezone.utc).date().replace(day=1)
INCIDENT = (_first - datetime.timedelta(days=20)).isoformat()


@pytest.fixture(scope="module")
def stored(module_daemons):
    """One report with an attachment through the real daemon; then the daemon is stopped
    (exit 0 required) and its files are read as a thief of the disk would."""
    daemon = module_daemons()
    try:
        body, ctype = e2e.multipart(e2e.report_fields(REPORT) + [("incident", INCIDENT)],
                                    [("attachment", "Bescheid.pdf", "application/pdf", LETTER)])
        response = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype, "Accept-Language": "tr"})
        assert response.status_code == 201, response.text
        plain = daemon.post("/api/v1/reports", json={"text": "zweite Meldung"})
        assert plain.status_code == 201
    finally:
        assert daemon.stop(signal.SIGTERM) == 0
    connection = sqlite3.connect(str(daemon.db_path))
    connection.row_factory = sqlite3.Row
    rows = {
        "cases": [dict(r) for r in connection.execute("SELECT * FROM cases")],
        "items": [dict(r) for r in connection.execute("SELECT * FROM items ORDER BY case_ref, position")],
        "attachments": [dict(r) for r in connection.execute("SELECT * FROM attachments")],
    }
    connection.close()
    # What a thief of the whole disk has: the key store beside the database unwraps the rows.
    case_of_item = {row["id"]: row["case_ref"] for row in rows["items"]}
    for row in rows["items"]:
        if row["kind"] != "status":
            row["envelope"] = sl.unwrap_item(sl.storage_key(daemon.storage, row["case_ref"]), row["id"], row["envelope"])
    for row in rows["attachments"]:
        row["blob"] = sl.unwrap_blob(sl.storage_key(daemon.storage, case_of_item[row["item_id"]]), row["id"], row["blob"])
    return {"answer": response.json(), "second": plain.json(), "rows": rows,
            "pepper": (daemon.storage / "pepper").read_bytes()}


def item_of(stored, case):
    return next(i for i in stored["rows"]["items"] if i["case_ref"] == case)


def test_team_key_file_opens_with_pynacl_and_matches_printed_public_key(keys, team_secret):
    assert so.team_key_text(so.box_public_key(team_secret)) == keys.team_public_text
    doc = json.loads(keys.team_key_file.read_text())
    assert doc["format"] == "sealbox-secret-key" and doc["version"] == 1 and doc["type"] == "team"
    assert (doc["kdf"]["opslimit"], doc["kdf"]["memlimit"]) == (2, 64 * 1024 * 1024)  # --kdf-cost interactive
    assert keys.team_key_file.stat().st_mode & 0o777 == 0o600


def test_team_key_file_refuses_a_wrong_passphrase(keys):
    with pytest.raises(so.AuthenticationFailed):
        so.open_key_file(keys.team_key_file.read_bytes(), b"wrong passphrase", "team")


def test_staff_key_file_opens_with_pynacl_and_matches_printed_public_key(keys):
    seed, text = so.open_key_file(keys.staff_key_file.read_bytes(), keys.passphrase, "staff")
    assert text == keys.staff_public_text
    assert len(seed) == 32


def test_stored_report_opens_with_team_key_and_holds_what_was_sent(stored, team_secret):
    case = stored["answer"]["case"]
    item = item_of(stored, case)
    kind, plaintext = so.open_envelope(item["envelope"], team_secret)
    assert kind == "report" and item["kind"] == "report"
    content = json.loads(plaintext)
    assert content["v"] == 2 and content["type"] == "report"
    assert len(so.unb64u(content["reporter_signing_key"])) == 32  # PROTOCOL §3.3
    assert content["case"] == case
    assert content["day"] == stored["answer"]["received"] == item["day"]
    for key, value in REPORT.items():
        assert content[key] == value, key
    # The reporter's language (the negotiated one) and the incident date, sealed (PROTOCOL §3.2).
    assert content["lang"] == "tr" and content["incident"] == INCIDENT
    [manifest] = content["attachments"]
    assert (manifest["name"], manifest["type"], manifest["size"]) == ("Bescheid.pdf", "application/pdf", len(LETTER))


def test_report_without_optional_fields_omits_them(stored, team_secret):
    item = item_of(stored, stored["second"]["case"])
    content = json.loads(so.open_envelope(item["envelope"], team_secret)[1])
    assert content["text"] == "zweite Meldung"
    for key in ("grounds", "area", "when", "where", "contact", "incident"):
        assert key not in content
    assert content["lang"] == "de"  # no Accept-Language: the default language
    assert content.get("attachments", []) == []


def test_stored_attachment_blob_decrypts_to_the_uploaded_bytes(stored, team_secret):
    item = item_of(stored, stored["answer"]["case"])
    content = json.loads(so.open_envelope(item["envelope"], team_secret)[1])
    [row] = stored["rows"]["attachments"]
    assert row["item_id"] == item["id"]
    assert row["id"] == content["attachments"][0]["id"]
    assert so.decrypt_blob(row["blob"], row["id"], team_secret) == LETTER


def test_attachment_blob_cannot_be_passed_off_under_another_id(stored, team_secret):
    [row] = stored["rows"]["attachments"]
    other_id = "0" * 32
    with pytest.raises(so.AuthenticationFailed):
        so.decrypt_blob(row["blob"], other_id, team_secret)


def test_truncated_attachment_blob_fails_to_open(stored, team_secret):
    [row] = stored["rows"]["attachments"]
    with pytest.raises(so.AuthenticationFailed):
        so.decrypt_blob(row["blob"][:-17], row["id"], team_secret)


def test_tampered_envelope_fails_to_open(stored, team_secret):
    envelope = bytearray(item_of(stored, stored["answer"]["case"])["envelope"])
    envelope[-1] ^= 1
    with pytest.raises(so.AuthenticationFailed):
        so.open_envelope(bytes(envelope), team_secret)


def test_envelope_is_not_sealed_to_an_unrelated_key(stored):
    import nacl.bindings as b
    _, stranger = b.crypto_box_keypair()
    with pytest.raises(so.NotSealedToThisKey):
        so.open_envelope(item_of(stored, stored["answer"]["case"])["envelope"], stranger)


@pytest.fixture(scope="module")
def derived(stored):
    digits = so.normalise_code(stored["answer"]["code"])
    return so.derive_code_secrets(digits, stored["pepper"], e2e.CODE_OPSLIMIT, e2e.CODE_MEMLIMIT)


def test_code_and_pepper_give_the_stored_lookup_hash(stored, derived):
    case = next(c for c in stored["rows"]["cases"] if c["ref"] == stored["answer"]["case"])
    assert derived["lookup_hash"] == case["lookup_hash"]


def test_code_and_pepper_give_the_stored_reporter_key(stored, derived):
    case = next(c for c in stored["rows"]["cases"] if c["ref"] == stored["answer"]["case"])
    assert derived["reporter_public_key"] == case["reporter_key"]


def test_reporter_key_sealed_inside_the_report_is_the_derived_one(stored, team_secret, derived):
    item = item_of(stored, stored["answer"]["case"])
    content = json.loads(so.open_envelope(item["envelope"], team_secret)[1])
    assert content["reporter_key"] == so.b64u(derived["reporter_public_key"])


def test_derived_reporter_key_opens_the_report_as_second_recipient(stored, team_secret, derived):
    item = item_of(stored, stored["answer"]["case"])
    _, recipients = so.envelope_recipients(item["envelope"])
    assert recipients == [so.key_id(so.box_public_key(team_secret)), so.key_id(derived["reporter_public_key"])]
    kind, plaintext = so.open_envelope(item["envelope"], derived["reporter_secret_key"])
    assert kind == "report"
    assert plaintext == so.open_envelope(item["envelope"], team_secret)[1]


def test_another_valid_code_matches_no_stored_case(stored):
    digits = so.normalise_code(stored["second"]["code"])[:15]
    wrong = None
    for last in "0123456789":  # a different code with a valid check digit
        candidate = digits[:14] + str((int(digits[14]) + 1) % 10) + last
        if so.damm(candidate) == 0:
            wrong = candidate
            break
    secrets = so.derive_code_secrets(wrong, stored["pepper"], e2e.CODE_OPSLIMIT, e2e.CODE_MEMLIMIT)
    assert secrets["lookup_hash"] not in {c["lookup_hash"] for c in stored["rows"]["cases"]}


def test_right_code_without_the_pepper_matches_nothing(stored):
    digits = so.normalise_code(stored["answer"]["code"])
    secrets = so.derive_code_secrets(digits, bytes(32), e2e.CODE_OPSLIMIT, e2e.CODE_MEMLIMIT)
    stored_case = next(c for c in stored["rows"]["cases"] if c["ref"] == stored["answer"]["case"])
    assert secrets["lookup_hash"] != stored_case["lookup_hash"]
    assert secrets["reporter_public_key"] != stored_case["reporter_key"]


def test_pepper_file_is_32_private_bytes(stored):
    assert len(stored["pepper"]) == 32
