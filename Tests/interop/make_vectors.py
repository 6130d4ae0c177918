#!/usr/bin/env python3
"""Writes Tests/SealboxCryptoTests/Vectors/*.json with PyNaCl, from PROTOCOL.md alone.

The Swift tests run every case of these files in one loop, so SealboxCrypto is
checked against a second, independent libsodium binding. Sealing is randomised:
each opening case gives the secret key and the sealed bytes, and the expected
plaintext or the expected error (a Swift CryptoError / CodeInputError case name).

    pip install pynacl && python3 Tests/interop/make_vectors.py [padding.json envelope.json …]
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

import nacl.bindings as b

# Run as a script, Python finds sealbox_open beside this file; under pytest, pytest.ini's
# pythonpath does.
from sealbox_open import (
    H, b64u, bucket_size, damm, derive_code_secrets, key_file_ad, key_id, normalise_code,
    CodeInputError, request_message, sign_request, staff_key_text, team_key_text, attachment_ad,
)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SealboxCryptoTests", "Vectors")
TAG_MESSAGE = b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_PUSH = b.crypto_secretstream_xchacha20poly1305_TAG_PUSH
TAG_FINAL = b.crypto_secretstream_xchacha20poly1305_TAG_FINAL
MIN_OPS, MIN_MEM = 1, 8192  # libsodium's Argon2id minimums: vectors stay fast


def box_keypair(name: str) -> tuple[bytes, bytes]:
    return b.crypto_box_seed_keypair(H(32, b"sealbox test vector key " + name.encode()))


def flip(data: bytes, index: int, mask: int = 0x01) -> bytes:
    out = bytearray(data)
    out[index] ^= mask
    return bytes(out)


def pattern(n: int, salt: int = 0) -> bytes:
    return bytes((i * 31 + salt) & 0xFF for i in range(n))


# --- writers --------------------------------------------------------------------------

def recipient_block(key: bytes, public_keys: list[bytes]) -> bytes:
    out = bytes([len(public_keys)])
    for pk in public_keys:
        out += key_id(pk) + b.crypto_box_seal(key, pk)
    return out


def seal_envelope(plaintext: bytes, kind: int, public_keys: list[bytes], padded: bytes | None = None) -> bytes:
    content_key = os.urandom(32)
    header = b"SBX1" + bytes([kind]) + recipient_block(content_key, public_keys)
    nonce = os.urandom(24)
    if padded is None:
        padded = b.sodium_pad(plaintext, bucket_size(len(plaintext)))
        assert len(padded) == bucket_size(len(plaintext))
    return header + nonce + b.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, header, nonce, content_key)


def blob_chunks(plaintext: bytes) -> list[tuple[bytes, int]]:
    """The canonical chunking: full MESSAGE chunks, then one FINAL of 0...65536 bytes."""
    pieces = [plaintext[i:i + 65536] for i in range(0, len(plaintext), 65536)] or [b""]
    return [(p, TAG_MESSAGE) for p in pieces[:-1]] + [(pieces[-1], TAG_FINAL)]


def encrypt_blob(attachment_id: str, public_keys: list[bytes], chunks: list[tuple[bytes, int]],
                 ad: bytes | None = None) -> tuple[bytes, list[bytes]]:
    """Returns (header, sealed chunks)."""
    file_key = b.crypto_secretstream_xchacha20poly1305_keygen()
    state = b.crypto_secretstream_xchacha20poly1305_state()
    stream_header = b.crypto_secretstream_xchacha20poly1305_init_push(state, file_key)
    ad = attachment_ad(attachment_id) if ad is None else ad
    sealed = [b.crypto_secretstream_xchacha20poly1305_push(state, p, ad, tag) for p, tag in chunks]
    return b"SBA1" + recipient_block(file_key, public_keys) + stream_header, sealed


def write_key_file(secret: bytes, key_type: str, public_key_text: str, passphrase: bytes, *,
                   ad_text: str | None = None, **overrides) -> str:
    salt, nonce = os.urandom(16), os.urandom(24)
    wrap_key = b.crypto_pwhash_alg(32, passphrase, salt, MIN_OPS, MIN_MEM, b.crypto_pwhash_ALG_ARGON2ID13)
    ad = key_file_ad(key_type, ad_text or public_key_text)
    ciphertext = b.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, ad, nonce, wrap_key)
    doc = {
        "format": "sealbox-secret-key", "version": 1, "type": key_type, "public_key": public_key_text,
        "kdf": {"algorithm": "argon2id13", "opslimit": MIN_OPS, "memlimit": MIN_MEM, "salt": b64u(salt)},
        "aead": {"algorithm": "xchacha20poly1305-ietf", "nonce": b64u(nonce)},
        "ciphertext": b64u(ciphertext),
    }
    for path, value in overrides.items():
        target = doc
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value
    return json.dumps(doc, indent=2)


# --- the vector files --------------------------------------------------------------------

def envelope_cases() -> list[dict]:
    team_pk, team_sk = box_keypair("team")
    rep_pk, rep_sk = box_keypair("reporter")
    other_pk, other_sk = box_keypair("other")
    cases = []

    def case(name, sk, envelope, error=None, kind=None, plaintext=None, recipients=None):
        c = {"name": name, "secret_key": sk.hex(), "envelope": b64u(envelope)}
        if error:
            c["error"] = error
        else:
            c.update(kind=kind, plaintext=b64u(plaintext))
        if recipients is not None:
            c["recipient_key_ids"] = [key_id(pk).hex() for pk in recipients]
        cases.append(c)

    report = json.dumps({"v": 1, "type": "report", "case": "7KQM-3XWP", "day": "2026-11-24",
                         "text": "Mir wurde die Wohnung verweigert – «wegen des Namens».",
                         "grounds": ["ethnic-origin"]}, ensure_ascii=False).encode()
    env = seal_envelope(report, 1, [team_pk])
    case("report to team opens with team key", team_sk, env, kind="report", plaintext=report, recipients=[team_pk])
    reply = b'{"v":1,"type":"reply","text":"Danke."}'
    env2 = seal_envelope(reply, 3, [team_pk, rep_pk])
    case("reply to team and reporter opens with team key", team_sk, env2, kind="reply", plaintext=reply,
         recipients=[team_pk, rep_pk])
    case("reply to team and reporter opens with reporter key", rep_sk, env2, kind="reply", plaintext=reply,
         recipients=[team_pk, rep_pk])
    for n in (0, 1023, 1024, 2047, 2048, 5000):
        p = pattern(n)
        case(f"follow-up of {n} bytes pads to {bucket_size(n)} and opens", rep_sk, seal_envelope(p, 2, [rep_pk]),
             kind="follow-up", plaintext=p, recipients=[rep_pk])
    # Writers before the 2 KiB bucket padded to 1 KiB: unpadding ignores the bucket.
    p = pattern(300)
    case("report padded to the earlier 1 KiB bucket still opens", team_sk,
         seal_envelope(p, 1, [team_pk], padded=b.sodium_pad(p, 1024)), kind="report", plaintext=p,
         recipients=[team_pk])
    eight = [box_keypair(f"r{i}")[0] for i in range(7)] + [team_pk]
    case("eight recipients, ours last", team_sk, seal_envelope(b"x", 1, eight), kind="report", plaintext=b"x",
         recipients=eight)

    # Failures, one region at a time. Layout: magic 0..3, kind 4, count 5, key id 6..13,
    # sealed key 14..93, nonce 94..117, ciphertext 118..
    case("wrong key is not sealed to this key", other_sk, env, "notSealedToThisKey", recipients=[team_pk])
    case("magic tampered is malformed", team_sk, flip(env, 0), "malformed")
    case("magic SBX2 is unsupported version", team_sk, b"SBX2" + env[4:], "unsupportedVersion")
    case("unknown kind byte is malformed", team_sk, env[:4] + b"\x09" + env[5:], "malformed")
    case("kind changed to reply fails authentication", team_sk, env[:4] + b"\x03" + env[5:], "authenticationFailed")
    case("recipient count zero is malformed", team_sk, env[:5] + b"\x00" + env[6:], "malformed")
    case("recipient count nine is malformed", team_sk, env[:5] + b"\x09" + env[6:], "malformed")
    case("recipient count two with one entry fails authentication", team_sk, env[:5] + b"\x02" + env[6:],
         "authenticationFailed")
    case("key id tampered is not sealed to this key", team_sk, flip(env, 6), "notSealedToThisKey")
    case("sealed key ephemeral public key tampered fails authentication", team_sk, flip(env, 14), "authenticationFailed")
    case("sealed key mac tampered fails authentication", team_sk, flip(env, 93), "authenticationFailed")
    case("nonce tampered fails authentication", team_sk, flip(env, 100), "authenticationFailed")
    case("ciphertext first byte tampered fails authentication", team_sk, flip(env, 118), "authenticationFailed")
    case("ciphertext middle tampered fails authentication", team_sk, flip(env, 600, 0x80), "authenticationFailed")
    case("tag tampered fails authentication", team_sk, flip(env, len(env) - 1), "authenticationFailed")
    case("truncated by one byte fails authentication", team_sk, env[:-1], "authenticationFailed")
    case("truncated inside the nonce fails authentication", team_sk, env[:110], "authenticationFailed")
    case("truncated inside the recipients is malformed", team_sk, env[:50], "malformed")
    case("one trailing byte fails authentication", team_sk, env + b"\x00", "authenticationFailed")
    case("empty input is malformed", team_sk, b"", "malformed")
    case("padding without 0x80 marker fails authentication", team_sk,
         seal_envelope(b"", 1, [team_pk], padded=b"hello" + bytes(1019)), "authenticationFailed")
    case("padding marker 0x81 fails authentication", team_sk,
         seal_envelope(b"", 1, [team_pk], padded=b"hello\x81" + bytes(1018)), "authenticationFailed")
    case("all-zero padded plaintext fails authentication", team_sk,
         seal_envelope(b"", 1, [team_pk], padded=bytes(1024)), "authenticationFailed")
    return cases


def attachment_cases() -> list[dict]:
    team_pk, team_sk = box_keypair("team")
    other_pk, other_sk = box_keypair("other")
    aid = "0123456789abcdef0123456789abcdef"
    other_aid = "fedcba9876543210fedcba9876543210"
    cases = []

    def case(name, sk, blob, error=None, plaintext=None, attachment_id=aid):
        c = {"name": name, "secret_key": sk.hex(), "attachment_id": attachment_id, "blob": b64u(blob)}
        if error:
            c["error"] = error
        else:
            c["plaintext_sha256"] = hashlib.sha256(plaintext).hexdigest()
            c["plaintext_size"] = len(plaintext)
            if len(plaintext) <= 1024:
                c["plaintext"] = b64u(plaintext)
        cases.append(c)

    def blob(p, chunks=None, pks=None, ad=None):
        header, sealed = encrypt_blob(aid, pks or [team_pk], chunks or blob_chunks(p), ad=ad)
        return header, sealed, header + b"".join(sealed)

    for n in (0, 1, 1000, 65536, 65537):
        p = pattern(n, n)
        _, sealed, whole = blob(p)
        assert len(whole) == 4 + 1 + 88 + 24 + n + 17 * max(1, -(-n // 65536))
        case(f"{n} bytes in {len(sealed)} chunk(s) decrypts", team_sk, whole, plaintext=p)
    p = pattern(65536, 7)
    case("64 KiB as a full MESSAGE chunk and an empty FINAL chunk decrypts", team_sk,
         blob(p, [(p, TAG_MESSAGE), (b"", TAG_FINAL)])[2], plaintext=p)
    two = [box_keypair("reporter")[0], team_pk]
    p = pattern(300, 3)
    case("two recipients, ours second, decrypts", team_sk, blob(p, pks=two)[2], plaintext=p)

    big = pattern(140000, 9)
    header, sealed, whole = blob(big)
    assert len(sealed) == 3
    case("140000 bytes in 3 chunks decrypts", team_sk, whole, plaintext=big)
    case("reordered chunks fail authentication", team_sk, header + sealed[1] + sealed[0] + sealed[2],
         "authenticationFailed")
    case("dropped middle chunk fails authentication", team_sk, header + sealed[0] + sealed[2], "authenticationFailed")
    case("missing FINAL chunk (truncated) fails authentication", team_sk, header + sealed[0] + sealed[1],
         "authenticationFailed")
    case("truncated inside the last chunk fails authentication", team_sk, whole[:-5], "authenticationFailed")

    small = pattern(1000, 1)
    header, sealed, whole = blob(small)
    case("wrong attachment id fails authentication", team_sk, whole, "authenticationFailed", attachment_id=other_aid)
    case("malformed attachment id is malformed", team_sk, whole, "malformed", attachment_id="ABC")
    case("wrong key is not sealed to this key", other_sk, whole, "notSealedToThisKey")
    case("trailing byte after FINAL fails authentication", team_sk, whole + b"\x00", "authenticationFailed")
    case("header only (no chunk) fails authentication", team_sk, header, "authenticationFailed")
    case("stream header tampered fails authentication", team_sk, flip(whole, len(header) - 3), "authenticationFailed")
    case("sealed file key tampered fails authentication", team_sk, flip(whole, 20), "authenticationFailed")
    case("chunk tampered fails authentication", team_sk, flip(whole, len(header) + 10), "authenticationFailed")
    case("magic SBA2 is unsupported version", team_sk, b"SBA2" + whole[4:], "unsupportedVersion")
    case("magic tampered is malformed", team_sk, b"XBA1" + whole[4:], "malformed")
    case("recipient count zero is malformed", team_sk, whole[:4] + b"\x00" + whole[5:], "malformed")
    case("chunk pushed without the attachment ad fails authentication", team_sk,
         blob(small, ad=b"")[2], "authenticationFailed")
    case("short last chunk tagged MESSAGE fails authentication", team_sk,
         blob(small, [(small, TAG_MESSAGE)])[2], "authenticationFailed")
    case("short last chunk tagged PUSH fails authentication", team_sk,
         blob(small, [(small, TAG_PUSH)])[2], "authenticationFailed")
    early = pattern(65536 + 10, 5)
    case("FINAL chunk followed by another chunk fails authentication", team_sk,
         blob(early, [(early[:65536], TAG_FINAL), (early[65536:], TAG_FINAL)])[2], "authenticationFailed")
    case("short non-final chunk fails authentication", team_sk,
         blob(early, [(early[:10], TAG_MESSAGE), (early[10:], TAG_FINAL)])[2], "authenticationFailed")
    return cases


def keyfile_cases() -> list[dict]:
    team_pk, team_sk = box_keypair("team")
    other_pk, other_sk = box_keypair("other")
    seed = H(32, b"sealbox test vector staff seed")
    staff_pk, _ = b.crypto_sign_seed_keypair(seed)
    team_text, staff_text, other_text = team_key_text(team_pk), staff_key_text(staff_pk), team_key_text(other_pk)
    pw = "correct horse battery staple".encode()
    cases = []

    def case(name, json_text, passphrase, expecting, error=None, secret=None, public_key=None):
        c = {"name": name, "json": json_text, "passphrase": b64u(passphrase), "expecting": expecting}
        if error:
            c["error"] = error
        else:
            c.update(secret=secret.hex(), public_key=public_key)
        cases.append(c)

    team_file = write_key_file(team_sk, "team", team_text, pw)
    case("team key file opens with its passphrase", team_file, pw, "team", secret=team_sk, public_key=team_text)
    case("staff key file opens with its passphrase", write_key_file(seed, "staff", staff_text, pw), pw, "staff",
         secret=seed, public_key=staff_text)
    uni = "Pässwörter sind 🔑".encode()
    case("unicode passphrase opens", write_key_file(team_sk, "team", team_text, uni), uni, "team",
         secret=team_sk, public_key=team_text)
    case("empty passphrase opens", write_key_file(team_sk, "team", team_text, b""), b"", "team",
         secret=team_sk, public_key=team_text)
    case("wrong passphrase fails authentication", team_file, b"correct horse battery stapler", "team",
         "authenticationFailed")
    case("passphrase with trailing newline fails authentication", team_file, pw + b"\n", "team",
         "authenticationFailed")
    doc = json.loads(team_file)
    doc["ciphertext"] = b64u(flip(bytes.fromhex(b64u_to_hex(doc["ciphertext"])), 3))
    case("tampered ciphertext fails authentication", json.dumps(doc), pw, "team", "authenticationFailed")
    doc = json.loads(team_file)
    doc["public_key"] = other_text
    case("public key swapped for another fails authentication", json.dumps(doc), pw, "team", "authenticationFailed")
    doc = json.loads(team_file)
    doc["kdf"]["salt"] = b64u(os.urandom(16))
    case("different salt fails authentication", json.dumps(doc), pw, "team", "authenticationFailed")
    case("secret that does not yield public_key is invalid key",
         write_key_file(other_sk, "team", team_text, pw), pw, "team", "invalidKey")
    case("team file opened as staff is malformed", team_file, pw, "staff", "malformed")
    case("version 2 is unsupported", write_key_file(team_sk, "team", team_text, pw, version=2), pw, "team",
         "unsupportedVersion")
    case("unknown format is malformed", write_key_file(team_sk, "team", team_text, pw, format="age"), pw, "team",
         "malformed")
    case("unknown type is malformed", write_key_file(team_sk, "team", team_text, pw, type="admin"), pw, "team",
         "malformed")
    case("unknown kdf algorithm is malformed",
         write_key_file(team_sk, "team", team_text, pw, kdf__algorithm="scrypt"), pw, "team", "malformed")
    case("unknown aead algorithm is malformed",
         write_key_file(team_sk, "team", team_text, pw, aead__algorithm="aes256gcm"), pw, "team", "malformed")
    case("memlimit below libsodium minimum is malformed",
         write_key_file(team_sk, "team", team_text, pw, kdf__memlimit=1024), pw, "team", "malformed")
    case("missing ciphertext is malformed", json.dumps({k: v for k, v in json.loads(team_file).items()
                                                        if k != "ciphertext"}), pw, "team", "malformed")
    case("not JSON is malformed", "sealbox", pw, "team", "malformed")
    return cases


def b64u_to_hex(text: str) -> str:
    from sealbox_open import unb64u
    return unb64u(text).hex()


def code_cases() -> list[dict]:
    pepper = H(32, b"sealbox test vector pepper")
    base = "472109385562117"
    valid = base + str(damm(base))
    cases = []
    inputs = [
        ("ascii grouped with spaces", " ".join(valid[i:i + 4] for i in range(0, 16, 4))),
        ("ascii plain", valid),
        ("dashes and en dash and minus sign", valid[:4] + "-" + valid[4:8] + "\u2013" + valid[8:12] + "\u2212" + valid[12:]),
        ("full-width digits", "".join(chr(0xFF10 + int(d)) for d in valid)),
        ("Arabic-Indic digits", "".join(chr(0x0660 + int(d)) for d in valid)),
        ("Persian digits with no-break and ideographic spaces",
         "\u00a0".join(chr(0x06F0 + int(d)) for d in valid[:8]) + "\u3000" + "".join(chr(0x06F0 + int(d)) for d in valid[8:])),
        ("tabs and newline", valid[:8] + "\t" + valid[8:] + "\n"),
        ("65 characters is too long", valid + " " * 49),
        ("64 characters is accepted", valid + " " * 48),
        ("15 digits is malformed", valid[:15]),
        ("17 digits is malformed", valid + "0"),
        ("letter is malformed", valid[:15] + "O"),
        ("underscore is malformed", valid[:8] + "_" + valid[8:]),
        ("Devanagari digit is malformed", valid[:15] + "\u0966"),
        ("empty is malformed", ""),
        ("wrong check digit is a typo", valid[:15] + str((int(valid[15]) + 1) % 10)),
        ("swapped neighbours is a typo", valid[0] + valid[2] + valid[1] + valid[3:]),
    ]
    for name, text in inputs:
        c = {"name": name, "input": text, "pepper": pepper.hex(), "opslimit": MIN_OPS, "memlimit": MIN_MEM}
        try:
            digits = normalise_code(text)
        except CodeInputError as exc:
            c["error"] = exc.code
        else:
            s = derive_code_secrets(digits, pepper, MIN_OPS, MIN_MEM)
            c.update(digits=digits, lookup_hash=s["lookup_hash"].hex(),
                     reporter_public_key=s["reporter_public_key"].hex(),
                     reporter_secret_key=s["reporter_secret_key"].hex())
        cases.append(c)
    other = "000000000000000"
    other += str(damm(other))
    s = derive_code_secrets(other, pepper, 2, 65536)
    cases.append({"name": "all zeros code, opslimit 2, 64 KiB", "input": other, "pepper": pepper.hex(),
                  "opslimit": 2, "memlimit": 65536, "digits": other, "lookup_hash": s["lookup_hash"].hex(),
                  "reporter_public_key": s["reporter_public_key"].hex(),
                  "reporter_secret_key": s["reporter_secret_key"].hex()})
    return cases


def damm_cases() -> list[dict]:
    cases = [{"name": "Wikipedia example 572", "digits": "572", "check": 4},
             {"name": "empty", "digits": "", "check": 0}]
    for i, d in enumerate(["000000000000000", "999999999999999", "123456789012345", "472109385562117",
                           "314159265358979", "271828182845904"]):
        cases.append({"name": f"15 digits #{i}", "digits": d, "check": damm(d)})
    return cases


def padding_cases() -> list[dict]:
    cases = []
    for n in (0, 1, 100, 1022, 1023, 1024, 1025, 1800, 2046, 2047, 2048, 4095, 70000):
        p = pattern(n, 2)
        padded = b.sodium_pad(p, bucket_size(n))
        cases.append({"name": f"{n} bytes pad to {len(padded)}", "plaintext": b64u(p), "bucket": len(padded),
                      "padded_sha256": hashlib.sha256(padded).hexdigest()})
    for name, padded in [("no marker", b"abc" + bytes(5)), ("empty", b""), ("marker 0x81", b"abc\x81\x00"),
                         ("only zeros", bytes(16))]:
        cases.append({"name": f"unpad {name} fails authentication", "padded": b64u(padded),
                      "error": "authenticationFailed"})
    cases.append({"name": "unpad marker only gives empty", "padded": b64u(b"\x80" + bytes(7)), "plaintext": ""})
    cases.append({"name": "unpad keeps inner 0x80", "padded": b64u(b"\x80\x80\x00"), "plaintext": b64u(b"\x80")})
    return cases


def signature_cases() -> list[dict]:
    seed = H(32, b"sealbox test vector staff seed")
    cases = []
    for name, method, path, body, ts in [
        ("GET items without body", "GET", "/api/v1/staff/items?after=0123456789abcdef0123456789abcdef&limit=100", b"",
         1795996800),
        ("lower-case method is signed upper case", "get", "/api/v1/staff/items", b"", 1795996801),
        ("POST with a body", "POST", "/api/v1/staff/cases/7KQM-3XWP/replies", b'{"envelope":"AAAA"}', 1795996802),
    ]:
        nonce = b64u(H(16, name.encode()))
        headers = sign_request(seed, method, path, body, ts, nonce)
        message = request_message(method, path, ts, nonce, body, headers["Sealbox-Key"])
        cases.append({"name": name, "seed": seed.hex(), "method": method, "path_and_query": path,
                      "body": b64u(body), "timestamp": ts, "nonce": nonce, "public_key": headers["Sealbox-Key"],
                      "message": b64u(message), "signature": headers["Sealbox-Signature"], "valid": True})
    good = cases[0]
    sig = bytearray(__import__("sealbox_open").unb64u(good["signature"]))
    sig[0] ^= 1
    cases.append({**good, "name": "tampered signature is invalid", "signature": b64u(bytes(sig)), "valid": False})
    cases.append({**good, "name": "signature for another path is invalid", "path_and_query": "/api/v1/staff/items",
                  "message": b64u(request_message("GET", "/api/v1/staff/items", good["timestamp"], good["nonce"], b"",
                                                  good["public_key"])), "valid": False})
    cases.append({**good, "name": "signature for another timestamp is invalid", "timestamp": good["timestamp"] + 1,
                  "message": b64u(request_message("GET", good["path_and_query"], good["timestamp"] + 1,
                                                  good["nonce"], b"", good["public_key"])), "valid": False})
    return cases


def authorship_cases() -> list[dict]:
    """§6.1 reporter signing key and §3.3 item signatures: the signed message and whether it verifies."""
    from sealbox_open import item_signature_message, sign_item, unb64u
    pepper = H(32, b"sealbox test vector pepper")
    code = "472109385562117"
    code += str(damm(code))
    derived = derive_code_secrets(code, pepper, MIN_OPS, MIN_MEM)
    cases = [{"name": "reporter signing key derived from the code", "input": code, "pepper": pepper.hex(),
              "opslimit": MIN_OPS, "memlimit": MIN_MEM,
              "reporter_signing_public_key": derived["reporter_signing_public_key"].hex()}]
    staff_seed = H(32, b"sealbox test vector staff seed")

    def case(name, content, valid=True):
        nonce, signer = unb64u(content["nonce"]), unb64u(content["signer"])
        cases.append({"name": name, "plaintext": json.dumps(content, ensure_ascii=False),
                      "message": b64u(item_signature_message(content, nonce, signer)), "valid": valid})

    reply = {"v": 2, "type": "reply", "case": "7KQM-3XWP", "day": "2026-11-25",
             "text": "Danke für Ihre Meldung.\nWir melden uns – bald.", "attachments": []}
    signed_reply = sign_item(reply, staff_seed, nonce=H(16, b"reply nonce"))
    case("reply signed by a staff key verifies", signed_reply)
    follow = {"v": 2, "type": "follow-up", "case": "7KQM-3XWP", "day": "2026-11-26", "text": "Noch etwas: ٣ Briefe.",
              "attachments": [{"id": "0123456789abcdef0123456789abcdef", "name": "brief.pdf",
                               "type": "application/pdf", "size": 48213},
                              {"id": "fedcba9876543210fedcba9876543210", "name": "", "type": "image/png", "size": 0}]}
    signed_follow = sign_item(follow, derived["reporter_signing_seed"], nonce=H(16, b"follow nonce"))
    case("follow-up with two attachments signed by the reporter signing key verifies", signed_follow)
    case("empty text verifies", sign_item({**reply, "text": ""}, staff_seed, nonce=bytes(16)))
    for name, change in [("text changed", {"text": reply["text"] + "."}), ("case changed", {"case": "7KQM-3XWQ"}),
                         ("day changed", {"day": "2026-11-24"}), ("type changed", {"type": "follow-up"}),
                         ("nonce changed", {"nonce": b64u(H(16, b"other nonce"))}),
                         ("signer swapped for the reporter's", {"signer": b64u(derived["reporter_signing_public_key"])})]:
        case(f"{name} does not verify", {**signed_reply, **change}, valid=False)
    moved = [signed_follow["attachments"][1], signed_follow["attachments"][0]]
    case("attachments reordered does not verify", {**signed_follow, "attachments": moved}, valid=False)
    resized = [{**signed_follow["attachments"][0], "size": 48214}, signed_follow["attachments"][1]]
    case("attachment size changed does not verify", {**signed_follow, "attachments": resized}, valid=False)
    sig = bytearray(unb64u(signed_reply["signature"]))
    sig[63] ^= 0x80
    case("signature bit flipped does not verify", {**signed_reply, "signature": b64u(bytes(sig))}, valid=False)
    # "ab" + "c" and "a" + "bc" must not sign alike: the encoding carries every length.
    split1 = sign_item({**reply, "day": "2026-11-2", "text": "5x"}, staff_seed, nonce=bytes(16))
    case("pieces that shift a byte between fields do not verify",
         {**split1, "day": "2026-11-25", "text": "x"}, valid=False)
    return cases


def audit_cases() -> list[dict]:
    """§11: the request digest of a signed staff request, and chains with their first broken entry."""
    from sealbox_open import audit_hash, audit_request_digest
    seed = H(32, b"sealbox test vector staff seed")
    nonce = b64u(H(16, b"audit request nonce"))
    path = "/api/v1/staff/cases/7KQM-3XWP/status"
    body = b'{"status":"closed"}'
    headers = sign_request(seed, "POST", path, body, 1795996800, nonce)
    message = request_message("POST", path, 1795996800, nonce, body, headers["Sealbox-Key"])
    member = key_id(b.crypto_sign_seed_keypair(seed)[0]).hex()
    request = audit_request_digest(message)
    rows = [("2026-11-25", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", member, "status:closed", "7KQM-3XWP", request),
            ("2026-11-25", "a0b1c2d3e4f5061728394a5b6c7d8e9f", member, "sync", "", H(32, b"another request")),
            ("2026-12-10", "00000000000000000000000000000001", "", "delete-expired", "7KQM-3XWP", b""),
            ("2029-01-01", "ffffffffffffffffffffffffffffffff", "", "retention-delete", "9ABC-DEFG", b"")]
    entries, prev = [], bytes(32)
    for day, eid, who, action, case, req in rows:
        h = audit_hash(day, who, action, case, req, prev)
        entries.append({"id": eid, "day": day, "member": who, "action": action, "case": case,
                        "request": req.hex(), "prev": prev.hex(), "hash": h.hex()})
        prev = h
    cases = [{"name": "a signed request's digest", "request_message": b64u(message), "request": request.hex()},
             {"name": "an intact chain holds", "entries": entries, "first_break": None}]

    def broken(name, index, **change):
        changed = [dict(e) for e in entries]
        changed[index].update(change)
        cases.append({"name": name, "entries": changed, "first_break": change.pop("_at", index)})

    broken("a changed action breaks its own entry", 1, action="read")
    broken("a changed case breaks its own entry", 0, case="7KQM-3XWQ")
    broken("a changed day breaks its own entry", 2, day="2026-12-11")
    broken("a changed request digest breaks its own entry", 0, request=H(32, b"x").hex())
    broken("a member removed breaks its own entry", 0, member="")
    rehashed = [dict(e) for e in entries]
    rehashed[1]["action"] = "read"
    rehashed[1]["hash"] = audit_hash(rehashed[1]["day"], rehashed[1]["member"], "read", "",
                                     bytes.fromhex(rehashed[1]["request"]), bytes.fromhex(rehashed[1]["prev"])).hex()
    cases.append({"name": "a changed entry with its hash recomputed breaks the next entry", "entries": rehashed,
                  "first_break": 2})
    cases.append({"name": "a removed entry breaks the entry after it", "entries": entries[:1] + entries[2:],
                  "first_break": 1})
    cases.append({"name": "entries out of order (day, id) break", "entries": [entries[1], entries[0]] + entries[2:],
                  "first_break": 0})
    cases.append({"name": "empty pieces are pieces: the first entry's hash", "entries": entries[:1], "first_break": None})
    return cases


def main(only: list[str]) -> None:
    """Writes every vector file, or only the files named on the command line (sealing is
    randomised, so regenerating a file changes all of its sealed bytes)."""
    os.makedirs(OUT, exist_ok=True)
    files = {
        "envelope.json": ("PROTOCOL §3: open with secret_key; expect kind+plaintext or error", envelope_cases()),
        "attachment.json": ("PROTOCOL §4: decrypt blob for attachment_id with secret_key", attachment_cases()),
        "keyfile.json": ("PROTOCOL §2: open json with passphrase expecting type", keyfile_cases()),
        "code.json": ("PROTOCOL §6, §6.1: normalise input, derive with pepper and cost", code_cases()),
        "damm.json": ("PROTOCOL §6: Damm check digit of digits", damm_cases()),
        "padding.json": ("PROTOCOL §3.1: pad plaintext to bucket; unpad padded", padding_cases()),
        "signature.json": ("PROTOCOL §7: message bytes and Ed25519 signature from seed", signature_cases()),
        "authorship.json": ("PROTOCOL §3.3, §6.1: reporter signing key; item signature message and validity",
                            authorship_cases()),
        "audit.json": ("PROTOCOL §11: audit request digest and chain hashes; index of the first broken entry",
                       audit_cases()),
    }
    unknown = set(only) - set(files)
    if unknown:
        raise SystemExit(f"unknown vector files: {', '.join(sorted(unknown))}")
    for name, (description, cases) in files.items():
        if only and name not in only:
            continue
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump({"description": description, "generator": "Tests/interop/make_vectors.py (PyNaCl)",
                       "cases": cases}, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{name}: {len(cases)} cases")


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
