"""nginx and tor from Debian, run as ordinary foreground processes on free loopback ports
in a test's temporary folder, configured from the files the administrator installs
(config/nginx/*, config/tor/sealbox.torrc and Debian's own /etc/nginx/nginx.conf), with
only ports, paths and the certificate replaced. The system's nginx and tor services
are never touched.

Every replacement must match the file it is applied to, so that a config file that
drifts from what these tests run makes them fail instead of silently testing something
else."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

import sealbox_e2e as e2e

CONFIG = e2e.REPO / "config"
SERVER_NAME = "melden.example.org"
DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")
DEBIAN_DEFAULT_SITE = Path("/etc/nginx/sites-available/default")


def require(program: str) -> str:
    path = shutil.which(program) or next((p for p in (f"/usr/sbin/{program}", f"/usr/bin/{program}")
                                          if os.path.exists(p)), None)
    if not path:
        pytest.skip(f"{program} is not installed (scripts/setup.sh installs it)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(text: str, replacements: list[tuple[str, str]], name: str) -> str:
    for old, new in replacements:
        assert old in text, f"{name} no longer contains {old!r}: update the test together with the file"
        text = text.replace(old, new)
    return text


def throwaway_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for SERVER_NAME (and a key), valid for two days."""
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "2", "-subj", f"/CN={SERVER_NAME}", "-addext", f"subjectAltName=DNS:{SERVER_NAME}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{what} does not listen on port {port}")


class Nginx:
    """Debian's nginx with Debian's nginx.conf and Sealbox's three files, in `root`."""

    def __init__(self, root: Path, public_upstream: str, staff_upstream: str, *, staff_allow: str = "127.0.0.1",
                 with_debian_default_site: bool = False):
        self.binary = require("nginx")
        if not DEBIAN_NGINX_CONF.exists():
            pytest.skip("Debian's /etc/nginx/nginx.conf is missing (scripts/setup.sh installs nginx)")
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        # nginx's worker processes must reach the files (pytest's folders are 0700).
        os.chmod(root, 0o755)
        self.logs = root / "log"
        for sub in ("log", "conf.d", "sites-enabled", "tmp"):
            (root / sub).mkdir(exist_ok=True)
        self.http, self.https, self.staff = free_port(), free_port(), free_port()
        self.cert, self.key = throwaway_certificate(root)
        logs = str(self.logs) + "/"
        main = render(DEBIAN_NGINX_CONF.read_text(), [
            ("user www-data;", "user root root;" if os.geteuid() == 0 else ""),
            ("pid /run/nginx.pid;", f"pid {root}/nginx.pid;"),
            ("/var/log/nginx/", logs),
            ("include /etc/nginx/conf.d/*.conf;", f"include {root}/conf.d/*.conf;"),
            ("include /etc/nginx/sites-enabled/*;", f"include {root}/sites-enabled/*;"),
        ], "/etc/nginx/nginx.conf")
        (root / "nginx.conf").write_text(main)
        # Where nginx keeps request bodies and upstream answers it buffers (empty when
        # proxy_request_buffering is off, as it must be).
        temp = "".join(f"{kind}_temp_path {root}/tmp/{kind};\n" for kind in ("client_body", "proxy", "fastcgi",
                                                                             "uwsgi", "scgi"))
        (root / "conf.d" / "0-test-paths.conf").write_text(temp)
        shutil.copyfile(CONFIG / "nginx" / "sealbox-http.conf", root / "conf.d" / "sealbox-http.conf")
        ports = [
            ("listen [::]:80 default_server;\n", ""), ("listen [::]:443 ssl default_server;\n", ""),
            ("listen 80 default_server;", f"listen 127.0.0.1:{self.http} default_server;"),
            ("listen 443 ssl default_server;", f"listen 127.0.0.1:{self.https} ssl default_server;"),
            ("/var/log/nginx/", logs),
        ]
        (root / "sites-enabled" / "sealbox-catchall").write_text(
            render((CONFIG / "nginx" / "sealbox-catchall.conf").read_text(), ports, "config/nginx/sealbox-catchall.conf"))
        site = render((CONFIG / "nginx" / "sealbox.conf").read_text(), [
            ("listen [::]:80;\n", ""), ("listen [::]:443 ssl http2;\n", ""), ("listen [::]:8443 ssl http2;\n", ""),
            ("listen 80;", f"listen 127.0.0.1:{self.http};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https} ssl http2;"),
            ("listen 8443 ssl http2;", f"listen 127.0.0.1:{self.staff} ssl http2;"),
            (f"/etc/letsencrypt/live/{SERVER_NAME}/fullchain.pem", str(self.cert)),
            (f"/etc/letsencrypt/live/{SERVER_NAME}/privkey.pem", str(self.key)),
            ("proxy_pass http://127.0.0.1:8080;", f"proxy_pass {public_upstream};"),
            ("proxy_pass http://127.0.0.1:8081;", f"proxy_pass {staff_upstream};"),
            ("allow 203.0.113.0/24;", f"allow {staff_allow};"),
            ("/var/log/nginx/", logs),
        ], "config/nginx/sealbox.conf")
        (root / "sites-enabled" / "sealbox").write_text(site)
        if with_debian_default_site:
            (root / "sites-enabled" / "default").write_text(render(DEBIAN_DEFAULT_SITE.read_text(), [
                ("listen [::]:80 default_server;\n", ""),
                ("listen 80 default_server;", f"listen 127.0.0.1:{self.http} default_server;"),
            ], str(DEBIAN_DEFAULT_SITE)))
        self.process: subprocess.Popen | None = None

    def command(self, *extra: str) -> list[str]:
        return [self.binary, "-p", str(self.root), "-c", str(self.root / "nginx.conf"), "-g", "daemon off;", *extra]

    def check(self) -> subprocess.CompletedProcess:
        return subprocess.run(self.command("-t"), capture_output=True, timeout=30)

    def start(self) -> "Nginx":
        checked = self.check()
        assert checked.returncode == 0, checked.stderr.decode()
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        stdin=subprocess.DEVNULL)
        for port in (self.http, self.https, self.staff):
            wait_for_port(port, self.process, "nginx")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, logs are flushed
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def public(self) -> str:
        return f"https://{SERVER_NAME}:{self.https}"

    @property
    def staff_url(self) -> str:
        return f"https://{SERVER_NAME}:{self.staff}"

    def log_text(self) -> dict[str, str]:
        """Every file nginx wrote into its log folder, by name."""
        return {p.name: p.read_text(errors="replace") for p in sorted(self.logs.iterdir()) if p.is_file()}

    def body_files(self) -> list[str]:
        """Files in nginx's temporary folders (a spooled upload would be plaintext)."""
        return [str(p) for p in (self.root / "tmp").rglob("*") if p.is_file()]


def resolve_server_name(monkeypatch) -> None:
    """Lets this process resolve SERVER_NAME to 127.0.0.1 (so that TLS sends the name as
    SNI and checks the certificate for it), without touching /etc/hosts."""
    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kw):
        return original("127.0.0.1" if host == SERVER_NAME else host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def tls_handshake(port: int, server_name: str | None, cafile: Path) -> str:
    """'ok' or the error of a TLS handshake with `server_name` as SNI (None: no SNI)."""
    context = ssl.create_default_context(cafile=str(cafile))
    context.check_hostname = False
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname=server_name):
                return "ok"
    except (ssl.SSLError, OSError) as error:
        return type(error).__name__ + ": " + str(error)


class Tor:
    """Debian's tor with DisableNetwork 1 and config/tor/sealbox.torrc's onion service."""

    def __init__(self, root: Path, onion_port: int):
        self.binary = require("tor")
        self.root = root
        self.data, self.service = root / "data", root / "sealbox"
        for folder in (self.data,):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        service = render((CONFIG / "tor" / "sealbox.torrc").read_text(), [
            ("HiddenServiceDir /var/lib/tor/sealbox/", f"HiddenServiceDir {self.service}/"),
            ("HiddenServicePort 80 127.0.0.1:8082", f"HiddenServicePort 80 127.0.0.1:{onion_port}"),
        ], "config/tor/sealbox.torrc")
        (root / "torrc").write_text(
            f"DataDirectory {self.data}\nSocksPort 0\nDisableNetwork 1\nLog notice stdout\n" + service)
        self.process: subprocess.Popen | None = None
        self.output = root / "tor.log"

    def start(self) -> "Tor":
        with open(self.output, "wb") as out:
            self.process = subprocess.Popen([self.binary, "-f", str(self.root / "torrc"), "--RunAsDaemon", "0"],
                                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self

    def hostname(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        path = self.service / "hostname"
        while time.monotonic() < deadline:
            if path.exists() and path.read_text().strip():
                return path.read_text().strip()
            assert self.process and self.process.poll() is None, f"tor exited:\n{self.output.read_text()}"
            time.sleep(0.1)
        raise AssertionError(f"tor made no onion hostname:\n{self.output.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
