"""The desk for counsellors who do not use a mouse or who see differently (issue 11
"Standards"): the daily routine with the keyboard alone (open the inbox, read a case,
reply, set the status), a visible focus on every stop, 200 % zoom and 400 % (320 CSS px)
without the page scrolling sideways (a data table may scroll inside its own region, the
exception WCAG 1.4.10 makes for tables), and forced colours with reduced motion, in
German and English, in headless Chromium against the real `sealbox desk` and daemon."""

from __future__ import annotations


import pytest

import a11y_helpers as a11y
import desk_helpers as dh
import sealbox_e2e as e2e

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")

LANGUAGES = ("de", "en")
REPORT = "Die Vermieterin sagte am Telefon, an Menschen mit meinem Namen vermiete sie nicht."

# The page's own horizontal overflow, not counting what scrolls inside a table's region.
PAGE_OVERFLOW_JS = """
const root = document.documentElement;
return [root.scrollWidth, root.clientWidth];
"""


@pytest.fixture(scope="module")
def office(daemon, workstation_factory):
    ws = workstation_factory(daemon)
    cases = {}
    for language in LANGUAGES:
        r = daemon.post("/api/v1/reports", json={"text": f"{REPORT} ({language})", "when": "gestern"})
        assert r.status_code == 201, r.text
        cases[language] = (r.json()["case"], r.json()["code"])
    ws.ok("sync")
    return ws, cases


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()


@pytest.fixture
def signed_in(office, browser, request):
    """A desk in `request.param` language, entered and unlocked in the browser."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    ws, cases = office
    language = request.param
    desk = dh.Desk(ws, language=language, SEALBOX_DESK_LANGUAGE=language)
    try:
        a11y.set_viewport(browser, None)
        a11y.emulate_media(browser, None)
        browser.delete_all_cookies()
        browser.get(desk.start_url)
        desk.cookie = {c["name"]: c["value"] for c in browser.get_cookies()}["sealbox_desk"]
        browser.find_element(By.ID, "passphrase").send_keys(e2e.PASSPHRASE + Keys.ENTER)
        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.TAG_NAME, "caption"))
        yield desk, language, cases[language]
    finally:
        a11y.set_viewport(browser, None)
        a11y.emulate_media(browser, None)
        desk.stop()




@needs_browser
@pytest.mark.parametrize("signed_in", LANGUAGES, indirect=True)
def test_the_daily_routine_works_with_the_keyboard_alone(signed_in, browser, daemon):
    """Inbox → case → reply → status, with Tab, typing and Enter only; then the reporter
    reads the reply with the code, so the keyboard really sent it."""
    from selenium.webdriver.common.keys import Keys

    desk, language, (case, code) = signed_in
    a11y.fresh_start(browser, desk.url("/"))
    # The first stop is the skip link; the case is reached by Tab from the top.
    first = a11y.press_tab(browser)
    assert "skip" in (first.get_attribute("class") or ""), f"first Tab stop: {a11y.describe(browser, first)}"
    a11y.tab_until(browser, lambda e: e.tag_name == "a" and e.text.strip() == case)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    dh.wait_for(browser, lambda: REPORT in browser.page_source, "opening the case with Enter")
    assert browser.current_url == desk.url(f"/cases/{case}")

    reply = f"Danke, wir melden uns. Tastatur {language}."
    a11y.tab_until(browser, lambda e: e.get_attribute("id") == "reply")
    browser.switch_to.active_element.send_keys(reply)
    # Past "Preview" to "Send the reply".
    a11y.tab_until(browser, lambda e: e.tag_name == "button" and e.get_attribute("value") == "send")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    dh.wait_for(browser, lambda: "done=reply" in browser.current_url, "sending the reply with Enter")
    assert reply in browser.page_source

    # The status: Tab to the select, Arrow keys choose, Tab to its button, Enter.
    a11y.fresh_start(browser, browser.current_url)
    status = a11y.tab_until(browser, lambda e: e.get_attribute("id") == "status")
    assert status, "the status select is not reachable by Tab"
    before = browser.switch_to.active_element.get_attribute("value")
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    chosen = browser.switch_to.active_element.get_attribute("value")
    assert chosen != before, f"Arrow Down did not change the status select ({before})"
    a11y.tab_until(browser, lambda e: e.tag_name == "button")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    dh.wait_for(browser, lambda: "done=status" in browser.current_url, "setting the status with Enter")

    # The reporter reads the reply and the new status with the code.
    r = daemon.post("/api/v1/inbox", json={"code": code})
    assert r.status_code == 200, r.text
    body = r.json()
    assert ("team", reply) in [(m["author"], m["text"]) for m in body["messages"]]
    assert body["status"] == chosen, (body["status"], chosen)


@needs_browser
@pytest.mark.parametrize("signed_in", LANGUAGES, indirect=True)
def test_every_focusable_element_of_the_desk_shows_its_focus(signed_in, browser):
    desk, _, (case, _) = signed_in
    problems = []
    for path in ("/", f"/cases/{case}"):
        a11y.fresh_start(browser, desk.url(path))
        stops, invisible = a11y.focus_walk(browser)
        if len(stops) < 4:
            problems.append(f"{path}: only {stops} reachable by Tab")
        problems += [f"{path}: no visible focus on {s}" for s in invisible]
    assert not problems, "\n".join(problems)


VIEWPORTS = {"200pct-zoom-of-1280": (640, 450, 2), "400pct-zoom-of-1280": (320, 225, 4)}


@needs_browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("signed_in", LANGUAGES, indirect=True)
def test_the_desk_reflows_when_zoomed(signed_in, viewport, browser):
    """At 200 % and 400 % zoom of a 1280 px window nothing but a table's own region
    scrolls sideways, and every page still shows its main heading and its forms."""
    desk, _, (case, _) = signed_in
    width_px, height_px, scale = VIEWPORTS[viewport]
    problems = []
    a11y.set_viewport(browser, width_px, height_px, scale)
    for path in ("/", f"/cases/{case}"):
        browser.get(desk.url(path))
        width, client = browser.execute_script(PAGE_OVERFLOW_JS)
        assert client <= width_px, f"the viewport is {client} CSS px wide, not {width_px}"
        if width > client:
            problems.append(f"{path}: scrollWidth {width} > clientWidth {client}; too wide: "
                            f"{browser.execute_script(a11y.WIDE_ELEMENTS_JS)}")
        # A table wider than the viewport must sit in a focusable, labelled scroll region.
        wide_tables = browser.execute_script("""
            return [...document.querySelectorAll('table')].filter(t => t.scrollWidth > innerWidth).map(t => {
              const region = t.closest('.table-scroll');
              return region && region.tabIndex === 0 && region.getAttribute('role') === 'region'
                     && region.getAttribute('aria-labelledby') ? null : (t.id || t.className || 'table');
            }).filter(x => x);""")
        if wide_tables:
            problems.append(f"{path}: tables wider than the screen outside a focusable scroll region: {wide_tables}")
    assert not problems, f"at {viewport}:\n" + "\n".join(problems)


FORCED_AND_REDUCED = {"forced-colors": "active", "prefers-reduced-motion": "reduce"}


@needs_browser
@pytest.mark.parametrize("signed_in", LANGUAGES, indirect=True)
def test_forced_colours_and_reduced_motion_on_the_desk(signed_in, browser):
    """Windows High Contrast and "reduce motion" emulated: axe finds no violation, nothing
    moves, and the legal clock and the checks still speak in words (not colour alone)."""
    desk, _, (case, _) = signed_in
    problems = []
    a11y.emulate_media(browser, FORCED_AND_REDUCED)
    for path in ("/", f"/cases/{case}"):
        browser.get(desk.url(path))
        matches = browser.execute_script(a11y.MEDIA_MATCHES_JS, ["(forced-colors: active)", "(prefers-reduced-motion: reduce)"])
        assert all(matches.values()), f"the emulation did not take: {matches}"
        moving = browser.execute_script(a11y.MOTION_JS)
        if moving:
            problems.append(f"{path}: transition or animation under reduced motion: {moving[:5]}")
        result = a11y.run_axe(browser)
        if result["violations"]:
            problems.append(f"{path}: axe-core {result['version']}:\n" + "\n".join(a11y.describe_violations(result["violations"])))
        # Every coloured signal carries text of its own.
        silent = browser.execute_script("""
            return [...document.querySelectorAll('.clock-overdue, .clock-due, .check-ok, .check-warn, .check-bad, .new')]
              .filter(e => !e.textContent.trim() && !e.getAttribute('aria-label')).map(e => e.className);""")
        if silent:
            problems.append(f"{path}: signals without words: {silent}")
    assert not problems, "\n".join(problems)
