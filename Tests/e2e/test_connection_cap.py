"""Issue 8, gap 5 at scale: at `public.max_connections` the connection that has waited
longest without a request makes room for a newcomer (a connection in a request is
never closed for room); 2,000 connections sending a byte every 10 s against the
default settings are dropped, the daemon's sockets and memory stay bounded, and genuine
reporters are served meanwhile; at shutdown a slow body is cut after
`public.shutdown_grace`, not after `public.body_timeout`."""

from __future__ import annotations

import errno
import os
import selectors
import socket
import statistics
import threading
import time

import requests

from test_slow_clients import rss_kib

HEADLESS = b"G"
BODY_HEAD = (b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             b"Content-Length: 100000\r\n\r\n{")


def open_connections(daemon) -> int:
    """Sockets the daemon holds; fds that close while being counted are skipped."""
    count = 0
    base = f"/proc/{daemon.process.pid}/fd"
    for fd in os.listdir(base):
        try:
            count += os.readlink(f"{base}/{fd}").startswith("socket:")
        except FileNotFoundError:
            pass
    return count


def address(daemon) -> tuple[str, int]:
    host, port = daemon.public_url.removeprefix("http://").split(":")
    return host, int(port)


def connect(daemon, first: bytes) -> socket.socket:
    sock = socket.create_connection(address(daemon), timeout=10)
    sock.sendall(first)
    sock.setblocking(False)
    return sock


def closed_by_server(sock: socket.socket, wait: float = 3.0) -> bool:
    """True when the daemon closes `sock` (EOF, reset or an answer) within `wait` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            data = sock.recv(65536)
            return True if data == b"" or data.startswith(b"HTTP/1.1 ") else False
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            return True
    return False


def still_open(sock: socket.socket) -> bool:
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def test_at_the_cap_the_connection_waiting_longest_without_a_request_makes_room(daemon_factory):
    d = daemon_factory(SEALBOX_PUBLIC_MAX_CONNECTIONS="20", SEALBOX_PUBLIC_IDLE_TIMEOUT="60")
    socks = []
    try:
        for _ in range(20):
            socks.append(connect(d, HEADLESS))
            time.sleep(0.02)
        time.sleep(2.2)  # past the patience of 2 s a connection without a request has
        started = time.monotonic()
        r = requests.get(d.url("/healthz"), timeout=30)
        served_in = time.monotonic() - started
        assert r.status_code == 200
        # Without making room, the newcomer would wait for the idle timeout (60 s).
        assert served_in < 3, f"served after {served_in:.1f} s"
        assert closed_by_server(socks[0]) and closed_by_server(socks[1]), "the two oldest were not closed for room"
        assert all(still_open(s) for s in socks[3:]), "a younger connection was closed"
    finally:
        for s in socks:
            s.close()


def test_a_newcomer_is_not_closed_for_room_before_it_could_send_its_request(daemon_factory):
    d = daemon_factory(SEALBOX_PUBLIC_MAX_CONNECTIONS="10", SEALBOX_PUBLIC_IDLE_TIMEOUT="60")
    socks = []
    try:
        for _ in range(8):  # with the fixture's own keep-alive connection, nine
            socks.append(connect(d, HEADLESS))
        # The tenth arrives at the cap while every other is younger than 2 s: none is closed.
        r = requests.get(d.url("/healthz"), timeout=30)
        assert r.status_code == 200
        assert all(still_open(s) for s in socks), "a connection was closed before it could send its request"
    finally:
        for s in socks:
            s.close()


def test_a_connection_in_a_request_is_never_closed_for_room(daemon_factory):
    d = daemon_factory(SEALBOX_PUBLIC_MAX_CONNECTIONS="10", SEALBOX_PUBLIC_IDLE_TIMEOUT="60",
                       SEALBOX_PUBLIC_BODY_TIMEOUT="60")
    uploads, waiting = [], None
    try:
        for _ in range(8):
            uploads.append(connect(d, BODY_HEAD))
            time.sleep(0.02)
        time.sleep(0.3)
        waiting = connect(d, HEADLESS)  # the youngest, but the only one without a request
        time.sleep(2.2)  # past its patience
        r = requests.get(d.url("/healthz"), timeout=30)
        assert r.status_code == 200
        assert closed_by_server(waiting), "the connection without a request was not closed for room"
        assert all(still_open(s) for s in uploads), "an upload in progress was closed for room"
    finally:
        for s in uploads + ([waiting] if waiting else []):
            s.close()


class Slowloris:
    """Keeps up to `count` connections that send a request head a byte every `interval`
    seconds, reconnecting every dropped one until `reconnect_until`."""

    def __init__(self, daemon, count: int, interval: float, reconnect_until: float):
        self.target = address(daemon)
        self.count, self.interval, self.reconnect_until = count, interval, reconnect_until
        self.selector = selectors.DefaultSelector()
        self.socks: dict[int, tuple[socket.socket, float]] = {}
        self.opened = self.dropped = 0
        self.stop = threading.Event()

    def open_one(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        err = sock.connect_ex(self.target)
        if err not in (0, errno.EINPROGRESS):
            sock.close()
            return
        self.selector.register(sock, selectors.EVENT_READ)
        self.socks[sock.fileno()] = (sock, 0.0)
        self.opened += 1

    def drop(self, sock: socket.socket) -> None:
        self.selector.unregister(sock)
        self.socks.pop(sock.fileno(), None)
        sock.close()
        self.dropped += 1

    def run(self) -> None:
        for _ in range(self.count):
            self.open_one()
        while not self.stop.is_set() and self.socks:
            now = time.monotonic()
            for key, _ in self.selector.select(timeout=0.2):
                sock = key.fileobj
                try:
                    data = sock.recv(4096)
                    if data == b"" or data.startswith(b"HTTP/"):
                        self.drop(sock)
                except BlockingIOError:
                    pass
                except OSError:
                    self.drop(sock)
            for fd, (sock, last) in list(self.socks.items()):
                if now - last >= self.interval:
                    try:
                        sock.send(b"X")
                        self.socks[fd] = (sock, now)
                    except BlockingIOError:
                        pass
                    except OSError:
                        self.drop(sock)
            if now < self.reconnect_until:
                while len(self.socks) < self.count:
                    self.open_one()

    def close(self, runner: threading.Thread) -> None:
        self.stop.set()
        runner.join()
        for sock, _ in list(self.socks.values()):
            sock.close()


def test_two_thousand_slow_connections_with_the_defaults_are_dropped_while_reporters_are_served(daemon_factory):
    d = daemon_factory()  # public.max_connections 512, idle 30 s, body 300 s
    baseline = rss_kib(d.process.pid)
    listening = open_connections(d)
    flood_seconds = 20
    loris = Slowloris(d, 2000, interval=10.0, reconnect_until=time.monotonic() + flood_seconds)
    runner = threading.Thread(target=loris.run)
    runner.start()
    latencies, sockets_seen, peak = [], 0, baseline
    try:
        time.sleep(2.0)
        deadline = time.monotonic() + flood_seconds - 3
        i = 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            if i % 2:
                r = requests.get(d.url("/healthz"), timeout=60)
                assert r.status_code == 200
            else:
                r = requests.post(d.url("/api/v1/reports"), json={"text": f"Meldung {i} während der Flut"}, timeout=60)
                assert r.status_code == 201, r.text
            latencies.append(time.monotonic() - started)
            sockets_seen = max(sockets_seen, open_connections(d))
            peak = max(peak, rss_kib(d.process.pid))
            i += 1
            time.sleep(0.5)
        # The flood stops reconnecting; every slow connection the daemon accepted is then
        # dropped within the idle timeout (30 s) plus a margin. (Connections the kernel
        # never handed over, because its accept queue overflowed and SYN cookies answered,
        # stay "established" on the client's side only: the daemon holds nothing for them.)
        stop_by = time.monotonic() + 45
        while open_connections(d) > listening and time.monotonic() < stop_by:
            time.sleep(0.5)
            peak = max(peak, rss_kib(d.process.pid))
        held = open_connections(d) - listening
        ghosts = len(loris.socks)
    finally:
        loris.close(runner)
    print(f"\n2,000 slow connections (opened {loris.opened}, dropped {loris.dropped}): genuine requests "
          f"{len(latencies)}, median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
          f"daemon sockets at most {sockets_seen}; RSS {baseline // 1024} -> peak {peak // 1024} MiB; "
          f"client-side connections the kernel never handed over: {ghosts}")
    assert held <= 0, f"the daemon still holds {held} connections 45 s after the flood"
    assert len(latencies) >= 10
    assert max(latencies) < 5.0, f"a genuine request waited {max(latencies):.1f} s"
    assert sockets_seen <= 512 + 32, f"{sockets_seen} sockets open with a cap of 512"
    assert peak - baseline < 100 * 1024, f"RSS grew by {(peak - baseline) // 1024} MiB"
    assert loris.dropped >= 2000
    assert d.healthy()


def test_at_shutdown_a_slow_body_is_cut_after_the_grace_period(daemon_factory):
    d = daemon_factory(SEALBOX_PUBLIC_SHUTDOWN_GRACE="2")  # public.body_timeout stays 300 s
    upload = connect(d, BODY_HEAD)
    try:
        time.sleep(0.5)
        started = time.monotonic()
        assert d.stop(timeout=30) == 0
        took = time.monotonic() - started
    finally:
        upload.close()
    print(f"\nshutdown with a slow body open: {took:.1f} s")
    assert 1.5 <= took < 10, f"shutdown took {took:.1f} s"
    d.start()
    assert d.healthy()
