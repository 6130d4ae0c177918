"""Unlock once (issue 11; docs/WORKSTATION.md §8): `sealbox unlock` starts an agent holding
the opened keys on a private Unix socket; later commands need no passphrase source.

The real `sealboxd`, the real `sealbox` as subprocesses, the agent as the process
`sealbox unlock` starts. Each test gets its own XDG_RUNTIME_DIR (a short folder under
/tmp) and its own copy of the passphrase file, removed after unlocking to prove that no
command reads it. Raw socket clients written from the documented protocol send garbage
and oversized frames; a client running as `nobody` (setpriv, as root) is refused.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import sqlite3
import stat
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e


class Desk:
    """A workstation whose commands run with or without the passphrase file."""

    def __init__(self, ws: ih.Workstation, runtime: Path, passphrase_file: Path):
        self.ws, self.runtime, self.passphrase_file = ws, runtime, passphrase_file
        ws.env["XDG_RUNTIME_DIR"] = str(runtime)
        ws.env["SEALBOX_PASSPHRASE_FILE"] = str(passphrase_file)

    @property
    def socket_path(self) -> Path:
        return self.runtime / "sealbox" / "agent.sock"

    def run(self, *args: str, passphrase: bool = False, input: bytes | None = None, env: dict | None = None):
        environment = {k: v for k, v in self.ws.env.items() if passphrase or k != "SEALBOX_PASSPHRASE_FILE"}
        environment.update(env or {})
        return e2e.run_cli(list(args), env=environment, home=self.ws.home, input=input)

    def ok(self, *args: str, **kw):
        result = self.run(*args, **kw)
        assert result.returncode == 0, (f"sealbox {' '.join(args)} exited {result.returncode}:\n"
                                        f"{result.stderr.decode(errors='replace')}")
        return result

    def unlock(self, *extra: str, env: dict | None = None):
        return self.ok("unlock", *extra, passphrase=True, env=env)

    def agent_pid(self) -> int | None:
        result = self.run("unlock", "--status")
        if result.returncode != 0:
            return None
        return int(result.stdout.decode().split("(process ")[1].split(")")[0])


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000")


@pytest.fixture
def desk(daemon, workstation_factory, keys):
    ws = workstation_factory(daemon)
    runtime = Path(tempfile.mkdtemp(prefix="sbua-", dir="/tmp"))
    passphrase = ws.home / "passphrase"
    shutil.copy(keys.passphrase_file, passphrase)
    d = Desk(ws, runtime, passphrase)
    yield d
    d.run("lock")
    shutil.rmtree(runtime, ignore_errors=True)


def new_case(daemon, text: str) -> tuple[str, str]:
    r = daemon.post("/api/v1/reports", json={"text": text})
    assert r.status_code == 201, r.text
    return r.json()["case"], r.json()["code"]


def raw_exchange(path: Path, frame: bytes, *, close_after: bool = True) -> dict | None:
    """Sends `frame` as it is and reads one answer frame (docs/WORKSTATION.md, the agent protocol)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(str(path))
        s.sendall(frame)
        if close_after:
            s.shutdown(socket.SHUT_WR)
        head = b""
        while len(head) < 4:
            chunk = s.recv(4 - len(head))
            if not chunk:
                return None
            head += chunk
        (length,) = struct.unpack(">I", head)
        body = b""
        while len(body) < length:
            chunk = s.recv(length - len(body))
            if not chunk:
                break
            body += chunk
        return json.loads(body)


def ended(pid: int, timeout: float = 10) -> bool:
    """Whether process `pid` ended within `timeout` (gone, or a zombie nobody reaped yet)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def frame(value) -> bytes:
    body = json.dumps(value).encode() if not isinstance(value, bytes) else value
    return struct.pack(">I", len(body)) + body


# --- unlocking once ---------------------------------------------------------------------------------------

def test_after_unlock_show_reply_note_code_list_and_sync_run_without_any_passphrase(desk, daemon):
    case, code = new_case(daemon, "Der Hausmeister beleidigt mich wegen meiner Herkunft. " * 2)
    desk.ok("sync", passphrase=True)
    out = desk.unlock().stdout.decode()
    assert "Unlocked" in out and "sealbox lock" in out
    desk.passphrase_file.unlink()  # nothing can read it from here on

    shown = json.loads(desk.ok("show", case, "--json").stdout)
    assert "beleidigt mich" in shown["items"][0]["text"]
    desk.ok("reply", case, "-", input="Wir haben Ihre Meldung erhalten.".encode())
    desk.ok("note", case, "-", input="Notiz: Rückruf vereinbaren.".encode())
    desk.ok("code", case, "--ground", "racism", "--area", "housing")
    desk.ok("status", case, "in-progress")
    desk.ok("list", "--mine")  # list with case data opens the team's case data
    listed = desk.ok("list").stdout.decode()
    assert case in listed
    desk.ok("sync")
    items = json.loads(desk.ok("show", case, "--json").stdout)["items"]
    kinds = [i["kind"] for i in items]
    assert "reply" in kinds and "note" in kinds and "coding" in kinds
    assert all(i["status"] == "ok" for i in items), items
    # The reporter reads the reply the agent signed.
    thread = ih.open_inbox(daemon, code).json()
    assert ("team", "Wir haben Ihre Meldung erhalten.") in [(m["author"], m["text"]) for m in thread["messages"]]


def test_after_unlock_show_saves_attachments_without_a_passphrase(desk, daemon, tmp_path):
    """The agent opens each attachment's file key (operation file-key); the blob is decrypted
    and checked in the command, and the agent never sees the file."""
    picture = bytes(range(256)) * 900  # 230 KB: more than one chunk
    letter = "Kündigungsschreiben: wegen Ihres Akzents … ".encode() * 50
    body, ctype = e2e.multipart([("text", "Meine Kündigung und ein Foto des Aushangs.")],
                                [("attachment", "aushang.png", "image/png", picture),
                                 ("attachment", "kündigung.txt", "text/plain", letter)])
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 201, r.text
    case = r.json()["case"]
    desk.ok("sync", passphrase=True)
    desk.unlock()
    desk.passphrase_file.unlink()
    out = tmp_path / "files"
    shown = json.loads(desk.ok("show", case, "--json", "--attachments", str(out)).stdout)
    saved = {a["name"]: open(a["saved_as"], "rb").read() for i in shown["items"] for a in i["attachments"]}
    assert saved == {"aushang.png": picture, "kündigung.txt": letter}

    # A blob altered in the local store is refused as before, with the agent as without it.
    with sqlite3.connect(desk.ws.store / "store.sqlite") as db:
        (blob_id, blob), = db.execute("SELECT id, blob FROM attachments ORDER BY size DESC LIMIT 1").fetchall()
        changed = bytearray(blob)
        changed[-30] ^= 1
        db.execute("UPDATE attachments SET blob = ? WHERE id = ?", (bytes(changed), blob_id))
    result = desk.run("show", case, "--attachments", str(tmp_path / "again"))
    assert result.returncode != 0
    assert "failed authentication: it was altered or damaged; it was not saved" in result.stderr.decode()


def test_without_an_agent_the_same_command_asks_for_a_passphrase_and_names_unlock(desk, daemon):
    case, _ = new_case(daemon, "Eine Meldung, die ohne Agent gelesen werden soll. " * 2)
    desk.ok("sync", passphrase=True)
    result = desk.run("show", case)
    assert result.returncode != 0
    err = result.stderr.decode()
    assert "a passphrase is needed" in err and "sealbox unlock" in err


def test_lock_ends_the_agent_and_the_next_show_asks_for_a_passphrase(desk, daemon):
    case, _ = new_case(daemon, "Meldung vor dem Sperren. " * 3)
    desk.ok("sync", passphrase=True)
    desk.unlock()
    desk.ok("show", case)
    pid = desk.agent_pid()
    assert pid
    assert "Locked" in desk.ok("lock").stdout.decode()
    assert not desk.socket_path.exists()
    assert ended(pid), "the agent process ended"
    result = desk.run("show", case)
    assert result.returncode != 0 and "a passphrase is needed" in result.stderr.decode()
    assert "No unlock agent runs" in desk.ok("lock").stdout.decode()


def test_unlock_status_says_whether_it_runs_and_for_how_long(desk, keys):
    before = desk.run("unlock", "--status")
    assert before.returncode == 1 and "No unlock agent runs" in before.stdout.decode()
    desk.unlock("--idle-minutes", "10")
    status = desk.ok("unlock", "--status").stdout.decode()
    assert "The unlock agent runs (process " in status
    assert str(keys.team_key_file) in status and str(keys.staff_key_file) in status
    assert "It ends after 10 minutes more without a command" in status
    again = desk.run("unlock", passphrase=True)
    assert again.returncode == 1 and "runs already" in again.stderr.decode()


def test_the_agent_ends_by_itself_after_its_idle_time(desk):
    desk.unlock(env={"SEALBOX_AGENT_IDLE_MINUTES": "2s"})
    assert desk.socket_path.exists()
    pid = desk.agent_pid()
    deadline = time.time() + 15
    while time.time() < deadline and desk.socket_path.exists():
        time.sleep(0.2)
    assert not desk.socket_path.exists(), "the agent removed its socket"
    assert desk.run("unlock", "--status").returncode == 1
    assert ended(pid), "the agent process ended"


def test_a_bad_idle_time_is_refused_before_any_passphrase(desk):
    result = desk.run("unlock", "--idle-minutes", "soon", passphrase=True)
    assert result.returncode == 2 and "is not a time the agent can wait" in result.stderr.decode()
    assert not desk.socket_path.exists()


# --- the socket -------------------------------------------------------------------------------------------

def test_the_folder_is_0700_and_the_socket_0600(desk):
    desk.unlock()
    folder = desk.socket_path.parent
    assert stat.S_IMODE(folder.lstat().st_mode) == 0o700 and stat.S_ISDIR(folder.lstat().st_mode)
    info = desk.socket_path.lstat()
    assert stat.S_ISSOCK(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert info.st_uid == os.getuid()
    assert sorted(p.name for p in folder.iterdir()) == ["agent.sock"]


def test_an_agent_does_not_start_in_a_folder_others_may_enter(desk):
    folder = desk.socket_path.parent
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    result = desk.run("unlock", passphrase=True)
    assert result.returncode != 0
    assert "may be entered by other users" in result.stderr.decode()
    assert not desk.socket_path.exists()


NOBODY_CLIENT = r"""
import json, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print(json.dumps({"connect": type(e).__name__})); sys.exit(0)
body = json.dumps({"op": "status"}).encode()
try:
    s.sendall(struct.pack(">I", len(body)) + body)
    s.shutdown(socket.SHUT_WR)
except OSError:
    pass
data = b""
while True:
    try:
        chunk = s.recv(65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
print(json.dumps({"answer": data[4:].decode(errors="replace")}))
"""


def as_nobody(path: Path) -> dict:
    result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                             NOBODY_CLIENT, str(path)], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to run a client as another user (nobody)")
def test_a_client_of_another_user_is_refused(desk):
    desk.unlock()
    # As made, the folder keeps others out before the agent is reached.
    desk.runtime.chmod(0o711)
    assert as_nobody(desk.socket_path) == {"connect": "PermissionError"}
    # Even with the folder and socket opened up by mistake, the agent refuses the peer (SO_PEERCRED).
    desk.socket_path.parent.chmod(0o711)
    desk.socket_path.chmod(0o666)
    try:
        seen = as_nobody(desk.socket_path)
    finally:
        desk.socket_path.parent.chmod(0o700)
        desk.socket_path.chmod(0o600)
    assert "answer" in seen
    answer = json.loads(seen["answer"])
    assert answer == {"ok": False, "error": {"code": "forbidden", "message": "this agent serves its own user only"}}
    assert desk.run("unlock", "--status").returncode == 0, "the agent stays up"


def test_garbage_oversized_and_cut_frames_get_an_error_and_the_agent_stays_up(desk, daemon):
    case, _ = new_case(daemon, "Meldung für den Test mit kaputten Rahmen. " * 2)
    desk.ok("sync", passphrase=True)
    desk.unlock()
    path = desk.socket_path
    assert raw_exchange(path, frame(b"\xff\xfe garbage {"))["error"]["code"] == "bad_request"
    assert raw_exchange(path, frame({"op": "fly"}))["error"]["code"] == "unknown_op"
    assert raw_exchange(path, frame({"op": "open", "envelope": "@@@"}))["error"]["code"] == "bad_request"
    assert raw_exchange(path, struct.pack(">I", 0xFFFFFFFF) + b"x" * 100)["error"]["code"] == "too_long"
    assert raw_exchange(path, struct.pack(">I", (1 << 20) + 1))["error"]["code"] == "too_long"
    assert raw_exchange(path, struct.pack(">I", 1000) + b"{}")["error"]["code"] == "bad_frame"
    assert raw_exchange(path, b"\x00\x00")["error"]["code"] == "bad_frame"
    refused = raw_exchange(path, frame({"op": "sign", "message": base64.urlsafe_b64encode(b"roster entry").decode().rstrip("=")}))
    assert refused["error"]["code"] == "refused_message"
    status = raw_exchange(path, frame({"op": "status"}))
    assert status["ok"] and status["source"] == "team-key" and len(status["keys"]) == 1
    desk.ok("show", case)


def test_the_agent_never_writes_or_prints_the_passphrase_or_a_key(desk, daemon, keys):
    case, _ = new_case(daemon, "Meldung für die Prüfung auf Schlüssel im Klartext. " * 2)
    desk.ok("sync", passphrase=True)
    unlocked = desk.unlock()
    shown = desk.ok("show", case, "--json")
    secrets = {"passphrase": keys.passphrase, "team secret": keys.team_secret, "staff seed": keys.staff_seed}
    forms = {}
    for name, value in secrets.items():
        forms[name] = value
        forms[name + " hex"] = value.hex().encode()
        forms[name + " b64"] = base64.b64encode(value).rstrip(b"=")
        forms[name + " b64u"] = base64.urlsafe_b64encode(value).rstrip(b"=")
    printed = unlocked.stdout + unlocked.stderr + shown.stdout + shown.stderr
    assert ih.find_bytes(printed, forms) == []
    for root in (desk.ws.home, desk.runtime):
        for path in e2e.all_files(root):
            if path.is_file() and path != desk.passphrase_file:
                assert ih.find_bytes(path.read_bytes(), forms) == [], path
    pid = desk.agent_pid()
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    assert cmdline.split(b"\0")[1:] == [b"agent", b""], "no secret on the agent's command line"
    environ = Path(f"/proc/{pid}/environ").read_bytes()
    assert ih.find_bytes(environ, forms) == []
    # Not dumpable: no core file (the core limit is 0).
    limits = Path(f"/proc/{pid}/limits").read_text()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"], core


def test_an_agent_for_other_key_files_is_not_used(desk, daemon, keys):
    case, _ = new_case(daemon, "Meldung, die ein fremder Agent nicht öffnen darf. " * 2)
    desk.ok("sync", passphrase=True)
    desk.unlock("--staff-key", str(keys.other_staff_key_file))
    # The agent holds the team key but another staff key: `sync` signs with the configured one, so asks.
    result = desk.run("sync")
    assert result.returncode != 0 and "a passphrase is needed" in result.stderr.decode()
    desk.ok("show", case)  # the team key it holds is the configured one


# --- speed ------------------------------------------------------------------------------------------------

def test_show_with_the_agent_skips_the_key_derivation(desk, daemon, capsys):
    """Prints `sealbox show` times with and without the agent (keys at the interactive cost
    of the test suite; the office default, moderate, costs about ten times more)."""
    case, _ = new_case(daemon, "Meldung für die Zeitmessung. " * 4)
    desk.ok("sync", passphrase=True)

    def timed(**kw) -> tuple[float, bytes]:
        start = time.perf_counter()
        out = desk.ok("show", case, "--json", **kw).stdout
        return time.perf_counter() - start, out

    without = [timed(passphrase=True) for _ in range(3)]
    desk.unlock()
    with_agent = [timed() for _ in range(3)]
    assert {out for _, out in without} == {out for _, out in with_agent}, "the same case, the same output"
    a = statistics.median(t for t, _ in without)
    b = statistics.median(t for t, _ in with_agent)
    with capsys.disabled():
        print(f"\n[unlock-agent] sealbox show: {a * 1000:.0f} ms with the passphrase, {b * 1000:.0f} ms with the agent "
              f"(ratio {a / b:.2f})")


# --- with key epochs: the member key and its grants ---------------------------------------------------------

@pytest.fixture(scope="module")
def team_office(keys, tmp_path_factory, module_daemons):
    """Lena (lead) and Anna with member keys; Lena starts epoch 1 with the team key."""
    import test_team_keys as ttk
    directory = tmp_path_factory.mktemp("unlock-grants")
    home = directory / "home"
    home.mkdir()
    lena = ttk.Member(directory, "Lena", keys.passphrase_file, home)
    anna = ttk.Member(directory, "Anna", keys.passphrase_file, home)
    made = e2e.run_cli(["recovery-keygen", "--office", "Testamt"], home=home)
    assert made.returncode == 0, made.stderr.decode()
    recovery = ttk.recovery_block(made.stdout.decode())
    office_daemon = module_daemons(SEALBOX_STAFF_LEADS=f"Lena={lena.text}",
                                   SEALBOX_CRYPTO_RECOVERY_PUBLIC_KEY=recovery["public"],
                                   SEALBOX_LIMITS_CODE_ATTEMPTS="1000")
    env = {"SEALBOX_SERVER": office_daemon.staff_url, "SEALBOX_STAFF_KEY": str(lena.key_file),
           "SEALBOX_STORE": str(directory / "store-lena"), "SEALBOX_TRUSTED_LEADS": lena.text,
           "SEALBOX_PASSPHRASE_FILE": str(keys.passphrase_file)}
    init = e2e.run_cli(["team", "init", "--counsellor", str(anna.pub_file), "--recovery-key", recovery["public"],
                        "--team-key", str(keys.team_key_file)], env=env, home=home)
    assert init.returncode == 0, init.stderr.decode()
    return office_daemon, lena, anna


@pytest.fixture
def member_desk(team_office, keys, tmp_path):
    office_daemon, lena, anna = team_office
    ws = ih.Workstation(tmp_path / "anna", office_daemon, keys)
    ws.home.mkdir()
    del ws.env["SEALBOX_TEAM_KEY"]
    ws.env["SEALBOX_STAFF_KEY"] = str(anna.key_file)
    ws.env["SEALBOX_TRUSTED_LEADS"] = lena.text
    runtime = Path(tempfile.mkdtemp(prefix="sbug-", dir="/tmp"))
    passphrase = ws.home / "passphrase"
    shutil.copy(keys.passphrase_file, passphrase)
    d = Desk(ws, runtime, passphrase)
    yield d
    d.run("lock")
    shutil.rmtree(runtime, ignore_errors=True)


def test_with_grants_the_agent_holds_the_member_key_and_commands_need_no_passphrase(member_desk, team_office):
    office_daemon, _, anna = team_office
    case, code = new_case(office_daemon, "Eine Meldung nach dem Beginn der Schlüsselepochen. " * 2)
    member_desk.ok("sync", passphrase=True)
    member_desk.unlock()
    status = raw_exchange(member_desk.socket_path, frame({"op": "status"}))
    assert status["source"] == "grants" and status["files"] == [str(anna.key_file)]
    assert status["signer"] == "sealbox-staff-v1:" + base64.urlsafe_b64encode(anna.sign_pk).decode().rstrip("=")
    member_desk.passphrase_file.unlink()

    assert "Schlüsselepochen" in json.loads(member_desk.ok("show", case, "--json").stdout)["items"][0]["text"]
    member_desk.ok("reply", case, "-", input="Antwort über den Agenten.".encode())
    member_desk.ok("note", case, "-", input="Notiz über den Agenten.".encode())
    member_desk.ok("code", case, "--ground", "religion", "--area", "work")
    member_desk.ok("sync")
    assert case in member_desk.ok("list").stdout.decode()
    member_desk.ok("stats")
    items = json.loads(member_desk.ok("show", case, "--json").stdout)["items"]
    assert [i["status"] for i in items] == ["ok"] * len(items) and {"reply", "note", "coding"} <= {i["kind"] for i in items}
    thread = ih.open_inbox(office_daemon, code).json()
    assert ("team", "Antwort über den Agenten.") in [(m["author"], m["text"]) for m in thread["messages"]]
    member_desk.ok("lock")
    locked = member_desk.run("show", case)
    assert locked.returncode != 0 and "a passphrase is needed" in locked.stderr.decode()
