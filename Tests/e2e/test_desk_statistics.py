"""The desk's statistics page (issue 11, docs/design/DESK.md §7): the real `sealbox desk`
over a real workstation, against a real daemon, over real HTTP on loopback.

Twelve reports are coded with the real `sealbox code` (which sends a statistic record
with each coding), and one of them is deleted afterwards: the page still counts it (the
records are the server's, not the local store's). With the default `stats_min_cell` of 5
the one case in "Housing" shows as "< 5", and "Education" (5) is hidden too, because the
total (12) minus "Work" (6) would give it back; grounds, a multi-valued dimension, say
"cases naming" and their total is the number of cases, not the sum. The CSV carries the
same figures as the table, as a download with a header row; the period filter counts the
months asked for; a bad period is refused (400) with a message in the desk's language.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

import pytest

import desk_helpers as dh
import inbox_helpers as ih

THIS_MONTH = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m")
THIS_YEAR = THIS_MONTH[:4]

# (grounds, area) of each coded case: 6 work, 5 education, 1 housing.
CODINGS = ([(["racism"], "work")] * 6 + [(["religion"], "education")] * 5
           + [(["racism", "religion"], "housing")])


@pytest.fixture(scope="module")
def daemon(module_daemons):
    return module_daemons(SEALBOX_LIMITS_CODE_ATTEMPTS="1000")


@pytest.fixture(scope="module")
def anna(daemon, workstation_factory) -> ih.Workstation:
    return workstation_factory(daemon)


@pytest.fixture(scope="module")
def coded(daemon, anna):
    """Twelve coded cases; the first one deleted after its coding."""
    cases = []
    for n in range(len(CODINGS)):
        r = daemon.post("/api/v1/reports", json={"text": f"Bericht Nummer {n}"})
        assert r.status_code == 201, r.text
        cases.append(r.json()["case"])
    anna.ok("sync")
    for case, (grounds, area) in zip(cases, CODINGS):
        args = ["code", case, "--area", area, "--form", "direct"]
        for ground in grounds:
            args += ["--ground", ground]
        anna.ok(*args)
    anna.ok("delete", cases[0], "--yes")
    anna.ok("sync")
    listed = anna.json("list")
    assert cases[0] not in {c["case"] for c in listed["cases"]}, "the deleted case is still in the local store"
    return cases


def open_desk(anna, language="en", **env) -> dh.Desk:
    d = dh.Desk(anna, language=language, **env)
    d.enter()
    assert d.unlock().status_code == 303
    return d


@pytest.fixture(scope="module")
def desk(anna, coded):
    d = open_desk(anna)
    yield d
    d.stop()


def table(page: str, table_id: str) -> dict[str, str]:
    """The rows of one table of the page: label → count as shown, with "All cases"."""
    section = re.search(r'<section class="stats" aria-labelledby="stats-' + re.escape(table_id) + r'">(.*?)</section>',
                        page, re.S)
    assert section, f"no table {table_id}"
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>\s*<td class="num">([^<]*)</td></tr>', section.group(1))
    return {html.unescape(label): html.unescape(count) for label, count in rows}


def chart(page: str, table_id: str) -> str:
    section = re.search(r'aria-labelledby="stats-' + re.escape(table_id) + r'">(.*?)</section>', page, re.S)
    svg = re.search(r"<svg .*?</svg>", section.group(1), re.S)
    assert svg, f"no chart for {table_id}"
    return svg.group(0)


def test_the_page_counts_every_coded_case_including_the_deleted_one(desk):
    page = desk.get("/statistics")
    assert page.status_code == 200, page.text
    assert f"Coded cases first reported from {THIS_YEAR}-01 to {THIS_YEAR}-12: 12" in page.text
    assert table(page.text, "form") == {"Direct discrimination": "12", "All cases": "12"}
    assert table(page.text, "month") == {THIS_MONTH: "12", "All cases": "12"}


def test_a_small_cell_shows_as_fewer_than_5_and_the_cell_the_total_would_reveal_is_hidden_too(desk):
    area = table(desk.get("/statistics").text, "area")
    assert area == {"Work and employment": "6", "Education": "< 5", "Housing": "< 5", "All cases": "12"}, area


def test_a_multi_valued_dimension_counts_cases_naming_each_value_and_its_total_is_the_number_of_cases(desk):
    page = desk.get("/statistics").text
    grounds = table(page, "grounds")
    assert grounds == {"Racism / ethnic origin": "7", "Religion / belief": "6", "All cases": "12"}, grounds
    section = page[page.index('aria-labelledby="stats-grounds"'):]
    assert "Cases naming this value" in section[:section.index("</section>")]


def test_with_min_cell_1_every_count_is_shown(anna, coded):
    d = open_desk(anna, SEALBOX_STATS_MIN_CELL="1")
    try:
        area = table(d.get("/statistics").text, "area")
        assert area == {"Work and employment": "6", "Education": "5", "Housing": "1", "All cases": "12"}, area
    finally:
        d.stop()


def test_the_chart_has_a_title_and_a_description_and_draws_no_bar_for_a_hidden_count(desk):
    svg = chart(desk.get("/statistics").text, "area")
    assert re.search(r'role="img" aria-labelledby="chart-\d+-title chart-\d+-desc"', svg)
    assert "<title id=" in svg and "Bar chart: Area of life" in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert "Work and employment: 6" in html.unescape(desc) and "Housing: &lt; 5" in desc
    assert len(re.findall(r"<rect x=\"0\" y=\"\d+\" width=", svg)) == 1, "a bar was drawn for a hidden count"
    assert svg.count("&lt; 5</text>") == 2
    assert 'fill="url(#hatch-' in svg, "the bars carry a pattern besides colour"


def test_the_csv_matches_the_table_and_is_a_download_with_a_header_row(desk):
    page = desk.get("/statistics").text
    answer = desk.get(f"/statistics.csv?from={THIS_YEAR}&to={THIS_YEAR}")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8"))))
    assert rows[0] == ["Table", "Value", "Cases", "From", "To"]
    csv_area = {value: cases for title, value, cases, _, _ in rows[1:] if title == "Area of life"}
    assert csv_area == table(page, "area")
    csv_grounds = {value: cases for title, value, cases, _, _ in rows[1:] if title == "Grounds of discrimination"}
    assert csv_grounds == table(page, "grounds")
    assert all(r[3:] == [f"{THIS_YEAR}-01", f"{THIS_YEAR}-12"] for r in rows[1:])


def test_the_printable_report_has_the_tables_without_the_forms(desk):
    answer = desk.get(f"/statistics/print?from={THIS_MONTH}&to={THIS_MONTH}")
    assert answer.status_code == 200
    assert f"Period: {THIS_MONTH} to {THIS_MONTH}" in answer.text
    assert table(answer.text, "area")["Housing"] == "< 5"
    assert "<form" not in answer.text
    css = desk.get("/desk.css").text
    assert "@media print" in css


def test_the_period_filter_counts_the_months_asked_for(desk):
    month = desk.get(f"/statistics?from={THIS_MONTH}&to={THIS_MONTH}")
    assert month.status_code == 200 and f"from {THIS_MONTH} to {THIS_MONTH}: 12" in month.text
    assert f'value="{THIS_MONTH}"' in month.text
    past = desk.get("/statistics?from=2001&to=2001-06")
    assert past.status_code == 200
    assert "from 2001-01 to 2001-06: 0" in past.text and "There are no coded cases in this period." in past.text
    only_from = desk.get("/statistics?from=2001-03")
    assert "from 2001-03 to 2001-12: 0" in only_from.text


@pytest.mark.parametrize("query", ["from=2026-13", "from=abc", "to=26", f"from={THIS_YEAR}-05&to={THIS_YEAR}-04",
                                   "from=2026-1", "to=%3Cscript%3E"])
def test_a_bad_period_is_refused_with_a_message(desk, query):
    answer = desk.get("/statistics?" + query)
    assert answer.status_code == 400, query
    assert 'role="alert"' in answer.text and "The period is not understood." in answer.text
    assert "<script>" not in answer.text
    csv_answer = desk.get("/statistics.csv?" + query)
    assert csv_answer.status_code == 400 and "Content-Disposition" not in csv_answer.headers


def test_a_bad_period_is_refused_in_german_on_a_german_desk(anna, coded):
    d = open_desk(anna, language="de")
    try:
        answer = d.get("/statistics?from=2026-13")
        assert answer.status_code == 400
        assert "Den Zeitraum verstehe ich nicht." in answer.text
        page = d.get("/statistics").text
        assert "Alle Fälle" in page and "Fälle, die diesen Wert nennen" in page
    finally:
        d.stop()


def test_a_locked_desk_shows_no_figures(anna, coded):
    d = open_desk(anna)
    try:
        assert d.get("/statistics").status_code == 200
        assert d.post("/lock", from_page="/").status_code == 303
        locked = d.get("/statistics")
        assert "Work and employment" not in locked.text and 'name="passphrase"' in locked.text
        assert "Work and employment" not in d.get("/statistics.csv").text
    finally:
        d.stop()


def test_the_navigation_links_to_statistics_audit_and_team(desk):
    inbox = desk.get("/").text
    for path in ("/statistics", "/audit", "/team"):
        assert f'<a href="{path}">' in inbox
