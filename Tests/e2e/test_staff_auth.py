"""Section 6: the staff API answers only requests signed as PROTOCOL §7 says, by a
key in staff.keys, fresh, never seen before, over exactly the method, path, query
and body sent. Every refusal is the same 401, which says nothing about why."""

from __future__ import annotations

import json
import time

import nacl.signing
import pytest
import requests

import sealbox_e2e as e2e

ITEMS = "/api/v1/staff/items?limit=10"


@pytest.fixture(scope="module")
def stored(daemon):
    """Two reports, one with an attachment, so there is something to fetch."""
    body, ctype = e2e.multipart([("text", "für das Personal")], [("attachment", "a.txt", "text/plain", b"anhang" * 100)])
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 201
    assert daemon.post("/api/v1/reports", json={"text": "zweite"}).status_code == 201
    return r.json()


def send(daemon, path, headers, method="GET", body=b""):
    return requests.request(method, daemon.staff_url + path, headers=headers, data=body or None, timeout=30)


def assert_refused(response, reference=None):
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert "items" not in response.text and "envelope" not in response.text
    if reference is not None:
        assert response.content == reference.content  # no hint at the reason


@pytest.fixture(scope="module")
def unsigned_answer(daemon):
    return requests.get(daemon.staff_url + ITEMS, timeout=30)


def test_signed_request_gets_the_items(daemon, signer, stored):
    r = send(daemon, ITEMS, signer.headers("GET", ITEMS))
    assert r.status_code == 200
    page = r.json()
    assert stored["case"] in [i["case"] for i in page["items"]]
    assert page["next"] == page["items"][-1]["id"]


def test_signed_request_gets_an_attachment_blob(daemon, signer, stored):
    items = signer.all_items(daemon)
    [attachment] = next(i for i in items if i["case"] == stored["case"])["attachments"]
    path = f"/api/v1/staff/attachments/{attachment['id']}"
    r = send(daemon, path, signer.headers("GET", path))
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/octet-stream"
    assert r.content[:4] == b"SBA1" and len(r.content) == attachment["size"]


def test_unsigned_request_gets_401(unsigned_answer):
    assert_refused(unsigned_answer)


def test_unsigned_attachment_request_gets_401_not_404(daemon, unsigned_answer):
    r = requests.get(daemon.staff_url + "/api/v1/staff/attachments/" + "0" * 32, timeout=30)
    assert_refused(r, unsigned_answer)


@pytest.mark.parametrize("header", ["Sealbox-Key", "Sealbox-Timestamp", "Sealbox-Nonce", "Sealbox-Signature"])
def test_request_missing_one_signature_header_gets_401(daemon, signer, unsigned_answer, header):
    headers = signer.headers("GET", ITEMS)
    del headers[header]
    assert_refused(send(daemon, ITEMS, headers), unsigned_answer)


def test_unknown_key_gets_401(daemon, unsigned_answer):
    stranger = e2e.StaffSigner(bytes(nacl.signing.SigningKey.generate()))
    assert_refused(send(daemon, ITEMS, stranger.headers("GET", ITEMS)), unsigned_answer)


def test_valid_staff_key_not_in_staff_keys_gets_401(daemon, keys, unsigned_answer):
    seed, _ = e2e.so.open_key_file(keys.other_staff_key_file.read_bytes(), keys.passphrase, "staff")
    assert_refused(send(daemon, ITEMS, e2e.StaffSigner(seed).headers("GET", ITEMS)), unsigned_answer)


@pytest.mark.parametrize("offset", [-400, 400], ids=["400s-old", "400s-ahead"])
def test_stale_timestamp_gets_401(daemon, signer, unsigned_answer, offset):
    headers = signer.headers("GET", ITEMS, timestamp=int(time.time()) + offset)
    assert_refused(send(daemon, ITEMS, headers), unsigned_answer)


def test_timestamp_within_the_window_is_accepted(daemon, signer):
    headers = signer.headers("GET", ITEMS, timestamp=int(time.time()) - 240)
    assert send(daemon, ITEMS, headers).status_code == 200


def test_replayed_nonce_gets_401_after_first_use_succeeds(daemon, signer, unsigned_answer):
    headers = signer.headers("GET", ITEMS)
    assert send(daemon, ITEMS, headers).status_code == 200
    assert_refused(send(daemon, ITEMS, headers), unsigned_answer)


def test_reused_nonce_with_a_fresh_signature_gets_401(daemon, signer, unsigned_answer):
    nonce = signer.nonce()
    assert send(daemon, ITEMS, signer.headers("GET", ITEMS, nonce=nonce)).status_code == 200
    other = "/api/v1/staff/items?limit=3"
    assert_refused(send(daemon, other, signer.headers("GET", other, nonce=nonce)), unsigned_answer)


def test_tampered_signature_gets_401(daemon, signer, unsigned_answer):
    headers = signer.headers("GET", ITEMS)
    raw = bytearray(e2e.so.unb64u(headers["Sealbox-Signature"]))
    raw[10] ^= 0x01
    headers["Sealbox-Signature"] = e2e.so.b64u(bytes(raw))
    assert_refused(send(daemon, ITEMS, headers), unsigned_answer)


def test_signature_over_another_query_gets_401(daemon, signer, unsigned_answer):
    headers = signer.headers("GET", "/api/v1/staff/items?limit=1")
    assert_refused(send(daemon, "/api/v1/staff/items?limit=2", headers), unsigned_answer)


def test_signature_over_another_path_gets_401(daemon, signer, stored, unsigned_answer):
    headers = signer.headers("GET", ITEMS)
    path = "/api/v1/staff/attachments/" + "b" * 32
    assert_refused(send(daemon, path, headers), unsigned_answer)


def test_signature_over_another_method_gets_401(daemon, signer, unsigned_answer):
    headers = signer.headers("POST", ITEMS)
    assert_refused(send(daemon, ITEMS, headers), unsigned_answer)


def test_body_digest_mismatch_gets_401(daemon, signer, unsigned_answer):
    headers = signer.headers("GET", ITEMS, body=b'{"a": 1}')
    assert_refused(send(daemon, ITEMS, headers, body=b'{"a": 2}'), unsigned_answer)


def test_body_sent_but_signed_as_empty_gets_401(daemon, signer, unsigned_answer):
    headers = signer.headers("GET", ITEMS)
    assert_refused(send(daemon, ITEMS, headers, body=b"extra"), unsigned_answer)


def test_signature_by_one_key_presented_under_another_gets_401(daemon, signer, keys, unsigned_answer):
    headers = signer.headers("GET", ITEMS)
    headers["Sealbox-Key"] = keys.other_staff_public_text
    assert_refused(send(daemon, ITEMS, headers), unsigned_answer)


@pytest.mark.parametrize("nonce", ["short", "", "a" * 40, "!!!!!!!!!!!!!!!!!!!!!!"])
def test_malformed_nonce_gets_401(daemon, signer, unsigned_answer, nonce):
    headers = signer.headers("GET", ITEMS, nonce=nonce or signer.nonce())
    headers["Sealbox-Nonce"] = nonce
    assert_refused(send(daemon, ITEMS, headers), unsigned_answer)


def test_public_listener_does_not_serve_the_staff_api(daemon, signer):
    r = requests.get(daemon.public_url + ITEMS, headers=signer.headers("GET", ITEMS), timeout=30)
    assert r.status_code == 404


def test_staff_listener_does_not_take_submissions(daemon):
    before = daemon.counts()
    r = requests.post(daemon.staff_url + "/api/v1/reports", json={"text": "falsche Tür"}, timeout=30)
    assert r.status_code in (401, 404)
    assert daemon.counts() == before


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=abc", "after=" + "f" * 32])
def test_bad_item_query_gets_400(daemon, signer, stored, query):
    path = "/api/v1/staff/items?" + query
    assert send(daemon, path, signer.headers("GET", path)).status_code == 400


def test_items_page_after_a_cursor(daemon, signer, stored):
    first = send(daemon, "/api/v1/staff/items?limit=1", signer.headers("GET", "/api/v1/staff/items?limit=1")).json()
    assert len(first["items"]) == 1
    path = f"/api/v1/staff/items?after={first['next']}&limit=500"
    rest = send(daemon, path, signer.headers("GET", path)).json()
    assert first["items"][0]["id"] not in [i["id"] for i in rest["items"]]
    assert len(rest["items"]) >= 1


# --- the CLI against a daemon that does not know its key ------------------------------------------------------


def test_sync_with_a_key_not_in_staff_keys_fails_clearly(daemon, keys, stored, tmp_path):
    store = tmp_path / "store"
    result = e2e.run_cli(["sync", "--server", daemon.staff_url, "--staff-key", str(keys.other_staff_key_file),
                          "--store", str(store), "--passphrase-file", str(keys.passphrase_file)], home=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 4, err
    assert err.startswith("sealbox: error: ")
    assert "did not accept your staff key" in err
    assert keys.other_staff_public_text in err  # the hint names the key to add
    listed = e2e.run_cli(["list", "--store", str(store), "--json"], home=tmp_path)
    assert listed.returncode == 0
    assert json.loads(listed.stdout)["cases"] == []


def test_sync_with_the_team_key_instead_of_a_staff_key_fails(daemon, keys, tmp_path):
    result = e2e.run_cli(["sync", "--server", daemon.staff_url, "--staff-key", str(keys.team_key_file),
                          "--store", str(tmp_path / "s"), "--passphrase-file", str(keys.passphrase_file)],
                         home=tmp_path)
    assert result.returncode != 0
    assert result.stderr.decode().startswith("sealbox: error: ")
