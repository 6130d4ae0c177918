"""Driving the real `sealbox desk` (issue 11, docs/design/DESK.md §4): start it as a
subprocess on a workstation, read the one-time start address it prints, and talk to it
over real HTTP like a browser would (the cookie, Origin and form tokens set by hand, so
that each check of the door can be left out on purpose)."""

from __future__ import annotations

import html
import re
import select
import signal
import subprocess
import time

import requests

import inbox_helpers as ih
import sealbox_e2e as e2e

START_LINE = re.compile(rb"open (http://127\.0\.0\.1:(\d+)/start\?s=([A-Za-z0-9_-]+))")

DESK_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class Desk:
    """One `sealbox desk --no-browser --port 0` process over a workstation's settings. The
    passphrase file setting is removed: the desk must be unlocked with the typed passphrase."""

    def __init__(self, ws: ih.Workstation, language: str = "en", **env: str):
        environment = {k: v for k, v in ws.env.items() if k != "SEALBOX_PASSPHRASE_FILE"}
        environment.update(env)
        full = e2e.clean_env(HOME=str(ws.home), XDG_CONFIG_HOME=str(ws.home / "config"),
                             XDG_DATA_HOME=str(ws.home / "data"), **environment)
        full.pop("DISPLAY", None)
        full.pop("WAYLAND_DISPLAY", None)
        self.language = language
        self.process = subprocess.Popen([str(e2e.SEALBOX), "desk", "--no-browser", "--port", "0"], env=full,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.output = b""
        deadline = time.monotonic() + 30
        match = None
        while match is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                chunk = self.process.stdout.readline()
                if not chunk:
                    break
                self.output += chunk
                match = START_LINE.search(self.output)
            elif self.process.poll() is not None:
                break
        assert match, f"sealbox desk printed no start address: {self.output!r} {self.stop()!r}"
        self.start_url = match.group(1).decode()
        self.port = int(match.group(2))
        self.secret = match.group(3).decode()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.cookie: str | None = None
        self.responses: list[requests.Response] = []

    def url(self, path: str) -> str:
        return self.origin + path

    def request(self, method: str, path: str, *, cookie: bool = True, origin: str | None = "own",
                headers: dict | None = None, **kw) -> requests.Response:
        """A request as the browser sends it: the session cookie, Origin on a POST, the language."""
        all_headers = {"Accept-Language": self.language}
        if cookie and self.cookie:
            all_headers["Cookie"] = f"sealbox_desk={self.cookie}"
        if method == "POST" and origin is not None:
            all_headers["Origin"] = self.origin if origin == "own" else origin
        all_headers.update(headers or {})
        response = requests.request(method, self.url(path), headers=all_headers, allow_redirects=False,
                                    timeout=60, **kw)
        self.responses.append(response)
        return response

    def get(self, path: str, **kw) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, data: dict | None = None, *, token: str | None = "auto", from_page: str | None = None,
             **kw) -> requests.Response:
        """A form post; with token "auto" the form token is read from the page `from_page` (default: the path's page)."""
        fields = dict(data or {})
        if token == "auto":
            token = self.form_token(path, from_page)
        if token is not None:
            fields["token"] = token
        return self.request("POST", path, data=fields, **kw)

    def form_token(self, path: str, page: str | None = None) -> str:
        """The token of the form posting to `path`, as the page shows it."""
        if page is None:
            page = "/" if path in ("/unlock", "/lock", "/sync") else path.rsplit("/", 1)[0]
        body = self.get(page).text
        match = re.search(r'action="' + re.escape(path) + r'"><input type="hidden" name="token" value="([^"]+)"', body)
        assert match, f"no form for {path} on {page}: {body[:500]}"
        return html.unescape(match.group(1))

    def enter(self) -> requests.Response:
        """Opens the start address and keeps the cookie."""
        response = self.get("/start?s=" + self.secret, cookie=False)
        assert response.status_code == 303, response.text
        match = re.match(r"sealbox_desk=([A-Za-z0-9_-]+);", response.headers["Set-Cookie"])
        assert match, response.headers["Set-Cookie"]
        self.cookie = match.group(1)
        return response

    def unlock(self, passphrase: str = e2e.PASSPHRASE) -> requests.Response:
        return self.post("/unlock", {"passphrase": passphrase})

    def stop(self) -> bytes:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        rest_out, rest_err = self.process.communicate()
        self.output += rest_out
        return self.output + rest_err


def wait_for(browser, predicate, what: str, seconds: float = 30):
    """Waits until `predicate()` holds in the browser, else fails naming `what` and the page.
    An element the predicate found going stale (the page was being replaced) counts as not yet."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (StaleElementReferenceException, NoSuchElementException):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen: {browser.current_url}\n{browser.page_source[:4000]}")
