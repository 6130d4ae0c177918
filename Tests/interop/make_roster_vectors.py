#!/usr/bin/env python3
"""Writes docs/vectors/roster.json with PyNaCl, from docs/PROTOCOL.md §12 alone.

The member key file (§12.1) and the roster chain (§12.2): a valid chain of entries
from one first lead, and chains that break one rule each, with the RosterError case a
verifier must answer. Grants (§12.5): sealed grants a member or the recovery key opens,
and grants a reader must refuse (another epoch's label, an epoch the roster did not
announce, a key other than the announced one). The recovery key's paper form (§12.6):
parts that read, and typed parts that must be refused. SealboxCoreTests
(RosterVectorTests, GrantVectorTests) and Tests/interop (test_roster_vectors.py) run
every case. Sealed boxes are made deterministic with a fixed ephemeral seed, exactly as
libsodium's crypto_box_seal builds them from a random one.

    pip install pynacl && python3 Tests/interop/make_roster_vectors.py
"""

from __future__ import annotations

import json
import os

import nacl.bindings as b

from sealbox_open import H, b64u, key_file_ad, key_id, member_key_text, pae, team_key_text

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

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
    m, ep, c = e.get("member") or {}, e.get("epoch"), e.get("case") or {}
    return [b"sealbox/v2/roster-entry", e["seq"].to_bytes(8, "little"), bytes.fromhex(e["_prev"]),
            e["day"].encode(), e["action"].encode(),
            m.get("label", "").encode(), m.get("key", "").encode(), m.get("role", "").encode(),
            ep["number"].to_bytes(4, "little") if ep else b"", ep["key"].encode() if ep else b"",
            c.get("ref", "").encode(), c.get("key", "").encode(), ",".join(c.get("members", [])).encode(),
            e["signer"].encode()] + ([ep.get("recovery", "").encode()] if ep else [])


def entry_hash(e: dict, signature: bytes) -> bytes:
    return H(32, b"sealbox/v2/roster-hash" + pae(pieces(e) + [signature]))


def make(seq: int, prev: bytes, action: str, signer: Member, member: dict | None = None,
         epoch: dict | None = None, tamper: bool = False, signer_id: str | None = None,
         case: dict | None = None) -> tuple[dict, bytes]:
    e = {"format": "sealbox-roster-entry", "version": 1, "seq": seq, "_prev": prev.hex(), "day": DAY,
         "action": action, "signer": signer_id or signer.id}
    if member:
        e["member"] = member
    if epoch:
        e["epoch"] = epoch
    if case:
        e["case"] = case
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


def recovery_key_text(public_key: bytes) -> str:
    return "sealbox-recovery-v1:" + b64u(public_key)


def seal_deterministic(message: bytes, recipient_pk: bytes, seed: bytes) -> bytes:
    """crypto_box_seal with the ephemeral key pair made from `seed` (libsodium: a random one)."""
    epk, esk = b.crypto_box_seed_keypair(seed)
    nonce = H(24, epk + recipient_pk)
    return epk + b.crypto_box(message, nonce, recipient_pk, esk)


def grant_label(epoch: int) -> bytes:
    return b"sealbox/v2/grant/epoch/" + epoch.to_bytes(4, "big")


def base32(data: bytes) -> str:
    bits = "".join(f"{x:08b}" for x in data)
    bits += "0" * (-len(bits) % 5)
    return "".join(CROCKFORD[int(bits[i:i + 5], 2)] for i in range(0, len(bits), 5))


def paper_line(part: bytes, letter: str) -> str:
    data = base32(part)
    check = base32(H(16, b"sealbox/v2/recovery-check" + letter.encode() + part))[:2]
    return "-".join(data[i:i + 4] for i in range(0, len(data), 4)) + "  check " + check


def case_key_text(public_key: bytes) -> str:
    return "sealbox-case-v1:" + b64u(public_key)


def grant_label_case(ref: str) -> bytes:
    return b"sealbox/v2/grant/case/" + ref.encode()


def epoch_pair(n: int) -> tuple[bytes, bytes]:
    sk = H(32, b"sealbox roster vector epoch secret %d" % n)
    return sk, b.crypto_scalarmult_base(sk)


def main() -> None:
    lena, anna, ben, mira, eve, ben2 = (Member(n) for n in ("lena", "anna", "ben", "mira", "eve", "ben2"))
    leads = [{"label": "Lena", "key": lena.text}]
    recovery_sk = H(32, b"sealbox roster vector recovery secret")
    recovery_pk = b.crypto_scalarmult_base(recovery_sk)
    recovery = recovery_key_text(recovery_pk)
    (e1_sk, e1_pk), (e2_sk, e2_pk), (e3_sk, e3_pk) = epoch_pair(1), epoch_pair(2), epoch_pair(3)
    epoch1 = {"number": 1, "key": team_key_text(e1_pk), "recovery": recovery}
    epoch2 = {"number": 2, "key": team_key_text(e2_pk), "recovery": recovery}
    epoch3 = {"number": 3, "key": team_key_text(e3_pk), "recovery": recovery}

    case_sk = H(32, b"sealbox roster vector case secret")
    case_pk = b.crypto_scalarmult_base(case_sk)
    restriction = {"ref": "7KQM-3XWP", "key": case_key_text(case_pk), "members": [lena.id]}

    chain, h = [], ZERO
    for seq, action, signer, member, epoch, case in [
        (1, "add", lena, member_field(anna, "Anna", "counsellor"), None, None),
        (2, "add", lena, member_field(ben, "Ben", "lead"), None, None),
        (3, "role", ben, member_field(anna, "Anna", "lead"), None, None),
        (4, "remove", lena, member_field(anna, "Anna", None), None, None),
        (5, "rotate", ben, None, epoch1, None),
        (6, "rekey", lena, member_field(ben2, "Ben", None), epoch2, None),
        (7, "restrict", lena, None, None, restriction),
    ]:
        e, h = make(seq, h, action, signer, member, epoch, case=case)
        chain.append(e)
    hashes = [ZERO] + [bytes.fromhex(e["_hash"]) for e in chain]

    def bad(name: str, prefix: int, error: str, *args, **kw) -> dict:
        e, _ = make(*args, **kw)
        return {"name": name, "entries": [wire(x) for x in chain[:prefix]] + [wire(e)], "error": error, "at": e["seq"]}

    cases = [
        {"name": "valid chain", "entries": [wire(e) for e in chain], "error": None,
         "head": {"seq": 7, "hash": chain[-1]["_hash"]}, "epoch": 2,
         "members": [{"label": "Lena", "role": "lead", "active": True}, {"label": "Anna", "role": "lead", "active": False},
                     {"label": "Ben", "role": "lead", "active": False}, {"label": "Ben", "role": "lead", "active": True}]},
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
        bad("unrestrict not supported", 0, "unsupportedAction", 1, hashes[0], "unrestrict", lena),
        bad("restrict before epochs", 0, "fieldsDoNotFitAction", 1, hashes[0], "restrict", lena, case=restriction),
        bad("restrict without a case", 6, "fieldsDoNotFitAction", 7, hashes[6], "restrict", lena),
        bad("restrict to a removed member", 6, "unknownMember", 7, hashes[6], "restrict", lena,
            case=dict(restriction, members=[anna.id])),
        bad("restrict to the same member twice", 6, "unknownMember", 7, hashes[6], "restrict", lena,
            case=dict(restriction, members=[lena.id, lena.id])),
        bad("restrict with an epoch's key", 6, "epochKeyInvalid", 7, hashes[6], "restrict", lena,
            case=dict(restriction, key=case_key_text(e1_pk))),
        bad("a case on another action", 5, "fieldsDoNotFitAction", 6, hashes[5], "rotate", lena, None, epoch2,
            case=restriction),
        bad("epoch without a recovery key", 0, "epochKeyInvalid", 1, hashes[0], "rotate", lena, None,
            {"number": 1, "key": epoch1["key"]}),
        bad("epoch key announced before", 5, "epochKeyInvalid", 6, hashes[5], "rotate", lena, None,
            dict(epoch2, key=epoch1["key"])),
        bad("remove without a new epoch after epochs began", 5, "rotationRequired", 6, hashes[5], "remove", lena,
            member_field(ben, "Ben", None)),
        bad("rekey without a new epoch", 5, "rotationRequired", 6, hashes[5], "rekey", lena, member_field(ben2, "Ben", None)),
        bad("rekey to a key that was a member's", 5, "duplicateKey", 6, hashes[5], "rekey", lena,
            member_field(anna, "Ben", None), epoch2),
        bad("rekey of no active member", 5, "unknownMember", 6, hashes[5], "rekey", lena,
            member_field(ben2, "Anna", None), epoch2),
    ]

    # Grants (§12.5) against the roster of the valid chain (epochs 1 and 2 announced).
    seeds = iter(H(32, b"sealbox grant vector ephemeral %d" % i) for i in range(100))

    def grant(name: str, to_pk: bytes, holder: str, scope_label: int, secret: bytes, checked_as: int, expect: str) -> dict:
        sealed = seal_deterministic(grant_label(scope_label) + secret, to_pk, next(seeds))
        return {"name": name, "holder": holder, "scope": f"epoch:{checked_as}", "sealed": sealed.hex(), "expect": expect,
                "secret": secret.hex() if expect == "ok" else None}

    def case_grant(name: str, to_pk: bytes, holder: str, ref: str, checked_as: str, expect: str) -> dict:
        sealed = seal_deterministic(grant_label_case(ref) + case_sk, to_pk, next(seeds))
        return {"name": name, "holder": holder, "scope": f"case:{checked_as}", "sealed": sealed.hex(), "expect": expect,
                "secret": case_sk.hex() if expect == "ok" else None}

    grants = [
        case_grant("a named member's grant of a restricted case", lena.box_pk, "lena", "7KQM-3XWP", "7KQM-3XWP", "ok"),
        case_grant("a case grant offered as another case", lena.box_pk, "lena", "7KQM-3XWP", "7KQM-3XWQ", "doesNotOpen"),
        grant("a member's grant of epoch 1", ben2.box_pk, "ben2", 1, e1_sk, 1, "ok"),
        grant("the recovery key's grant of epoch 2", recovery_pk, "recovery", 2, e2_sk, 2, "ok"),
        grant("a grant of epoch 2 offered as epoch 1", ben2.box_pk, "ben2", 2, e2_sk, 1, "doesNotOpen"),
        grant("a grant sealed to another member", mira.box_pk, "ben2", 1, e1_sk, 1, "doesNotOpen"),
        grant("a grant of an epoch the roster did not announce", ben2.box_pk, "ben2", 3, e3_sk, 3, "notAnnounced"),
        grant("a grant holding a key other than the announced one", ben2.box_pk, "ben2", 1, e2_sk, 1, "notTheAnnouncedKey"),
    ]

    # The recovery key on paper (§12.6).
    part_a = H(32, b"sealbox recovery vector part A")
    part_b = bytes(x ^ y for x, y in zip(recovery_sk, part_a))
    line_a, line_b = paper_line(part_a, "A"), paper_line(part_b, "B")
    typo = line_a[:5] + ("Z" if line_a[5] != "Z" else "Y") + line_a[6:]
    paper = {
        "public": recovery, "secret": recovery_sk.hex(), "part_a": part_a.hex(), "part_b": part_b.hex(),
        "line_a": line_a, "line_b": line_b,
        "typed": [
            {"name": "part A as printed", "letter": "A", "text": line_a, "expect": "ok", "part": part_a.hex()},
            {"name": "part B in lower case without dashes", "letter": "B",
             "text": line_b.replace("-", "").replace("  check ", "").lower(), "expect": "ok", "part": part_b.hex()},
            {"name": "part A with I, L and O for 1, 1 and 0", "letter": "A",
             "text": line_a.replace("1", "I").replace("0", "O"), "expect": "ok", "part": part_a.hex()},
            {"name": "one character mistyped", "letter": "A", "text": typo, "expect": "check"},
            {"name": "part B typed as part A", "letter": "A", "text": line_b, "expect": "check"},
            {"name": "a character that is not base32", "letter": "A", "text": "U" + line_a[1:], "expect": "character"},
            {"name": "one group missing", "letter": "A", "text": line_a[5:], "expect": "length"},
        ],
    }
    doc = {
        "comment": "docs/PROTOCOL.md §12; written by Tests/interop/make_roster_vectors.py with PyNaCl",
        "day": DAY,
        "leads": leads,
        "members": {n: {"x25519_secret": m.box_sk.hex(), "ed25519_seed": m.seed.hex(), "public_key": m.text, "member_id": m.id}
                    for n, m in (("lena", lena), ("anna", anna), ("ben", ben), ("mira", mira), ("eve", eve), ("ben2", ben2))},
        "key_file": {"passphrase": "roster vector passphrase", "file": member_key_file(anna, b"roster vector passphrase"),
                     "public_key": anna.text, "secret": (anna.box_sk + anna.seed).hex()},
        "first_entry": {"message": chain[0]["_message"], "hash": chain[0]["_hash"]},
        "chains": cases,
        "recovery_secret": recovery_sk.hex(),
        "grants": grants,
        "recovery_paper": paper,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)}: {len(cases)} chains")


if __name__ == "__main__":
    main()
