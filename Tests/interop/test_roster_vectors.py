"""docs/vectors/roster.json is what Tests/interop/make_roster_vectors.py writes with
PyNaCl (the script is deterministic): the vectors the Swift tests run are the script's,
not edited by hand. And a second check of the vectors from Python alone: the valid
chain's signatures verify and its hashes chain."""

from __future__ import annotations

import json

import nacl.bindings as b

import make_roster_vectors as mrv
from sealbox_open import unb64u

COMMITTED = mrv.OUT


def test_the_committed_vectors_are_what_the_pynacl_script_writes(tmp_path, monkeypatch):
    out = tmp_path / "roster.json"
    monkeypatch.setattr(mrv, "OUT", str(out))
    mrv.main()
    assert json.loads(out.read_text()) == json.loads(open(COMMITTED, encoding="utf-8").read())


def test_the_valid_chain_verifies_and_chains_in_python():
    doc = json.loads(open(COMMITTED, encoding="utf-8").read())
    keys = {m["member_id"]: unb64u(m["public_key"].removeprefix("sealbox-member-v1:"))[32:] for m in doc["members"].values()}
    prev = bytes(32)
    for entry in doc["chains"][0]["entries"]:
        assert unb64u(entry["prev"]) == prev
        e = dict(entry, _prev=prev.hex())
        message = mrv.pae(mrv.pieces(e))
        signature = unb64u(entry["signature"])
        b.crypto_sign_open(signature + message, keys[entry["signer"]])
        prev = mrv.entry_hash(e, signature)
    assert prev.hex() == doc["chains"][0]["head"]["hash"]
