"""The desk syncs in the background (issue 11 "sync runs in the background with a visible
state"): right after sign-in, then every desk_sync_minutes while unlocked; the inbox says
when it last fetched and how many items came, or that the last fetch failed (and still
shows what the store held). A bad setting stops the desk at start."""

from __future__ import annotations

import time

import pytest

import desk_helpers as dh


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons()


def post_report(daemon, text: str) -> str:
    r = daemon.post("/api/v1/reports", json={"text": text})
    assert r.status_code == 201, r.text
    return r.json()["case"]


def wait_for_inbox(desk: dh.Desk, predicate, what: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        page = desk.get("/").text
        if predicate(page):
            return page
        time.sleep(0.3)
    raise AssertionError(f"{what}: {page[:3000]}")


def test_a_report_appears_after_sign_in_without_pressing_fetch(daemon, workstation_factory):
    ws = workstation_factory(daemon)
    case = post_report(daemon, "Beim Bäcker wurde mir wegen meines Rollstuhls nicht geöffnet.")
    d = dh.Desk(ws, language="en")
    try:
        d.enter()
        page = d.get("/").text
        assert 'type="password"' in page  # locked: nothing is fetched before sign-in
        assert d.unlock().status_code == 303
        page = wait_for_inbox(d, lambda p: case in p, "the case never appeared without pressing Fetch")
        page = wait_for_inbox(d, lambda p: "Fetched just now" in p, "the inbox does not say it fetched")
        assert '<p class="sync-state" role="status">Fetched just now: ' in page
    finally:
        d.stop()


def test_the_desk_fetches_again_every_desk_sync_minutes(daemon, workstation_factory):
    ws = workstation_factory(daemon)
    d = dh.Desk(ws, language="de", SEALBOX_DESK_SYNC_MINUTES="0.05")  # 3 seconds
    try:
        d.enter()
        assert d.unlock().status_code == 303
        wait_for_inbox(d, lambda p: "Gerade abgerufen" in p or "Zuletzt abgerufen" in p, "no first fetch")
        later = post_report(daemon, "Die Kita hat unser Kind wegen seiner Sprache abgelehnt.")
        wait_for_inbox(d, lambda p: later in p, "the second report never came by itself", seconds=40)
    finally:
        d.stop()


def test_once_only_after_sign_in_with_zero(daemon, workstation_factory):
    ws = workstation_factory(daemon)
    first = post_report(daemon, "Im Amt hat man mich ausgelacht, als ich nach einer Dolmetscherin fragte.")
    d = dh.Desk(ws, language="en", SEALBOX_DESK_SYNC_MINUTES="0")
    try:
        d.enter()
        assert d.unlock().status_code == 303
        wait_for_inbox(d, lambda p: first in p, "no fetch after sign-in with desk_sync_minutes=0")
        later = post_report(daemon, "Der Vermieter wollte meinen Pass sehen, die anderen nicht.")
        time.sleep(5)
        assert later not in d.get("/").text, "the desk fetched again although desk_sync_minutes is 0"
    finally:
        d.stop()


def test_a_failed_fetch_is_said_and_the_inbox_still_shows_the_store(module_daemons, workstation_factory):
    own = module_daemons()
    ws = workstation_factory(own)
    case = post_report(own, "Der Arzt hat mich wegen meines Alters nicht behandelt.")
    ws.ok("sync")
    d = dh.Desk(ws, language="en", SEALBOX_DESK_SYNC_MINUTES="0.05")
    try:
        d.enter()
        assert d.unlock().status_code == 303
        wait_for_inbox(d, lambda p: "Fetched just now" in p, "no first fetch")
        own.stop()
        page = wait_for_inbox(d, lambda p: "failed" in p, "a failed fetch is not said", seconds=40)
        assert "The last fetch failed just now; the inbox shows what was there before." in page
        assert 'class="sync-state sync-failed" role="status"' in page
        assert case in page, "the inbox lost the stored case when the fetch failed"
    finally:
        d.stop()


@pytest.mark.parametrize("value", ["-1", "soon", "1441", "nan"])
def test_a_bad_sync_setting_stops_the_desk_at_start(daemon, workstation_factory, value):
    ws = workstation_factory(daemon)
    result = ws.run("desk", "--no-browser", env={"SEALBOX_DESK_SYNC_MINUTES": value})
    assert result.returncode == 2, result.stderr
    assert b"desk_sync_minutes must be a number of minutes from 0 to 1440" in result.stderr
