"""The desk's inbox filters and full-text search (issue 11, docs/design/DESK.md §5, §6):
the real `sealbox desk` over a real workstation store, against a real daemon, over real
HTTP on loopback.

Two members: Anna's desk, Ben's CLI. The filters (a GET form) keep only the cases they
name — mine, unassigned, status, due, ground — and combine; a value that does not parse,
or a ground no case carries, is refused with a localised message and 400; the pager's
links keep the filters. The search finds a word of a reporter's follow-up in a case Ben
holds, a word of a team note, "Müller" typed as "Muller", and needs every word; its index
is built in the background after sign-in (the page says so meanwhile), is dropped by Lock
and built again after the next sign-in.
"""

from __future__ import annotations

import datetime
import re
import time

import pytest

import desk_helpers as dh
import inbox_helpers as ih
import sealbox_e2e as e2e

FILLERS = 101


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


def new_case(daemon, text, **fields):
    r = daemon.post("/api/v1/reports", json={"text": text, **fields})
    assert r.status_code == 201, r.text
    return r.json()["case"], r.json()["code"]


@pytest.fixture(scope="module")
def cases(daemon, anna, ben, tmp_path_factory):
    """Five cases worked on by Anna and Ben, and FILLERS plain ones for the pager."""
    mine, _ = new_case(daemon, "Der Vermieter Herr Müller hat mir die Wohnung verweigert.")
    bens, bens_code = new_case(daemon, "Im Bus wurde ich beleidigt.")
    noted, _ = new_case(daemon, "Die Schule lässt mein Kind nicht mitfahren.")
    closed, _ = new_case(daemon, "Beim Amt wurde ich abgewiesen.")
    followed, _ = new_case(daemon, "Im Laden wurde ich nicht bedient.")
    fillers = [new_case(daemon, f"Füllfall Nummer {n}")[0] for n in range(FILLERS)]
    assert ih.follow_up_json(daemon, bens_code, "Nachtrag: der Fahrer erwähnte einen Wasserschaden.").status_code in (200, 201)
    anna.ok("sync")
    ben.ok("sync")
    anna.ok("assign", mine, "me")
    anna.ok("code", mine, "--ground", "racism", "--area", "housing")
    ben.ok("assign", bens, "me")
    note = tmp_path_factory.mktemp("note") / "note.txt"
    note.write_text("Rückruf vereinbart, Thema Mietminderung und Klassenfahrt.", encoding="utf-8")
    anna.ok("note", noted, "--file", str(note))
    anna.ok("status", closed, "closed")
    past = (ih.today() - datetime.timedelta(days=3)).isoformat()
    ben.ok("follow-up", followed, "--on", past)
    anna.ok("sync")
    return {"mine": mine, "bens": bens, "bens_code": bens_code, "noted": noted, "closed": closed, "followed": followed, "fillers": fillers}


@pytest.fixture(scope="module")
def desk(anna, cases):
    d = dh.Desk(anna)
    d.enter()
    assert d.unlock().status_code == 303
    yield d
    d.stop()


def listed(page: str) -> list[str]:
    """The case references of the inbox table, in order."""
    return re.findall(r'<th scope="row"><a href="/cases/([0-9A-Z-]+)">', page)


def caption(page: str) -> str:
    match = re.search(r"<caption[^>]*>(.*?)</caption>", page)
    assert match, page[:2000]
    return match.group(1)


def searched(desk, query: str, timeout: float = 60) -> str:
    """The inbox searched for `query`, once the search index is built."""
    deadline = time.monotonic() + timeout
    while True:
        response = desk.get("/", params={"q": query})
        assert response.status_code == 200, response.text[:2000]
        if "being built" not in response.text:
            return response.text
        assert time.monotonic() < deadline, "the search index was not built in time"
        time.sleep(0.3)


# --- filters -----------------------------------------------------------------------------------------------

def test_mine_lists_only_the_cases_assigned_to_me(desk, cases):
    page = desk.get("/", params={"assigned": "mine"})
    assert page.status_code == 200
    assert listed(page.text) == [cases["mine"]]
    assert caption(page.text).startswith(f"1 of {FILLERS + 5} cases match the filters")
    assert '<option value="mine" selected>' in page.text


def test_unassigned_leaves_out_every_assigned_case(desk, cases):
    page = desk.get("/", params={"assigned": "unassigned", "status": "closed"})
    assert listed(page.text) == [cases["closed"]]
    everything = desk.get("/", params={"assigned": "unassigned"}).text
    assert caption(everything).startswith(f"{FILLERS + 3} of {FILLERS + 5} cases")


def test_status_keeps_the_cases_of_that_status(desk, cases):
    assert listed(desk.get("/", params={"status": "closed"}).text) == [cases["closed"]]
    assert cases["closed"] not in desk.get("/", params={"status": "received", "page": "2"}).text


def test_due_today_lists_the_overdue_follow_up(desk, cases):
    page = desk.get("/", params={"due": "0"})
    assert listed(page.text) == [cases["followed"]]
    assert "Follow-up overdue by 3 days" in page.text
    # Every new report's reply is due within 7 days, the closed case's unanswered report too.
    week = desk.get("/", params={"due": "7"}).text
    assert caption(week).startswith(f"{FILLERS + 5} of {FILLERS + 5} cases")


def test_ground_and_area_come_from_the_codings(desk, cases):
    page = desk.get("/", params={"ground": "racism"})
    assert listed(page.text) == [cases["mine"]]
    assert '<option value="racism" selected>racism</option>' in page.text
    assert listed(desk.get("/", params={"area": "housing", "assigned": "mine"}).text) == [cases["mine"]]
    assert listed(desk.get("/", params={"area": "housing", "assigned": "unassigned"}).text) == []
    assert "No case matches the filters" in desk.get("/", params={"area": "housing", "status": "closed"}).text


@pytest.mark.parametrize("language,query,words", [
    ("en", {"due": "soon"}, "Due needs a number of days from 0 to 366."),
    ("en", {"due": "-1"}, "Due needs a number of days from 0 to 366."),
    ("en", {"status": "open"}, "Choose one of the statuses offered."),
    ("en", {"assigned": "boss"}, "Choose \"to me\" or \"to nobody\""),
    ("en", {"ground": "astrology"}, "No case is coded with this ground."),
    ("en", {"ground": "<b>"}, "No case is coded with this ground."),
    ("en", {"area": "work"}, "No case is coded with this area of life."),
    ("en", {"new": "yes"}, "The filter \"only new\" is either on or off."),
    ("en", {"q": "x" * 201}, "The search text is too long"),
    ("en", {"page": "zwei"}, "The page must be a number from 1."),
    ("de", {"due": "soon"}, "Für „Fällig“ braucht es eine Zahl von Tagen zwischen 0 und 366."),
    ("de", {"ground": "astrology"}, "Kein Fall ist mit diesem Merkmal kodiert."),
])
def test_a_wrong_filter_value_is_a_400_with_a_localised_message(desk, language, query, words):
    response = desk.get("/", params=query, headers={"Accept-Language": language})
    assert response.status_code == 400
    assert words.replace('"', "&quot;") in response.text or words in response.text
    assert f'<html lang="{language}"' in response.text
    assert "<b>" not in response.text.split("</header>", 1)[1]


def test_empty_filter_values_mean_no_filter(desk, cases):
    page = desk.get("/?assigned=&due=&status=&ground=&area=&q=")
    assert page.status_code == 200
    assert "cases match the filters" not in caption(page.text)
    assert "Cases 1 to 100 of" in page.text


def test_the_pager_keeps_the_filters(desk, cases):
    first = desk.get("/", params={"status": "received", "assigned": "unassigned"})
    assert first.status_code == 200
    assert len(listed(first.text)) == 100
    link = re.search(r'<a href="([^"]+)" rel="next">', first.text)
    assert link, first.text[-2000:]
    href = link.group(1).replace("&amp;", "&")
    assert href == "/?assigned=unassigned&status=received&page=2"
    second = desk.get(href)
    assert second.status_code == 200
    rest = listed(second.text)
    assert caption(second.text).startswith(f"{FILLERS + 2} of {FILLERS + 5} cases")  # fillers, noted, followed
    assert len(rest) == FILLERS + 2 - 100
    assert cases["mine"] not in rest and cases["closed"] not in rest
    assert re.search(r'<a href="/\?assigned=unassigned&amp;status=received" rel="prev">', second.text)
    assert '<option value="unassigned" selected>' in second.text


# --- search ------------------------------------------------------------------------------------------------

def test_search_finds_a_follow_up_in_a_case_another_member_holds(desk, cases):
    page = searched(desk, "wasserschad")
    assert listed(page) == [cases["bens"]]
    assert "<td>wasserschaden</td>" in page


def test_search_finds_a_word_of_a_note(desk, cases):
    page = searched(desk, "Mietminderung")
    assert listed(page) == [cases["noted"]]


def test_search_folds_case_and_diacritics_and_needs_every_word(desk, cases):
    assert listed(searched(desk, "MULLER")) == [cases["mine"]]
    assert listed(searched(desk, "müller wohnung")) == [cases["mine"]]
    assert listed(searched(desk, "müller schule")) == []
    assert "No case matches" in searched(desk, "müller schule")
    combined = searched(desk, "füllfall")
    assert len(listed(combined)) == 100 and "Cases 1 to 100 of 101" in combined
    assert listed(desk.get("/", params={"q": "wohnung", "assigned": "unassigned"}).text) == []


def test_the_index_is_updated_after_a_sync(desk, cases, daemon):
    assert listed(searched(desk, "zebrastreifen")) == []
    assert ih.follow_up_json(daemon, cases["bens_code"], "Es geschah am Zebrastreifen.").status_code in (200, 201)
    assert desk.post("/sync").status_code == 303
    deadline = time.monotonic() + 60
    while listed(page := searched(desk, "zebrastreifen")) != [cases["bens"]]:
        assert time.monotonic() < deadline, "the search index was not updated after the sync"
        assert "The search is incomplete" not in page
        time.sleep(0.3)
    assert listed(searched(desk, "wasserschaden")) == [cases["bens"]]


def test_lock_drops_the_index_and_the_next_sign_in_builds_it_again(desk, cases):
    searched(desk, "wasserschaden")  # built
    assert desk.post("/lock").status_code == 303
    locked = desk.get("/", params={"q": "wasserschaden"})
    assert "passphrase" in locked.text and cases["bens"] not in locked.text
    assert desk.unlock().status_code == 303
    first = desk.get("/", params={"q": "wasserschaden"})
    assert first.status_code == 200
    assert "The search index is still being built" in first.text
    assert listed(first.text) == []
    assert listed(searched(desk, "wasserschaden")) == [cases["bens"]]


def test_a_desk_refuses_to_start_with_a_wrong_search_memory_setting(anna):
    result = anna.run("desk", "--no-browser", env={"SEALBOX_DESK_SEARCH_MEMORY_MB": "lots"})
    assert result.returncode != 0
    assert "desk_search_memory_mb must be a number of megabytes" in result.stderr.decode()


def test_a_tiny_search_memory_says_the_search_is_incomplete(anna, cases):
    d = dh.Desk(anna, SEALBOX_DESK_SEARCH_MEMORY_MB="0.01")
    try:
        d.enter()
        assert d.unlock().status_code == 303
        page = searched(d, "füllfall")
        assert "The search is incomplete" in page
        assert len(listed(page)) < 100
    finally:
        d.stop()


def test_opening_a_case_on_the_desk_marks_it_read_like_show(desk, cases, daemon, anna):
    """`new=1` lists the cases changed since they were looked at; opening one on the desk's
    case page marks it read as `sealbox show` does, and the cached search index survives."""
    case, code = new_case(daemon, "Ein neuer Fall für den Gelesen-Vermerk.")
    assert ih.follow_up_json(daemon, code, "Noch ein Satz dazu.").status_code in (200, 201)
    assert desk.post("/sync").status_code == 303
    assert case in listed(desk.get("/", params={"new": "1"}).text)
    deadline = time.monotonic() + 60
    while case not in listed(searched(desk, "Gelesen")):  # until the index holds the new case
        assert time.monotonic() < deadline, "the search index never held the new case"
        time.sleep(0.3)
    assert desk.get(f"/cases/{case}").status_code == 200
    assert case not in listed(desk.get("/", params={"new": "1"}).text)
    assert case in listed(desk.get("/").text)
    page = desk.get("/", params={"q": "Gelesen"}).text
    assert "search.state" not in page and "being built" not in page and "being updated" not in page \
        and case in listed(page), \
        "opening a case threw the search index away: " + str(re.findall(r'role="status">(.*?)<', page))
    # The CLI sees the same read mark.
    assert case not in anna.ok("list", "--new").stdout.decode()
