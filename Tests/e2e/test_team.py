"""Issue 10, slice 1: the team roster, end to end (docs/PROTOCOL.md §12).

Three members with member key files made by the real `sealbox keygen --member`, on
three workstation stores, against the real `sealboxd` with `staff.leads`: the first lead
starts the roster, every store lists the same verified team, a counsellor's roster
change is refused (403), a removed member's requests are refused (401), the daemon
refuses bad entries (401/409/422/400), and a workstation refuses a roster that was
rolled back or forked on the server, or that comes from leads it was not told about.
Entries sent from Python are built with PyNaCl (Tests/interop/make_roster_vectors.py).
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nacl.bindings as b
import pytest
import requests

import make_roster_vectors as mrv
import sealbox_e2e as e2e

so = e2e.so


class Member:
    """A member key file made by the CLI, opened with PyNaCl (PROTOCOL §12.1)."""

    def __init__(self, directory: Path, name: str, passphrase_file: Path, home: Path):
        self.name = name
        self.key_file = directory / f"{name.lower()}.key"
        self.pub_file = directory / f"{name.lower()}.key.pub"
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


@pytest.fixture(scope="module")
def team(keys, tmp_path_factory, module_daemons):
    directory = tmp_path_factory.mktemp("team")
    home = directory / "home"
    home.mkdir()
    members = {name: Member(directory, name, keys.passphrase_file, home) for name in ("Lena", "Anna", "Ben", "Eve")}
    daemon = module_daemons(SEALBOX_STAFF_LEADS=f"Lena={members['Lena'].text}")
    LEAD[:] = [members["Lena"]]
    return directory, members, daemon


def cli(team, name: str, args: list[str], store: str | None = None, trusted: str | None = None,
        server: str | None = None, extra: dict | None = None, input: bytes | None = None) -> tuple[int, str, str]:
    directory, members, daemon = team
    member = members[name]
    home = directory / f"home-{store or name}"
    home.mkdir(exist_ok=True)
    env = {
        "SEALBOX_SERVER": server or daemon.staff_url,
        "SEALBOX_STAFF_KEY": str(member.key_file),
        "SEALBOX_STORE": str(directory / f"store-{store or name}"),
        "SEALBOX_TRUSTED_LEADS": trusted if trusted is not None else members["Lena"].text,
    }
    env = {k: v for k, v in {**env, **(extra or {})}.items() if v is not None}
    result = e2e.run_cli([*args, "--passphrase-file", str(PASSPHRASE_FILE[0])], env=env, home=home, input=input)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


PASSPHRASE_FILE: list[Path] = []
LEAD: list[Member] = []  # reads the head for entries built in Python


@pytest.fixture(scope="module", autouse=True)
def passphrase_file(keys):
    PASSPHRASE_FILE[:] = [keys.passphrase_file]


def listing(team, name: str, store: str | None = None) -> dict:
    code, out, err = cli(team, name, ["team", "list", "--json"], store=store)
    assert code == 0, err
    return json.loads(out)


def roster(daemon, signer: e2e.StaffSigner, after: int = 0) -> requests.Response:
    return signer.get(daemon, f"/api/v2/staff/roster?after={after}")


def post_entry(daemon, signer: e2e.StaffSigner, body: bytes) -> requests.Response:
    path = "/api/v2/staff/roster"
    headers = signer.headers("POST", path, body)
    headers["Content-Type"] = "application/json"
    return requests.post(daemon.staff_url + path, data=body, headers=headers, timeout=30)


def entry_after(daemon, signer_member: Member, action: str, member: dict | None, *, tamper=False,
                seq_offset: int = 1, signer_id: str | None = None) -> bytes:
    head = roster(daemon, LEAD[0].signer()).json()["head"]
    entry, _ = mrv.make(head["seq"] + seq_offset, e2e.unb64u(head["hash"]), action, signer_member, member,
                        tamper=tamper, signer_id=signer_id)
    return json.dumps({"entry": mrv.wire(entry)}).encode()


# --- the scenario, in order ------------------------------------------------------------------------------------

def test_member_keygen_writes_a_private_key_file_and_a_public_file_with_the_label(team):
    _, members, _ = team
    lena = members["Lena"]
    assert (lena.key_file.stat().st_mode & 0o777) == 0o600
    lines = lena.pub_file.read_text().splitlines()
    assert lines == [lena.text, "label: Lena"]
    assert json.loads(lena.key_file.read_text())["type"] == "member"


def test_first_lead_starts_the_roster_with_a_counsellor_and_a_second_lead(team):
    _, members, _ = team
    code, out, err = cli(team, "Lena", ["team", "init", "--counsellor", str(members["Anna"].pub_file),
                                        "--lead", str(members["Ben"].pub_file)])
    assert code == 0, err
    assert "Added Anna as counsellor (entry 1)" in out and "Added Ben as lead (entry 2)" in out


def test_every_workstation_store_lists_the_same_verified_team(team):
    _, members, _ = team
    heads = []
    for name in ("Lena", "Anna", "Ben"):
        doc = listing(team, name)
        assert [(m["label"], m["role"], m["active"]) for m in doc["members"]] == [
            ("Lena", "lead", True), ("Anna", "counsellor", True), ("Ben", "lead", True)]
        assert [m["member_id"] for m in doc["members"]] == [members[n].id for n in ("Lena", "Anna", "Ben")]
        heads.append(doc["head"])
    assert heads[0]["seq"] == 2 and heads[0] == heads[1] == heads[2]
    code, out, err = cli(team, "Anna", ["team", "list"])
    assert code == 0, err
    assert "Anna" in out and "counsellor" in out and "Roster verified up to entry 2." in out


def test_a_member_key_file_signs_requests_of_sync(team):
    code, out, err = cli(team, "Anna", ["sync"])
    assert code == 0, err


def test_a_counsellor_cannot_change_the_roster_403(team):
    _, members, daemon = team
    code, _, err = cli(team, "Anna", ["team", "add", "Eve", "--key", str(members["Eve"].pub_file)])
    assert code == 4
    assert "403" in err and "role_required" in err
    anna = members["Anna"]
    answer = post_entry(daemon, anna.signer(),
                        entry_after(daemon, anna, "add", mrv.member_field(members["Eve"], "Eve", "counsellor")))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "role_required"
    assert roster(daemon, anna.signer()).json()["head"]["seq"] == 2


def test_the_daemon_refuses_bad_entries(team):
    _, members, daemon = team
    lena, eve = members["Lena"], members["Eve"]
    mira = mrv.Member("mira")
    add_mira = mrv.member_field(mira, "Mira", "counsellor")
    # wrong signature
    answer = post_entry(daemon, lena.signer(), entry_after(daemon, lena, "add", add_mira, tamper=True))
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "roster_entry_invalid")
    # signed by a key that is no member (the request itself by the lead)
    answer = post_entry(daemon, lena.signer(), entry_after(daemon, eve, "add", add_mira))
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "roster_entry_invalid")
    # claims the lead as signer, signed by another key
    answer = post_entry(daemon, lena.signer(), entry_after(daemon, eve, "add", add_mira, signer_id=lena.id))
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "roster_entry_invalid")
    # does not extend the head
    answer = post_entry(daemon, lena.signer(), entry_after(daemon, lena, "add", add_mira, seq_offset=2))
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "roster_conflict")
    # the request signed by a key the daemon does not know
    answer = post_entry(daemon, eve.signer(), entry_after(daemon, lena, "add", add_mira))
    assert answer.status_code == 401
    # not an entry
    answer = post_entry(daemon, lena.signer(), b'{"entry": {"format": "sealbox-roster-entry"}}')
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "malformed_body")
    assert roster(daemon, lena.signer()).json()["head"]["seq"] == 2


def test_roles_change_and_the_last_lead_stays(team):
    code, _, err = cli(team, "Lena", ["team", "role", "Ben", "counsellor"])
    assert code == 0, err
    code, _, err = cli(team, "Lena", ["team", "role", "Lena", "counsellor"])
    assert code == 1 and "last lead" in err
    code, _, err = cli(team, "Ben", ["team", "remove", "Anna"])
    assert code == 4 and "403" in err
    code, _, err = cli(team, "Lena", ["team", "role", "Ben", "lead"])
    assert code == 0, err
    assert [m["role"] for m in listing(team, "Anna")["members"]] == ["lead", "counsellor", "lead"]


def test_a_members_reply_reaches_the_reporter_and_her_colleagues(team, keys):
    """Ben is a member, not in staff.keys: his reply, signed with his member key, is shown
    to the reporter and as authentic on Lena's workstation."""
    _, members, daemon = team
    answer = daemon.post("/api/v1/reports", json={"text": "Bericht über eine Benachteiligung " * 5})
    assert answer.status_code == 201
    case, code = answer.json()["case"], answer.json()["code"]
    team_key = {"SEALBOX_TEAM_KEY": str(keys.team_key_file)}
    assert cli(team, "Ben", ["sync"])[0] == 0
    status, _, err = cli(team, "Ben", ["reply", case, "-"], extra=team_key, input="Wir melden uns bald.".encode())
    assert status == 0, err
    inbox = daemon.post("/api/v1/inbox", json={"code": code}).json()
    assert [m["author"] for m in inbox["messages"]] == ["reporter", "team"]
    assert cli(team, "Lena", ["sync"])[0] == 0
    status, out, err = cli(team, "Lena", ["show", case], extra=team_key)
    assert status == 0, err
    # The pinned roster names the signer by her label (PROTOCOL §12.4).
    assert "Wir melden uns bald." in out and "(signed by Ben)" in out, out
    status, out, err = cli(team, "Lena", ["show", case, "--json"], extra=team_key)
    assert status == 0, err
    reply = [i for i in json.loads(out)["items"] if i["kind"] == "reply"][0]
    assert reply["signer"] == so.key_id(members['Ben'].sign_pk).hex()


def test_a_removed_member_is_refused_401_from_that_moment(team):
    _, members, daemon = team
    anna = members["Anna"]
    assert roster(daemon, anna.signer()).status_code == 200
    code, out, err = cli(team, "Ben", ["team", "remove", "Anna"])
    assert code == 0, err
    assert roster(daemon, anna.signer()).status_code == 401
    assert anna.signer().get(daemon, "/api/v1/staff/cases").status_code == 401
    code, _, err = cli(team, "Anna", ["sync"])
    assert code == 4 and "did not accept your staff key" in err
    doc = listing(team, "Lena")
    assert [(m["label"], m["active"]) for m in doc["members"]] == [("Lena", True), ("Anna", False), ("Ben", True)]
    assert doc["head"]["seq"] == 5
    assert listing(team, "Ben")["head"] == doc["head"]


def test_a_workstation_refuses_leads_it_was_not_told_about(team):
    _, members, _ = team
    code, _, err = cli(team, "Lena", ["team", "list"], store="stranger", trusted=members["Eve"].text)
    assert code == 3
    assert "first leads this workstation was not told to trust" in err
    assert members["Lena"].id in err


class FakeRoster(BaseHTTPRequestHandler):
    """Serves one roster page, whatever the request (a server that lies)."""
    page: bytes = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


def test_a_workstation_refuses_an_entry_signed_by_a_key_it_was_not_told_about(team):
    _, members, _ = team
    lena, eve = members["Lena"], members["Eve"]
    entry, digest = mrv.make(1, bytes(32), "add", eve, mrv.member_field(mrv.Member("mira"), "Mira", "counsellor"))
    FakeRoster.page = json.dumps({"leads": [{"label": "Lena", "key": lena.text}], "entries": [mrv.wire(entry)],
                                  "head": {"seq": 1, "hash": e2e.b64u(digest)}}).encode()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRoster)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code, _, err = cli(team, "Lena", ["team", "list"], store="fake",
                           server=f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
    assert code == 3
    assert "roster entry 1 is signed by a key this workstation was not told about" in err


def test_a_rolled_back_then_forked_roster_is_refused_by_a_pinned_workstation(team, keys):
    _, members, daemon = team
    # Rollback: the server's roster loses its newest entry (Anna's removal).
    assert daemon.stop(signal.SIGTERM) == 0
    with sqlite3.connect(daemon.db_path) as connection:
        connection.execute("DELETE FROM roster WHERE seq = 5")
    connection.close()
    daemon.start()
    code, _, err = cli(team, "Ben", ["team", "list"])
    assert code == 3
    assert "rolled back" in err and "entries up to 5" in err
    code, _, err = cli(team, "Ben", ["sync"])
    assert code == 3 and "rolled back" in err
    # The removed member is back on the server, and a workstation that never saw entry 5
    # (a fresh store) believes it: that is what the pin protects against.
    assert roster(daemon, members["Anna"].signer()).status_code == 200
    # Fork: a lead on a fresh store writes another entry 5.
    code, _, err = cli(team, "Lena", ["team", "add", "Eve", "--key", str(members["Eve"].pub_file)], store="fresh")
    assert code == 0, err
    code, _, err = cli(team, "Ben", ["team", "list"])
    assert code == 3
    assert "does not extend the one this workstation has verified" in err and "entry 5" in err
    # Nothing of the refused roster was stored: Ben's store still shows Anna removed.
    with sqlite3.connect(team[0] / "store-Ben" / "store.sqlite") as connection:
        assert connection.execute("SELECT max(seq) FROM roster").fetchone()[0] == 5
    connection.close()


def test_the_daemon_refuses_to_start_on_a_stored_roster_that_does_not_verify(team, keys, tmp_path):
    _, members, daemon = team
    assert daemon.stop(signal.SIGTERM) == 0
    storage = tmp_path / "data"
    shutil.copytree(daemon.storage, storage)
    with sqlite3.connect(storage / "sealbox.sqlite") as connection:
        (entry,) = connection.execute("SELECT entry FROM roster WHERE seq = 1").fetchone()
        changed = bytes(entry).replace(b'"Anna"', b'"Anne"')
        assert changed != bytes(entry)
        connection.execute("UPDATE roster SET entry = ? WHERE seq = 1", (changed,))
    connection.close()
    result = e2e.start_refused(keys, tmp_path, SEALBOX_STAFF_LEADS=f"Lena={members['Lena'].text}",
                               SEALBOX_STORAGE_PATH=str(storage))
    assert result.returncode != 0
    assert b"does not verify from staff.leads at entry 1" in result.stderr + result.stdout
    env = e2e.Daemon(keys, tmp_path, SEALBOX_STAFF_LEADS=f"Lena={members['Lena'].text}",
                     SEALBOX_STORAGE_PATH=str(storage)).env()
    check = subprocess.run([str(e2e.SEALBOXD), "check-config"], env=env, capture_output=True, timeout=30, cwd=tmp_path)
    assert check.returncode == 1
    assert b"does not verify from staff.leads at entry 1" in check.stdout + check.stderr
    daemon.start()
