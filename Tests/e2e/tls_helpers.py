"""Real TLS on loopback for the staff API (issue 9): a throwaway certificate authority and
server certificates made by `openssl` (the commands docs/WORKSTATION.md shows the
administrator), and a small TLS terminator in front of the real daemon's staff listener,
as nginx or another reverse proxy stands in front of it in an office."""

from __future__ import annotations

import select
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

CA_CONFIG = """\
[ ca ]
default_ca = test_ca

[ test_ca ]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = copy
x509_extensions = server_ext

[ policy_any ]
commonName = supplied

[ server_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
"""


def openssl(*args: str, cwd: Path) -> str:
    result = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"openssl {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


@dataclass
class Certificate:
    cert: Path
    key: Path

    def fingerprint(self) -> str:
        """What `openssl x509 -noout -fingerprint -sha256` prints, e.g. `sha256 Fingerprint=AB:…`."""
        return openssl("x509", "-noout", "-fingerprint", "-sha256", "-in", str(self.cert), cwd=self.cert.parent).strip()


class Authority:
    """A throwaway certificate authority in `directory` that issues server certificates."""

    def __init__(self, directory: Path, name: str):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "newcerts").mkdir(exist_ok=True)
        (directory / "index.txt").write_text("")
        (directory / "serial").write_text("1000\n")
        (directory / "ca.cnf").write_text(CA_CONFIG.format(dir=directory))
        self.cert = directory / "ca.pem"
        self.key = directory / "ca.key"
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", str(self.key), "-out", str(self.cert), "-days", "30", "-subj", f"/CN={name}",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                cwd=directory)

    def issue(self, label: str, names: list[str], *, start: str | None = None, end: str | None = None) -> Certificate:
        """A server certificate for `names` (DNS names or IP addresses), valid for 30 days
        from now, or from `start` to `end` (YYYYMMDDHHMMSSZ)."""
        key = self.directory / f"{label}.key"
        csr = self.directory / f"{label}.csr"
        cert = self.directory / f"{label}.pem"
        san = ",".join(f"IP:{n}" if n.replace(".", "").isdigit() or ":" in n else f"DNS:{n}" for n in names)
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", str(key), "-out", str(csr), "-subj", f"/CN={names[0]}", "-addext", f"subjectAltName={san}",
                cwd=self.directory)
        dates = ["-startdate", start, "-enddate", end] if start and end else ["-days", "30"]
        openssl("ca", "-batch", "-notext", "-config", str(self.directory / "ca.cnf"), "-cert", str(self.cert),
                "-keyfile", str(self.key), "-in", str(csr), "-out", str(cert), *dates, cwd=self.directory)
        return Certificate(cert, key)


class TLSTerminator:
    """Accepts TLS on 127.0.0.1 with `certificate` and relays the plain bytes to the
    daemon's staff listener at `upstream` (http://host:port), one thread a connection."""

    def __init__(self, certificate: Certificate, upstream: str):
        host, port = upstream.removeprefix("http://").rsplit(":", 1)
        self.upstream = (host, int(port))
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(certificate.cert), str(certificate.key))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.handshake_failures = 0
        self.relayed = 0  # connections that carried at least one byte from the client to the daemon
        self.stopping = False
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def url(self, host: str = "127.0.0.1") -> str:
        return f"https://{host}:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        self.listener.close()
        self.thread.join(5)

    def _accept(self):
        while not self.stopping:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket):
        client.settimeout(10)
        try:
            tls = self.context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            self.handshake_failures += 1
            client.close()
            return
        upstream = socket.create_connection(self.upstream, timeout=10)
        try:
            self._pump(tls, upstream)
        finally:
            for sock in (tls, upstream):
                try:
                    sock.close()
                except OSError:
                    pass

    def _pump(self, tls: ssl.SSLSocket, plain: socket.socket) -> bool:
        """Relays until either side closes; whether the client sent anything."""
        sent = False
        tls.setblocking(False)
        plain.setblocking(False)
        while True:
            readable = [tls] if tls.pending() else select.select([tls, plain], [], [], 30)[0]
            if not readable:
                return sent
            for source, target in ((tls, plain), (plain, tls)):
                if source not in readable:
                    continue
                try:
                    data = source.recv(65536)
                except (ssl.SSLWantReadError, BlockingIOError):
                    continue
                except (ssl.SSLError, OSError):
                    return sent
                if not data:
                    return sent
                if source is tls and not sent:
                    sent = True
                    self.relayed += 1
                target.setblocking(True)
                try:
                    target.sendall(data)
                except OSError:
                    return sent
                finally:
                    target.setblocking(False)


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.listener.close()
        for sock in self.held:
            sock.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(client)


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
