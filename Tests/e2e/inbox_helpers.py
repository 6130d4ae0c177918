"""Helpers of the conversation tests (reporter inbox, replies, staff case actions):
reporter codes and the ways people type them, the inbox over JSON and over the web
pages (a visit's cookie and form token, parsed from the real pages), replies sealed
with PyNaCl from docs/PROTOCOL.md §3 and §9.1, signed staff writes, and a staff
workstation that drives the real `sealbox` CLI.

Nothing here imports Swift code: processes, HTTP, files and PyNaCl only.
"""

from __future__ import annotations

import base64
import datetime
import html.parser
import http.cookiejar
import json
import os
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nacl.bindings as nb
import requests
import requests.adapters

import sealbox_e2e as e2e

so = e2e.so
VISIT_COOKIE = "sealbox_visit"


# --- days ------------------------------------------------------------------------------------------

def today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """PROTOCOL §9.2: the same day of the month, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def feedback_due(received: str) -> str:
    return add_months(datetime.date.fromisoformat(received), 3).isoformat()


def acknowledgement_due(received: str) -> str:
    return (datetime.date.fromisoformat(received) + datetime.timedelta(days=7)).isoformat()


# --- codes -----------------------------------------------------------------------------------------

def with_check_digit(fifteen: str) -> str:
    """The 16-digit code whose last digit is the Damm check digit of `fifteen`."""
    assert len(fifteen) == 15 and fifteen.isdigit()
    code = fifteen + str(so.damm(fifteen))
    assert so.damm(code) == 0
    return code


def random_code(rng: random.Random | None = None) -> str:
    """A well-formed code (valid check digit), almost surely issued to no one."""
    rng = rng or random.SystemRandom()
    return with_check_digit("".join(str(rng.randrange(10)) for _ in range(15)))


def grouped(digits: str) -> str:
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


def in_digits(digits: str, zero: int) -> str:
    """`digits` written with the digits of the Unicode block starting at `zero`."""
    return "".join(chr(zero + int(d)) for d in digits)


FULL_WIDTH, ARABIC_INDIC, PERSIAN = 0xFF10, 0x0660, 0x06F0


def typed_variants(digits: str) -> dict[str, str]:
    """The same code as real people type or paste it (PROTOCOL §6 normalisation)."""
    g = [digits[i:i + 4] for i in range(0, 16, 4)]
    return {
        "plain-digits": digits,
        "grouped": " ".join(g),
        "dashes": "-".join(g),
        "unicode-dashes-and-minus": f"{g[0]}\u2010{g[1]}\u2013{g[2]}\u2212{g[3]}",
        "odd-spacing": f"  {g[0][:2]} {g[0][2:]}{g[1]}\t{g[2]}\u00a0{g[3]}\u3000\n",
        "full-width": "\u3000".join(in_digits(x, FULL_WIDTH) for x in g),
        "arabic-indic": " ".join(in_digits(x, ARABIC_INDIC) for x in g),
        "persian": "-".join(in_digits(x, PERSIAN) for x in g),
        "mixed-scripts": in_digits(g[0], FULL_WIDTH) + " " + in_digits(g[1], ARABIC_INDIC) + " "
                         + in_digits(g[2], PERSIAN) + " " + g[3],
    }


def single_digit_typos(digits: str, rng: random.Random) -> list[str]:
    """For every position, the code with that digit replaced by another."""
    out = []
    for i in range(16):
        wrong = rng.choice([d for d in "0123456789" if d != digits[i]])
        out.append(digits[:i] + wrong + digits[i + 1:])
    return out


def neighbour_swaps(digits: str) -> list[str]:
    return [digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:] for i in range(15) if digits[i] != digits[i + 1]]


# --- the inbox over JSON ------------------------------------------------------------------------------

def open_inbox(daemon: e2e.Daemon, code: str, **kw) -> requests.Response:
    return daemon.post("/api/v1/inbox", json={"code": code}, **kw)


def follow_up_json(daemon: e2e.Daemon, code: str, text: str, **kw) -> requests.Response:
    return daemon.post("/api/v1/inbox/messages", json={"code": code, "text": text}, **kw)


def follow_up_multipart(daemon: e2e.Daemon, code: str, text: str, files=(), **kw) -> requests.Response:
    body, ctype = e2e.multipart([("code", code), ("text", text)], [("attachment", *f) for f in files])
    headers = {"Content-Type": ctype, **kw.pop("headers", {})}
    return daemon.post("/api/v1/inbox/messages", data=body, headers=headers, **kw)


def error_code(response: requests.Response) -> str | None:
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


# --- the inbox over the web pages ---------------------------------------------------------------------

@dataclass
class Form:
    action: str
    method: str
    enctype: str
    inputs: list[dict] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        for attrs in self.inputs:
            if attrs.get("name") == name:
                return attrs.get("value", "")
        return None

    def names(self) -> list[str]:
        return [a.get("name") for a in self.inputs if a.get("name")]


class PageParser(html.parser.HTMLParser):
    """Every form (with its inputs), link, source and visible text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.urls: list[str] = []  # href, src, action, formaction, srcset, content of meta refresh
        self.text: list[str] = []
        self._form: Form | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        for name in ("href", "src", "action", "formaction", "srcset", "poster", "data"):
            if name in a:
                self.urls.append(a[name])
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.urls.append(a.get("content", ""))
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), a.get("enctype", ""))
            self.forms.append(self._form)
        elif tag in ("input", "textarea", "select", "button") and self._form is not None:
            self._form.inputs.append({"tag": tag, **a})
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse_page(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def visible_text(page: str) -> str:
    return " ".join(" ".join(parse_page(page).text).split())


def set_cookies(response: requests.Response) -> list[str]:
    """Every Set-Cookie header line, raw."""
    return list(response.raw.headers.getlist("Set-Cookie")) if response.raw is not None else []


def cookie_attributes(line: str) -> tuple[str, str, dict[str, str]]:
    """(name, value, {attribute lower-case: value}) of one Set-Cookie line."""
    first, *rest = [p.strip() for p in line.split(";")]
    name, _, value = first.partition("=")
    attrs = {}
    for part in rest:
        key, _, val = part.partition("=")
        attrs[key.strip().lower()] = val.strip()
    return name.strip(), value.strip(), attrs


def visit_cookie(response: requests.Response) -> tuple[str, dict[str, str]] | None:
    for line in set_cookies(response):
        name, value, attrs = cookie_attributes(line)
        if name == VISIT_COOKIE:
            return value, attrs
    return None


@dataclass
class Visit:
    """A reporter's visit opened through POST /inbox, as a browser holds it."""
    daemon: e2e.Daemon
    response: requests.Response
    cookie: str
    cookie_attrs: dict
    token: str
    page: PageParser

    @property
    def cookie_header(self) -> dict:
        return {"Cookie": f"{VISIT_COOKIE}={self.cookie}"}

    def form_with(self, field_name: str) -> Form:
        for form in self.page.forms:
            if field_name in form.names():
                return form
        raise AssertionError(f"no form with a field {field_name!r} on the thread page; forms: "
                             f"{[(f.action, f.names()) for f in self.page.forms]}")

    def follow_up(self, text: str, files=(), *, token: str | None = None, cookie: str | None = None,
                  send_cookie: bool = True, send_token: bool = True) -> requests.Response:
        fields = [("text", text)]
        if send_token:
            fields.append(("visit", self.token if token is None else token))
        body, ctype = e2e.multipart(fields, [("attachment", *f) for f in files])
        headers = {"Content-Type": ctype}
        if send_cookie:
            headers["Cookie"] = f"{VISIT_COOKIE}={self.cookie if cookie is None else cookie}"
        return self.daemon.post("/inbox/messages", data=body, headers=headers, allow_redirects=False)

    def leave(self, *, token: str | None = None) -> requests.Response:
        return self.daemon.post("/inbox/leave", data={"visit": self.token if token is None else token},
                                headers=self.cookie_header, allow_redirects=False)


def open_visit(daemon: e2e.Daemon, code: str, headers: dict | None = None) -> Visit:
    """POST /inbox with the code, as the code form does; asserts a thread page and a visit."""
    r = daemon.post("/inbox", data={"code": code}, headers=headers or {}, allow_redirects=False)
    assert r.status_code == 200, f"POST /inbox answered {r.status_code}: {r.text[:400]}"
    cookie = visit_cookie(r)
    assert cookie is not None, f"POST /inbox set no {VISIT_COOKIE} cookie: {set_cookies(r)}"
    page = parse_page(r.text)
    tokens = {f.value("visit") for f in page.forms if f.value("visit") is not None}
    assert len(tokens) == 1, f"expected one visit token in the thread page's forms, found {tokens}"
    return Visit(daemon, r, cookie[0], cookie[1], tokens.pop(), page)


# --- sealing replies with PyNaCl (PROTOCOL §3, §9.1) ------------------------------------------------

def seal_envelope(plaintext: bytes, kind: int, public_keys: list[bytes]) -> bytes:
    content_key = os.urandom(32)
    header = b"SBX1" + bytes([kind, len(public_keys)])
    for pk in public_keys:
        header += so.key_id(pk) + nb.crypto_box_seal(content_key, pk)
    nonce = os.urandom(24)
    padded = nb.sodium_pad(plaintext, so.bucket_size(len(plaintext)))
    return header + nonce + nb.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, header, nonce, content_key)


def reply_plaintext(case: str, text: str, day: str | None = None, *, seed: bytes | None = None) -> bytes:
    """A reply's plaintext; signed with the staff key `seed` as version 2 (PROTOCOL §3.3) when given,
    else an unsigned version 1, which a case reported since version 2 treats as forged."""
    content = {"v": 1, "type": "reply", "case": case, "day": day or today().isoformat(), "text": text,
               "attachments": []}
    if seed is not None:
        content = so.sign_item(content, seed)
    return json.dumps(content, ensure_ascii=False).encode()


def team_public_key(keys: e2e.Keys) -> bytes:
    return so.parse_key_text(keys.team_public_text, so.TEAM_PREFIX)


def staff_key_id(keys: e2e.Keys) -> str:
    return so.key_id(so.parse_key_text(keys.staff_public_text, so.STAFF_PREFIX)).hex()


def reporter_key_of(signer: e2e.StaffSigner, daemon: e2e.Daemon, keys: e2e.Keys, case: str) -> bytes:
    """The reporter key found inside the sealed report, opened with the team key (never the server's word)."""
    for item in signer.all_items(daemon):
        if item["case"] == case and item["kind"] == "report":
            kind, plaintext = so.open_envelope(e2e.unb64u(item["envelope"]), keys.team_secret)
            content = json.loads(plaintext)
            assert kind == "report" and content["case"] == case
            return so.unb64u(content["reporter_key"])
    raise AssertionError(f"no report of case {case} in the staff items")


def staff_send(signer: e2e.StaffSigner, daemon: e2e.Daemon, method: str, path: str,
               value: dict | None = None, body: bytes | None = None) -> requests.Response:
    if body is None:
        body = json.dumps(value).encode() if value is not None else b""
    headers = signer.headers(method, path, body)
    if body:
        headers["Content-Type"] = "application/json"
    return requests.request(method, daemon.staff_url + path, data=body, headers=headers, timeout=30)


def post_reply(signer, daemon, case: str, envelope: bytes) -> requests.Response:
    return staff_send(signer, daemon, "POST", f"/api/v1/staff/cases/{case}/replies",
                      {"envelope": e2e.b64u(envelope)})


def case_with_a_thread_of_three(daemon: e2e.Daemon, signer, keys: e2e.Keys) -> tuple[str, str]:
    """(case, code) of a new case whose thread is a report, a team reply and a follow-up."""
    r = daemon.post("/api/v1/reports", json={"text": "Zeitmessung " * 50})
    case, code = r.json()["case"], r.json()["code"]
    reporter = reporter_key_of(signer, daemon, keys, case)
    reply = seal_envelope(reply_plaintext(case, "Antwort " * 40, seed=signer.seed), 3, [reporter, team_public_key(keys)])
    assert post_reply(signer, daemon, case, reply).status_code == 201
    assert follow_up_json(daemon, code, "Nachtrag " * 40).status_code == 201
    return case, code


# --- a staff workstation with the real CLI ---------------------------------------------------------

class Workstation:
    """`sealbox` with every setting from the environment and its own XDG dirs."""

    def __init__(self, home: Path, daemon: e2e.Daemon, keys: e2e.Keys):
        self.home = home
        self.store = home / "store"
        self.env = {"SEALBOX_SERVER": daemon.staff_url, "SEALBOX_STAFF_KEY": str(keys.staff_key_file),
                    "SEALBOX_TEAM_KEY": str(keys.team_key_file), "SEALBOX_PASSPHRASE_FILE": str(keys.passphrase_file),
                    "SEALBOX_STORE": str(self.store)}

    def run(self, *args: str, input: bytes | None = None, env: dict | None = None):
        return e2e.run_cli(list(args), env={**self.env, **(env or {})}, home=self.home, input=input)

    def ok(self, *args: str, input: bytes | None = None):
        result = self.run(*args, input=input)
        assert result.returncode == 0, (f"sealbox {' '.join(args)} exited {result.returncode}:\n"
                                        f"{result.stderr.decode(errors='replace')}\n{result.stdout.decode(errors='replace')}")
        return result

    def json(self, *args: str, input: bytes | None = None):
        return json.loads(self.ok(*args, "--json", input=input).stdout)


# --- clients at other loopback addresses -------------------------------------------------------------

class _SourceAddressAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, source: str, **kw):
        self.source = source
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kw)


def client_at(address: str) -> requests.Session:
    """A session whose connections come from `address` (any 127.x.y.z works on Linux
    loopback), so that the daemon sees another client. It keeps no cookies."""
    session = requests.Session()
    session.mount("http://", _SourceAddressAdapter(address))
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return session


# --- rate-limit windows ------------------------------------------------------------------------------

def away_from_window_edge(seconds_needed: float, window: int) -> None:
    """Sleeps past the next wall-clock multiple of `window` seconds when fewer than
    `seconds_needed` remain before it, so that a burst of attempts lands in one window
    of the limiter (whose windows are aligned to Unix time)."""
    left = window - time.time() % window
    if left < seconds_needed:
        time.sleep(left + 0.2)


def find_bytes(haystack: bytes, needles: dict[str, bytes]) -> list[str]:
    return [name for name, needle in needles.items() if needle and needle in haystack]


DIGITS_RE = re.compile(r"\d")
