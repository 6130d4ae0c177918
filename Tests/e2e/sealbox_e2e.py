"""Shared machinery of the end-to-end tests: the real `sealboxd` on loopback, the
real `sealbox` CLI as a subprocess, the daemon's real SQLite file, and a PyNaCl
signer for the staff API (docs/PROTOCOL.md §7, via Tests/interop/sealbox_open.py).

Nothing here talks to the Swift code except through processes, HTTP and files.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

import log_audit
import sealbox_open as so  # PyNaCl readers written from PROTOCOL.md (Tests/interop)

REPO = Path(__file__).resolve().parents[2]

BIN = Path(os.environ.get("SEALBOX_BIN") or REPO / ".build" / "debug")
SEALBOXD = BIN / "sealboxd"
SEALBOX = BIN / "sealbox"

PASSPHRASE = "korrekt Pferd Batterie Heftklammer ü"
# libsodium's INTERACTIVE cost, the daemon's default for codes.
CODE_OPSLIMIT = 2
CODE_MEMLIMIT = 64 * 1024 * 1024

START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CASE_RE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$")
CODE_RE = re.compile(r"^\d{4} \d{4} \d{4} \d{4}$")


def clean_env(**extra: str) -> dict:
    """The process environment without any SEALBOX_* setting, plus `extra`."""
    # The CLI's labels follow LANG and its tables the terminal width (COLUMNS): English,
    # whole lines unless a test asks otherwise.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SEALBOX_") and k not in ("LANG", "LC_ALL", "LC_MESSAGES", "COLUMNS")}
    env.update({k: str(v) for k, v in extra.items()})
    return env


# --- keys ---------------------------------------------------------------------------------

@dataclass
class Keys:
    directory: Path
    passphrase_file: Path
    team_key_file: Path
    team_public_text: str
    staff_key_file: Path
    staff_public_text: str
    other_staff_key_file: Path  # a valid staff key that the daemons do not know
    other_staff_public_text: str
    _team_secret: bytes | None = None
    _staff_seed: bytes | None = None

    @property
    def passphrase(self) -> bytes:
        return PASSPHRASE.encode()

    @property
    def team_secret(self) -> bytes:
        if self._team_secret is None:
            self._team_secret, text = so.open_key_file(self.team_key_file.read_bytes(), self.passphrase, "team")
            assert text == self.team_public_text
        return self._team_secret

    @property
    def staff_seed(self) -> bytes:
        if self._staff_seed is None:
            self._staff_seed, text = so.open_key_file(self.staff_key_file.read_bytes(), self.passphrase, "staff")
            assert text == self.staff_public_text
        return self._staff_seed


def run_cli(args: list[str], *, env: dict | None = None, home: Path | None = None, timeout: float = 120,
            input: bytes | None = None) -> subprocess.CompletedProcess:
    """Runs the real `sealbox` with an isolated XDG environment."""
    environment = clean_env()
    if home is not None:
        environment.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    if env:
        environment.update(env)
    return subprocess.run([str(SEALBOX), *args], env=environment, capture_output=True, timeout=timeout,
                          input=input if input is not None else b"", check=False)


def keygen(kind: str, out: Path, passphrase_file: Path, home: Path) -> str:
    """`sealbox keygen --team` (kind "keygen": the team key) / `staff-keygen` at the interactive cost;
    returns the printed public key text."""
    team = ["--team"] if kind == "keygen" else []
    result = run_cli([kind, *team, "--out", str(out), "--passphrase-file", str(passphrase_file), "--kdf-cost", "interactive"],
                     home=home)
    assert result.returncode == 0, f"sealbox {kind} failed ({result.returncode}): {result.stderr.decode(errors='replace')}"
    lines = result.stdout.decode().strip().splitlines()
    assert lines, f"sealbox {kind} printed nothing"
    return lines[-1].strip()


def make_keys(directory: Path) -> Keys:
    directory.mkdir(parents=True, exist_ok=True)
    passphrase_file = directory / "passphrase"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    passphrase_file.chmod(0o600)
    home = directory / "home"
    home.mkdir(exist_ok=True)
    team = keygen("keygen", directory / "team.key", passphrase_file, home)
    staff = keygen("staff-keygen", directory / "staff.key", passphrase_file, home)
    other = keygen("staff-keygen", directory / "other-staff.key", passphrase_file, home)
    return Keys(directory, passphrase_file, directory / "team.key", team, directory / "staff.key", staff,
                directory / "other-staff.key", other)


# --- the daemon ---------------------------------------------------------------------------------

class Daemon:
    """One `sealboxd` process on free loopback ports, with its stdout and stderr kept
    (and scanned at the end of the run by log_audit.py)."""

    def __init__(self, keys: Keys, workdir: Path, storage: Path | None = None, **settings: str):
        self.keys = keys
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.storage = storage or workdir / "data"
        self.settings = settings
        self.process: subprocess.Popen | None = None
        self.public_url = ""
        self.staff_url = ""
        self.stdout_lines: list[str] = []
        self.runs = 0
        # Run the daemon through this command (e.g. bwrap and strace, test_unit_sandbox.py).
        self.wrapper: list[str] = []
        self._reader: threading.Thread | None = None
        log_audit.DAEMONS.append(self)

    # paths
    @property
    def db_path(self) -> Path:
        return self.storage / "sealbox.sqlite"

    @property
    def tmp_dir(self) -> Path:
        return self.storage / "tmp"

    @property
    def stderr_path(self) -> Path:
        return self.workdir / f"stderr-{self.runs}.log"

    def env(self) -> dict:
        values = {
            "SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": self.keys.team_public_text,
            "SEALBOX_STAFF_KEYS": self.keys.staff_public_text,
            "SEALBOX_STORAGE_PATH": str(self.storage),
            "SEALBOX_PUBLIC_LISTEN": "127.0.0.1:0",
            "SEALBOX_STAFF_LISTEN": "127.0.0.1:0",
            # Every test client is 127.0.0.1 and the suite sends many reports: the
            # submission budgets are tested with their own settings (test_submission_limits.py).
            "SEALBOX_LIMITS_SUBMISSIONS": "100000",
            "SEALBOX_LIMITS_SUBMISSIONS_GLOBAL": "100000",
            # Many tests fill the key-derivation pool on purpose to see 503; codes derived
            # ahead would serve those submissions. The code pool has its own test.
            "SEALBOX_CRYPTO_CODE_POOL": "0",
            # The privacy notice (/privacy) needs them; without them the daemon refuses to start.
            "SEALBOX_OFFICE_CONTROLLER": "Region Musterstadt, Fachbereich Gleichstellung, Musterweg 1, 30000 Musterstadt",
            "SEALBOX_OFFICE_DATA_PROTECTION_CONTACT": "Datenschutzbeauftragte der Region Musterstadt, datenschutz@example.org",
        }
        if log_audit.ENABLED:
            # The most verbose level, so that the audit at the end of the run (log_audit.py)
            # sees everything any level could log; a test may still choose its own.
            values["SEALBOX_LOG_LEVEL"] = "trace"
        values.update(self.settings)
        return clean_env(**{k: v for k, v in values.items() if v is not None})

    def start(self) -> "Daemon":
        assert self.process is None or self.process.poll() is not None, "already running"
        self.runs += 1
        self.public_url = self.staff_url = ""
        stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen([*self.wrapper, str(SEALBOXD)], env=self.env(), stdout=subprocess.PIPE, stderr=stderr,
                                        stdin=subprocess.DEVNULL, cwd=self.workdir)
        stderr.close()
        announced = threading.Event()

        def read(process=self.process):
            for raw in process.stdout:
                line = raw.decode("utf-8", errors="replace")
                self.stdout_lines.append(line)
                match = re.match(r"sealboxd: (public|staff) listener on (http://\S+/)", line)
                if match:
                    if match.group(1) == "public":
                        self.public_url = match.group(2).rstrip("/")
                    else:
                        self.staff_url = match.group(2).rstrip("/")
                    if self.public_url and self.staff_url:
                        announced.set()
            announced.set()

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        announced.wait(START_TIMEOUT)
        if not (self.public_url and self.staff_url):
            code = self.process.poll()
            if code is None:
                self.process.kill()
                self.process.wait()
            raise AssertionError(f"sealboxd did not announce its listeners (exit {code}); stderr:\n{self.stderr()}")
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int:
        """Sends `sig` and returns the exit status (raises when it does not exit in time)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"sealboxd did not exit within {timeout} s of signal {sig}")
        if self._reader:
            self._reader.join(5)
        return self.process.returncode

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()
        if self._reader:
            self._reader.join(5)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stderr(self) -> str:
        """Everything the daemon logged, over all its runs."""
        out = []
        for run in range(1, self.runs + 1):
            path = self.workdir / f"stderr-{run}.log"
            if path.exists():
                out.append(path.read_bytes().decode("utf-8", errors="replace"))
        return "".join(out)

    def log_bytes(self) -> bytes:
        data = b"".join((self.workdir / f"stderr-{run}.log").read_bytes()
                        for run in range(1, self.runs + 1) if (self.workdir / f"stderr-{run}.log").exists())
        return data + "".join(self.stdout_lines).encode()

    # HTTP
    def url(self, path: str) -> str:
        return self.public_url + path

    def get(self, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 30)
        return requests.get(self.url(path), **kw)

    def post(self, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 60)
        return requests.post(self.url(path), **kw)

    def healthy(self) -> bool:
        try:
            return requests.get(self.url("/healthz"), timeout=10).text == "ok\n"
        except requests.RequestException:
            return False

    # storage
    def db(self) -> sqlite3.Connection:
        connection = sqlite3.connect(str(self.db_path), timeout=30)
        connection.row_factory = sqlite3.Row
        return connection

    def counts(self) -> dict:
        with self.db() as connection:
            result = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                      for table in ("cases", "items", "attachments")}
        connection.close()
        return result

    def tmp_files(self) -> list[str]:
        return sorted(os.listdir(self.tmp_dir)) if self.tmp_dir.exists() else []

    def wait_tmp_empty(self, timeout: float = 10.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.tmp_files():
                return []
            time.sleep(0.05)
        return self.tmp_files()


def start_refused(keys: Keys, workdir: Path, **settings: str) -> subprocess.CompletedProcess:
    """Runs sealboxd with `settings` expecting it to refuse to start."""
    env = Daemon(keys, workdir, **settings).env()
    try:
        result = subprocess.run([str(SEALBOXD)], env=env, capture_output=True, timeout=20, cwd=workdir)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError("sealboxd started although it should have refused") from exc
    return result


# --- submissions ---------------------------------------------------------------------------------

def multipart(fields: list[tuple[str, str | bytes]] = (), files: list[tuple[str, str | bytes, str, bytes]] = (),
              boundary: str | None = None) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it (UTF-8 file names, raw).

    `files` are (field name, file name, content type, content). Returns (body, content type).
    """
    boundary = boundary or "----sealboxE2E" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += f"--{boundary}\r\n".encode()
        out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value if isinstance(value, bytes) else value.encode("utf-8")
        out += b"\r\n"
    for name, filename, ctype, content in files:
        fname = filename if isinstance(filename, bytes) else filename.replace('"', "%22").encode("utf-8")
        out += f"--{boundary}\r\n".encode()
        out += f'Content-Disposition: form-data; name="{name}"; filename="'.encode() + fname + b'"\r\n'
        out += f"Content-Type: {ctype}\r\n\r\n".encode()
        out += content
        out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def report_fields(report: dict) -> list[tuple[str, str]]:
    fields = [("text", report["text"])]
    fields += [("grounds", g) for g in report.get("grounds", [])]
    for key in ("area", "when", "where", "contact"):
        if key in report:
            fields.append((key, report[key]))
    return fields


def parse_confirmation(html: str) -> tuple[str, str]:
    """(case reference, grouped code) from the confirmation page."""
    groups = re.search(r'<span class="code-groups"[^>]*>(.*?)</span></p>', html, re.S)
    assert groups, "no code on the confirmation page"
    code = " ".join(re.findall(r"<span>(\d{4})</span>", groups.group(1)))
    case = re.search(r'<span class="case-reference"[^>]*>([^<]+)</span>', html)
    assert case, "no case reference on the confirmation page"
    return case.group(1), code


def code_digits(grouped: str) -> str:
    return grouped.replace(" ", "")


# --- the staff API from Python ---------------------------------------------------------------------

class StaffSigner:
    """Signs staff requests as PROTOCOL §7 says (sealbox_open.sign_request)."""

    def __init__(self, seed: bytes):
        self.seed = seed

    @staticmethod
    def nonce() -> str:
        return so.b64u(os.urandom(16))

    def headers(self, method: str, path: str, body: bytes = b"", timestamp: int | None = None,
                nonce: str | None = None) -> dict:
        return so.sign_request(self.seed, method, path, body, int(time.time()) if timestamp is None else timestamp,
                               nonce or self.nonce())

    def get(self, daemon: Daemon, path: str, **kw) -> requests.Response:
        return requests.get(daemon.staff_url + path, headers=self.headers("GET", path), timeout=30, **kw)

    def all_items(self, daemon: Daemon) -> list[dict]:
        items, after = [], None
        while True:
            path = "/api/v1/staff/items?limit=100" + (f"&after={after}" if after else "")
            response = self.get(daemon, path)
            assert response.status_code == 200, response.text
            page = response.json()
            if not page["items"]:
                return items
            items += page["items"]
            after = page["next"]


def raw_http(host_url: str, head: bytes, body_parts: list[bytes] = (), *, read_timeout: float = 10,
             close_after_send: bool = False) -> tuple[bytes, float]:
    """Sends a raw request and returns (response bytes, seconds until the first response byte)."""
    host, port = host_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=read_timeout)
    started = time.monotonic()
    try:
        sock.sendall(head)
        for part in body_parts:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break
        if close_after_send:
            sock.close()
            return b"", 0.0
        sock.settimeout(read_timeout)
        data = b""
        first = None
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                if first is None:
                    first = time.monotonic() - started
                data += chunk
                if b"\r\n\r\n" in data:
                    header, _, rest = data.partition(b"\r\n\r\n")
                    match = re.search(rb"(?i)content-length:\s*(\d+)", header)
                    if match and len(rest) >= int(match.group(1)):
                        break
        except (ConnectionResetError, socket.timeout):
            pass
        return data, (first if first is not None else time.monotonic() - started)
    finally:
        try:
            sock.close()
        except OSError:
            pass


def status_of(raw: bytes) -> int:
    match = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    assert match, f"not an HTTP response: {raw[:200]!r}"
    return int(match.group(1))


def envelope_bucket(envelope: bytes) -> int:
    """The padded plaintext size an envelope carries (PROTOCOL §3: header, nonce, AEAD tag)."""
    count = envelope[5]
    return len(envelope) - (6 + 88 * count) - 24 - 16


def expected_blob_size(plaintext_size: int, recipients: int = 1) -> int:
    """PROTOCOL §4: magic, count, recipients, stream header, full chunks and a FINAL chunk."""
    full, last = divmod(plaintext_size, 65536)
    return 5 + 88 * recipients + 24 + full * (65536 + 17) + last + 17


def all_files(directory: Path) -> list[Path]:
    return [Path(root) / name for root, _, names in os.walk(directory) for name in names]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64u(data: bytes) -> str:
    """Base64url without padding: the one flavour of the APIs' binary fields (PROTOCOL §0)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
