"""Fixtures of the end-to-end tests: keys made by the real `sealbox keygen`, and
`sealboxd` processes on fresh storage and free loopback ports. Every daemon a test
starts is stopped with SIGTERM at teardown, and must exit 0 within a few seconds."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sealbox_e2e as e2e  # noqa: E402


def pytest_sessionstart(session):
    missing = [str(p) for p in (e2e.SEALBOXD, e2e.SEALBOX) if not p.exists()]
    if missing:
        raise pytest.UsageError(f"binaries missing: {', '.join(missing)} (run `swift build` or set SEALBOX_BIN)")


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> e2e.Keys:
    return e2e.make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def signer(keys) -> e2e.StaffSigner:
    return e2e.StaffSigner(keys.staff_seed)


class DaemonFactory:
    def __init__(self, keys, tmp_path_factory):
        self.keys = keys
        self.tmp_path_factory = tmp_path_factory
        self.daemons: list[e2e.Daemon] = []

    def __call__(self, storage: Path | None = None, start: bool = True, **settings) -> e2e.Daemon:
        daemon = e2e.Daemon(self.keys, self.tmp_path_factory.mktemp("sealboxd"), storage=storage, **settings)
        self.daemons.append(daemon)
        return daemon.start() if start else daemon

    def stop_all(self):
        failures = []
        for daemon in self.daemons:
            if daemon.running:
                code = daemon.stop(signal.SIGTERM)
                if code != 0:
                    failures.append(f"sealboxd exited {code} on SIGTERM; stderr:\n{daemon.stderr()[-2000:]}")
        assert not failures, "\n".join(failures)


@pytest.fixture
def daemon_factory(keys, tmp_path_factory):
    """Starts daemons with extra SEALBOX_* settings; stops each at teardown (exit 0 required)."""
    factory = DaemonFactory(keys, tmp_path_factory)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="module")
def module_daemons(keys, tmp_path_factory):
    factory = DaemonFactory(keys, tmp_path_factory)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="module")
def daemon(module_daemons) -> e2e.Daemon:
    """A daemon with the default configuration, shared by the tests of one module."""
    return module_daemons()
