"""Writes Tests/SealboxCryptoTests/Vectors/storage.json: the daemon's storage layer
(docs/PROTOCOL.md §10.4) made by PyNaCl alone, so that the Swift code is checked against an
independent implementation. Items are deterministic (the nonce is given); a secretstream
header is drawn by libsodium, so blob cases are checked by unwrapping.

    python3 Tests/interop/make_storage_vectors.py"""

from __future__ import annotations

import base64
import hashlib
import json
import os

from nacl import bindings as b

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SealboxCryptoTests", "Vectors", "storage.json")
ITEM_LABEL = b"sealbox/v2/storage/"
BLOB_LABEL = b"sealbox/v2/storage-blob/"
CHUNK = 65536


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def wrap_item(key: bytes, item_id: str, envelope: bytes, nonce: bytes) -> bytes:
    return nonce + b.crypto_aead_xchacha20poly1305_ietf_encrypt(envelope, ITEM_LABEL + item_id.encode(), nonce, key)


def wrap_blob(key: bytes, attachment_id: str, blob: bytes, ad: bytes | None = None, final_last: bool = True) -> bytes:
    state = b.crypto_secretstream_xchacha20poly1305_state()
    out = bytearray(b.crypto_secretstream_xchacha20poly1305_init_push(state, key))
    ad = BLOB_LABEL + attachment_id.encode() if ad is None else ad
    chunks = [blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)] or [b""]
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1 and final_last
        tag = b.crypto_secretstream_xchacha20poly1305_TAG_FINAL if last else b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
        out += b.crypto_secretstream_xchacha20poly1305_push(state, chunk, ad, tag)
    return bytes(out)


def cases() -> list[dict]:
    key = bytes(range(32))
    other_key = bytes(range(1, 33))
    item_id = "00112233445566778899aabbccddeeff"
    nonce = bytes(range(100, 124))
    envelope = b"SBE1" + bytes(range(256)) * 2
    stored = wrap_item(key, item_id, envelope, nonce)
    short = b"SBE1 example envelope"
    out = [{"name": "the example of PROTOCOL §10.4 wraps to exactly these bytes", "kind": "item", "key": key.hex(),
            "item_id": item_id, "nonce": nonce.hex(), "envelope": b64u(short), "stored": b64u(wrap_item(key, item_id, short, nonce))},
           {"name": "an item wraps to exactly these bytes and unwraps", "kind": "item", "key": key.hex(),
            "item_id": item_id, "nonce": nonce.hex(), "envelope": b64u(envelope), "stored": b64u(stored)},
           {"name": "an empty envelope wraps and unwraps", "kind": "item", "key": key.hex(), "item_id": item_id,
            "nonce": nonce.hex(), "envelope": "", "stored": b64u(wrap_item(key, item_id, b"", nonce))}]
    tampered = bytearray(stored)
    tampered[30] ^= 1
    for name, k, iid, s in (("another item's id fails authentication", key, "ffeeddccbbaa99887766554433221100", stored),
                            ("another case's key fails authentication", other_key, item_id, stored),
                            ("a changed byte fails authentication", key, item_id, bytes(tampered)),
                            ("a truncated item fails authentication", key, item_id, stored[:39])):
        out.append({"name": name, "kind": "item", "key": k.hex(), "item_id": iid, "stored": b64u(s),
                    "error": "authenticationFailed"})
    aid = "0123456789abcdef0123456789abcdef"
    for size in (0, 1, 65536, 65537):
        plain = bytes((i * 7 + size) % 251 for i in range(size))
        out.append({"name": f"a blob of {size} bytes unwraps", "kind": "blob", "key": key.hex(), "attachment_id": aid,
                    "stored": b64u(wrap_blob(key, aid, plain)), "plaintext_size": size,
                    "plaintext_sha256": hashlib.sha256(plain).hexdigest()})
    plain = bytes(i % 256 for i in range(65_537))
    whole = wrap_blob(key, aid, plain)
    sealed = CHUNK + 17
    for name, k, a, s in (
            ("a blob under another attachment id fails authentication", key, "f" * 32, whole),
            ("a blob under another key fails authentication", other_key, aid, whole),
            ("a blob without its last chunk fails authentication", key, aid, whole[:24 + sealed]),
            ("a blob whose chunks are swapped fails authentication", key, aid,
             whole[:24] + whole[24 + sealed:] + whole[24:24 + sealed]),
            ("a blob without a FINAL chunk fails authentication", key, aid, wrap_blob(key, aid, plain, final_last=False)),
            ("a blob pushed with the attachment label of §4 fails authentication", key, aid,
             wrap_blob(key, aid, plain, ad=b"sealbox/v1/attachment/" + aid.encode()))):
        out.append({"name": name, "kind": "blob", "key": k.hex(), "attachment_id": a, "stored": b64u(s),
                    "error": "authenticationFailed"})
    return out


if __name__ == "__main__":
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"description": "PROTOCOL §10.4: the storage layer; wrap with key (item: given nonce) and unwrap",
                   "generator": "Tests/interop/make_storage_vectors.py (PyNaCl)", "cases": cases()}, f, indent=1)
        f.write("\n")
    print(f"storage.json: {len(cases())} cases")
