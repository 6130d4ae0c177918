"""Readers for every Sealbox format, written from docs/PROTOCOL.md with PyNaCl only.

This module is the independent second implementation used by the interop
tests: it opens key files, envelopes and attachment blobs, normalises reporter
codes and derives what the daemon derives from them, and checks staff request
signatures. It never imports anything from the Swift side.

Errors mirror SealboxCrypto's CryptoError: every failure to open something
sealed is AuthenticationFailed.
"""

from __future__ import annotations

import base64
import hashlib
import json

import nacl.bindings as b
import nacl.hash
import nacl.signing
import nacl.exceptions


class SealboxError(Exception):
    """Base of the errors below; `code` matches the Swift CryptoError case name."""

    code = "error"


class AuthenticationFailed(SealboxError):
    code = "authenticationFailed"


class NotSealedToThisKey(SealboxError):
    code = "notSealedToThisKey"


class Malformed(SealboxError):
    code = "malformed"


class InvalidKey(SealboxError):
    code = "invalidKey"


class UnsupportedVersion(SealboxError):
    code = "unsupportedVersion"


# --- §0 notation -------------------------------------------------------------

def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text: str) -> bytes:
    if "=" in text or len(text) % 4 == 1:
        raise Malformed("base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64u(raw) != text:  # non-canonical trailing bits or stray characters
        raise Malformed("base64url")
    return raw


def H(n: int, msg: bytes, key: bytes = b"") -> bytes:
    """crypto_generichash (BLAKE2b) with output length n and optional key."""
    return nacl.hash.blake2b(msg, digest_size=n, key=key, encoder=nacl.encoding.RawEncoder)


# --- §1 keys -------------------------------------------------------------------

TEAM_PREFIX = "sealbox-team-v1:"
STAFF_PREFIX = "sealbox-staff-v1:"


def key_id(public_key: bytes) -> bytes:
    return H(32, b"sealbox/v1/key-id" + public_key)[:8]


def team_key_text(public_key: bytes) -> str:
    return TEAM_PREFIX + b64u(public_key)


def staff_key_text(public_key: bytes) -> str:
    return STAFF_PREFIX + b64u(public_key)


def member_key_text(x25519_public: bytes, ed25519_public: bytes) -> str:
    """PROTOCOL §12.1: sealbox-member-v1: + b64u(x25519_pk || ed25519_pk)."""
    return "sealbox-member-v1:" + b64u(x25519_public + ed25519_public)


def parse_key_text(text: str, prefix: str) -> bytes:
    if not text.startswith(prefix):
        raise InvalidKey(prefix)
    try:
        raw = unb64u(text[len(prefix):])
    except Exception as exc:
        raise InvalidKey(prefix) from exc
    if len(raw) != 32:
        raise InvalidKey(prefix)
    return raw


def box_public_key(secret_key: bytes) -> bytes:
    return b.crypto_scalarmult_base(secret_key)


# --- §2 key files ----------------------------------------------------------------

def key_file_ad(key_type: str, public_key_text: str) -> bytes:
    return b"sealbox/v1/secret-key/" + key_type.encode() + b"/" + public_key_text.encode()


def open_key_file(data: bytes | str, passphrase: bytes, expecting: str) -> tuple[bytes, str]:
    """Returns (32-byte secret, public key text) of a key file of type `expecting`."""
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise Malformed("json") from exc
    if not isinstance(doc, dict) or doc.get("format") != "sealbox-secret-key":
        raise Malformed("format")
    if doc.get("version") != 1:
        raise UnsupportedVersion()
    try:
        key_type, public_key_text = doc["type"], doc["public_key"]
        kdf, aead = doc["kdf"], doc["aead"]
        algorithms = (kdf["algorithm"], aead["algorithm"])
        opslimit, memlimit = int(kdf["opslimit"]), int(kdf["memlimit"])
        salt, nonce, ciphertext = unb64u(kdf["salt"]), unb64u(aead["nonce"]), unb64u(doc["ciphertext"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Malformed("fields") from exc
    if key_type not in ("team", "staff", "member") or key_type != expecting:
        raise Malformed("type")
    if algorithms != ("argon2id13", "xchacha20poly1305-ietf"):
        raise Malformed("algorithm")
    if len(salt) != 16 or len(nonce) != 24:
        raise Malformed("lengths")
    if not (b.crypto_pwhash_argon2id_OPSLIMIT_MIN <= opslimit <= b.crypto_pwhash_argon2id_OPSLIMIT_MAX
            and b.crypto_pwhash_argon2id_MEMLIMIT_MIN <= memlimit <= b.crypto_pwhash_argon2id_MEMLIMIT_MAX):
        raise Malformed("kdf cost")
    wrap_key = b.crypto_pwhash_alg(32, passphrase, salt, opslimit, memlimit, b.crypto_pwhash_ALG_ARGON2ID13)
    try:
        secret = b.crypto_aead_xchacha20poly1305_ietf_decrypt(
            ciphertext, key_file_ad(key_type, public_key_text), nonce, wrap_key)
    except nacl.exceptions.CryptoError as exc:
        raise AuthenticationFailed() from exc
    if len(secret) != (64 if key_type == "member" else 32):
        raise InvalidKey("secret length")
    if key_type == "member":
        derived = member_key_text(box_public_key(secret[:32]), b.crypto_sign_seed_keypair(secret[32:])[0])
    elif key_type == "team":
        derived = team_key_text(box_public_key(secret))
    else:
        derived = staff_key_text(b.crypto_sign_seed_keypair(secret)[0])
    if derived != public_key_text:
        raise InvalidKey("secret does not yield public_key")
    return secret, public_key_text


# --- §3 envelopes, §4 blobs ----------------------------------------------------

KINDS = {1: "report", 2: "follow-up", 3: "reply", 4: "note", 5: "coding", 6: "case-data", 7: "statistic"}


def _check_magic(data: bytes, magic: bytes) -> None:
    if len(data) < 4:
        raise Malformed("short")
    if data[:4] != magic:
        raise UnsupportedVersion() if data[:3] == magic[:3] else Malformed("magic")


def _parse_recipients(data: bytes, offset: int) -> tuple[list[tuple[bytes, bytes]], int]:
    if len(data) <= offset or not 1 <= data[offset] <= 8:
        raise Malformed("recipient count")
    count = data[offset]
    end = offset + 1 + 88 * count
    if len(data) < end:
        raise Malformed("short")
    entries = [(data[o:o + 8], data[o + 8:o + 88]) for o in range(offset + 1, end, 88)]
    return entries, end


def _open_sealed_key(entries, secret_key: bytes) -> bytes:
    public_key = box_public_key(secret_key)
    ours = key_id(public_key)
    for kid, sealed in entries:
        if kid == ours:
            try:
                return b.crypto_box_seal_open(sealed, public_key, secret_key)
            except nacl.exceptions.CryptoError as exc:
                raise AuthenticationFailed() from exc
    raise NotSealedToThisKey()


def envelope_recipients(envelope: bytes) -> tuple[str, list[bytes]]:
    _check_magic(envelope, b"SBX1")
    if len(envelope) < 5 or envelope[4] not in KINDS:
        raise Malformed("kind")
    entries, _ = _parse_recipients(envelope, 5)
    return KINDS[envelope[4]], [kid for kid, _ in entries]


def open_envelope(envelope: bytes, secret_key: bytes) -> tuple[str, bytes]:
    """Returns (kind name, unpadded plaintext)."""
    kind, _ = envelope_recipients(envelope)
    entries, end = _parse_recipients(envelope, 5)
    content_key = _open_sealed_key(entries, secret_key)
    header, nonce, ciphertext = envelope[:end], envelope[end:end + 24], envelope[end + 24:]
    if len(nonce) != 24:
        raise AuthenticationFailed()
    try:
        padded = b.crypto_aead_xchacha20poly1305_ietf_decrypt(ciphertext, header, nonce, content_key)
    except nacl.exceptions.CryptoError as exc:
        raise AuthenticationFailed() from exc
    return kind, unpad(padded)


def unpad(padded: bytes) -> bytes:
    stripped = padded.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        raise AuthenticationFailed()
    return stripped[:-1]


# PROTOCOL §3.1: 2 KiB (earlier writers used 1 KiB; unpad() opens both).
MINIMUM_BUCKET = 2048


def bucket_size(length: int) -> int:
    bucket = MINIMUM_BUCKET
    while bucket < length + 1:
        bucket *= 2
    return bucket


CHUNK = 65536
SEALED_CHUNK = CHUNK + 17


def attachment_ad(attachment_id: str) -> bytes:
    if len(attachment_id) != 32 or any(c not in "0123456789abcdef" for c in attachment_id):
        raise Malformed("attachment id")
    return b"sealbox/v1/attachment/" + attachment_id.encode()


def decrypt_blob(blob: bytes, attachment_id: str, secret_key: bytes) -> bytes:
    """Decrypts a whole blob; the chunk boundaries follow from the chunk size."""
    ad = attachment_ad(attachment_id)
    _check_magic(blob, b"SBA1")
    entries, end = _parse_recipients(blob, 4)
    if len(blob) < end + 24:
        raise Malformed("short")
    file_key = _open_sealed_key(entries, secret_key)
    state = b.crypto_secretstream_xchacha20poly1305_state()
    b.crypto_secretstream_xchacha20poly1305_init_pull(state, blob[end:end + 24], file_key)
    rest = blob[end + 24:]
    out = bytearray()
    offset = 0
    while True:
        chunk = rest[offset:offset + SEALED_CHUNK]
        offset += len(chunk)
        if len(chunk) < 17:
            raise AuthenticationFailed()  # truncated: no FINAL chunk
        try:
            plaintext, tag = b.crypto_secretstream_xchacha20poly1305_pull(state, chunk, ad)
        except nacl.exceptions.CryptoError as exc:
            raise AuthenticationFailed() from exc
        out += plaintext
        if tag == b.crypto_secretstream_xchacha20poly1305_TAG_FINAL:
            if offset != len(rest):
                raise AuthenticationFailed()  # trailing bytes
            return bytes(out)
        if tag != b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE or len(chunk) != SEALED_CHUNK:
            raise AuthenticationFailed()


# --- §5 case references ------------------------------------------------------------

CASE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def parse_case_reference(text: str) -> str:
    if len(text) == 9 and text[4] == "-":
        text = text[:4] + text[5:]
    text = text.upper() if text.isascii() else text
    if len(text) != 8 or any(c not in CASE_ALPHABET for c in text):
        raise Malformed("case reference")
    return text[:4] + "-" + text[4:]


# --- §6 reporter codes ---------------------------------------------------------------

DAMM = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9], [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5], [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
]


def damm(digits: str) -> int:
    interim = 0
    for d in digits:
        interim = DAMM[interim][int(d)]
    return interim


class CodeInputError(Exception):
    """`code` is tooLong, malformed or typo, as Swift's CodeInputError."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_DASHES = {"-", "\u2212"} | {chr(c) for c in range(0x2010, 0x2016)}
_DIGIT_BLOCKS = (0x30, 0xFF10, 0x0660, 0x06F0)
# The Unicode White_Space property (not Python's str.isspace, which differs).
_WHITE_SPACE = {chr(c) for c in [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                                 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]}


def normalise_code(text: str) -> str:
    """PROTOCOL §6 normalisation; returns the 16 ASCII digits."""
    if len(text) > 64:
        raise CodeInputError("tooLong")
    digits = []
    for ch in text:
        o = ord(ch)
        block = next((base for base in _DIGIT_BLOCKS if base <= o <= base + 9), None)
        if block is not None:
            digits.append(str(o - block))
        elif ch in _DASHES or ch in _WHITE_SPACE:
            continue
        else:
            raise CodeInputError("malformed")
    code = "".join(digits)
    if len(code) != 16:
        raise CodeInputError("malformed")
    if damm(code) != 0:
        raise CodeInputError("typo")
    return code


def derive_code_secrets(digits: str, pepper: bytes, opslimit: int, memlimit: int) -> dict:
    """PROTOCOL §6.1. Returns lookup_hash, reporter public and secret key."""
    salt = H(16, b"sealbox/v1/code-salt", key=pepper)
    master = b.crypto_pwhash_alg(32, digits.encode("ascii"), salt, opslimit, memlimit, b.crypto_pwhash_ALG_ARGON2ID13)
    lookup_key = H(32, b"sealbox/v1/lookup", key=master)
    seed = H(32, b"sealbox/v1/reporter-seed", key=master)
    public_key, secret_key = b.crypto_box_seed_keypair(seed)
    lookup_hash = H(32, b"sealbox/v1/lookup-hash" + lookup_key, key=pepper)
    signing_seed = H(32, b"sealbox/v2/reporter-signing-seed", key=master)
    signing_public_key, _ = b.crypto_sign_seed_keypair(signing_seed)
    return {"lookup_hash": lookup_hash, "reporter_public_key": public_key, "reporter_secret_key": secret_key,
            "reporter_signing_seed": signing_seed, "reporter_signing_public_key": signing_public_key}


# --- §3.3 authorship (plaintext version 2) ------------------------------------------------

ITEM_SIGNATURE_LABEL = b"sealbox/v2/item-signature"


def pae(pieces: list[bytes]) -> bytes:
    """PASETO's pre-authentication encoding: u64le(n) || (u64le(len) || piece)*."""
    out = len(pieces).to_bytes(8, "little")
    for piece in pieces:
        out += len(piece).to_bytes(8, "little") + piece
    return out


def item_signature_message(content: dict, nonce: bytes, signer: bytes) -> bytes:
    """The bytes a follow-up, reply, note, coding, case data or statistic signature covers,
    from its plaintext members (PROTOCOL §3.3, §3.4, §3.5: a null member is the empty string;
    a statistic has an empty case and its month in place of the day)."""
    statistic = content["type"] == "statistic"
    pieces = [ITEM_SIGNATURE_LABEL, content["type"].encode(), b"" if statistic else content["case"].encode(),
              (content["month"] if statistic else content["day"]).encode(), nonce, signer]
    if content["type"] in ("coding", "statistic"):
        grounds, interventions = content.get("grounds") or [], content.get("interventions") or []
        members = [content["scheme"], str(len(grounds)), *grounds, content.get("area") or "",
                   content.get("form") or "", content.get("level") or "", str(len(interventions)), *interventions,
                   content.get("outcome") or ""]
        if content["type"] == "coding" and content.get("statistic"):
            members.append(content["statistic"])  # the statistic record's id (PROTOCOL §3.4, §3.5)
        return pae(pieces + [m.encode() for m in members])
    if content["type"] == "case-data":
        return pae(pieces + [(content.get("assigned") or "").encode(), (content.get("follow_up") or "").encode()])
    pieces.append(content["text"].encode())
    for a in content.get("attachments", []):
        pieces += [a["id"].encode(), a["name"].encode(), a["type"].encode(), str(a["size"]).encode()]
    return pae(pieces)


def sign_item(content: dict, seed: bytes, nonce: bytes | None = None) -> dict:
    """`content` (a follow-up or reply plaintext object) as version 2, signed with the Ed25519 seed."""
    import os
    key = nacl.signing.SigningKey(seed)
    signer = bytes(key.verify_key)
    nonce = os.urandom(16) if nonce is None else nonce
    signed = {**content, "v": 2}
    signed.update(nonce=b64u(nonce), signer=b64u(signer),
                  signature=b64u(key.sign(item_signature_message(signed, nonce, signer)).signature))
    return signed


def verify_item(content: dict) -> bytes:
    """The signer's public key when the signature of `content` verifies, else AuthenticationFailed."""
    try:
        nonce, signer, signature = (unb64u(content[k]) for k in ("nonce", "signer", "signature"))
        if len(nonce) != 16 or len(signer) != 32:
            raise AuthenticationFailed()
        nacl.signing.VerifyKey(signer).verify(item_signature_message(content, nonce, signer), signature)
    except (KeyError, TypeError, Malformed, nacl.exceptions.BadSignatureError, ValueError) as exc:
        raise AuthenticationFailed() from exc
    return signer


# --- §7 staff request signatures --------------------------------------------------------

def request_message(method: str, path_and_query: str, timestamp: int, nonce: str, body: bytes, key_text: str) -> bytes:
    lines = ["sealbox-staff-request/v1", method.upper(), path_and_query, str(timestamp), nonce,
             hashlib.sha256(body).hexdigest(), key_text]
    return "\n".join(lines).encode()


def verify_request(headers: dict, method: str, path_and_query: str, body: bytes) -> bool:
    try:
        key_text = headers["Sealbox-Key"]
        public_key = parse_key_text(key_text, STAFF_PREFIX)
        message = request_message(method, path_and_query, int(headers["Sealbox-Timestamp"]),
                                  headers["Sealbox-Nonce"], body, key_text)
        nacl.signing.VerifyKey(public_key).verify(message, unb64u(headers["Sealbox-Signature"]))
        return True
    except (KeyError, ValueError, SealboxError, nacl.exceptions.BadSignatureError):
        return False


def sign_request(seed: bytes, method: str, path_and_query: str, body: bytes, timestamp: int, nonce: str) -> dict:
    key = nacl.signing.SigningKey(seed)
    key_text = staff_key_text(bytes(key.verify_key))
    message = request_message(method, path_and_query, timestamp, nonce, body, key_text)
    return {"Sealbox-Key": key_text, "Sealbox-Timestamp": str(timestamp), "Sealbox-Nonce": nonce,
            "Sealbox-Signature": b64u(key.sign(message).signature)}


# --- §11 the audit chain ----------------------------------------------------------------

AUDIT_LABEL = b"sealbox/v2/audit"


def audit_request_digest(signed_message: bytes) -> bytes:
    """H(32) of a staff request's signed message (§7)."""
    return H(32, signed_message)


def audit_hash(day: str, member: str, action: str, case: str, request: bytes, prev: bytes) -> bytes:
    """H(32, "sealbox/v2/audit" || PAE(day, member, action, case, request, prev))."""
    return H(32, AUDIT_LABEL + pae([day.encode(), member.encode(), action.encode(), case.encode(), request, prev]))


def audit_first_break(entries: list[dict]) -> int | None:
    """The index of the first entry of a GET /api/v1/staff/audit chain that does not fit, or None."""
    prev, last = bytes(32), None
    for index, e in enumerate(entries):
        if last is not None and (last["day"], last["id"]) >= (e["day"], e["id"]):
            return index
        if unb64u(e["prev"]) != prev:
            return index
        expected = audit_hash(e["day"], e["member"] or "", e["action"], e["case"] or "", unb64u(e["request"]), prev)
        if unb64u(e["hash"]) != expected:
            return index
        prev, last = expected, e
    return None

