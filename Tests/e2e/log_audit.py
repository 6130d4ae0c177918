"""The log audit of the whole end-to-end run (issue 8, "Leaks, proven"): every daemon a
test starts logs at `trace` (config/README.md, `log.level`), its stderr and stdout are
kept, and at the end one check scans all of them for what a log must never hold:

- every code a daemon showed and every code a client typed (grouped and digits only);
- every report text, follow-up and short field a client sent (`text`, `when`, `where`,
  `contact`), and attachment file names;
- client addresses (any IPv4 address outside the lines that announce a listener) and
  every user agent a client sent (`python-requests/…` included);
- the time of day: `HH:MM:SS`, ISO timestamps.

What was sent and shown is recorded by wrapping `requests.Session.send`, through which
every request of the `requests` library goes (module functions, sessions, and the
per-address sessions of inbox_helpers.client_at). Requests written to raw sockets are
not recorded; their markers are checked by the tests that send them (test_leaks.py).
Values shorter than MIN_NEEDLE characters are not searched for: "x" is in every log.

Set SEALBOX_E2E_LOG_AUDIT=0 to run the daemons at their configured level instead.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import requests

ENABLED = os.environ.get("SEALBOX_E2E_LOG_AUDIT", "1") != "0"
MIN_NEEDLE = 8
PREFIX = 32  # a text is also searched for by its first 32 characters, in case a log cuts it

CONTENT_FIELDS = ("text", "when", "where", "contact")
CODE_FIELDS = ("code",)
GROUPED_CODE = re.compile(r"(?<!\d)\d{4} \d{4} \d{4} \d{4}(?!\d)")
JSON_CODE = re.compile(r'"code"\s*:\s*"([0-9 ]{16,19})"')
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
TIME_OF_DAY = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3]):[0-5]\d:[0-5]\d(?!\d)")
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# The lines that announce a listener name its own address (sealboxd's stdout, Hummingbird's
# "Server started and listening on 127.0.0.1:PORT"): that address, and nothing else, is allowed.
LISTENER_LINE = re.compile(r"listener on http://|listening on ")
LISTENER_ADDRESS = re.compile(r"(?:listener on https?://|listening on )\S+")


@dataclass
class Secrets:
    """What the run sent to or received from a daemon that no log may hold."""
    codes: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    agents: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_code(self, code: str) -> None:
        digits = re.sub(r"\D", "", code)
        if len(digits) != 16:
            return
        with self.lock:
            self.codes.add(digits)
            self.codes.add(" ".join(digits[i:i + 4] for i in range(0, 16, 4)))

    def add_text(self, text: str) -> None:
        text = text.strip()
        if len(text) < MIN_NEEDLE:
            return
        with self.lock:
            self.texts.add(text[:PREFIX])
            if len(text) <= 200:
                self.texts.add(text)

    def add_agent(self, agent: str) -> None:
        if len(agent) >= MIN_NEEDLE:
            with self.lock:
                self.agents.add(agent)

    def needles(self) -> list[tuple[str, str]]:
        """(what, string) pairs, codes first."""
        with self.lock:
            return ([("a code", c) for c in sorted(self.codes)] + [("a sent text", t) for t in sorted(self.texts)]
                    + [("a user agent", a) for a in sorted(self.agents)])


SECRETS = Secrets()
DAEMONS: list = []  # every sealbox_e2e.Daemon made in this run, in order


# --- recording what is sent and shown ---------------------------------------------------------------------

def _fields_of(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a JSON, urlencoded or multipart body; file parts give
    their file name as ("filename", name)."""
    if not body:
        return []
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("application/json"):
        try:
            value = json.loads(text)
        except ValueError:
            return []
        return [(k, v) for k, v in value.items() if isinstance(v, str)] if isinstance(value, dict) else []
    if content_type.startswith("application/x-www-form-urlencoded"):
        return parse_qsl(text, keep_blank_values=False)
    if content_type.startswith("multipart/form-data"):
        out = []
        for head, value in re.findall(r'Content-Disposition: form-data; ([^\r\n]*)\r\n(?:[^\r\n]+\r\n)*\r\n(.*?)\r\n--',
                                      text, re.S):
            name = re.search(r'name="([^"]*)"', head)
            filename = re.search(r'filename="([^"]*)"', head)
            if filename:
                out.append(("filename", filename.group(1)))
            elif name:
                out.append((name.group(1), value))
        return out
    return []


def record_request(request: requests.PreparedRequest) -> None:
    agent = request.headers.get("User-Agent")
    if agent:
        SECRETS.add_agent(agent)
    body = request.body
    if isinstance(body, str):
        body = body.encode("utf-8", errors="replace")
    if not isinstance(body, (bytes, bytearray)) or len(body) > 4 << 20:
        return
    for name, value in _fields_of(bytes(body), request.headers.get("Content-Type", "")):
        if name in CODE_FIELDS:
            SECRETS.add_code(value)
        elif name in CONTENT_FIELDS or name == "filename":
            SECRETS.add_text(value)


def record_response(response: requests.Response) -> None:
    content_type = response.headers.get("Content-Type", "")
    if not content_type.startswith(("text/html", "application/json")):
        return
    if int(response.headers.get("Content-Length", "0") or 0) > 4 << 20:
        return
    text = response.text
    for match in GROUPED_CODE.findall(text):
        SECRETS.add_code(match)
    for match in JSON_CODE.findall(text):
        SECRETS.add_code(match)
    # The confirmation page shows the code as four <span> groups.
    groups = re.search(r'<span class="code-groups"[^>]*>(.*?)</span></p>', text, re.S)
    if groups:
        SECRETS.add_code("".join(re.findall(r"<span>(\d{4})</span>", groups.group(1))))


_original_send = requests.Session.send


def _recording_send(self, request, **kwargs):
    try:
        record_request(request)
    except Exception:  # recording must never change what a test sees
        pass
    response = _original_send(self, request, **kwargs)
    if not kwargs.get("stream"):
        try:
            record_response(response)
        except Exception:
            pass
    return response


def install() -> None:
    """Wraps requests.Session.send once (called from Tests/conftest.py)."""
    if ENABLED and requests.Session.send is not _recording_send:
        requests.Session.send = _recording_send


# --- the scan ---------------------------------------------------------------------------------------------

def find_leak(log: str, secrets: Secrets) -> str | None:
    """The first line of `log` that holds a secret, a client address or a time of day,
    described; None when the log is clean."""
    needles = secrets.needles()
    for number, line in enumerate(log.splitlines(), 1):
        for what, needle in needles:
            if needle in line:
                return f"line {number} holds {what} ({needle[:40]!r}): {line[:300]!r}"
        if not LISTENER_LINE.search(line):
            address = IPV4.search(line)
            if address:
                return f"line {number} holds a client address ({address.group(0)}): {line[:300]!r}"
        else:
            # The announcement names the listener's own address and nothing else.
            rest = LISTENER_ADDRESS.sub("", line)
            if IPV4.search(rest):
                return f"line {number} holds an address besides the listener's: {line[:300]!r}"
        moment = TIME_OF_DAY.search(line) or ISO_TIMESTAMP.search(line)
        if moment:
            return f"line {number} holds a time of day ({moment.group(0)}): {line[:300]!r}"
    return None


def audit(daemons: list, secrets: Secrets = SECRETS) -> tuple[int, int, str | None]:
    """(daemons with logs, log lines scanned, the first leak or None) over `daemons`."""
    scanned = lines = 0
    for daemon in daemons:
        if daemon.runs == 0:
            continue
        log = daemon.log_bytes().decode("utf-8", errors="replace")
        scanned += 1
        lines += log.count("\n")
        leak = find_leak(log, secrets)
        if leak:
            return scanned, lines, f"daemon in {daemon.workdir}: {leak}"
    return scanned, lines, None
