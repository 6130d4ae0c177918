"""Gap 11 of issue 8: nothing in the daemon's database may order the reports of one day.
Days are stored, times are not (test_leaks.py); but an AUTOINCREMENT `seq` or a table's
rowid numbers the rows in the order they arrived, and with any outside log (a proxy's,
tor's, a mail server's) the order gives the time of day.

The check: after N submissions on one day, no column of any table, no rowid and no
plain table scan puts the rows of that day in their order of arrival (nor in its
reverse). A column orders them when Kendall's tau between its values and the arrival
order is at least 0.8 over the pairs it tells apart, and it tells apart most pairs.

The storage still numbers arrivals (PROTOCOL §10: `items.seq`, and the rowids of
`cases` and `attachments`), so the test is an expected failure until gap 11 is closed;
it is strict, so the fix cannot go unnoticed."""

from __future__ import annotations

import itertools

import pytest

import sealbox_e2e as e2e

N = 16
TAU = 0.8


def kendall_tau(values: list) -> tuple[float, float]:
    """(tau over the pairs `values` tells apart, share of pairs it tells apart); the
    reference order is the list order."""
    concordant = discordant = 0
    pairs = 0
    for i, j in itertools.combinations(range(len(values)), 2):
        pairs += 1
        a, b = values[i], values[j]
        if a is None or b is None or a == b:
            continue
        try:
            if b > a:
                concordant += 1
            else:
                discordant += 1
        except TypeError:
            continue
    told = concordant + discordant
    return ((concordant - discordant) / told if told else 0.0), told / pairs


def orderings(connection, table: str, key_column: str, arrival: dict) -> dict[str, list]:
    """{what: values in arrival order} for every column of `table`, its rowid (when it
    has one) and the position of each row in a plain `SELECT *` scan. `arrival` maps the
    value of `key_column` to the row's arrival index; rows of other keys are ignored."""
    columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    try:
        rows = connection.execute(f"SELECT rowid AS __rowid, * FROM {table}").fetchall()
        columns = ["__rowid", *columns]
    except Exception:  # a WITHOUT ROWID table
        rows = connection.execute(f"SELECT * FROM {table}").fetchall()
    index = columns.index(key_column)
    scan = {row[index]: position for position, row in enumerate(rows)}
    ordered = sorted((arrival[row[index]], row) for row in rows if row[index] in arrival)
    out = {f"{table}.{name}": [row[k] for _, row in ordered] for k, name in enumerate(columns)}
    out[f"{table} (scan order)"] = [scan[row[index]] for _, row in ordered]
    return out


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="gap 11 of issue 8 is open: items.seq and the rowids of cases and attachments number "
                          "the arrivals (docs/PROTOCOL.md §10)")
def test_nothing_in_the_database_orders_the_reports_of_one_day(daemon_factory):
    d = daemon_factory(SEALBOX_CRYPTO_KDF_OPSLIMIT="1", SEALBOX_CRYPTO_KDF_MEMLIMIT="8192")
    cases, days = [], set()
    for n in range(N):
        body, ctype = e2e.multipart([("text", f"Bericht {n}")], [("attachment", f"a{n}.txt", "text/plain", b"x" * 100)])
        r = d.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
        assert r.status_code == 201, r.text
        cases.append(r.json()["case"])
        days.add(r.json()["received"])
    if len(days) > 1:
        pytest.skip("the submissions crossed midnight (UTC); run again")
    arrival = {case: n for n, case in enumerate(cases)}
    with d.db() as connection:
        items = dict(connection.execute("SELECT id, case_ref FROM items WHERE kind = 'report'").fetchall())
        item_arrival = {item: arrival[case] for item, case in items.items()}
        attachment_arrival = {a: item_arrival[i] for a, i in connection.execute("SELECT id, item_id FROM attachments")}
        found = {}
        found.update(orderings(connection, "cases", "ref", arrival))
        found.update(orderings(connection, "items", "id", item_arrival))
        found.update(orderings(connection, "attachments", "id", attachment_arrival))
    connection.close()
    assert len(found["items.id"]) == N and len(found["attachments.id"]) == N

    ordering = []
    for what, values in found.items():
        tau, told = kendall_tau(values)
        if told >= 0.5 and abs(tau) >= TAU:
            ordering.append(f"{what} (tau {tau:+.2f})")
    assert not ordering, "these order the reports of one day by arrival: " + ", ".join(ordering)


def test_the_order_check_finds_an_arrival_counter():
    """The check is not vacuous: a counter, its reverse and a mostly sorted list are caught;
    random values and a constant are not."""
    import random
    rng = random.Random(8)
    assert kendall_tau(list(range(N)))[0] == 1.0
    assert kendall_tau(list(range(N, 0, -1)))[0] == -1.0
    nearly = list(range(N))
    nearly[3], nearly[4] = nearly[4], nearly[3]
    assert kendall_tau(nearly)[0] >= TAU
    shuffled = [rng.random() for _ in range(N)]
    assert abs(kendall_tau(shuffled)[0]) < TAU
    assert kendall_tau(["2026-11-24"] * N)[1] == 0.0

