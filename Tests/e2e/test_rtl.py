"""Right to left, fully (issue 12): in Arabic and Persian, headless Chromium renders the
office's phone number, the case's code groups, the address to come back to and the
downloaded receipt in their own order, left to right. Each check measures where the
browser draws every character (Range.getBoundingClientRect) and demands that the
characters stand left to right in reading order, on one line. A canary renders the same
text without isolation in a right-to-left paragraph and must come out reordered, which
proves that the measurement can see the defect it guards against."""

from __future__ import annotations

import pytest

import a11y_helpers as a11y
import sealbox_e2e as e2e

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")

PHONE = "+49 511 1234567"
ADDRESS = "https://melden.example.org/"
RTL = ["ar", "fa"]

# [character, left, top] of each non-space character of `text` where it first occurs
# inside `root` (a CSS selector), or null.
POSITIONS_JS = """
const [selector, text] = arguments;
const root = selector ? document.querySelector(selector) : document.body;
if (!root) return null;
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
let node;
while ((node = walker.nextNode())) {
  const at = node.data.indexOf(text);
  if (at < 0) continue;
  const out = [];
  for (let k = 0; k < text.length; k++) {
    if (text[k] === ' ' || text[k] === '\\u2066' || text[k] === '\\u2069') continue;
    const range = document.createRange();
    range.setStart(node, at + k); range.setEnd(node, at + k + 1);
    const rect = range.getBoundingClientRect();
    out.push([text[k], rect.left, Math.round(rect.top)]);
  }
  return out;
}
return null;
"""


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_OFFICE_CONTACT=PHONE, SEALBOX_PUBLIC_ADDRESS=ADDRESS)


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()


def in_reading_order(positions) -> bool:
    """Every character right of the one before, all on one line."""
    assert positions, "the text was not found on the page"
    lefts = [left for _, left, _ in positions]
    return len({top for _, _, top in positions}) == 1 and all(a < b for a, b in zip(lefts, lefts[1:]))


def show_plain_text(driver, text: str, direction: str = "rtl") -> None:
    """Shows `text` as a plain-text editor would, in a right-to-left paragraph."""
    driver.get("about:blank")
    driver.execute_script(
        "document.documentElement.dir = arguments[1];"
        "const pre = document.createElement('pre'); pre.id = 'plain'; pre.dir = arguments[1];"
        "pre.style.fontSize = '20px'; pre.textContent = arguments[0]; document.body.appendChild(pre);", text, direction)


@needs_browser
def test_the_canary_an_unisolated_phone_number_is_reordered_right_to_left(browser):
    show_plain_text(browser, f"للتواصل: {PHONE}")
    assert not in_reading_order(browser.execute_script(POSITIONS_JS, "#plain", PHONE))
    show_plain_text(browser, f"للتواصل: \u2066{PHONE}\u2069")
    assert in_reading_order(browser.execute_script(POSITIONS_JS, "#plain", PHONE))


@needs_browser
@pytest.mark.parametrize("language", RTL)
def test_the_offices_phone_number_keeps_its_order(daemon, browser, language):
    a11y.set_viewport(browser, None)
    browser.get(daemon.url(f"/?lang={language}"))
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    for where in ("section[aria-labelledby='talk']", ".site-footer"):
        positions = browser.execute_script(POSITIONS_JS, where, PHONE)
        assert in_reading_order(positions), f"{where} in {language}: {[c for c, _, _ in sorted(positions, key=lambda p: p[1])]}"


@needs_browser
@pytest.mark.parametrize("language", RTL)
def test_the_confirmation_and_the_downloaded_receipt_keep_the_code_and_address_in_order(daemon, browser, language):
    a11y.set_viewport(browser, None)
    browser.get(daemon.url(f"/report?lang={language}"))
    browser.find_element("id", "field-text").send_keys("اختبار الاتجاه من اليمين إلى اليسار")
    browser.find_element("css selector", "form[action^='/report'] button[type=submit]").click()
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 30).until(lambda d: d.find_elements("css selector", ".code-groups span"))
    html = browser.page_source
    case, code = e2e.parse_confirmation(html)
    lefts = browser.execute_script(
        "return [...document.querySelectorAll('.code-groups span')].map(s => [s.textContent, s.getBoundingClientRect().left])")
    assert [text for text, _ in sorted(lefts, key=lambda p: p[1])] == code.split(" "), lefts
    positions = browser.execute_script(POSITIONS_JS, ".receipt", ADDRESS)
    assert in_reading_order(positions), f"the address on the confirmation ({language})"

    received = browser.find_element("css selector", "input[name=received]").get_attribute("value")
    receipt = daemon.post(f"/receipt?lang={language}", data={"code": code, "case": case, "received": received})
    assert receipt.status_code == 200 and "\u2066" + code + "\u2069" in receipt.text
    for value in (code, case, ADDRESS):
        line = next(line for line in receipt.text.splitlines() if value in line)
        show_plain_text(browser, line)
        assert in_reading_order(browser.execute_script(POSITIONS_JS, "#plain", value)), f"{value} in the {language} receipt"
    # Without the isolates, a plain-text editor would show the code's groups reversed.
    line = next(line for line in receipt.text.splitlines() if code in line)
    show_plain_text(browser, line.replace("\u2066", "").replace("\u2069", ""))
    assert not in_reading_order(browser.execute_script(POSITIONS_JS, "#plain", code))
