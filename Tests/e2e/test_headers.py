"""Section 5: the security headers are on every response (pages, errors, JSON,
the staff API); pages that show a code or content are not cached; no page has a
script or an external resource."""

from __future__ import annotations

import re
import time

import pytest
import requests

import inbox_helpers as ih
import sealbox_e2e as e2e


def public_requests(daemon):
    body, ctype = e2e.multipart([("text", "Kopfzeilen")])
    return {
        "landing": lambda: daemon.get("/"),
        "landing-en": lambda: daemon.get("/?lang=en"),
        "form": lambda: daemon.get("/report"),
        "healthz": lambda: daemon.get("/healthz"),
        "stylesheet": lambda: daemon.get("/static/sealbox.css"),
        "404-page": lambda: daemon.get("/gibt-es-nicht"),
        "404-api": lambda: daemon.get("/api/v1/nothing"),
        "wrong-method-page": lambda: requests.put(daemon.url("/report"), data=b"x", timeout=30),
        "wrong-method-api": lambda: requests.delete(daemon.url("/api/v1/reports"), timeout=30),
        "413-api": lambda: daemon.post("/api/v1/reports", data=b"{" + b" " * (1 << 20) + b"}",
                                       headers={"Content-Type": "application/json"}),
        "422-api": lambda: daemon.post("/api/v1/reports", json={"text": ""}),
        "422-form": lambda: daemon.post("/report", data={"text": ""}),
        "415-api": lambda: daemon.post("/api/v1/reports", data=b"x", headers={"Content-Type": "text/plain"}),
        "201-api": lambda: daemon.post("/api/v1/reports", json={"text": "Kopfzeilen JSON"}),
        "confirmation": lambda: daemon.post("/report", data=body, headers={"Content-Type": ctype}),
        "receipt-refused": lambda: daemon.post("/receipt", data={"code": "1", "case": "x", "received": "y"}),
    }


PUBLIC = list(public_requests(None))
NO_STORE = ["413-api", "422-api", "422-form", "415-api", "201-api", "confirmation", "404-api", "404-page"]
PAGES = ["landing", "landing-en", "form", "404-page", "422-form", "confirmation", "wrong-method-page"]


@pytest.fixture(scope="module")
def answers(daemon):
    return {name: send() for name, send in public_requests(daemon).items()}


def check_security_headers(response):
    h = response.headers
    csp = h.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", csp
    assert directives.get("form-action") == "form-action 'self'", csp
    assert directives.get("default-src") == "default-src 'none'", csp
    assert "script-src" not in directives or directives["script-src"] == "script-src 'none'"
    assert h.get("X-Content-Type-Options") == "nosniff"
    assert h.get("Referrer-Policy") == "no-referrer"
    assert "Server" not in h
    assert "ETag" not in h
    assert "Set-Cookie" not in h


@pytest.mark.parametrize("name", PUBLIC)
def test_public_response_carries_security_headers(answers, name):
    check_security_headers(answers[name])


def test_expected_statuses_of_the_header_probes(answers):
    statuses = {name: r.status_code for name, r in answers.items()}
    assert statuses["404-page"] == statuses["404-api"] == 404
    assert statuses["413-api"] == 413
    assert statuses["422-api"] == statuses["422-form"] == 422
    assert statuses["415-api"] == 415
    assert statuses["201-api"] == 201
    assert statuses["confirmation"] == 200
    assert statuses["landing"] == statuses["form"] == statuses["healthz"] == statuses["stylesheet"] == 200


@pytest.mark.parametrize("name", ["wrong-method-page", "wrong-method-api"])
def test_wrong_method_on_an_existing_route_answers_405(answers, name):
    assert answers[name].status_code == 405


@pytest.mark.parametrize("name", NO_STORE)
def test_answers_with_codes_content_or_errors_are_not_cached(answers, name):
    assert "no-store" in answers[name].headers.get("Cache-Control", "")


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_script_and_no_external_resource(answers, name):
    html = answers[name].text
    assert answers[name].headers["Content-Type"].startswith("text/html")
    assert "<script" not in html.lower()
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"""(?:src|href|action|formaction|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "<iframe" not in html.lower() and "<object" not in html.lower() and "<embed" not in html.lower()
    assert not re.search(r"\sstyle\s*=", html), "inline style (blocked by the CSP anyway)"


@pytest.mark.parametrize("name", PAGES)
def test_page_is_plain_html_without_debug_output(answers, name):
    html = answers[name].text
    assert html.startswith("<!DOCTYPE html>")
    for leak in ("GRDB", "SQL(elements", "Optional(", "Swift.", "SealboxCore"):
        assert leak not in html, leak


def test_report_form_offers_every_ground_and_area(answers):
    html = answers["form"].text
    grounds = re.findall(r'<input type="checkbox" id="[^"]+" name="grounds" value="([a-z-]+)"', html)
    assert grounds == ["ethnic-origin", "gender", "religion", "disability", "age", "sexual-identity",
                       "chronic-illness", "language", "social-status", "appearance", "nationality", "other"]
    areas = re.findall(r'<input type="radio" id="[^"]+" name="area" value="([a-z-]*)"', html)
    assert areas == ["", "work", "housing", "education", "authorities", "goods-services", "health",
                     "public-space", "online", "other"]
    for value in grounds:
        assert re.search(rf'<label for="field-grounds(-{value})?">[^<]+</label>', html)


def test_stylesheet_loads_nothing_from_elsewhere(answers):
    css = answers["stylesheet"].text
    assert answers["stylesheet"].headers["Content-Type"].startswith("text/css")
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", css)


def test_pages_link_only_to_this_site(answers):
    for name in PAGES:
        for target in re.findall(r'(?:href|action|src)="([^"]*)"', answers[name].text):
            assert target.startswith(("/", "#")), (name, target)


def test_links_keep_a_language_chosen_by_query(daemon):
    html = daemon.get("/report?lang=en").text
    assert 'href="/?lang=en"' in html
    assert 'action="/report?lang=en"' in html
    assert 'lang="en"' in html
    german = daemon.get("/report").text
    assert 'href="/?lang=en"' not in german and 'action="/report"' in german


def test_english_by_header_and_query_german_by_default(daemon):
    assert 'lang="de"' in daemon.get("/").text
    assert 'lang="en"' in daemon.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert 'lang="en"' in daemon.get("/?lang=en", headers={"Accept-Language": "de"}).text


# --- the staff listener ----------------------------------------------------------------------------------------


def staff_requests(daemon, signer):
    return {
        "unsigned": lambda: requests.get(daemon.staff_url + "/api/v1/staff/items", timeout=30),
        "signed-items": lambda: signer.get(daemon, "/api/v1/staff/items?limit=5"),
        "signed-404-attachment": lambda: signer.get(daemon, "/api/v1/staff/attachments/" + "a" * 32),
        "signed-400": lambda: signer.get(daemon, "/api/v1/staff/items?limit=0"),
        "healthz": lambda: requests.get(daemon.staff_url + "/healthz", timeout=30),
    }


@pytest.mark.parametrize("name", ["unsigned", "signed-items", "signed-404-attachment", "signed-400", "healthz"])
def test_staff_response_carries_security_headers(daemon, signer, name):
    response = staff_requests(daemon, signer)[name]()
    expected = {"unsigned": 401, "signed-items": 200, "signed-404-attachment": 404, "signed-400": 400, "healthz": 200}
    assert response.status_code == expected[name]
    check_security_headers(response)
    if response.headers.get("Content-Type", "").startswith("application/json"):
        assert "no-store" in response.headers.get("Cache-Control", "")


# --- refusals under load and on a full disk (issue 8: 400, 413, 429, 503, 507) ------------------------------


def hold_the_pool(daemon, source: str):
    """A multipart upload that never finishes: it holds the only key-derivation place."""
    import socket
    host, port = daemon.public_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0))
    sock.sendall(b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=h\r\n"
                 b"Content-Length: 1000000\r\n\r\n--h\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nx")
    return sock


@pytest.fixture(scope="module")
def refusals(module_daemons):
    answers = {}
    busy = module_daemons(SEALBOX_CRYPTO_KDF_WORKERS="1", SEALBOX_CRYPTO_KDF_QUEUE="0",
                          SEALBOX_LIMITS_SUBMISSIONS="1", SEALBOX_ONION_LISTEN="127.0.0.1:0")
    held = hold_the_pool(busy, "127.0.0.41")
    try:
        # Until the held upload has its place (the pool is checked first). The probe is an
        # empty report: refused with 422 while the pool is free, it never takes the one
        # place from the held upload, nor counts against a budget.
        probe = ih.client_at("127.0.0.44")
        for _ in range(50):
            if probe.post(busy.url("/api/v1/reports"), json={"text": ""}, timeout=30).status_code == 503:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the held upload never took the key-derivation pool's only place")
        answers["503-api"] = busy.post("/api/v1/reports", json={"text": "besetzt"})
        answers["503-form"] = busy.post("/report", data={"text": "besetzt"})
    finally:
        held.close()
    ih.away_from_window_edge(20, 600)
    for _ in range(50):
        first = busy.post("/api/v1/reports", json={"text": "frei"})
        if first.status_code == 201:
            break
        time.sleep(0.1)
    assert first.status_code == 201, first.text
    answers["429-api"] = busy.post("/api/v1/reports", json={"text": "zu viele"})
    answers["429-form"] = busy.post("/report", data={"text": "zu viele"})
    # Every client has a budget of one report: these come from other loopback addresses.
    answers["400-api"] = ih.client_at("127.0.0.42").post(
        busy.url("/api/v1/reports"), data=b'{"text": "\xff"}', headers={"Content-Type": "application/json"}, timeout=30)
    body = (b"--k\r\nContent-Disposition: form-data; name=\"text\"\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\nx\r\n--k--\r\n")
    answers["413-part-headers"] = ih.client_at("127.0.0.43").post(
        busy.url("/api/v1/reports"), data=body, headers={"Content-Type": "multipart/form-data; boundary=k"}, timeout=30)
    onion = next(line.split(" on ")[1].strip().rstrip("/") for line in busy.stdout_lines if "onion listener" in line)
    answers["404-onion"] = requests.get(onion + "/gibt-es-nicht", timeout=30)
    answers["405-onion"] = requests.put(onion + "/report", data=b"x", timeout=30)
    full = module_daemons(SEALBOX_STORAGE_RESERVE=str(1 << 60))
    answers["507-api"] = full.post("/api/v1/reports", json={"text": "kein Platz"})
    answers["507-form"] = full.post("/report", data={"text": "kein Platz"})
    return answers


REFUSALS = {"503-api": 503, "503-form": 503, "429-api": 429, "429-form": 429, "400-api": 400,
            "413-part-headers": 413, "404-onion": 404, "405-onion": 405, "507-api": 507, "507-form": 507}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_refusals_under_load_carry_the_security_headers_and_no_server_or_etag(refusals, name):
    response = refusals[name]
    assert response.status_code == REFUSALS[name], response.text[:300]
    check_security_headers(response)
    assert "no-store" in response.headers.get("Cache-Control", "")
    if response.status_code in (429, 503):
        assert response.headers.get("Retry-After", "").isdigit()
    if name.endswith("-form"):
        html = response.text
        assert html.startswith("<!DOCTYPE html>") and "<script" not in html.lower()


# --- a real 500 (issue 8), and 405 on the staff listener ------------------------------------------------------


@pytest.fixture(scope="module")
def failing_storage(module_daemons, tmp_path_factory):
    """Answers from a daemon whose storage fails every write with EIO (the LD_PRELOAD shim
    of test_io_errors.py): a real 500 from the public and the staff listener."""
    import os
    import shutil
    import subprocess
    from pathlib import Path

    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler (cc) to build the LD_PRELOAD shim that makes writes fail")
    work = tmp_path_factory.mktemp("failing-storage")
    shim = work / "fail_io.so"
    source = Path(__file__).resolve().parent / "shim" / "fail_io.c"
    subprocess.run([compiler, "-shared", "-fPIC", "-O1", "-o", str(shim), str(source), "-ldl"], check=True)
    storage, control = work / "data", work / "control"
    d = module_daemons(storage=storage, LD_PRELOAD=str(shim), SEALBOX_SHIM_PREFIX=str(storage),
                       SEALBOX_SHIM_CONTROL=str(control))
    case = d.post("/api/v1/reports", json={"text": "vor dem Fehler"}).json()["case"]
    fresh = control.with_suffix(".new")
    fresh.write_text("1 persist w\n")  # from the next write on, every write fails
    os.replace(fresh, control)
    signer = e2e.StaffSigner(d.keys.staff_seed)
    path = f"/api/v1/staff/cases/{case}/status"
    body = b'{"status":"in-progress"}'
    try:
        answers = {
            "500-api": d.post("/api/v1/reports", json={"text": "Schreibfehler"}),
            "500-form": d.post("/report", data={"text": "Schreibfehler"}),
            "500-staff": requests.post(d.staff_url + path, data=body, timeout=30,
                                       headers={**signer.headers("POST", path, body),
                                                "Content-Type": "application/json"}),
        }
    finally:
        control.unlink(missing_ok=True)
    assert d.post("/api/v1/reports", json={"text": "nach dem Fehler"}).status_code == 201
    return answers


@pytest.mark.parametrize("name", ["500-api", "500-form", "500-staff"])
def test_a_real_500_carries_the_security_headers_and_no_detail(failing_storage, name):
    response = failing_storage[name]
    assert response.status_code == 500, response.text[:300]
    check_security_headers(response)
    assert "no-store" in response.headers.get("Cache-Control", "")
    for detail in ("SQLITE", "I/O", "GRDB", "errno", "Optional("):
        assert detail not in response.text, detail
    if name == "500-form":
        assert response.text.startswith("<!DOCTYPE html>") and "<script" not in response.text.lower()


@pytest.mark.parametrize("method", ["PUT", "DELETE", "POST"])
def test_wrong_method_on_a_staff_route_answers_405_with_the_security_headers(daemon, signer, method):
    path = "/api/v1/staff/items"
    response = requests.request(method, daemon.staff_url + path, headers=signer.headers(method, path), timeout=30)
    assert response.status_code == 405, response.text[:300]
    check_security_headers(response)
    assert "no-store" in response.headers.get("Cache-Control", "")
