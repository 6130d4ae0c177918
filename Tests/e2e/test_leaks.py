"""Section 2: what must never be written down. After submissions that carry a
unique marker (in the text, the short fields, a file name and inside a file), no
file under the daemon's data directory and no log line holds the marker, a code,
the client's address or its user agent; the database keeps days, not times; sealed
items have the sizes PROTOCOL.md predicts; no response sets a cookie."""

from __future__ import annotations

import json
import re
import socket
import time
import uuid

import pytest

import sealbox_e2e as e2e
import storage_layer as sl

MARKER = "LeakMarker" + uuid.uuid4().hex[:12]
AGENT = f"SealboxLeakProbe/4.2 (agent-{uuid.uuid4().hex[:10]})"
FORWARDED = "198.51.100.23"
HEADERS = {"User-Agent": AGENT, "X-Forwarded-For": FORWARDED, "X-Real-IP": FORWARDED,
           "Forwarded": f"for={FORWARDED}"}
FILE_CONTENT = (f"Vertraulich {MARKER} " * 6000).encode()  # about 140 KB, three stream chunks
SHORT_TEXT = "kurz"
LONG_TEXT = "L" * 500


def snapshot(directory) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in e2e.all_files(directory)}


@pytest.fixture(scope="module")
def run(module_daemons):
    """Drives one daemon through every kind of request and records what it left behind."""
    # The most verbose level: no level may log what is checked here (config/README.md).
    daemon = module_daemons(SEALBOX_LOG_LEVEL="trace")
    responses = []
    codes = []

    def keep(r, expect):
        responses.append(r)
        assert r.status_code == expect, r.text[:300]
        return r

    report = {"text": f"Es geschah {MARKER} im Treppenhaus.", "grounds": ["age"], "area": "housing",
              "when": f"gestern {MARKER}", "where": f"Haus {MARKER}", "contact": f"mail-{MARKER}@example.org"}
    r = keep(daemon.post("/api/v1/reports", json=report, headers=HEADERS), 201)
    codes.append(r.json()["code"])

    body, ctype = e2e.multipart(e2e.report_fields(report),
                                [("attachment", f"Beweis-{MARKER}.txt", "text/plain", FILE_CONTENT)])
    r = keep(daemon.post("/report", data=body, headers={**HEADERS, "Content-Type": ctype}), 200)
    case, code = e2e.parse_confirmation(r.text)
    codes.append(code)
    received = re.search(r'name="received" value="([^"]+)"', r.text).group(1)
    keep(daemon.post("/receipt", data={"code": code, "case": case, "received": received}, headers=HEADERS), 200)

    body, ctype = e2e.multipart([("text", f"API {MARKER}")],
                                [("attachment", f"{MARKER}.bin", "application/octet-stream", FILE_CONTENT[::-1])])
    r = keep(daemon.post("/api/v1/reports", data=body, headers={**HEADERS, "Content-Type": ctype}), 201)
    codes.append(r.json()["code"])

    r = keep(daemon.post("/report", data={"text": f"Formular {MARKER}", "contact": MARKER}, headers=HEADERS), 200)
    codes.append(e2e.parse_confirmation(r.text)[1])

    # Two reports of very different lengths, to compare their envelopes.
    for text in (SHORT_TEXT, LONG_TEXT):
        r = keep(daemon.post("/api/v1/reports", json={"text": text}, headers=HEADERS), 201)
        codes.append(r.json()["code"])

    # Refused submissions carry the marker too.
    keep(daemon.post("/api/v1/reports", json={"text": MARKER, "area": MARKER}, headers=HEADERS), 422)
    keep(daemon.post("/report", data={"text": "", "contact": MARKER}, headers=HEADERS), 422)
    keep(daemon.post("/api/v1/reports", data=f"{MARKER}".encode(), headers={**HEADERS, "Content-Type": "text/plain"}),
         415)
    for path in ("/", "/report", "/healthz", "/report?lang=en"):
        keep(daemon.get(path, headers=HEADERS), 200)

    # An upload that stops half-way: look into tmp/ while it is in flight.
    body, ctype = e2e.multipart([("text", MARKER)], [("attachment", f"halb-{MARKER}.txt", "text/plain",
                                                      FILE_CONTENT * 2)])
    host, port = daemon.public_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(f"POST /api/v1/reports HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {AGENT}\r\n"
                 f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode())
    sock.sendall(body[: len(body) * 2 // 3])
    in_flight = {}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        in_flight = {name: (daemon.tmp_dir / name).read_bytes() for name in daemon.tmp_files()}
        if in_flight and all(len(v) > 65536 for v in in_flight.values()):
            break
        time.sleep(0.05)
    sock.close()
    tmp_after_abort = daemon.wait_tmp_empty()

    # Staff fetch everything, as a sync does.
    signer = e2e.StaffSigner(daemon.keys.staff_seed)
    items = signer.all_items(daemon)
    blobs = {}
    for item in items:
        for attachment in item["attachments"]:
            r = signer.get(daemon, f"/api/v1/staff/attachments/{attachment['id']}")
            responses.append(r)
            blobs[attachment["id"]] = r.content

    running = snapshot(daemon.storage)
    with daemon.db() as connection:
        tables = {name: [dict(row) for row in connection.execute(f"SELECT * FROM {name}")]
                  for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        columns = {name: [dict(row) for row in connection.execute(f"PRAGMA table_info({name})")] for name in tables}
    connection.close()
    # Stored rows are wrapped with their case's storage key (PROTOCOL §10.4): the checks
    # below read the envelopes and blobs inside, as the API serves them; `stored` keeps the row.
    case_of_item = {row["id"]: row["case_ref"] for row in tables["items"]}
    for row in tables["items"]:
        row["stored"] = row["envelope"]
        if row["kind"] != "status":
            row["envelope"] = sl.unwrap_item(sl.storage_key(daemon.storage, row["case_ref"]), row["id"], row["stored"])
    for row in tables["attachments"]:
        row["stored"] = row["blob"]
        row["blob"] = sl.unwrap_blob(sl.storage_key(daemon.storage, case_of_item[row["item_id"]]), row["id"], row["stored"])
    assert daemon.stop() == 0
    stopped = snapshot(daemon.storage)
    return {"daemon": daemon, "responses": responses, "codes": codes, "items": items, "blobs": blobs,
            "running": running, "stopped": stopped, "tables": tables, "columns": columns,
            "in_flight": in_flight, "tmp_after_abort": tmp_after_abort}


def secrets(run) -> list[bytes]:
    out = [MARKER.encode(), MARKER.encode("utf-16-le"), AGENT.encode(), FORWARDED.encode()]
    for code in run["codes"]:
        out += [code.encode(), e2e.code_digits(code).encode()]
    return out


@pytest.mark.parametrize("moment", ["running", "stopped"])
def test_data_directory_holds_no_marker_code_or_client_detail(run, moment):
    files = run[moment]
    assert "sealbox.sqlite" in files and "pepper" in files
    if moment == "running":
        assert "sealbox.sqlite-wal" in files  # the WAL was really looked at
    for name, content in files.items():
        for secret in secrets(run):
            assert secret not in content, f"{secret!r} found in {name}"
        assert MARKER not in name


def test_marker_reached_the_sealed_reports(run):
    """The marker is missing from the files because it is sealed, not because it never got there."""
    secret = run["daemon"].keys.team_secret
    # Rows are in the order of their random keys, not of arrival (gap 11): find each by its content.
    opened = [json.loads(e2e.so.open_envelope(row["envelope"], secret)[1]) for row in run["tables"]["items"]]
    first = [o for o in opened if o["text"] == f"Es geschah {MARKER} im Treppenhaus."]
    assert len(first) == 2  # the JSON report and the same fields from the web form
    assert all(o["contact"] == f"mail-{MARKER}@example.org" for o in first)
    with_file = [o for o in first if o["attachments"]]
    assert len(with_file) == 1 and with_file[0]["attachments"][0]["name"] == f"Beweis-{MARKER}.txt"
    row = next(a for a in run["tables"]["attachments"] if a["id"] == with_file[0]["attachments"][0]["id"])
    assert e2e.so.decrypt_blob(row["blob"], row["id"], secret) == FILE_CONTENT


def test_stored_rows_are_the_served_ones_wrapped_never_the_same_bytes(run):
    for row in [r for r in run["tables"]["items"] if r["kind"] != "status"]:
        assert len(row["stored"]) == len(row["envelope"]) + 40 and row["envelope"][100:164] not in row["stored"]
    for row in run["tables"]["attachments"]:
        assert row["blob"][1000:1064] not in row["stored"]
    assert (run["daemon"].storage / "keystore.sqlite").exists()


def test_upload_in_flight_is_staged_as_ciphertext_only(run):
    assert run["in_flight"], "no staging file was seen in tmp/ while the upload was in flight"
    for name, content in run["in_flight"].items():
        assert content.startswith(b"SBA1"), name
        assert MARKER.encode() not in content
        assert b"Vertraulich" not in content


def test_aborted_upload_leaves_tmp_empty(run):
    assert run["tmp_after_abort"] == []


@pytest.mark.parametrize("what", ["marker", "marker-utf16", "user-agent", "forwarded-address", "code-grouped",
                                  "code-digits"])
def test_log_output_never_contains(run, what):
    log = run["daemon"].log_bytes()
    assert log.strip(), "the daemon logged nothing at all; the check would be empty"
    needles = {
        "marker": [MARKER.encode()],
        "marker-utf16": [MARKER.encode("utf-16-le")],
        "user-agent": [AGENT.encode(), b"SealboxLeakProbe"],
        "forwarded-address": [FORWARDED.encode()],
        "code-grouped": [c.encode() for c in run["codes"]],
        "code-digits": [e2e.code_digits(c).encode() for c in run["codes"]],
    }[what]
    for needle in needles:
        assert needle not in log


def test_no_log_line_contains_the_client_address(run):
    lines = run["daemon"].log_bytes().decode(errors="replace").splitlines()
    offending = [line for line in lines if "127.0.0.1" in line
                 and "listening on" not in line and "listener on" not in line]
    assert offending == []
    # The listener lines are there, so the filter above is not vacuous.
    assert any("127.0.0.1" in line for line in lines)


def test_day_columns_hold_days_only(run):
    day_columns = {(t, c["name"]) for t, cols in run["columns"].items() for c in cols if "day" in c["name"]}
    assert {("cases", "received_day"), ("items", "day")} <= day_columns
    checked = 0
    for table, column in day_columns:
        for row in run["tables"][table]:
            value = row[column]
            if value is None:
                continue
            assert isinstance(value, str) and e2e.DAY_RE.match(value), (table, column, value)
            checked += 1
    assert checked >= 2 * 6


def test_database_holds_no_precise_time(run):
    now = time.time()
    names = [c["name"].lower() for cols in run["columns"].values() for c in cols]
    assert not [n for n in names if not n.endswith("day") and re.search(r"time|created|_at$|^ts$|stamp|date", n)]
    for table, rows in run["tables"].items():
        for row in rows:
            for column, value in row.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    for scale in (1, 1000, 1_000_000):
                        assert not (now - 3.2e8 < value / scale < now + 3.2e8), (table, column, value)
                if isinstance(value, str):
                    assert not re.search(r"\d{1,2}:\d{2}", value), (table, column, value)


def test_envelopes_are_padded_to_power_of_two_buckets(run):
    items = run["tables"]["items"]
    assert len(items) == 6
    for item in items:
        envelope = item["envelope"]
        assert envelope[:4] == b"SBX1"
        bucket = e2e.envelope_bucket(envelope)
        assert bucket >= 2048 and bucket & (bucket - 1) == 0, (len(envelope), bucket)


def test_envelope_length_does_not_reveal_text_length(run):
    # Two reports hold 4 and 500 characters of text (found by opening them: rows are not in arrival order).
    secret = run["daemon"].keys.team_secret
    by_text = {json.loads(e2e.so.open_envelope(row["envelope"], secret)[1])["text"]: row["envelope"]
               for row in run["tables"]["items"]}
    short, long = by_text[SHORT_TEXT], by_text[LONG_TEXT]
    assert len(SHORT_TEXT) < 10 and len(LONG_TEXT) >= 500
    assert len(short) == len(long)


def test_attachment_blobs_have_the_size_the_protocol_gives(run):
    rows = run["tables"]["attachments"]
    sizes = sorted(e2e.expected_blob_size(len(FILE_CONTENT), recipients=row["blob"][4]) for row in rows)
    assert sorted(len(row["blob"]) for row in rows) == sizes
    for row in rows:
        assert row["blob"][:4] == b"SBA1"
        assert row["size"] == len(row["blob"])
        assert run["blobs"][row["id"]] == row["blob"]


def test_identifiers_are_random_hex_not_row_numbers(run):
    for row in run["tables"]["items"]:
        assert re.fullmatch(r"[0-9a-f]{32}", row["id"])
    for row in run["tables"]["attachments"]:
        assert re.fullmatch(r"[0-9a-f]{32}", row["id"])
    ids = [item["id"] for item in run["items"]]
    assert len(set(ids)) == len(ids)


def test_no_response_sets_a_cookie(run):
    assert len(run["responses"]) > 15
    for response in run["responses"]:
        assert "Set-Cookie" not in response.headers, response.url


def test_database_stores_no_plain_code_or_lookup_key_columns(run):
    case_columns = {c["name"] for c in run["columns"]["cases"]}
    assert not [c for c in case_columns if "code" in c or c in ("seed", "master", "lookup_key")]
    for row in run["tables"]["cases"]:
        assert len(row["lookup_hash"]) == 32
        assert len(row["reporter_key"]) == 32
