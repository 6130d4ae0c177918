"""Issue 9, "a deployment tested end to end": nginx from Debian in front of the daemon,
configured from config/nginx/ on top of Debian's own nginx.conf, with TLS (a throwaway
certificate), and tor from Debian with DisableNetwork 1 publishing the onion listener
from config/tor/sealbox.torrc (docs/OPERATIONS.md §5, §6). nginx and tor run as
foreground processes on free loopback ports in the test's folder (deployment_helpers.py).

Through nginx every reporter flow works; the daemon gets one client address (X-Real-IP,
set by nginx, which a client cannot forge) and no user agent; nginx logs no address and
no agent anywhere, also for requests that land in the catch-all server; an oversized
upload gets the daemon's localised 413, never nginx's page; nothing is spooled to
nginx's temporary files."""

from __future__ import annotations

import copy
import http.server
import json
import os
import socket
import ssl
import threading

import pytest
import requests

import deployment_helpers as dep
import inbox_helpers as ih
import sealbox_e2e as e2e

AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 sealbox-deployment-test"
LIMITS = {"SEALBOX_LIMITS_ATTACHMENT_SIZE": "200000", "SEALBOX_LIMITS_ATTACHMENT_TOTAL": "300000",
          "SEALBOX_LIMITS_JSON_BODY": "65536", "SEALBOX_PUBLIC_CLIENT_ADDRESS_HEADER": "X-Real-IP"}


@pytest.fixture
def deployment(daemon_factory, tmp_path, monkeypatch):
    """A daemon behind nginx; `proxied` is the daemon as a reporter reaches it (https)."""
    daemon = daemon_factory(**LIMITS)
    nginx = dep.Nginx(tmp_path / "nginx", daemon.public_url, daemon.staff_url).start()
    dep.resolve_server_name(monkeypatch)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(nginx.cert))
    proxied = copy.copy(daemon)
    proxied.public_url, proxied.staff_url = nginx.public, nginx.staff_url
    yield daemon, nginx, proxied
    nginx.stop()


def assert_nginx_logged_nothing_identifying(nginx: dep.Nginx) -> None:
    logs = nginx.log_text()
    for name, text in logs.items():
        for needle in ("127.0.0.", "sealbox-deployment-test", "Mozilla", "Firefox"):
            assert needle not in text, f"nginx's {name} holds {needle!r}:\n{text[-2000:]}"
    # access_log off at http level cancels Debian's access.log line in nginx.conf.
    assert "access.log" not in logs or logs["access.log"] == "", logs


def test_every_reporter_flow_works_through_nginx_and_nginx_logs_no_address(deployment, signer, keys):
    daemon, nginx, proxied = deployment
    headers = {"User-Agent": AGENT}
    # The form with an attachment, as a browser sends it.
    attachment = os.urandom(150_000)
    body, ctype = e2e.multipart([("text", "Über nginx gemeldet, mit einer Datei")],
                                [("attachment", "beleg.pdf", "application/pdf", attachment)])
    r = proxied.post("/report", data=body, headers={"Content-Type": ctype, **headers})
    assert r.status_code == 200, r.text[:500]
    case, code = e2e.parse_confirmation(r.text)
    assert r.headers.get("Server") == "nginx"  # server_tokens off: no version
    # The inbox over the pages, with a follow-up carrying a file.
    visit = ih.open_visit(proxied, code, headers=headers)
    assert case in r.text and visit.cookie_attrs is not None
    sent = visit.follow_up("Nachtrag über nginx", [("nachtrag.txt", "text/plain", b"noch etwas")])
    assert sent.status_code in (200, 303), sent.text[:500]
    # The JSON API: a report, the inbox, a follow-up.
    r = proxied.post("/api/v1/reports", json={"text": "Über die API und nginx"}, headers=headers)
    assert r.status_code == 201, r.text
    api_case, api_code = r.json()["case"], r.json()["code"]
    opened = ih.open_inbox(proxied, api_code, headers=headers)
    assert opened.status_code == 200 and opened.json()["case"] == api_case
    assert ih.follow_up_json(proxied, api_code, "Nachtrag über die API", headers=headers).status_code == 201
    # The staff API on its own port: a sync sees all of it.
    items = signer.all_items(proxied)
    by_case = {}
    for item in items:
        by_case.setdefault(item["case"], []).append(item)
    assert len(by_case[case]) == 2 and len(by_case[api_case]) == 2, by_case
    # No upload was spooled to nginx's temporary files, and nothing identifying was logged.
    assert nginx.body_files() == []
    nginx.stop()
    assert_nginx_logged_nothing_identifying(nginx)


def test_staff_port_answers_only_the_office_network(deployment, signer):
    _, nginx, proxied = deployment
    session = requests.Session()
    session.mount("https://", _SourceAdapter("127.0.0.2"))
    path = "/api/v1/staff/items?limit=1"
    refused = session.get(proxied.staff_url + path, headers=signer.headers("GET", path), timeout=30)
    assert refused.status_code == 403 and "nginx/" not in refused.text
    assert signer.get(proxied, path).status_code == 200
    nginx.stop()
    assert_nginx_logged_nothing_identifying(nginx)


class _SourceAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, source: str):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kw)


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Recorder.seen.append({k.lower(): v for k, v in self.headers.items()})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_the_daemon_gets_one_client_address_a_client_cannot_forge_and_no_agent(tmp_path, monkeypatch):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{upstream.server_address[1]}"
    nginx = dep.Nginx(tmp_path / "nginx", address, address).start()
    dep.resolve_server_name(monkeypatch)
    try:
        _Recorder.seen.clear()
        forged = {"User-Agent": AGENT, "X-Real-IP": "198.51.100.7", "X-Forwarded-For": "198.51.100.8",
                  "Forwarded": "for=198.51.100.9", "Via": "1.1 elsewhere"}
        r = requests.get(nginx.public + "/report", headers=forged, verify=str(nginx.cert), timeout=30)
        assert r.status_code == 200
        seen = _Recorder.seen[-1]
        assert seen["x-real-ip"] == "127.0.0.1"
        assert seen["x-forwarded-proto"] == "https"
        assert seen["host"] == dep.SERVER_NAME
        for name in ("user-agent", "x-forwarded-for", "forwarded"):
            assert name not in seen, f"nginx passed {name}: {seen}"
        assert not any("198.51.100" in value for value in seen.values()), seen
    finally:
        nginx.stop()
        upstream.shutdown()
    assert_nginx_logged_nothing_identifying(nginx)


def test_a_forged_address_header_does_not_reset_the_code_budget_behind_nginx(daemon_factory, tmp_path, monkeypatch):
    daemon = daemon_factory(SEALBOX_LIMITS_CODE_ATTEMPTS="3", **LIMITS)
    nginx = dep.Nginx(tmp_path / "nginx", daemon.public_url, daemon.staff_url).start()
    dep.resolve_server_name(monkeypatch)
    try:
        ih.away_from_window_edge(30, 600)
        statuses = []
        for i in range(5):
            r = requests.post(nginx.public + "/api/v1/inbox", json={"code": ih.grouped(ih.random_code())},
                              headers={"X-Real-IP": f"198.51.100.{i}", "User-Agent": AGENT},
                              verify=str(nginx.cert), timeout=60)
            statuses.append(r.status_code)
        assert statuses == [404, 404, 404, 429, 429], statuses
        # Straight to the daemon, a client at another address has its own budget.
        assert ih.open_inbox(daemon, ih.grouped(ih.random_code()),
                             headers={"X-Real-IP": "192.0.2.1"}).status_code == 404
    finally:
        nginx.stop()
    assert_nginx_logged_nothing_identifying(nginx)


def test_requests_by_address_other_host_or_none_land_in_the_silent_catchall(deployment):
    _, nginx, proxied = deployment
    # Port 80: the right name is redirected to https; anything else gets no answer (444).
    for head in (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + AGENT.encode() + b"\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: elsewhere.example\r\nUser-Agent: " + AGENT.encode() + b"\r\n\r\n",
                 b"GET / HTTP/1.0\r\nUser-Agent: " + AGENT.encode() + b"\r\n\r\n"):
        raw, _ = e2e.raw_http(f"http://127.0.0.1:{nginx.http}", head)
        assert raw == b"", raw[:200]
    raw, _ = e2e.raw_http(f"http://127.0.0.1:{nginx.http}",
                          f"GET /report HTTP/1.1\r\nHost: {dep.SERVER_NAME}\r\n\r\n".encode())
    assert e2e.status_of(raw) == 301 and f"Location: https://{dep.SERVER_NAME}/report".encode() in raw
    assert b"Server: nginx\r\n" in raw  # server_tokens off: no version
    # Port 443: no certificate is shown without the right name.
    assert dep.tls_handshake(nginx.https, dep.SERVER_NAME, nginx.cert) == "ok"
    for name in (None, "elsewhere.example"):
        assert dep.tls_handshake(nginx.https, name, nginx.cert) != "ok"
    # The right name but another Host header inside TLS: the catch-all closes without an answer.
    with pytest.raises(requests.ConnectionError):
        requests.get(proxied.url("/report"), headers={"Host": "elsewhere.example", "User-Agent": AGENT}, timeout=30)
    nginx.stop()
    assert_nginx_logged_nothing_identifying(nginx)


def test_debians_default_site_left_enabled_stops_nginx_from_starting(tmp_path):
    nginx = dep.Nginx(tmp_path / "nginx", "http://127.0.0.1:9", "http://127.0.0.1:9", with_debian_default_site=True)
    checked = nginx.check()
    assert checked.returncode != 0
    assert b"duplicate default server" in checked.stderr


def test_oversized_uploads_get_the_daemons_localised_413_never_nginxs(deployment):
    daemon, nginx, proxied = deployment
    big = os.urandom(400_000)
    body, ctype = e2e.multipart([("text", "Zu groß für das Postfach")], [("attachment", "gross.bin",
                                                                          "application/octet-stream", big)])
    for language, title in (("de", "Die Meldung ist zu groß"), ("en", "The report is too large")):
        r = proxied.post("/report", data=body, headers={"Content-Type": ctype, "Accept-Language": language})
        assert r.status_code == 413 and title in r.text, r.text[:300]
        assert "<center>nginx" not in r.text
    # The API: a declared length far beyond every limit is refused by the daemon before it is sent.
    r = proxied.post("/api/v1/reports", data=b"{" + b" " * 100_000 + b"}",
                     headers={"Content-Type": "application/json", "Accept-Language": "en"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large", r.text[:300]
    host, port = "127.0.0.1", nginx.https
    context = ssl.create_default_context(cafile=str(nginx.cert))
    with socket.create_connection((host, port), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname=dep.SERVER_NAME) as tls:
            tls.sendall(f"POST /api/v1/reports HTTP/1.1\r\nHost: {dep.SERVER_NAME}\r\nContent-Type: "
                        f"application/json\r\nContent-Length: {200 * 1024 * 1024}\r\nConnection: close\r\n\r\n{{".encode())
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
    assert e2e.status_of(answer) == 413 and b"body_too_large" in answer, answer[:300]
    assert daemon.counts()["cases"] == 0 and daemon.wait_tmp_empty() == []
    assert nginx.body_files() == []
    nginx.stop()
    assert_nginx_logged_nothing_identifying(nginx)


def test_tor_publishes_the_onion_listener_and_the_daemon_answers_there(daemon_factory, tmp_path):
    onion_port = dep.free_port()
    tor = dep.Tor(tmp_path / "tor", onion_port).start()
    try:
        hostname = tor.hostname()
        assert hostname.endswith(".onion") and len(hostname) == 62
        assert oct(os.stat(tor.service / "hs_ed25519_secret_key").st_mode & 0o777) == "0o600"
        daemon = daemon_factory(SEALBOX_ONION_LISTEN=f"127.0.0.1:{onion_port}",
                                SEALBOX_ONION_ADDRESS=hostname)
        # tor hands each visitor's stream to exactly this listener (HiddenServicePort 80 → onion.listen).
        onion = f"http://127.0.0.1:{onion_port}"
        assert requests.get(onion + "/healthz", timeout=30).text == "ok\n"
        r = requests.post(onion + "/api/v1/reports", json={"text": "Über Tor gemeldet"}, timeout=60)
        assert r.status_code == 201
        assert requests.post(onion + "/api/v1/inbox", json={"code": r.json()["code"]}, timeout=60).status_code == 200
        # The clearnet pages point Tor Browser to the address tor made.
        assert daemon.get("/report").headers["Onion-Location"].startswith(f"http://{hostname}/")
        log = tor.output.read_text()
        assert "127.0.0.1" not in log.replace(f"127.0.0.1:{onion_port}", "")
    finally:
        tor.stop()
