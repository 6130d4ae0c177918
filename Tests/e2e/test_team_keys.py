"""Issue 10, slice 2: key epochs, grants and the recovery key, end to end
(docs/PROTOCOL.md §12.5, §12.6).

Members with member key files made by the real `sealbox keygen --member`, each on her
own workstation store, against the real `sealboxd` with `staff.leads` and
`crypto.recovery_public_key`: the office's team key becomes epoch 1 without anything
being re-encrypted; every member reads through her grants (no team key file); new
items are sealed to the newest epoch and the recovery key; a rotation keeps old items
readable; a member who joins reads every case; a member who leaves is refused (401),
holds no grant, and nothing new is sealed to a key she can open; a member who lost her
key gets a new one from the recovery key's two paper parts (a typo is caught first);
and PyNaCl opens items with the recovery secret alone. The daemon refuses epoch entries
without their grants or naming another recovery key, and will not start when its
recovery key is not the roster's.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import nacl.bindings as b
import pytest
import requests

import inbox_helpers as ih
import make_roster_vectors as mrv
import sealbox_e2e as e2e

so = e2e.so
CROCKFORD = mrv.CROCKFORD


class Member:
    """A member key file made by the CLI, opened with PyNaCl (PROTOCOL §12.1)."""

    def __init__(self, directory: Path, name: str, passphrase_file: Path, home: Path, file_name: str | None = None):
        self.name = name
        stem = file_name or name.lower()
        self.key_file = directory / f"{stem}.key"
        self.pub_file = directory / f"{stem}.key.pub"
        result = e2e.run_cli(["keygen", "--member", "--out", str(self.key_file), "--label", name,
                              "--passphrase-file", str(passphrase_file), "--kdf-cost", "interactive"], home=home)
        assert result.returncode == 0, result.stderr.decode()
        self.text = result.stdout.decode().strip().splitlines()[-1]
        secret, text = so.open_key_file(self.key_file.read_bytes(), e2e.PASSPHRASE.encode(), "member")
        assert text == self.text
        self.box_sk, self.seed = secret[:32], secret[32:]
        self.box_pk = b.crypto_scalarmult_base(self.box_sk)
        self.sign_pk, self.sign_sk = b.crypto_sign_seed_keypair(self.seed)
        self.id = so.key_id(self.box_pk).hex()

    def signer(self) -> e2e.StaffSigner:
        return e2e.StaffSigner(self.seed)


class Office:
    def __init__(self, directory, members, daemon, recovery, keys):
        self.directory, self.members, self.daemon, self.recovery, self.keys = directory, members, daemon, recovery, keys
        self.cases: dict[str, tuple[str, str]] = {}


def read_part(line: str) -> bytes:
    """The bytes of one paper part, decoded from Crockford base32 in Python (PROTOCOL §12.6)."""
    data = line.split("  check ")[0].replace("-", "")
    bits = "".join(f"{CROCKFORD.index(c):05b}" for c in data)
    return int(bits[:256], 2).to_bytes(32, "big")


def recovery_block(text: str) -> dict:
    lines = text.splitlines()
    assert lines[0].startswith("SEALBOX RECOVERY KEY v1 — office: Testamt — made ")
    public = lines[1].removeprefix("public: ")
    line_a = lines[2].removeprefix("secret, part A: ")
    line_b = lines[3].removeprefix("secret, part B: ")
    secret = bytes(x ^ y for x, y in zip(read_part(line_a), read_part(line_b)))
    return {"public": public, "a": line_a, "b": line_b, "secret": secret,
            "public_bytes": so.parse_key_text(public, "sealbox-recovery-v1:")}


@pytest.fixture(scope="module")
def office(keys, tmp_path_factory, module_daemons) -> Office:
    directory = tmp_path_factory.mktemp("team-keys")
    home = directory / "home"
    home.mkdir()
    members = {name: Member(directory, name, keys.passphrase_file, home) for name in ("Lena", "Anna", "Ben", "Mira")}
    result = e2e.run_cli(["recovery-keygen", "--office", "Testamt"], home=home)
    assert result.returncode == 0, result.stderr.decode()
    recovery = recovery_block(result.stdout.decode())
    recovery["stderr"] = result.stderr.decode()
    daemon = module_daemons(SEALBOX_STAFF_LEADS=f"Lena={members['Lena'].text}",
                            SEALBOX_CRYPTO_RECOVERY_PUBLIC_KEY=recovery["public"],
                            SEALBOX_LIMITS_CODE_ATTEMPTS="1000")
    return Office(directory, members, daemon, recovery, keys)


def cli(office: Office, name: str, args: list[str], store: str | None = None, key_file: Path | None = None,
        input: bytes | None = None) -> tuple[int, str, str]:
    member = office.members[name]
    home = office.directory / f"home-{store or name}"
    home.mkdir(exist_ok=True)
    env = {
        "SEALBOX_SERVER": office.daemon.staff_url,
        "SEALBOX_STAFF_KEY": str(key_file or member.key_file),
        "SEALBOX_STORE": str(office.directory / f"store-{store or name}"),
        "SEALBOX_TRUSTED_LEADS": office.members["Lena"].text,
    }
    result = e2e.run_cli([*args, "--passphrase-file", str(office.keys.passphrase_file)], env=env, home=home, input=input)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def ok(office: Office, name: str, args: list[str], **kw) -> str:
    code, out, err = cli(office, name, args, **kw)
    assert code == 0, f"sealbox {' '.join(args)} as {name}: {code}\n{err}"
    return out


def new_case(office: Office, label: str, text: str) -> str:
    answer = office.daemon.post("/api/v1/reports", json={"text": text})
    assert answer.status_code == 201, answer.text
    office.cases[label] = (answer.json()["case"], answer.json()["code"])
    return answer.json()["case"]


def db(office: Office) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{office.daemon.db_path}?mode=ro", uri=True)


def grants_in_db(office: Office) -> set[tuple[str, str]]:
    with db(office) as conn:
        return {(m, s) for m, s in conn.execute("SELECT member_id, scope FROM grants")}


def envelopes(office: Office, case: str) -> list[tuple[str, bytes]]:
    """(kind, envelope) of the case's sealed items, in their order."""
    lena = office.members["Lena"].signer()
    items = sorted((i for i in lena.all_items(office.daemon) if i["case"] == case), key=lambda i: i["position"])
    return [(i["kind"], e2e.unb64u(i["envelope"])) for i in items if i["envelope"]]


def recipients(envelope: bytes) -> list[str]:
    return [k.hex() for k in so.envelope_recipients(envelope)[1]]


def roster_page(office: Office) -> dict:
    return office.members["Lena"].signer().get(office.daemon, "/api/v2/staff/roster?after=0").json()


def epoch_key_id(office: Office, number: int) -> str:
    for entry in roster_page(office)["entries"]:
        if entry.get("epoch", {}).get("number") == number:
            return so.key_id(so.parse_key_text(entry["epoch"]["key"], so.TEAM_PREFIX)).hex()
    raise AssertionError(f"no epoch {number}")


def reads(office: Office, name: str, case: str, store: str | None = None, key_file: Path | None = None) -> list[dict]:
    out = ok(office, name, ["show", case, "--json"], store=store, key_file=key_file)
    items = json.loads(out)["items"]
    assert items and all(i["status"] == "ok" for i in items), items
    return items


def recovery_id(office: Office) -> str:
    return so.key_id(office.recovery["public_bytes"]).hex()


def open_grant(sealed: bytes, public: bytes, secret: bytes, number: int) -> bytes:
    opened = b.crypto_box_seal_open(sealed, public, secret)
    label = mrv.grant_label(number)
    assert opened[:len(label)] == label
    return opened[len(label):]


def post_entry(office: Office, body: dict, signer: Member | None = None) -> requests.Response:
    lead = signer or office.members["Lena"]
    raw = json.dumps(body).encode()
    path = "/api/v2/staff/roster"
    headers = lead.signer().headers("POST", path, raw)
    headers["Content-Type"] = "application/json"
    return requests.post(office.daemon.staff_url + path, data=raw, headers=headers, timeout=30)


# --- the scenario, in order ------------------------------------------------------------------------------------

def test_recovery_keygen_prints_the_paper_block_once_and_its_parts_make_the_key(office):
    rec = office.recovery
    assert b.crypto_scalarmult_base(rec["secret"]) == rec["public_bytes"]
    for line in (rec["a"], rec["b"]):
        groups, check = line.split("  check ")
        assert len(groups.split("-")) == 13 and len(check) == 2
    assert "only time" in rec["stderr"]
    assert not list((office.directory / "home").rglob("*recovery*")), "nothing of the recovery key is written to disk"


def test_before_epochs_a_report_is_sealed_to_the_team_key(office):
    case = new_case(office, "old", "Ein Bericht aus der Zeit vor den Schlüsselepochen. " * 3)
    team_id = so.key_id(so.parse_key_text(office.keys.team_public_text, so.TEAM_PREFIX)).hex()
    assert recipients(envelopes(office, case)[0][1])[0] == team_id


def test_init_with_the_team_key_makes_it_epoch_1_granted_to_every_member_and_the_recovery_key(office):
    m = office.members
    out = ok(office, "Lena", ["team", "init", "--counsellor", str(m["Anna"].pub_file), "--counsellor", str(m["Ben"].pub_file),
                              "--recovery-key", office.recovery["public"], "--team-key", str(office.keys.team_key_file)])
    assert "Started key epoch 1 (entry 3)" in out
    entry = roster_page(office)["entries"][2]
    assert entry["action"] == "rotate"
    assert entry["epoch"] == {"number": 1, "key": office.keys.team_public_text, "recovery": office.recovery["public"]}
    assert grants_in_db(office) == {(m[n].id, "epoch:1") for n in ("Lena", "Anna", "Ben")} | {(recovery_id(office), "epoch:1")}


def test_every_member_reads_the_old_case_through_her_grant_without_the_team_key(office):
    case = office.cases["old"][0]
    for name in ("Lena", "Anna", "Ben"):
        ok(office, name, ["sync"])
        items = reads(office, name, case)
        assert "vor den Schlüsselepochen" in items[0]["text"]
        with sqlite3.connect(office.directory / f"store-{name}" / "store.sqlite") as conn:
            rows = conn.execute("SELECT scope, length(sealed) FROM grants").fetchall()
        assert rows == [("epoch:1", 48 + 27 + 32)], "the grant is kept sealed, as the server sent it"


def test_new_items_are_sealed_to_the_epoch_and_the_recovery_key_and_the_reporter_reads_the_reply(office):
    case = new_case(office, "second", "Ein zweiter Bericht, nach dem Beginn der Epochen. " * 3)
    epoch1 = epoch_key_id(office, 1)
    for name in ("Anna", "Ben"):
        ok(office, name, ["sync"])
    ok(office, "Anna", ["reply", case, "-"], input="Danke, wir kümmern uns.".encode())
    ok(office, "Ben", ["note", case, "-"], input="Rückruf vereinbart.".encode())
    sealed = envelopes(office, case)
    kinds = [k for k, _ in sealed]
    assert kinds == ["report", "reply", "note"]
    report, reply, note = (recipients(e) for _, e in sealed)
    assert report[:2] == [epoch1, recovery_id(office)] and len(report) == 3
    assert reply[1:] == [epoch1, recovery_id(office)] and len(reply) == 3 and reply[0] == report[2]
    assert note == [epoch1, recovery_id(office)]
    inbox = office.daemon.post("/api/v1/inbox", json={"code": office.cases["second"][1]}).json()
    assert [m["text"] for m in inbox["messages"] if m["author"] == "team"] == ["Danke, wir kümmern uns."]


def test_rotate_starts_epoch_2_and_old_items_stay_readable(office):
    out = ok(office, "Lena", ["team", "rotate"])
    assert "Started key epoch 2" in out and "3 active members" in out
    m = office.members
    assert {(m[n].id, "epoch:2") for n in ("Lena", "Anna", "Ben")} | {(recovery_id(office), "epoch:2")} <= grants_in_db(office)
    case = new_case(office, "third", "Ein dritter Bericht, in Epoche zwei. " * 3)
    assert recipients(envelopes(office, case)[0][1])[:2] == [epoch_key_id(office, 2), recovery_id(office)]
    ok(office, "Anna", ["sync"])
    assert "vor den Schlüsselepochen" in reads(office, "Anna", office.cases["old"][0])[0]["text"]
    assert "Epoche zwei" in reads(office, "Anna", case)[0]["text"]


def test_an_attachment_is_sealed_to_the_epoch_and_the_recovery_key_and_a_member_saves_it(office, tmp_path):
    body, ctype = e2e.multipart([("text", "Ein Bericht mit einem Brief als Anlage. " * 3)],
                                [("attachment", "brief.txt", "text/plain", "Sehr geehrte Frau …".encode())])
    answer = office.daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert answer.status_code == 201, answer.text
    case = answer.json()["case"]
    lena = office.members["Lena"].signer()
    blob_id = next(i for i in lena.all_items(office.daemon) if i["case"] == case)["attachments"][0]["id"]
    blob = lena.get(office.daemon, f"/api/v1/staff/attachments/{blob_id}").content
    ids = [k.hex() for k, _ in so._parse_recipients(blob, 4)[0]]
    assert ids == [epoch_key_id(office, 2), recovery_id(office)]
    assert so.decrypt_blob(blob, blob_id, office.recovery["secret"]) == "Sehr geehrte Frau …".encode()
    ok(office, "Anna", ["sync"])
    ok(office, "Anna", ["show", case, "--attachments", str(tmp_path / "saved")])
    assert (tmp_path / "saved" / "brief.txt").read_text() == "Sehr geehrte Frau …"


def test_a_reply_sealed_to_an_old_epoch_is_refused_until_the_workstation_syncs(office):
    case = office.cases["second"][0]
    code, _, err = cli(office, "Ben", ["reply", case, "-"], input=b"Noch eine Antwort.")
    assert code == 4 and "sealbox sync" in err, err
    ok(office, "Ben", ["sync"])
    ok(office, "Ben", ["reply", case, "-"], input=b"Noch eine Antwort.")
    assert recipients(envelopes(office, case)[-1][1])[1:] == [epoch_key_id(office, 2), recovery_id(office)]


def test_a_member_who_joins_reads_every_existing_case_without_re_encryption(office):
    mira = office.members["Mira"]
    before = {case: [e for _, e in envelopes(office, case)] for case, _ in office.cases.values()}
    out = ok(office, "Lena", ["team", "add", "Mira", "--key", str(mira.pub_file)])
    assert "with grants of 2 key epochs" in out
    assert {(mira.id, "epoch:1"), (mira.id, "epoch:2")} <= grants_in_db(office)
    assert {case: [e for _, e in envelopes(office, case)] for case, _ in office.cases.values()} == before
    ok(office, "Mira", ["sync"])
    for label in ("old", "second", "third"):
        reads(office, "Mira", office.cases[label][0])


def test_a_member_who_leaves_is_refused_holds_no_grant_and_cannot_open_anything_new(office):
    ben = office.members["Ben"]
    with sqlite3.connect(office.directory / "store-Ben" / "store.sqlite") as conn:
        kept = {s: bytes(x) for s, x in conn.execute("SELECT scope, sealed FROM grants")}
    assert set(kept) == {"epoch:1", "epoch:2"}
    out = ok(office, "Lena", ["team", "remove", "Ben"])
    assert "started key epoch 3" in out
    assert ben.signer().get(office.daemon, "/api/v2/staff/grants").status_code == 401
    assert ben.signer().get(office.daemon, "/api/v1/staff/items").status_code == 401
    code, _, err = cli(office, "Ben", ["sync"])
    assert code == 4 and "did not accept your staff key" in err
    assert not any(member == ben.id for member, _ in grants_in_db(office))
    assert {(office.members[n].id, "epoch:3") for n in ("Lena", "Anna", "Mira")} <= grants_in_db(office)
    assert (ben.id, "epoch:3") not in grants_in_db(office)

    case = new_case(office, "fourth", "Ein vierter Bericht, nachdem Ben gegangen ist. " * 3)
    ok(office, "Anna", ["sync"])
    ok(office, "Anna", ["note", office.cases["old"][0], "-"], input=b"Neue Notiz nach Bens Weggang.")
    # Every key Ben ever held: his member key and the epochs his kept grants open.
    bens_keys = {ben.id}
    for scope, sealed in kept.items():
        secret = open_grant(sealed, ben.box_pk, ben.box_sk, int(scope.split(":")[1]))
        bens_keys.add(so.key_id(b.crypto_scalarmult_base(secret)).hex())
    new = [envelopes(office, case)[0][1], envelopes(office, office.cases["old"][0])[-1][1]]
    for envelope in new:
        assert recipients(envelope)[0] == epoch_key_id(office, 3)
        assert not bens_keys & set(recipients(envelope)), "nothing new is sealed to a key Ben can open"
    assert "nachdem Ben gegangen" in reads(office, "Anna", case)[0]["text"]


def test_recover_refuses_a_typo_in_a_part_and_changes_nothing(office):
    anna = office.members["Anna"]
    new_anna = Member(office.directory, "Anna", office.keys.passphrase_file, office.directory / "home", file_name="anna-new")
    office.members["AnnaNew"] = new_anna
    head = roster_page(office)["head"]
    line_a = office.recovery["a"]
    typo = line_a[:5] + ("Z" if line_a[5] != "Z" else "Y") + line_a[6:]
    for parts, expected in (((typo, office.recovery["b"]), "typo"), ((office.recovery["b"], line_a), "typo")):
        code, _, err = cli(office, "Lena", ["recover", "--member", "Anna", "--key", str(new_anna.pub_file)],
                           input="\n".join(parts).encode() + b"\n")
        assert code == 2 and expected in err, err
    assert roster_page(office)["head"] == head
    assert anna.signer().get(office.daemon, "/api/v2/staff/grants").status_code == 200


def test_recover_gives_a_member_who_lost_her_key_a_new_one_that_reads_old_and_new_cases(office):
    anna, new_anna = office.members["Anna"], office.members["AnnaNew"]
    out = ok(office, "Lena", ["recover", "--member", "Anna", "--key", str(new_anna.pub_file)],
             input=f"{office.recovery['a']}\n{office.recovery['b']}\n".encode())
    assert "grants of 4 key epochs" in out
    entry = roster_page(office)["entries"][-1]
    assert entry["action"] == "rekey" and entry["member"] == {"label": "Anna", "key": new_anna.text}
    assert anna.signer().get(office.daemon, "/api/v2/staff/grants").status_code == 401
    assert {(new_anna.id, f"epoch:{n}") for n in (1, 2, 3, 4)} <= grants_in_db(office)
    assert not any(member == anna.id for member, _ in grants_in_db(office))
    case = new_case(office, "fifth", "Ein fünfter Bericht, nach der Wiederherstellung. " * 3)
    ok(office, "Anna", ["sync"], store="Anna-new", key_file=new_anna.key_file)
    for label in ("old", "third", "fourth", "fifth"):
        reads(office, "Anna", office.cases[label][0], store="Anna-new", key_file=new_anna.key_file)
    listing = json.loads(ok(office, "Mira", ["team", "list", "--json"]))
    assert [(m["label"], m["active"]) for m in listing["members"]] == [
        ("Lena", True), ("Anna", False), ("Ben", False), ("Mira", True), ("Anna", True)]


def test_pynacl_opens_items_with_the_recovery_secret_alone(office):
    rec = office.recovery
    answer = office.members["Lena"].signer().get(office.daemon, "/api/v2/staff/grants?for=recovery")
    assert answer.status_code == 200
    epochs = {}
    for grant in answer.json()["grants"]:
        number = int(grant["scope"].split(":")[1])
        epochs[number] = open_grant(e2e.unb64u(grant["sealed"]), rec["public_bytes"], rec["secret"], number)
    assert sorted(epochs) == [1, 2, 3, 4]
    assert epochs[1] == office.keys.team_secret, "epoch 1 is the office's team key"
    # A report of epoch 1 (the team key), through the recovery key's grant.
    _, plaintext = so.open_envelope(envelopes(office, office.cases["old"][0])[0][1], epochs[1])
    assert "vor den Schlüsselepochen" in json.loads(plaintext)["text"]
    # A report of epoch 4, directly: it is sealed to the recovery key itself.
    _, plaintext = so.open_envelope(envelopes(office, office.cases["fifth"][0])[0][1], rec["secret"])
    assert "nach der Wiederherstellung" in json.loads(plaintext)["text"]


def test_the_recovery_grants_are_served_to_leads_only(office):
    answer = office.members["Mira"].signer().get(office.daemon, "/api/v2/staff/grants?for=recovery")
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "role_required")
    mine = office.members["Mira"].signer().get(office.daemon, "/api/v2/staff/grants").json()["grants"]
    assert [g["scope"] for g in mine] == ["epoch:1", "epoch:2", "epoch:3", "epoch:4"]
    assert {g["member"] for g in mine} == {office.members["Mira"].id}
    assert office.keys and e2e.StaffSigner(office.keys.staff_seed).get(office.daemon, "/api/v2/staff/grants").json() == {"grants": []}


def test_the_daemon_refuses_an_epoch_without_its_grants_or_with_another_recovery_key(office):
    lena = office.members["Lena"]
    head = roster_page(office)["head"]
    members = [m for m in roster_page(office)["entries"]]
    secret = bytes(range(32))
    epoch = {"number": 5, "key": so.team_key_text(b.crypto_scalarmult_base(secret)), "recovery": office.recovery["public"]}
    entry, _ = mrv.make(head["seq"] + 1, e2e.unb64u(head["hash"]), "rotate", lena, None, epoch)
    answer = post_entry(office, {"entry": mrv.wire(entry)})
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "roster_entry_invalid")
    active = [office.members[n] for n in ("Lena", "Mira", "AnnaNew")]
    grants = [{"member": m.id, "scope": "epoch:5",
               "sealed": e2e.b64u(b.crypto_box_seal(mrv.grant_label(5) + secret, m.box_pk))} for m in active]
    answer = post_entry(office, {"entry": mrv.wire(entry), "grants": grants})
    assert answer.status_code == 422, "the recovery key's grant is missing"
    other = b.crypto_scalarmult_base(bytes(range(1, 33)))
    epoch_other = dict(epoch, recovery="sealbox-recovery-v1:" + e2e.b64u(other))
    entry_other, _ = mrv.make(head["seq"] + 1, e2e.unb64u(head["hash"]), "rotate", lena, None, epoch_other)
    answer = post_entry(office, {"entry": mrv.wire(entry_other), "grants": grants + [
        {"member": so.key_id(other).hex(), "scope": "epoch:5",
         "sealed": e2e.b64u(b.crypto_box_seal(mrv.grant_label(5) + secret, other))}]})
    assert answer.status_code == 422, "another recovery key than the configured one"
    assert roster_page(office)["head"] == head and len(roster_page(office)["entries"]) == len(members)


def test_a_workstation_refuses_a_grant_that_holds_another_key_than_the_announced_one(office):
    mira = office.members["Mira"]
    store = office.directory / "store-Mira" / "store.sqlite"
    forged = b.crypto_box_seal(mrv.grant_label(1) + bytes(range(32)), mira.box_pk)
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE grants SET sealed = ? WHERE scope = 'epoch:1'", (forged,))
    code, _, err = cli(office, "Mira", ["show", office.cases["old"][0]])
    assert code == 3 and "holds a key other than the one the roster announced" in err
    ok(office, "Mira", ["sync"])
    reads(office, "Mira", office.cases["old"][0])


# --- restricted cases (PROTOCOL §12.7) ---------------------------------------------------------------------------

def test_a_lead_restricts_a_case_to_named_members_and_its_key_is_granted_to_them_and_the_recovery_key_only(office):
    case = office.cases["third"][0]
    m = office.members
    code, _, err = cli(office, "Mira", ["restrict", case, "--to", "Mira"])
    assert code == 4 and "403" in err, "a counsellor cannot restrict"
    out = ok(office, "Lena", ["restrict", case, "--to", "Lena, Mira"])
    assert f"Case {case} is restricted to Lena, Mira" in out
    entry = roster_page(office)["entries"][-1]
    assert entry["action"] == "restrict" and entry["case"]["ref"] == case
    assert entry["case"]["members"] == [m["Lena"].id, m["Mira"].id]
    scoped = {member for member, scope in grants_in_db(office) if scope == f"case:{case}"}
    assert scoped == {m["Lena"].id, m["Mira"].id, recovery_id(office)}


def test_a_restricted_cases_new_items_are_sealed_to_its_key_and_the_named_members_read_them(office, tmp_path):
    case, code = office.cases["third"]
    answer = ih.follow_up_multipart(office.daemon, code, "Ein Nachtrag zum eingeschränkten Fall. " * 3,
                                    files=[("beleg.txt", "text/plain", b"Beleg zum Nachtrag")])
    assert answer.status_code == 201, answer.text
    entry = roster_page(office)["entries"][-1]
    case_id = so.key_id(so.parse_key_text(entry["case"]["key"], "sealbox-case-v1:")).hex()
    follow_up = envelopes(office, case)[-1][1]
    assert recipients(follow_up)[:2] == [case_id, recovery_id(office)]
    lena = office.members["Lena"].signer()
    item = [i for i in lena.all_items(office.daemon) if i["case"] == case and i["attachments"]][-1]
    blob_id = item["attachments"][0]["id"]
    blob = lena.get(office.daemon, f"/api/v1/staff/attachments/{blob_id}").content
    assert [k.hex() for k, _ in so._parse_recipients(blob, 4)[0]] == [case_id, recovery_id(office)]
    ok(office, "Mira", ["sync"])
    items = reads(office, "Mira", case)
    assert "eingeschränkten Fall" in items[-1]["text"]
    ok(office, "Mira", ["show", case, "--attachments", str(tmp_path / "saved")])
    assert (tmp_path / "saved" / "beleg.txt").read_bytes() == b"Beleg zum Nachtrag"
    ok(office, "Mira", ["reply", case, "-"], input="Wir haben Ihren Nachtrag gelesen.".encode())
    reply = envelopes(office, case)[-1][1]
    assert recipients(reply)[1:] == [case_id, recovery_id(office)]
    inbox = office.daemon.post("/api/v1/inbox", json={"code": code}).json()
    assert inbox["messages"][-1]["text"] == "Wir haben Ihren Nachtrag gelesen."
    # The recovery key alone opens the restricted case's new items.
    _, plaintext = so.open_envelope(follow_up, office.recovery["secret"])
    assert "eingeschränkten Fall" in json.loads(plaintext)["text"]


def test_coding_a_restricted_case_seals_the_coding_to_its_key_and_the_statistic_to_the_team(office):
    """The coding stays inside the restricted case; its statistic record (no case, text or
    day) goes to the newest epoch and the recovery key, so every member counts it with
    `sealbox stats` through her grants, without a team key file (PROTOCOL §3.5, §12.7)."""
    case = office.cases["third"][0]
    entry = next(e for e in reversed(roster_page(office)["entries"]) if e["action"] == "restrict")
    case_id = so.key_id(so.parse_key_text(entry["case"]["key"], "sealbox-case-v1:")).hex()
    ok(office, "Mira", ["code", case, "--ground", "racism", "--area", "work", "--level", "individual"])
    kind, coding = envelopes(office, case)[-1]
    assert kind == "coding" and recipients(coding) == [case_id, recovery_id(office)]
    lena = office.members["Lena"].signer()
    served = lena.get(office.daemon, "/api/v2/staff/statistics?limit=1000").json()["statistics"]
    assert len(served) == 1
    sealed = e2e.unb64u(served[0]["envelope"])
    newest = max(e["epoch"]["number"] for e in roster_page(office)["entries"] if e.get("epoch"))
    assert recipients(sealed) == [epoch_key_id(office, newest), recovery_id(office)]
    _, plaintext = so.open_envelope(sealed, office.recovery["secret"])
    assert case not in plaintext.decode() and "racism" in plaintext.decode()
    ok(office, "Lena", ["sync"])
    figures = json.loads(ok(office, "Lena", ["stats", "--json", "--min-cell", "1"]))
    assert figures["cases"] == 1 and figures["grounds"] == {"racism": 1} and figures["skipped"] == 0, figures


def test_an_excluded_member_is_served_nothing_of_the_case_and_her_store_purges_it(office):
    case = office.cases["third"][0]
    anna = office.members["AnnaNew"]
    signer = anna.signer()
    assert case not in [c["case"] for c in signer.get(office.daemon, "/api/v1/staff/cases").json()["cases"]]
    assert not [i for i in signer.all_items(office.daemon) if i["case"] == case]
    lena = office.members["Lena"].signer()
    blob_id = [i for i in lena.all_items(office.daemon) if i["case"] == case and i["attachments"]][-1]["attachments"][0]["id"]
    assert signer.get(office.daemon, f"/api/v1/staff/attachments/{blob_id}").status_code == 404
    answer = ih.staff_send(signer, office.daemon, "POST", f"/api/v1/staff/cases/{case}/status", {"status": "closed"})
    assert answer.status_code == 404
    assert not any(scope == f"case:{case}" for scope in
                   (g["scope"] for g in signer.get(office.daemon, "/api/v2/staff/grants").json()["grants"]))
    store = office.directory / "store-Anna-new" / "store.sqlite"
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM items WHERE case_ref = ?", (case,)).fetchone()[0] > 0
    out = ok(office, "Anna", ["sync"], store="Anna-new", key_file=anna.key_file)
    assert f"Removed 1 case restricted to other members from the local store: {case}." in out
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM items WHERE case_ref = ?", (case,)).fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM cases WHERE ref = ?", (case,)).fetchone()[0] == 0
    code, _, err = cli(office, "Anna", ["show", case], store="Anna-new", key_file=anna.key_file)
    assert code == 1 and "no case" in err
    # The other cases stay hers to read.
    reads(office, "Anna", office.cases["fourth"][0], store="Anna-new", key_file=anna.key_file)


def test_a_recovered_member_keeps_the_restricted_cases_she_was_named_for(office):
    case = office.cases["fourth"][0]
    ok(office, "Lena", ["restrict", case, "--to", "Lena,Anna"])
    anna = office.members["AnnaNew"]
    third = Member(office.directory, "Anna", office.keys.passphrase_file, office.directory / "home", file_name="anna-3")
    ok(office, "Lena", ["recover", "--member", "Anna", "--key", str(third.pub_file)],
       input=f"{office.recovery['a']}\n{office.recovery['b']}\n".encode())
    assert (third.id, f"case:{case}") in grants_in_db(office)
    assert not any(member == anna.id for member, _ in grants_in_db(office))
    ok(office, "Anna", ["sync"], store="Anna-3", key_file=third.key_file)
    assert "vierter Bericht" in reads(office, "Anna", case, store="Anna-3", key_file=third.key_file)[0]["text"]
    # Mira is not named: the case leaves her store at her next sync.
    out = ok(office, "Mira", ["sync"])
    assert f"restricted to other members from the local store: {case}" in out


def test_the_daemon_does_not_start_with_a_recovery_key_other_than_the_rosters(office, tmp_path):
    office.daemon.stop()
    other = "sealbox-recovery-v1:" + e2e.b64u(b.crypto_scalarmult_base(bytes(range(2, 34))))
    result = e2e.start_refused(office.keys, tmp_path, SEALBOX_STORAGE_PATH=str(office.daemon.storage),
                               SEALBOX_STAFF_LEADS=f"Lena={office.members['Lena'].text}",
                               SEALBOX_CRYPTO_RECOVERY_PUBLIC_KEY=other)
    assert result.returncode != 0
    assert b"crypto.recovery_public_key is not the recovery key the roster's newest epoch" in result.stderr + result.stdout
    result = e2e.start_refused(office.keys, tmp_path, SEALBOX_CRYPTO_RECOVERY_PUBLIC_KEY="sealbox-recovery-v1:abc")
    assert result.returncode != 0 and b"crypto.recovery_public_key is not a recovery public key" in result.stderr + result.stdout
    office.daemon.start()
