"""The legal clock on the desk (issue 11 "the legal clock (acknowledgement due in 7 days,
feedback in 3 months, follow-up dates, retention expiry) in plain words"; "the desk and
`list --due` warn while the two months may still be running"): the case page lists every
running clock in words with its day, the AGG period from the incident date the reporter
gave, a reply due for her message, and the retention expiry once the server set one; the
inbox shows the nearest of them."""

from __future__ import annotations

import datetime
import re

import pytest

import desk_helpers as dh
import inbox_helpers as ih


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons()


def day(offset: int) -> str:
    return (ih.today() + datetime.timedelta(days=offset)).isoformat()


def clocks(page: str) -> list[str]:
    return re.findall(r'<span class="clock clock-[a-z]+">([^<]+)</span> \(<time datetime="([0-9-]+)">', page)


def test_the_case_page_tells_every_clock_in_words(daemon, workstation_factory):
    ws = workstation_factory(daemon)
    incident = ih.today() - datetime.timedelta(days=10)
    r = daemon.post("/api/v1/reports", json={"text": "Der Türsteher ließ mich wegen meiner Hautfarbe nicht ein.",
                                             "incident": incident.isoformat()})
    assert r.status_code == 201, r.text
    case = r.json()["case"]
    plain = daemon.post("/api/v1/reports", json={"text": "Ohne Tatdatum gemeldet."}).json()["case"]
    ws.ok("sync")
    d = dh.Desk(ws, language="en")
    try:
        d.enter()
        assert d.unlock().status_code == 303
        page = d.get(f"/cases/{case}").text
        shown = dict(clocks(page))
        assert shown.get("Acknowledgement due in 7 days") == day(7), shown
        assert shown.get("Reply due in 7 days") == day(7), shown
        assert any(text.startswith("Feedback due in") for text in shown), shown
        agg = [text for text in shown if text.startswith("AGG: the two months to raise a claim may run for")]
        assert agg, shown
        assert "not legal advice" in page
        # A report without an incident date has no AGG clock and no note about it.
        other = d.get(f"/cases/{plain}").text
        assert not any(text.startswith("AGG") for text, _ in clocks(other)) and "not legal advice" not in other

        # A retention the server records: the expiry is a clock on the case page and in the inbox.
        answer = d.post(f"/cases/{case}/retain", {"until": day(3), "reason": "Frist für die Beschwerde"})
        assert answer.status_code == 303, answer.text[:2000]
        assert d.post("/sync").status_code == 303
        shown = dict(clocks(d.get(f"/cases/{case}").text))
        assert any(text.startswith("Deleted by retention in") for text in shown), shown
        # The reply answers the reporter's message: its clock goes.
        reply = d.post(f"/cases/{case}/reply", {"text": "Wir haben Ihre Meldung erhalten.", "action": "send"})
        assert reply.status_code == 303, reply.text[:2000]
        shown = dict(clocks(d.get(f"/cases/{case}").text))
        assert not any(text.startswith("Reply due") for text in shown), shown
    finally:
        d.stop()
