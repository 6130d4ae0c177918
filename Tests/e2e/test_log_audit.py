"""Logs at `trace` level during the whole end-to-end run hold no code, no report text,
no client address, no user agent and no time of day (issue 8, "Leaks, proven").

Every daemon of the run logs at trace and keeps its output (sealbox_e2e.Daemon); every
request through `requests` is recorded (log_audit.py). The audit itself is moved to the
end of the run by Tests/conftest.py. The self-tests below prove that the scan finds a
leak planted in a real daemon's log, so that a clean audit means something."""

from __future__ import annotations

import os

import pytest
import requests

import log_audit
import sealbox_e2e as e2e

AGENT = "SealboxAuditProbe/1.0 (self-test)"


@pytest.fixture(scope="module")
def probed(module_daemons):
    """A daemon that took a report, an inbox opening and a wrong code, then stopped."""
    daemon = module_daemons()
    report = daemon.post("/api/v1/reports", json={"text": "Audit-Selbsttest im Hausflur"}, headers={"User-Agent": AGENT})
    assert report.status_code == 201
    code = report.json()["code"]
    assert daemon.post("/api/v1/inbox", json={"code": code}).status_code == 200
    assert daemon.stop() == 0
    return daemon, code


def test_every_daemon_logs_at_trace_and_requests_are_recorded(probed):
    daemon, code = probed
    if not log_audit.ENABLED:
        pytest.skip("SEALBOX_E2E_LOG_AUDIT=0")
    assert daemon.env()["SEALBOX_LOG_LEVEL"] == "trace"
    assert daemon.log_bytes().strip(), "the daemon logged nothing; the audit would be empty"
    needles = {needle for _, needle in log_audit.SECRETS.needles()}
    assert code in needles and e2e.code_digits(code) in needles
    assert "Audit-Selbsttest im Hausflur" in needles
    assert AGENT in needles and requests.utils.default_user_agent() in needles


def test_the_probed_daemons_own_log_is_clean(probed):
    daemon, _ = probed
    scanned, lines, leak = log_audit.audit([daemon])
    assert scanned == 1 and lines > 0
    assert leak is None, leak


@pytest.mark.parametrize("planted, what", [
    ("INFO sealboxd: opened case for {code}", "a code"),
    ("DEBUG hb: code={digits}", "a code"),
    ("TRACE hb: body Audit-Selbsttest im Hausflur", "a sent text"),
    ("DEBUG hb: user-agent " + AGENT, "a user agent"),
    ("DEBUG hb: remote 127.0.0.1:51234", "a client address"),
    ("NOTICE sealboxd: submission from 198.51.100.7", "a client address"),
    ("INFO sealboxd: stored at 14:03:27", "a time of day"),
    ("INFO sealboxd: 2026-11-24T14:03 stored", "a time of day"),
    ("sealboxd: public listener on http://127.0.0.1:8080/ for 10.1.2.3", "an address besides"),
])
def test_a_leak_planted_in_a_real_daemon_log_is_caught_and_named(probed, planted, what):
    daemon, code = probed
    log = daemon.log_bytes().decode("utf-8", errors="replace")
    line = planted.format(code=code, digits=e2e.code_digits(code))
    leak = log_audit.find_leak(log + line + "\n" + "INFO sealboxd: later line\n", log_audit.SECRETS)
    assert leak is not None and what in leak, leak
    assert f"line {log.count(chr(10)) + 1} " in leak  # the first leak, named by its line


def test_no_daemon_log_of_the_whole_run_holds_a_code_text_address_agent_or_time():
    """Runs last (Tests/conftest.py): every daemon of the run, every run of each."""
    if not log_audit.ENABLED:
        pytest.skip("SEALBOX_E2E_LOG_AUDIT=0")
    scanned, lines, leak = log_audit.audit(log_audit.DAEMONS)
    secrets = log_audit.SECRETS
    print(f"\nlog audit: {scanned} daemons, {lines} log lines; searched for {len(secrets.codes) // 2} codes, "
          f"{len(secrets.texts)} texts, {len(secrets.agents)} user agents, any address and time of day "
          f"(pid {os.getpid()})")
    assert scanned >= 1, "no daemon ran before the audit"
    assert leak is None, leak
