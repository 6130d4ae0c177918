"""Issue 9, the daemon's side of operations: the pepper check value that stops a restore
without its pepper from orphaning every code, the release and the schema check, `sealboxd
check-config`, the onion address on the onion listener's pages and receipts, and the
monitoring probes on the staff listener (/metrics, /readyz)."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests

import durability_helpers as dh
import sealbox_e2e as e2e

REPO = Path(__file__).resolve().parents[2]
ONION = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"
PUBLIC = "https://melden.example.org"


def release() -> str:
    """The newest release CHANGELOG.md records (## [X.Y.Z] …)."""
    match = re.search(r"^## \[(\d+\.\d+\.\d+)\]", (REPO / "CHANGELOG.md").read_text(), re.M)
    assert match, "CHANGELOG.md records no release"
    return match.group(1)


def check_value(pepper: bytes) -> bytes:
    """H(32, "sealbox/v1/pepper-check", key = pepper), computed apart from the daemon."""
    return hashlib.blake2b(b"sealbox/v1/pepper-check", digest_size=32, key=pepper).digest()


def meta(daemon) -> dict:
    with daemon.db() as connection:
        rows = {row[0]: row[1] for row in connection.execute("SELECT key, value FROM meta")}
    connection.close()
    return rows


def migrations(path: Path) -> list[str]:
    connection = sqlite3.connect(str(path))
    try:
        return [row[0] for row in connection.execute("SELECT identifier FROM grdb_migrations ORDER BY rowid")]
    finally:
        connection.close()


def with_one_case(daemon_factory):
    daemon = daemon_factory(**dh.FAST)
    status, shown = dh.submit(daemon, "Bericht vor der Wiederherstellung", None)
    assert status == 201
    assert daemon.stop() == 0
    return daemon, shown


def refused(daemon) -> subprocess.CompletedProcess:
    """Starts `daemon`'s configuration expecting a refusal."""
    return subprocess.run([str(e2e.SEALBOXD)], env=daemon.env(), capture_output=True, timeout=30, cwd=daemon.workdir)


# --- trap 1: the pepper ------------------------------------------------------------------------

def test_a_fresh_install_creates_the_pepper_and_records_its_check_value(daemon_factory):
    daemon = daemon_factory(**dh.FAST)
    pepper = (daemon.storage / "pepper").read_bytes()
    assert meta(daemon)["pepper_check"] == check_value(pepper)
    assert dh.submit(daemon, "erster Bericht", None)[0] == 201


def test_a_restore_without_the_pepper_is_refused_naming_the_file_and_the_drill(daemon_factory):
    daemon, _ = with_one_case(daemon_factory)
    pepper = daemon.storage / "pepper"
    pepper.unlink()
    result = refused(daemon)
    stderr = result.stderr.decode()
    assert result.returncode != 0
    assert str(pepper) in stderr and "is missing" in stderr and "1 case" in stderr
    assert "docs/OPERATIONS.md" in stderr and "Restore drill" in stderr
    assert not pepper.exists(), "a new pepper was created beside a database with cases"
    assert "listener on" not in result.stdout.decode()


def test_another_pepper_is_refused_and_left_as_it_is(daemon_factory):
    daemon, shown = with_one_case(daemon_factory)
    pepper = daemon.storage / "pepper"
    original = pepper.read_bytes()
    other = os.urandom(32)
    pepper.write_bytes(other)
    result = refused(daemon)
    assert result.returncode != 0
    assert str(pepper) in result.stderr.decode() and "is not the pepper of this database" in result.stderr.decode()
    assert pepper.read_bytes() == other
    # With its own pepper back, the code opens its case again.
    pepper.write_bytes(original)
    daemon.start()
    assert not dh.shown_missing(daemon, [shown])


def test_a_database_without_cases_gets_a_new_pepper_when_its_file_is_gone(daemon_factory):
    daemon = daemon_factory(**dh.FAST)
    assert daemon.stop() == 0
    old = (daemon.storage / "pepper").read_bytes()
    (daemon.storage / "pepper").unlink()
    daemon.start()
    new = (daemon.storage / "pepper").read_bytes()
    assert new != old and meta(daemon)["pepper_check"] == check_value(new)


def test_an_upgraded_database_records_the_check_value_of_its_pepper_then_guards_it(daemon_factory):
    daemon, shown = with_one_case(daemon_factory)
    # The database as the release before v6 left it.
    connection = sqlite3.connect(str(daemon.db_path))
    with connection:
        connection.execute("DROP TABLE meta")
        connection.execute("DELETE FROM grdb_migrations WHERE identifier = 'v6-pepper-check'")
    connection.close()
    daemon.start()
    pepper = (daemon.storage / "pepper").read_bytes()
    assert meta(daemon)["pepper_check"] == check_value(pepper)
    assert migrations(daemon.db_path)[-1] == "v6-pepper-check"
    assert not dh.shown_missing(daemon, [shown])
    assert daemon.stop() == 0
    (daemon.storage / "pepper").write_bytes(os.urandom(32))
    assert refused(daemon).returncode != 0


# --- release and schema ------------------------------------------------------------------------

def test_both_binaries_print_the_release_the_changelog_records():
    for binary in (e2e.SEALBOXD, e2e.SEALBOX):
        result = subprocess.run([str(binary), "--version"], capture_output=True, timeout=30, env=e2e.clean_env())
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().strip() == release()


def test_a_database_from_a_newer_release_is_refused_and_not_touched(daemon_factory):
    daemon, _ = with_one_case(daemon_factory)
    connection = sqlite3.connect(str(daemon.db_path))
    with connection:
        connection.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
    connection.close()
    before = migrations(daemon.db_path)
    result = refused(daemon)
    stderr = result.stderr.decode()
    assert result.returncode != 0
    assert "written by a newer Sealbox" in stderr and "v99-from-the-future" in stderr
    assert "install that release or restore a backup" in stderr
    assert migrations(daemon.db_path) == before


# --- check-config ------------------------------------------------------------------------------

def config_file(tmp_path: Path, keys, storage: Path, **changes) -> Path:
    config = {
        "public": {"listen": "127.0.0.1:18080", "address": PUBLIC},
        "staff": {"listen": "127.0.0.1:18081", "keys": [keys.staff_public_text]},
        "storage": {"path": str(storage)},
        "crypto": {"team_public_key": keys.team_public_text},
        "office": {"controller": "Region Musterstadt, Musterweg 1, 30000 Musterstadt",
                   "data_protection_contact": "datenschutz@example.org"},
    }
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        config.setdefault(section, {})[key] = value
    path = tmp_path / "sealboxd.json"
    path.write_text(json.dumps(config))
    return path


def check_config(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(e2e.SEALBOXD), "check-config", "--config", str(path)], capture_output=True,
                          timeout=60, env=e2e.clean_env(), cwd=path.parent)


def test_check_config_accepts_a_good_configuration_and_creates_nothing(keys, tmp_path):
    storage = tmp_path / "data"
    result = check_config(config_file(tmp_path, keys, storage))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.startswith("sealboxd: configuration ok") and "127.0.0.1:18081" in out
    assert not storage.exists(), "check-config created the storage directory"


def test_check_config_lists_every_problem_not_only_the_first(keys, tmp_path):
    storage = tmp_path / "data"
    path = config_file(tmp_path, keys, storage, public__listen="nowhere", limits__code_attempts=0,
                       **{"office__colors": {"text": "#fefefe"}})
    result = check_config(path)
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "3 problems" in stderr, stderr
    assert "listen address nowhere is not HOST:PORT" in stderr
    assert "limits.code_attempts must be more than zero" in stderr
    assert "office.colors:" in stderr and "contrast" in stderr
    assert not storage.exists()


def test_check_config_names_a_missing_pepper_and_a_pending_migration_without_changing_the_database(
        daemon_factory, keys, tmp_path):
    daemon, _ = with_one_case(daemon_factory)
    connection = sqlite3.connect(str(daemon.db_path))
    with connection:
        connection.execute("DROP TABLE meta")
        connection.execute("DELETE FROM grdb_migrations WHERE identifier = 'v6-pepper-check'")
    connection.close()
    path = config_file(tmp_path, keys, daemon.storage)
    files = sorted(os.listdir(daemon.storage))
    good = check_config(path)
    assert sorted(os.listdir(daemon.storage)) == files, "check-config left files in the storage directory"
    assert good.returncode == 0, good.stderr.decode()
    assert "1 cases, to be migrated at start (v6-pepper-check)" in good.stdout.decode()
    (daemon.storage / "pepper").unlink()
    bad = check_config(path)
    assert bad.returncode == 1
    assert str(daemon.storage / "pepper") in bad.stderr.decode() and "is missing" in bad.stderr.decode()
    assert not (daemon.storage / "pepper").exists()
    assert "v6-pepper-check" not in migrations(daemon.db_path)


def test_the_daemon_itself_refuses_a_bad_configuration_with_every_problem(keys, tmp_path):
    result = e2e.start_refused(keys, tmp_path, SEALBOX_PUBLIC_LISTEN="nowhere", SEALBOX_ONION_ADDRESS="example.org")
    stderr = result.stderr.decode()
    assert result.returncode != 0
    assert "2 problems" in stderr, stderr
    assert "listen address nowhere is not HOST:PORT" in stderr
    assert "onion.address must be the onion service's hostname" in stderr


# --- trap 5: the onion address -----------------------------------------------------------------

@pytest.fixture(scope="module")
def onion_daemon(module_daemons):
    d = module_daemons(SEALBOX_ONION_LISTEN="127.0.0.1:0", SEALBOX_ONION_ADDRESS=ONION, SEALBOX_PUBLIC_ADDRESS=PUBLIC,
                       **dh.FAST)
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=10)
    while datetime.datetime.now() < deadline:
        lines = [line for line in d.stdout_lines if "onion listener on" in line]
        if lines:
            d.onion = re.search(r"(http://\S+)/", lines[0]).group(1)
            return d
        time.sleep(0.05)
    raise AssertionError("no onion listener announced")


def submit_form(base: str) -> tuple[str, str, str]:
    body, ctype = e2e.multipart([("text", "Über tor gemeldet")])
    r = requests.post(base + "/report", data=body, headers={"Content-Type": ctype}, timeout=60)
    assert r.status_code == 200, r.text[:500]
    case, code = e2e.parse_confirmation(r.text)
    return case, code, r.text


def test_a_visitor_over_the_onion_listener_is_sent_back_to_the_onion_address(onion_daemon):
    case, code, page = submit_form(onion_daemon.onion)
    assert "http://" + ONION in page and PUBLIC not in page
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    receipt = requests.post(onion_daemon.onion + "/receipt", data={"code": code, "case": case, "received": today},
                            timeout=30)
    assert receipt.status_code == 200
    assert "http://" + ONION in receipt.text and PUBLIC not in receipt.text


def test_a_visitor_over_the_public_listener_is_still_sent_to_the_public_address(onion_daemon):
    case, code, page = submit_form(onion_daemon.public_url)
    assert PUBLIC in page and "http://" + ONION not in page
    assert onion_daemon.get("/report").headers["Onion-Location"] == "http://" + ONION + "/report"


# --- monitoring --------------------------------------------------------------------------------

def metric(text: str, name: str, labels: str = "") -> float:
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.M)
    assert match, f"{name}{labels} missing"
    return float(match.group(1))


def test_metrics_count_answers_by_route_and_status_class_and_hold_no_request_data(daemon_factory):
    daemon = daemon_factory(**dh.FAST)
    assert daemon.get("/gibt-es-nicht-x7").status_code == 404
    assert dh.submit(daemon, "Bericht für die Zählung", None)[0] == 201
    assert daemon.post("/api/v1/inbox", json={"code": "1234"}).status_code == 422
    r = requests.get(daemon.staff_url + "/metrics", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = r.text
    assert metric(text, "sealbox_build_info", f'{{version="{release()}"}}') == 1
    assert metric(text, "sealbox_http_responses_total", '{route="public_form",status="404"}') >= 1
    assert metric(text, "sealbox_http_responses_total", '{route="public_api",status="2xx"}') >= 1
    assert metric(text, "sealbox_http_responses_total", '{route="inbox",status="422"}') >= 1
    for name in ("sealbox_kdf_pool_queue_depth", "sealbox_kdf_pool_wait_seconds_count", "sealbox_code_pool_ready",
                 "sealbox_storage_free_bytes", "sealbox_storage_reserve_bytes"):
        metric(text, name)
    assert metric(text, "sealbox_kdf_pool_wait_seconds_count") >= 1
    assert metric(text, "sealbox_storage_free_bytes") > 0
    assert metric(text, "sealbox_backup_last_success_day_seconds") == 0
    assert "127.0.0.1" not in text and "gibt-es-nicht" not in text and "1234" not in text.replace(" 1234", "")
    # Every sample is a total: no label beyond route, status and version.
    labels = set(re.findall(r"([a-z_]+)=\"", text))
    assert labels <= {"route", "status", "version"}, labels


def test_a_backup_is_reported_by_its_day(daemon_factory, tmp_path):
    daemon = daemon_factory(**dh.FAST)
    target = tmp_path / "b.sqlite"
    result = subprocess.run([str(e2e.SEALBOXD), "backup", "--to", str(target)], env=daemon.env(),
                            capture_output=True, timeout=120, cwd=daemon.workdir)
    assert result.returncode == 0, result.stderr
    today = datetime.datetime.now(datetime.timezone.utc).date()
    midnight = datetime.datetime(today.year, today.month, today.day, tzinfo=datetime.timezone.utc).timestamp()
    text = requests.get(daemon.staff_url + "/metrics", timeout=30).text
    assert metric(text, "sealbox_backup_last_success_day_seconds") == midnight
    assert meta(daemon)["last_backup_day"] == today.isoformat()


def test_readyz_is_ready_and_answers_503_while_the_database_takes_no_writes(daemon_factory):
    daemon = daemon_factory(**dh.FAST)
    r = requests.get(daemon.staff_url + "/readyz", timeout=30)
    assert (r.status_code, r.text) == (200, "ready\n")
    assert daemon.get("/readyz").status_code == 404, "readyz is for the staff listener only"
    assert daemon.get("/metrics").status_code == 404, "metrics are for the staff listener only"
    blocker = sqlite3.connect(str(daemon.db_path), isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        r = requests.get(daemon.staff_url + "/readyz", timeout=60)
        assert r.status_code == 503 and "not ready" in r.text
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert requests.get(daemon.staff_url + "/readyz", timeout=30).status_code == 200


def test_on_a_staff_listener_beyond_loopback_the_probes_need_a_signature(daemon_factory, signer):
    daemon = daemon_factory(SEALBOX_STAFF_LISTEN="0.0.0.0:0", **dh.FAST)
    staff = daemon.staff_url.replace("0.0.0.0", "127.0.0.1")
    for path in ("/metrics", "/readyz"):
        assert requests.get(staff + path, timeout=30).status_code == 401
        signed = requests.get(staff + path, headers=signer.headers("GET", path), timeout=30)
        assert signed.status_code == 200, path


def test_the_daemon_logs_one_line_at_start_and_one_at_stop_without_a_time(daemon_factory):
    daemon = daemon_factory(**dh.FAST)
    assert daemon.stop() == 0
    lines = daemon.stderr().splitlines()
    starting = [line for line in lines if "sealboxd " + release() + " starting" in line]
    stopped = [line for line in lines if "sealboxd " + release() + " stopped" in line]
    assert len(starting) == 1 and len(stopped) == 1, lines
    assert not re.search(r"\d{1,2}:\d{2}", starting[0] + stopped[0])
