"""Issue 12 against the real daemon and CLI: the privacy notice (Art. 13 GDPR) and the
legal notice in every language, linked from every footer; the daemon refuses to start
without a controller and a data protection contact unless the office publishes its own
notice; the office's deadlines on the pages, in the inbox API and in `sealbox list --due`;
"we do not know who you are" only without contact details."""

from __future__ import annotations

import datetime
import json

import pytest

import a11y_helpers as a11y
import inbox_helpers as ih
import sealbox_e2e as e2e
from sealbox_e2e import start_refused

CONTROLLER = "Region Musterstadt, Fachbereich Gleichstellung, Musterweg 1, 30000 Musterstadt"
IMPRINT = "Region Musterstadt\nDer Regionspräsident\nMusterweg 1, 30000 Musterstadt"


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_OFFICE_IMPRINT=IMPRINT, SEALBOX_OFFICE_ACKNOWLEDGE_DAYS="2",
                          SEALBOX_OFFICE_FEEDBACK_DAYS="20")


@pytest.mark.parametrize("language", a11y.LANGUAGES)
def test_the_privacy_and_legal_notices_exist_in_every_language_and_every_footer_links_them(daemon, language):
    privacy = daemon.get(f"/privacy?lang={language}")
    assert privacy.status_code == 200 and privacy.headers["Content-Language"] == language
    assert CONTROLLER in privacy.text and "datenschutz@example.org" in privacy.text
    assert "Prinzenstraße 5, 30159 Hannover" in privacy.text and "⟦" not in privacy.text
    imprint = daemon.get(f"/imprint?lang={language}")
    assert imprint.status_code == 200 and "Der Regionspräsident\nMusterweg 1" in imprint.text
    for path in ("/", "/report", "/inbox", "/accessibility", "/privacy", "/no-such-page"):
        html = daemon.get(f"{path}?lang={language}").text
        assert f'href="/privacy?lang={language}"' in html and f'href="/imprint?lang={language}"' in html, path


def test_an_office_with_its_own_notices_gets_redirects_and_without_a_legal_notice_no_link(module_daemons):
    own = module_daemons(SEALBOX_OFFICE_CONTROLLER="", SEALBOX_OFFICE_DATA_PROTECTION_CONTACT="",
                         SEALBOX_OFFICE_PRIVACY_URL="https://www.example.org/datenschutz",
                         SEALBOX_OFFICE_IMPRINT_URL="https://www.example.org/impressum")
    for path, target in (("/privacy", "https://www.example.org/datenschutz"), ("/imprint", "https://www.example.org/impressum")):
        response = own.get(path, allow_redirects=False)
        assert response.status_code == 303 and response.headers["Location"] == target
    plain = module_daemons()
    assert plain.get("/imprint").status_code == 404
    assert 'href="/imprint' not in plain.get("/").text and 'href="/privacy"' in plain.get("/").text


@pytest.mark.parametrize("missing", ["SEALBOX_OFFICE_CONTROLLER", "SEALBOX_OFFICE_DATA_PROTECTION_CONTACT"])
def test_the_daemon_refuses_to_start_without_the_privacy_notices_controller_or_officer(keys, tmp_path, missing):
    result = start_refused(keys, tmp_path, **{missing: ""})
    assert result.returncode != 0
    key = "office.controller" if missing.endswith("CONTROLLER") else "office.data_protection_contact"
    assert key in result.stderr.decode() and "office.privacy_url" in result.stderr.decode()


def test_the_offices_deadlines_are_on_the_pages_in_the_inbox_and_in_the_due_list(daemon, workstation_factory):
    landing = daemon.get("/?lang=de").text
    assert "spätestens <bdi>2 Tage</bdi> danach" in landing and "Spätestens <bdi>20 Tage</bdi> nach dem Eingang" in landing
    assert "innerhalb von zwei Monaten" in landing  # the AGG time limit

    body, ctype = e2e.multipart([("text", "Beim Amt wurde meine Nachbarin nicht bedient.")])
    confirmation = daemon.post("/report?lang=de", data=body, headers={"Content-Type": ctype})
    assert confirmation.status_code in (200, 201)
    today = ih.today()
    ack, feedback = today + datetime.timedelta(days=2), today + datetime.timedelta(days=20)
    assert "innerhalb von zwei Monaten" in confirmation.text
    assert "Das Beratungsteam weiß nicht, wer Sie sind." in confirmation.text
    case, code = e2e.parse_confirmation(confirmation.text)

    opened = ih.open_inbox(daemon, code).json()
    assert opened["acknowledgement_due"] == ack.isoformat() and opened["feedback_due"] == feedback.isoformat()

    ws = workstation_factory(daemon)
    ws.ok("sync")
    listed = {c["case"]: c for c in ws.json("list", "--acknowledge-days", "2", "--feedback-days", "20")["cases"]}
    assert listed[case]["acknowledgement_due"] == ack.isoformat() and listed[case]["feedback_due"] == feedback.isoformat()
    # The same through the environment, as a workstation's settings give them; the default is 7 days.
    by_env = ws.run("list", "--json", env={"SEALBOX_ACKNOWLEDGE_DAYS": "2", "SEALBOX_FEEDBACK_DAYS": "20"})
    assert by_env.returncode == 0, by_env.stderr.decode()
    listed = {c["case"]: c for c in json.loads(by_env.stdout)["cases"]}
    assert listed[case]["acknowledgement_due"] == ack.isoformat()
    default = {c["case"]: c for c in ws.json("list")["cases"]}
    assert default[case]["acknowledgement_due"] == (today + datetime.timedelta(days=7)).isoformat()
    due = ws.json("list", "--due", "--acknowledge-days", "2", "--feedback-days", "20")["cases"]
    assert case in [d["case"] for d in due]
    refused = ws.run("list", "--acknowledge-days", "0")
    assert refused.returncode != 0 and "acknowledge_days" in refused.stderr.decode()


def test_contact_details_end_anonymity_towards_the_team_and_the_page_says_so(daemon):
    form = daemon.get("/report?lang=de").text
    assert "ist Ihre Meldung für das Beratungsteam nicht mehr anonym" in form
    body, ctype = e2e.multipart([("text", "Ich habe es gesehen."), ("contact", "zeugin@example.org")])
    confirmation = daemon.post("/report?lang=de", data=body, headers={"Content-Type": ctype})
    assert "weiß nicht, wer Sie sind" not in confirmation.text
    assert "Für das Team sind Sie damit nicht mehr anonym." in confirmation.text
    case, code = e2e.parse_confirmation(confirmation.text)
    # The language switch keeps it (a hidden field, never the contact itself).
    again = daemon.post("/receipt?lang=en", data={"code": code, "case": case, "received": ih.today().isoformat(),
                                                  "contact_given": "yes", "view": "page"})
    assert again.status_code == 200 and "no longer anonymous" in again.text and "zeugin@" not in again.text
