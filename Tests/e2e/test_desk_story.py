"""The desk's whole story in a real browser (issue 11 "Standards"): a reporter writes a
report on the reporters' web form, a counsellor syncs on the desk, reads it, replies
from a template in the reporter's language, codes it, writes a note and sets the status;
the reporter reads the reply with her code on the reporters' pages; a second counsellor
sees the note and the coding on his own desk; the statistics page counts the case and
suppresses the small cells. Headless Chromium drives the real `sealbox desk` of two
workstations against one real daemon; every page is clicked, typed and submitted like
a person would."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import a11y_helpers as a11y
import desk_helpers as dh
import inbox_helpers as ih
import sealbox_e2e as e2e

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")

REPORT = "Im Fitnessstudio hat man mir wegen meines Kopftuchs den Vertrag verweigert."


@pytest.fixture(scope="module")
def daemon(module_daemons, keys):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000",
                          SEALBOX_STAFF_KEYS=keys.staff_public_text + "," + keys.other_staff_public_text)


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory, keys) -> ih.Workstation:
    ws = workstation_factory(daemon)
    ws.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.other_staff_public_text
    return ws


@pytest.fixture(scope="module")
def ben(daemon, workstation_factory, keys) -> ih.Workstation:
    ws = workstation_factory(daemon)
    ws.env["SEALBOX_STAFF_KEY"] = str(keys.other_staff_key_file)
    ws.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.staff_public_text
    return ws


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()




def sign_in(browser, ws: ih.Workstation, language: str = "en") -> dh.Desk:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    desk = dh.Desk(ws, language=language, SEALBOX_DESK_LANGUAGE=language)
    browser.delete_all_cookies()
    browser.get(desk.start_url)
    desk.cookie = {c["name"]: c["value"] for c in browser.get_cookies()}["sealbox_desk"]
    browser.find_element(By.ID, "passphrase").send_keys(e2e.PASSPHRASE + Keys.ENTER)
    dh.wait_for(browser, lambda: not browser.find_elements(By.ID, "passphrase") and browser.find_elements(By.TAG_NAME, "h1"),
             "signing in")
    return desk


SCREENSHOT_DIR = Path(os.environ.get("SEALBOX_SCREENSHOTS", Path(__file__).resolve().parents[2] / ".build" / "screenshots"))


def save_screenshot(browser, name: str, max_height: int = 1400):
    """Saves the top of the page as it is now (1280 px wide) to SCREENSHOT_DIR, for the
    README (docs/screenshots holds a copy of each)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOT_DIR / f"{name}.png"
    height = browser.execute_script(f"return Math.min(document.documentElement.scrollHeight, {max_height})")
    a11y.set_viewport(browser, 1280, height)
    try:
        assert browser.save_screenshot(str(target)), name
    finally:
        a11y.set_viewport(browser, None)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def submit(browser, form_action: str):
    """Clicks the submit button of the form posting to `form_action`."""
    from selenium.webdriver.common.by import By
    browser.find_element(By.CSS_SELECTOR, f'form[action="{form_action}"] button[type="submit"]').click()


@needs_browser
def test_a_report_is_read_answered_coded_and_counted(daemon, anna, ben, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    # 0. Earlier: six cases of racism in housing and six of age at work, coded by Anna on the command line.
    earlier = []
    for n in range(12):
        r = daemon.post("/api/v1/reports", json={"text": f"Eine frühere Meldung ({n}): abgelehnt wegen Name oder Alter."})
        assert r.status_code == 201, r.text
        earlier.append(r.json()["case"])
    anna.ok("sync")
    for n, earlier_case in enumerate(earlier):
        ground, area = ("racism", "housing") if n % 2 else ("age", "work")
        anna.ok("code", earlier_case, "--ground", ground, "--area", area)

    # 1. The reporter writes on the reporters' web form, in English, and keeps her code.
    browser.delete_all_cookies()
    browser.get(daemon.url("/report?lang=en"))
    browser.find_element(By.ID, "field-text").send_keys(REPORT)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    dh.wait_for(browser, lambda: browser.find_elements(By.CSS_SELECTOR, ".code-groups"), "the confirmation")
    code = " ".join(s.text.strip() for s in browser.find_elements(By.CSS_SELECTOR, ".code-groups span")
                    if re.fullmatch(r"\d{4}", s.text.strip()))
    case = browser.find_element(By.CSS_SELECTOR, ".case-reference").text.strip()
    assert len(code) == 19 and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", case), (code, case)

    # 2. Anna syncs on her desk: the case appears in the inbox, marked as waiting for an answer.
    desk = sign_in(browser, anna)
    try:
        submit(browser, "/sync")
        dh.wait_for(browser, lambda: case in browser.page_source, "the synced case in the inbox")
        save_screenshot(browser, "desk-inbox-en")
        browser.find_element(By.LINK_TEXT, case).click()
        dh.wait_for(browser, lambda: REPORT in browser.page_source, "the case page")
        save_screenshot(browser, "desk-case-en")
        assert "English" in browser.page_source or "(en)" in browser.page_source, "the reporter's language is not named"

        # 3. A reply from the acknowledgement template, in the reporter's language (English),
        #    previewed as the reporter will see it, then sent.
        Select(browser.find_element(By.ID, "template")).select_by_value("acknowledgement")
        browser.find_element(By.CSS_SELECTOR, f'form[method="get"][action="/cases/{case}"] button').click()
        dh.wait_for(browser, lambda: "template=acknowledgement" in browser.current_url
                    and browser.find_element(By.ID, "reply").get_attribute("value").strip(), "the template text")
        reply = browser.find_element(By.ID, "reply").get_attribute("value")
        assert "Thank" in reply or "received" in reply, f"the template is not English: {reply!r}"
        browser.find_element(By.CSS_SELECTOR, f'form[action="/cases/{case}/reply"] button[value="preview"]').click()
        dh.wait_for(browser, lambda: browser.find_elements(By.CSS_SELECTOR, ".reporter-view"), "the preview")
        assert reply.strip().splitlines()[0] in browser.find_element(By.CSS_SELECTOR, ".reporter-view").text
        save_screenshot(browser, "desk-reply-en", max_height=1750)
        browser.find_element(By.CSS_SELECTOR, f'form[action="/cases/{case}/reply"] button[value="send"]').click()
        dh.wait_for(browser, lambda: "done=reply" in browser.current_url, "sending the reply")

        # 4. The coding: a ground and an area, through the coding form.
        browser.find_element(By.ID, "caseforms-code-grounds-religion").click()
        browser.find_element(By.ID, "caseforms-code-area-leisure").click()
        submit(browser, f"/cases/{case}/code")
        dh.wait_for(browser, lambda: "caseforms=coded" in browser.current_url, "saving the coding")

        # 5. A note for the team and the status "in progress".
        browser.find_element(By.ID, "note").send_keys("Notiz: Studio anschreiben, Frist notieren.")
        submit(browser, f"/cases/{case}/note")
        dh.wait_for(browser, lambda: "done=note" in browser.current_url, "saving the note")
        Select(browser.find_element(By.ID, "status")).select_by_value("in-progress")
        submit(browser, f"/cases/{case}/status")
        dh.wait_for(browser, lambda: "done=status" in browser.current_url, "setting the status")
    finally:
        desk.stop()

    # 6. The reporter reads the reply with her code on the reporters' pages.
    browser.delete_all_cookies()
    browser.get(daemon.url("/inbox?lang=en"))
    browser.find_element(By.ID, "field-code").send_keys(code, Keys.ENTER)
    first_line = reply.strip().splitlines()[0]
    dh.wait_for(browser, lambda: first_line in browser.page_source, "the reply on the reporter's thread")
    assert "Notiz" not in browser.page_source, "the reporter sees the team's note"

    # 7. Ben, on his own store and desk, sees Anna's note and coding with her signature checked.
    desk = sign_in(browser, ben)
    try:
        submit(browser, "/sync")
        dh.wait_for(browser, lambda: case in browser.page_source, "the case on Ben's desk")
        browser.get(desk.url(f"/cases/{case}"))
        page = browser.page_source
        assert "Studio anschreiben" in page, "Ben does not see Anna's note"
        assert "religion" in page.lower() or "Religion" in page, "Ben does not see the coding"
        assert "check-bad" not in page, "an item of the thread failed its check on Ben's desk"

        # 8. The statistics count thirteen coded cases: religion (1, this case) is suppressed
        #    as "< 5", and so is one of the two sixes (secondary suppression: the total would
        #    reveal it); the other six is shown; no count of 1 appears anywhere on the page.
        browser.get(desk.url("/statistics"))
        stats = browser.page_source
        save_screenshot(browser, "desk-statistics-en")
        assert "&lt; 5" in stats or "< 5" in stats, "small cells are not suppressed"
        assert re.search(r">\s*6\s*<", stats), "the six racism or age cases are not counted"
        assert re.search(r">\s*13\s*<", stats), "the thirteen coded cases are not counted"
        assert re.search(r">\s*1\s*<", stats) is None, "a count of 1 is shown on the statistics page"
    finally:
        desk.stop()
