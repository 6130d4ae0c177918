"""PyNaCl checks of SealboxCrypto, through Tests/interop/sealbox_open.py only.

1. The checked-in vectors (Tests/SealboxCryptoTests/Vectors, made by
   make_vectors.py) give the same outcomes through sealbox_open.py as the Swift
   vector loop expects.
2. PyNaCl opens everything Swift sealed: the fixture runs the generator
   `sealbox-interop-export DIR` (Tests/InteropExport, built with the package) and
   reads DIR/swift_vectors.json.

    SEALBOX_BIN=$(swift build --show-bin-path) python3 -m pytest Tests/interop/test_pynacl_interop.py
"""

import hashlib
import json
import os
import subprocess

import pytest

import sealbox_e2e as e2e
import sealbox_open as so

VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SealboxCryptoTests", "Vectors")


def cases(name):
    with open(os.path.join(VECTORS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)["cases"]


def outcome(fn):
    try:
        return None, fn()
    except (so.SealboxError, so.CodeInputError) as exc:
        return exc.code, None


@pytest.mark.parametrize("case", cases("storage"), ids=lambda c: c["name"])
def test_storage_vector(case):
    """PROTOCOL §10.4 as Tests/e2e/storage_layer.py implements it (the e2e tests' wrap and unwrap)."""
    import hashlib

    import storage_layer as sl
    from nacl.exceptions import CryptoError

    key, stored = bytes.fromhex(case["key"]), so.unb64u(case["stored"])
    try:
        if case["kind"] == "item":
            if "nonce" in case:
                assert sl.wrap_item(key, case["item_id"], so.unb64u(case["envelope"]), bytes.fromhex(case["nonce"])) == stored
            opened = sl.unwrap_item(key, case["item_id"], stored)
            assert opened == so.unb64u(case["envelope"])
        else:
            opened = sl.unwrap_blob(key, case["attachment_id"], stored)
            assert len(opened) == case["plaintext_size"]
            assert hashlib.sha256(opened).hexdigest() == case["plaintext_sha256"]
        assert "error" not in case
    except (CryptoError, AssertionError, ValueError):
        if "error" not in case:
            raise


@pytest.mark.parametrize("case", cases("envelope"), ids=lambda c: c["name"])
def test_envelope_vector(case):
    error, opened = outcome(lambda: so.open_envelope(so.unb64u(case["envelope"]), bytes.fromhex(case["secret_key"])))
    assert error == case.get("error")
    if not error:
        assert opened == (case["kind"], so.unb64u(case["plaintext"]))


@pytest.mark.parametrize("case", cases("attachment"), ids=lambda c: c["name"])
def test_attachment_vector(case):
    error, plain = outcome(lambda: so.decrypt_blob(so.unb64u(case["blob"]), case["attachment_id"],
                                                   bytes.fromhex(case["secret_key"])))
    assert error == case.get("error")
    if not error:
        assert hashlib.sha256(plain).hexdigest() == case["plaintext_sha256"]


@pytest.mark.parametrize("case", cases("keyfile"), ids=lambda c: c["name"])
def test_keyfile_vector(case):
    error, opened = outcome(lambda: so.open_key_file(case["json"], so.unb64u(case["passphrase"]), case["expecting"]))
    assert error == case.get("error")
    if not error:
        assert opened == (bytes.fromhex(case["secret"]), case["public_key"])


@pytest.mark.parametrize("case", cases("code"), ids=lambda c: c["name"])
def test_code_vector(case):
    error, digits = outcome(lambda: so.normalise_code(case["input"]))
    assert error == case.get("error")
    if not error:
        s = so.derive_code_secrets(digits, bytes.fromhex(case["pepper"]), case["opslimit"], case["memlimit"])
        assert s["lookup_hash"].hex() == case["lookup_hash"]
        assert s["reporter_public_key"].hex() == case["reporter_public_key"]


@pytest.fixture(scope="module")
def swift(tmp_path_factory):
    """The data SealboxCrypto sealed, written by the real generator binary."""
    out = tmp_path_factory.mktemp("swift-vectors")
    subprocess.run([str(e2e.BIN / "sealbox-interop-export"), str(out)], check=True, timeout=120)
    with open(out / "swift_vectors.json", encoding="utf-8") as f:
        return json.load(f)


def test_pynacl_opens_swift_envelopes(swift):
    team, reporter = bytes.fromhex(swift["team_secret_key"]), bytes.fromhex(swift["reporter_secret_key"])
    assert so.key_id(so.box_public_key(team)).hex() == swift["team_key_id"]
    assert so.team_key_text(so.box_public_key(team)) == swift["team_public_key"]
    for e in swift["envelopes"]:
        envelope = so.unb64u(e["envelope"])
        assert so.open_envelope(envelope, team) == (e["kind"], so.unb64u(e["plaintext"]))
        padded = so.bucket_size(len(so.unb64u(e["plaintext"])))
        assert len(envelope) == 6 + 88 * envelope[5] + 24 + padded + 16
    kind, plain = so.open_envelope(so.unb64u(swift["envelopes"][1]["envelope"]), reporter)
    assert (kind, plain) == ("reply", b"ok")


def test_pynacl_decrypts_swift_blobs(swift):
    team = bytes.fromhex(swift["team_secret_key"])
    for b in swift["blobs"]:
        plain = so.decrypt_blob(so.unb64u(b["blob"]), b["attachment_id"], team)
        assert hashlib.sha256(plain).hexdigest() == b["plaintext_sha256"]
        with pytest.raises(so.AuthenticationFailed):
            so.decrypt_blob(so.unb64u(b["blob"]), "0" * 32, team)


def test_pynacl_opens_swift_key_files(swift):
    for k in swift["key_files"]:
        secret, _ = so.open_key_file(k["json"], so.unb64u(k["passphrase"]), k["type"])
        assert secret.hex() == k["secret"]
        with pytest.raises(so.AuthenticationFailed):
            so.open_key_file(k["json"], b"wrong", k["type"])


def test_pynacl_derives_the_same_code_secrets(swift):
    c = swift["code"]
    s = so.derive_code_secrets(so.normalise_code(c["grouped"]), bytes.fromhex(c["pepper"]), c["opslimit"],
                               c["memlimit"])
    assert s["lookup_hash"].hex() == c["lookup_hash"]
    assert s["reporter_public_key"].hex() == c["reporter_public_key"]


def test_pynacl_verifies_swift_request_signature(swift):
    r = swift["request"]
    body = so.unb64u(r["body"])
    assert so.verify_request(r["headers"], r["method"], r["path_and_query"], body)
    assert not so.verify_request(r["headers"], r["method"], r["path_and_query"] + "&z=2", body)
    assert so.parse_case_reference(swift["case_reference"].lower()) == swift["case_reference"]
