"""The daemon's storage layer (docs/PROTOCOL.md §10.4), written again with PyNaCl: every
stored envelope is `nonce(24) || XChaCha20-Poly1305(envelope, ad = "sealbox/v2/storage/" ||
item id)` and every stored blob a secretstream under the case's storage key, which lives in
`keystore.sqlite` beside the database. Tests that play a server with write access (tampering,
forged items) wrap and unwrap with these, as such a server could; a key that is gone cannot be
had by anyone."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from nacl import bindings as b
from nacl.exceptions import CryptoError

ITEM_LABEL = b"sealbox/v2/storage/"
BLOB_LABEL = b"sealbox/v2/storage-blob/"
CHUNK = 65536
TAG_MESSAGE = b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = b.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def keystore_path(storage: Path) -> Path:
    return Path(storage) / "keystore.sqlite"


def storage_key(storage: Path, case: str) -> bytes | None:
    """The case's storage key from the key store at `storage` (None when it has none)."""
    connection = sqlite3.connect(str(keystore_path(storage)), timeout=30)
    try:
        row = connection.execute("SELECT key FROM storage_keys WHERE case_ref = ?", (case,)).fetchone()
    finally:
        connection.close()
    return bytes(row[0]) if row else None


def wrap_item(key: bytes, item_id: str, envelope: bytes, nonce: bytes | None = None) -> bytes:
    nonce = nonce if nonce is not None else os.urandom(24)
    return nonce + b.crypto_aead_xchacha20poly1305_ietf_encrypt(envelope, ITEM_LABEL + item_id.encode(), nonce, key)


def unwrap_item(key: bytes, item_id: str, stored: bytes) -> bytes:
    return b.crypto_aead_xchacha20poly1305_ietf_decrypt(bytes(stored[24:]), ITEM_LABEL + item_id.encode(),
                                                        bytes(stored[:24]), key)


def wrap_blob(key: bytes, attachment_id: str, blob: bytes) -> bytes:
    state = b.crypto_secretstream_xchacha20poly1305_state()
    out = bytearray(b.crypto_secretstream_xchacha20poly1305_init_push(state, key))
    ad = BLOB_LABEL + attachment_id.encode()
    chunks = [blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)] or [b""]
    for n, chunk in enumerate(chunks):
        tag = TAG_FINAL if n == len(chunks) - 1 else TAG_MESSAGE
        out += b.crypto_secretstream_xchacha20poly1305_push(state, chunk, ad, tag)
    return bytes(out)


def unwrap_blob(key: bytes, attachment_id: str, stored: bytes) -> bytes:
    stored = bytes(stored)
    state = b.crypto_secretstream_xchacha20poly1305_state()
    b.crypto_secretstream_xchacha20poly1305_init_pull(state, stored[:24], key)
    ad = BLOB_LABEL + attachment_id.encode()
    out, offset, sealed = bytearray(), 24, CHUNK + 17
    tag = None
    while offset < len(stored):
        plain, tag = b.crypto_secretstream_xchacha20poly1305_pull(state, stored[offset:offset + sealed], ad)
        out += plain
        offset += sealed
        if tag == TAG_FINAL and offset < len(stored):
            raise CryptoError("data after the FINAL chunk")
        if tag != TAG_FINAL and len(plain) != CHUNK:
            raise CryptoError("a short chunk that is not FINAL")
    if tag != TAG_FINAL:
        raise CryptoError("no FINAL chunk: truncated")
    return bytes(out)


def rewrap_item(storage: Path, item_id: str, from_case: str, to_case: str, stored: bytes) -> bytes:
    """A stored item moved from one case to another, as a server holding both keys could."""
    envelope = unwrap_item(storage_key(storage, from_case), item_id, stored)
    return wrap_item(storage_key(storage, to_case), item_id, envelope)
