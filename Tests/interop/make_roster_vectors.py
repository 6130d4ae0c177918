#!/usr/bin/env python3
"""Writes docs/vectors/roster.json with PyNaCl, from docs/PROTOCOL.md §12 alone.

The member key file (§12.1) and the roster chain (§12.2): a valid chain of entries
from one first lead, and chains that break one rule each, with the RosterError case a
verifier must answer. SealboxCoreTests (RosterVectorTests) and Tests/interop
(test_roster_vectors.py) run every case.

    pip install pynacl && python3 Tests/interop/make_roster_vectors.py
"""

from __future__ import annotations

import json
import os

import nacl.bindings as b

from sealbox_open import H, b64u, key_file_ad, key_id, member_key_text, pae, team_key_text

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "vectors", "roster.json")
DAY = "2026-12-03"
ZERO = bytes(32)
MIN_OPS, MIN_MEM = 1, 8192


class Member:
    def __init__(self, name: str):
        self.box_sk = H(32, b"sealbox roster vector box " + name.encode())
        self.box_pk = b.crypto_scalarmult_base(self.box_sk)
        self.seed = H(32, b"sealbox roster vector sign " + name.encode())
        self.sign_pk, self.sign_sk = b.crypto_sign_seed_keypair(self.seed)
        self.text = member_key_text(self.box_pk, self.sign_pk)
        self.id = key_id(self.box_pk).hex()


def pieces(e: dict) -> list[bytes]:
    m, ep = e.get("member") or {}, e.get("epoch")
    return [b"sealbox/v2/roster-entry", e["seq"].to_bytes(8, "little"), bytes.fromhex(e["_prev"]),
            e["day"].encode(), e["action"].encode(),
            m.get("label", "").encode(), m.get("key", "").encode(), m.get("role", "").encode(),
            ep["number"].to_bytes(4, "little") if ep else b"", ep["key"].encode() if ep else b"",
            b"", b"", b"", e["signer"].encode()]


def entry_hash(e: dict, signature: bytes) -> bytes:
    return H(32, b"sealbox/v2/roster-hash" + pae(pieces(e) + [signature]))


def make(seq: int, prev: bytes, action: str, signer: Member, member: dict | None = None,
         epoch: dict | None = None, tamper: bool = False, signer_id: str | None = None) -> tuple[dict, bytes]:
    e = {"format": "sealbox-roster-entry", "version": 1, "seq": seq, "_prev": prev.hex(), "day": DAY,
         "action": action, "signer": signer_id or signer.id}
    if member:
        e["member"] = member
    if epoch:
        e["epoch"] = epoch
    message = pae(pieces(e))
    signature = b.crypto_sign(message, signer.sign_sk)[:64]
    digest = entry_hash(e, signature)
    if tamper:
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    e["prev"] = b64u(prev)
    e["signature"] = b64u(signature)
    e["_message"] = message.hex()
    e["_hash"] = digest.hex()
    return e, digest


def wire(e: dict) -> dict:
    return {k: v for k, v in e.items() if not k.startswith("_")}


def member_field(m: Member, label: str, role: str | None) -> dict:
    out = {"label": label, "key": m.text}
    if role:
        out["role"] = role
    return out


def member_key_file(m: Member, passphrase: bytes) -> dict:
    salt, nonce = H(16, b"salt " + m.seed), H(24, b"nonce " + m.seed)
    wrap = b.crypto_pwhash_alg(32, passphrase, salt, MIN_OPS, MIN_MEM, b.crypto_pwhash_ALG_ARGON2ID13)
    ciphertext = b.crypto_aead_xchacha20poly1305_ietf_encrypt(m.box_sk + m.seed, key_file_ad("member", m.text), nonce, wrap)
    return {"format": "sealbox-secret-key", "version": 1, "type": "member", "public_key": m.text,
            "kdf": {"algorithm": "argon2id13", "opslimit": MIN_OPS, "memlimit": MIN_MEM, "salt": b64u(salt)},
            "aead": {"algorithm": "xchacha20poly1305-ietf", "nonce": b64u(nonce)}, "ciphertext": b64u(ciphertext)}


def main() -> None:
    lena, anna, ben, mira, eve = (Member(n) for n in ("lena", "anna", "ben", "mira", "eve"))
    leads = [{"label": "Lena", "key": lena.text}]
    epoch1 = {"number": 1, "key": team_key_text(H(32, b"sealbox roster vector epoch 1"))}
    epoch2 = {"number": 2, "key": team_key_text(H(32, b"sealbox roster vector epoch 2"))}

    chain, h = [], ZERO
    for seq, action, signer, member, epoch in [
        (1, "add", lena, member_field(anna, "Anna", "counsellor"), None),
        (2, "add", lena, member_field(ben, "Ben", "lead"), None),
        (3, "role", ben, member_field(anna, "Anna", "lead"), None),
        (4, "remove", lena, member_field(anna, "Anna", None), None),
        (5, "rotate", ben, None, epoch1),
    ]:
        e, h = make(seq, h, action, signer, member, epoch)
        chain.append(e)
    hashes = [ZERO] + [bytes.fromhex(e["_hash"]) for e in chain]

    def bad(name: str, prefix: int, error: str, *args, **kw) -> dict:
        e, _ = make(*args, **kw)
        return {"name": name, "entries": [wire(x) for x in chain[:prefix]] + [wire(e)], "error": error, "at": e["seq"]}

    cases = [
        {"name": "valid chain", "entries": [wire(e) for e in chain], "error": None,
         "head": {"seq": 5, "hash": chain[-1]["_hash"]},
         "members": [{"label": "Lena", "role": "lead", "active": True}, {"label": "Anna", "role": "lead", "active": False},
                     {"label": "Ben", "role": "lead", "active": True}]},
        bad("seq skips one", 1, "doesNotExtendHead", 3, hashes[1], "add", lena, member_field(mira, "Mira", "counsellor")),
        bad("prev is not the previous hash", 1, "doesNotExtendHead", 2, hashes[0], "add", lena, member_field(mira, "Mira", "counsellor")),
        bad("signer unknown", 1, "unknownSigner", 2, hashes[1], "add", eve, member_field(mira, "Mira", "counsellor")),
        bad("signer is a counsellor", 1, "signerNotLead", 2, hashes[1], "add", anna, member_field(mira, "Mira", "counsellor")),
        bad("signature altered", 1, "badSignature", 2, hashes[1], "add", lena, member_field(mira, "Mira", "counsellor"), tamper=True),
        bad("signed by another key than the signer's", 1, "badSignature", 2, hashes[1], "add", eve,
            member_field(mira, "Mira", "counsellor"), signer_id=lena.id),
        bad("label taken", 1, "duplicateLabel", 2, hashes[1], "add", lena, member_field(mira, "Anna", "counsellor")),
        bad("key taken", 1, "duplicateKey", 2, hashes[1], "add", lena, member_field(anna, "Anna B", "counsellor")),
        bad("removed key added again", 4, "duplicateKey", 5, hashes[4], "add", lena, member_field(anna, "Anna", "counsellor")),
        bad("last lead removed", 1, "lastLead", 2, hashes[1], "remove", lena, member_field(lena, "Lena", None)),
        bad("last lead demoted", 1, "lastLead", 2, hashes[1], "role", lena, member_field(lena, "Lena", "counsellor")),
        bad("removed lead signs", 4, "signerNotLead", 5, hashes[4], "add", anna, member_field(mira, "Mira", "counsellor")),
        bad("member unknown", 1, "unknownMember", 2, hashes[1], "remove", lena, member_field(mira, "Mira", None)),
        bad("epoch skips one", 0, "epochOutOfOrder", 1, hashes[0], "rotate", lena, None, epoch2),
        bad("epoch again", 5, "epochOutOfOrder", 6, hashes[5], "rotate", lena, None, epoch1),
        bad("role unchanged", 1, "sameRole", 2, hashes[1], "role", lena, member_field(anna, "Anna", "counsellor")),
        bad("add without role", 0, "fieldsDoNotFitAction", 1, hashes[0], "add", lena, member_field(mira, "Mira", None)),
        bad("restrict not supported", 0, "unsupportedAction", 1, hashes[0], "restrict", lena),
    ]
    doc = {
        "comment": "docs/PROTOCOL.md §12; written by Tests/interop/make_roster_vectors.py with PyNaCl",
        "day": DAY,
        "leads": leads,
        "members": {n: {"x25519_secret": m.box_sk.hex(), "ed25519_seed": m.seed.hex(), "public_key": m.text, "member_id": m.id}
                    for n, m in (("lena", lena), ("anna", anna), ("ben", ben), ("mira", mira), ("eve", eve))},
        "key_file": {"passphrase": "roster vector passphrase", "file": member_key_file(anna, b"roster vector passphrase"),
                     "public_key": anna.text, "secret": (anna.box_sk + anna.seed).hex()},
        "first_entry": {"message": chain[0]["_message"], "hash": chain[0]["_hash"]},
        "chains": cases,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)}: {len(cases)} chains")


if __name__ == "__main__":
    main()
