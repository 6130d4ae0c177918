"""Tor Browser at its safest setting runs no JavaScript and loads no web fonts. These
tests drive real Chromium with JavaScript switched off and no remote font: a reporter
submits a report with an attachment, downloads nothing but sees the code, comes back
with it, reads the thread and writes again; everything must work by plain forms."""

from __future__ import annotations

import re

import pytest

import a11y_helpers as a11y
import sealbox_e2e as e2e

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")


@pytest.fixture(scope="module")
def safest_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(a11y.CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=412,900", "--disable-remote-fonts"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(str(a11y.CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@needs_browser
def test_javascript_is_really_off_in_this_browser(safest_browser, daemon, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text('<!DOCTYPE html><title>x</title><p id="p">off</p><script>document.getElementById("p").textContent="on"</script>')
    safest_browser.get(probe.as_uri())
    assert safest_browser.find_element("id", "p").text == "off"


def wait_for(driver, text: str, timeout: float = 20) -> str:
    """The page source once it contains `text` (a form post navigates asynchronously)."""
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: text in d.page_source,
                                                             message=f"no page with {text!r}")
    return driver.page_source


@needs_browser
def test_report_and_conversation_work_without_javascript(safest_browser, daemon, tmp_path):
    driver = safest_browser
    evidence = tmp_path / "Brief vom Amt.txt"
    evidence.write_bytes(b"Beweisstueck ohne JavaScript\n")

    driver.get(daemon.url("/report?lang=de"))
    driver.find_element("id", "field-text").send_keys("Ohne JavaScript geschrieben: Im Amt abgewiesen.")
    driver.find_element("css selector", 'input[name="grounds"][value="language"]').click()
    driver.find_element("id", "field-attachment").send_keys(str(evidence))
    driver.find_element("css selector", 'form[action^="/report"] button[type="submit"]').click()
    source = wait_for(driver, 'class="code-groups"')
    groups = re.findall(r"<span>(\d{4})</span>", source.split('class="code-groups"', 1)[1])[:4]
    assert len(groups) == 4, source.split('class="code-groups"', 1)[1][:300]
    code = " ".join(groups)
    assert daemon.counts()["attachments"] >= 1

    driver.get(daemon.url("/inbox?lang=de"))
    driver.find_element("id", "field-code").send_keys(code)
    driver.find_element("css selector", 'form[action^="/inbox"] button[type="submit"]').click()
    assert "Brief vom Amt.txt" in wait_for(driver, "Ohne JavaScript geschrieben")

    driver.find_element("id", "field-text").send_keys("Nachtrag ohne JavaScript.")
    driver.find_element("css selector", 'form[action^="/inbox/messages"] button[type="submit"]').click()
    wait_for(driver, "page-sent")

    driver.get(daemon.url("/inbox?lang=de"))
    driver.find_element("id", "field-code").send_keys(code)
    driver.find_element("css selector", 'form[action^="/inbox"] button[type="submit"]').click()
    wait_for(driver, "Nachtrag ohne JavaScript.")
    driver.find_element("css selector", 'form[action^="/inbox/leave"] button[type="submit"]').click()
    wait_for(driver, "page-left")
