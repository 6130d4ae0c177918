"""Fixtures shared by Tests/e2e and Tests/interop: keys made by the real `sealbox keygen`,
a PyNaCl staff signer, `sealboxd` processes on fresh storage and free loopback ports,
and `sealbox` workstations with their own XDG folders. Every daemon a test starts is
stopped with SIGTERM at teardown, and must exit 0 within a few seconds.

The helper modules are found through `pythonpath` in the repository's pytest.ini."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Callable

import pytest

import inbox_helpers as ih
import log_audit
import sealbox_e2e as e2e

# Every request the tests send through `requests` is recorded for the log audit.
log_audit.install()

# The audit of every daemon's log runs after every other test (Tests/e2e/test_log_audit.py).
FINAL_AUDIT = "test_no_daemon_log_of_the_whole_run_holds_a_code_text_address_agent_or_time"


def pytest_collection_modifyitems(config, items):
    """The log audit goes last. The binaries must exist when a collected test runs them
    (every test that uses `keys`); the PyNaCl vector tests alone run without them."""
    final = [item for item in items if item.name == FINAL_AUDIT]
    items[:] = [item for item in items if item.name != FINAL_AUDIT] + final
    if config.option.collectonly or not any("keys" in item.fixturenames for item in items):
        return
    missing = [str(p) for p in (e2e.SEALBOXD, e2e.SEALBOX) if not p.exists()]
    if missing:
        raise pytest.UsageError(f"binaries missing: {', '.join(missing)} (run `swift build` or set SEALBOX_BIN)")


# --- keys ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> e2e.Keys:
    """A team key, a staff key the daemons know and one they do not, made by `sealbox keygen`."""
    return e2e.make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def signer(keys) -> e2e.StaffSigner:
    """Signs staff requests with the staff key every daemon here is configured with."""
    return e2e.StaffSigner(keys.staff_seed)


@pytest.fixture(scope="session")
def team_secret(keys) -> bytes:
    """The team secret key, opened from its key file by PyNaCl (sealbox_open.py)."""
    return keys.team_secret


# --- daemons ------------------------------------------------------------------------------------------------

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
    """Like daemon_factory, for daemons shared by the tests of one module."""
    factory = DaemonFactory(keys, tmp_path_factory)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="module")
def daemon(module_daemons) -> e2e.Daemon:
    """A daemon with the default configuration, shared by the tests of one module."""
    return module_daemons()


# --- workstations -------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def workstation_factory(keys, tmp_path_factory) -> Callable[[e2e.Daemon], ih.Workstation]:
    """Makes a `sealbox` workstation for a daemon: its own home and store, and the staff
    key, team key and passphrase file of `keys` given through SEALBOX_* settings."""
    def make(daemon: e2e.Daemon) -> ih.Workstation:
        return ih.Workstation(tmp_path_factory.mktemp("workstation"), daemon, keys)
    return make
