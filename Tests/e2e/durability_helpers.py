"""Helpers of the durability tests (kill sweep, I/O errors, backup, cost change,
deletion purge): the cheapest Argon2id cost so that many submissions and restarts fit
in a minute, multipart reports with an attachment, the receipts a reporter was shown,
and the check that each of them still opens its complete report through the inbox
JSON API. Processes, HTTP and files only."""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import sealbox_e2e as e2e

# The smallest cost libsodium accepts: the derivation is the same, only cheaper.
FAST = {
    "SEALBOX_CRYPTO_KDF_OPSLIMIT": "1",
    "SEALBOX_CRYPTO_KDF_MEMLIMIT": "8192",
    "SEALBOX_CRYPTO_KDF_QUEUE": "256",
    "SEALBOX_LIMITS_CODE_ATTEMPTS": "100000",
    "SEALBOX_LIMITS_CODE_ATTEMPTS_GLOBAL": "100000",
}


@dataclass
class Shown:
    """What one 201 showed a reporter, and what the report held."""
    case: str
    code: str
    text: str
    attachment: tuple[str, int] | None


def report_body(text: str, attachment: tuple[str, bytes] | None) -> tuple[bytes, str]:
    files = [("attachment", attachment[0], "application/octet-stream", attachment[1])] if attachment else []
    return e2e.multipart([("text", text)], files)


def post_in_pieces(daemon: e2e.Daemon, body: bytes, ctype: str, piece: int = 16384,
                   timeout: float = 30) -> tuple[int, dict | None]:
    """POSTs a report to /api/v1/reports in `piece`-byte writes (so that a kill can land
    while the body is still being read). Raises OSError/HTTPException when the daemon
    goes away."""
    host, port = daemon.public_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.putrequest("POST", "/api/v1/reports")
        connection.putheader("Content-Type", ctype)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        for start in range(0, len(body), piece):
            connection.send(body[start:start + piece])
        response = connection.getresponse()
        data = response.read()
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = None
        return response.status, parsed
    finally:
        connection.close()


def submit(daemon: e2e.Daemon, text: str, attachment: tuple[str, bytes] | None) -> tuple[int, Shown | None]:
    body, ctype = report_body(text, attachment)
    status, parsed = post_in_pieces(daemon, body, ctype)
    if status == 201:
        assert parsed and e2e.CODE_RE.match(parsed["code"]), parsed
        return status, Shown(parsed["case"], parsed["code"], text,
                             (attachment[0], len(attachment[1])) if attachment else None)
    assert parsed is None or "code" not in parsed, f"a {status} carried a code: {parsed}"
    return status, None


def opens_completely(daemon: e2e.Daemon, shown: Shown) -> str | None:
    """None when the code opens its case with the whole report; else what is wrong."""
    r = daemon.post("/api/v1/inbox", json={"code": shown.code})
    if r.status_code != 200:
        return f"{shown.case}: code answered {r.status_code}"
    thread = r.json()
    if thread["case"] != shown.case:
        return f"{shown.case}: code opened {thread['case']}"
    first = thread["messages"][0] if thread["messages"] else None
    if first is None or first["text"] != shown.text:
        return f"{shown.case}: report text missing or different"
    attachments = [(a["name"], a["size"]) for a in first["attachments"]]
    if attachments != ([shown.attachment] if shown.attachment else []):
        return f"{shown.case}: attachments {attachments} instead of {shown.attachment}"
    return None


def integrity(path: Path) -> str:
    connection = sqlite3.connect(str(path), timeout=30)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def storage_bytes(storage: Path) -> dict[str, bytes]:
    """The database file, its WAL and any journal."""
    return {p.name: p.read_bytes() for p in storage.iterdir() if p.name.startswith("sealbox.sqlite")}


def shown_missing(daemon: e2e.Daemon, shown: list[Shown]) -> list[str]:
    return [problem for s in shown if (problem := opens_completely(daemon, s))]


class Submitters:
    """`workers` threads that each submit reports with an attachment of `size` bytes,
    `rounds` times or until `stop()`; they keep every status and every receipt."""

    def __init__(self, daemon: e2e.Daemon, workers: int, size: int, label: str, rounds: int | None = None):
        self.statuses: list[int] = []
        self.shown: list[Shown] = []
        self._stop = threading.Event()

        def work(worker: int):
            n = 0
            while not self._stop.is_set() and (rounds is None or n < rounds):
                n += 1
                status, receipt = submit(daemon, f"{label} {worker}/{n}", ("scan.bin", os.urandom(size)))
                self.statuses.append(status)
                if receipt:
                    self.shown.append(receipt)

        self._threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 60) -> "Submitters":
        self._stop.set()
        return self.join(timeout)

    def join(self, timeout: float = 60) -> "Submitters":
        for thread in self._threads:
            thread.join(timeout)
        return self
