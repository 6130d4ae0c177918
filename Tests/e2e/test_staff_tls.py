"""`sealbox` over real TLS to the real daemon (issue 9, trap 6; docs/WORKSTATION.md): a
throwaway certificate authority made with openssl, a TLS terminator in front of the staff
listener, and the CLI configured through its settings file as a counsellor's would be.
An authority the computer does not trust, an expired certificate, one made out for
another name, a certificate that is not the pinned one, a refused connection and a
silent server each get their own message (`sealbox: error: …` and a hint) and exit 4;
`server_ca_file` and `server_certificate_sha256` make the office's certificate trusted.
A pin alone suffices, like an SSH known_hosts entry: the certificate with that
fingerprint is accepted whoever issued it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import sealbox_e2e as e2e
import tls_helpers as th


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The office's authority with its certificates, and a stranger's authority."""
    root = tmp_path_factory.mktemp("pki")
    office = th.Authority(root / "office", "Sealbox Test Office CA")
    stranger = th.Authority(root / "stranger", "Somebody Else's CA")
    return {
        "office_ca": office.cert,
        "stranger_ca": stranger.cert,
        "server": office.issue("server", ["localhost", "127.0.0.1"]),
        "other_name": office.issue("other-name", ["mailbox.example.org"]),
        "expired": office.issue("expired", ["localhost", "127.0.0.1"],
                                start="20200101000000Z", end="20200201000000Z"),
    }


@pytest.fixture(scope="module")
def stored(daemon):
    """One report on the daemon, so that a sync has something to fetch."""
    body, ctype = e2e.multipart([("text", "Über TLS abgeholt"), ("grounds", "ethnic-origin"), ("area", "housing")])
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 201, r.text
    return r.json()["case"]


@pytest.fixture
def terminator(daemon, pki):
    with th.TLSTerminator(pki["server"], daemon.staff_url) as proxy:
        yield proxy


def counsellor(home: Path, keys, server: str, **trust: str):
    """Writes the counsellor's settings file (as docs/WORKSTATION.md shows it) and returns a runner."""
    settings = {"server": server, "staff_key": str(keys.staff_key_file), "team_key": str(keys.team_key_file),
                "passphrase_file": str(keys.passphrase_file), "store": str(home / "store"), **trust}
    config = home / "config" / "sealbox" / "config.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps(settings, indent=2))

    def run(*args: str, timeout: float = 120):
        return e2e.run_cli(list(args), home=home, timeout=timeout)
    return run


def error_of(result) -> str:
    err = result.stderr.decode(errors="replace")
    assert err.startswith("sealbox: error: "), err
    assert "sealbox: hint: " in err, err
    assert "network error" not in err, err
    return err


def listed_cases(run) -> list[str]:
    result = run("list", "--json")
    assert result.returncode == 0, result.stderr.decode()
    return [case["case"] for case in json.loads(result.stdout)["cases"]]


def test_an_unknown_authority_is_named_and_nothing_is_fetched(keys, stored, terminator, tmp_path):
    run = counsellor(tmp_path, keys, terminator.url())
    result = run("sync")
    assert result.returncode == 4
    err = error_of(result)
    assert "is signed by an authority this computer does not trust" in err
    assert "server_ca_file" in err and "server_certificate_sha256" in err
    assert terminator.relayed == 0
    assert listed_cases(run) == []


def test_with_the_office_authority_in_server_ca_file_sync_works(keys, stored, terminator, pki, tmp_path):
    run = counsellor(tmp_path, keys, terminator.url(), server_ca_file=str(pki["office_ca"]))
    result = run("sync")
    assert result.returncode == 0, result.stderr.decode()
    assert stored in listed_cases(run)
    assert terminator.relayed >= 2  # the items and the case list, both through TLS


def test_with_the_office_authority_a_signed_change_goes_through_tls(keys, stored, terminator, pki, tmp_path):
    run = counsellor(tmp_path, keys, terminator.url("localhost"), server_ca_file=str(pki["office_ca"]))
    result = run("status", stored, "in-progress")
    assert result.returncode == 0, result.stderr.decode()


def test_another_authority_in_server_ca_file_does_not_vouch_for_the_office(keys, stored, terminator, pki, tmp_path):
    run = counsellor(tmp_path, keys, terminator.url(), server_ca_file=str(pki["stranger_ca"]))
    result = run("sync")
    assert result.returncode == 4
    assert "is signed by an authority this computer does not trust" in error_of(result)


def test_the_right_pin_alone_is_trusted_without_the_authority(keys, stored, terminator, pki, tmp_path):
    fingerprint = pki["server"].fingerprint()
    assert fingerprint.lower().startswith("sha256 fingerprint=")
    run = counsellor(tmp_path, keys, terminator.url(), server_certificate_sha256=fingerprint.split("=", 1)[1])
    result = run("sync")
    assert result.returncode == 0, result.stderr.decode()
    assert stored in listed_cases(run)


def test_a_wrong_pin_is_refused_naming_both_fingerprints_even_with_the_right_authority(keys, stored, terminator,
                                                                                       pki, tmp_path):
    expected = pki["other_name"].fingerprint().split("=", 1)[1]
    presented = pki["server"].fingerprint().split("=", 1)[1]
    run = counsellor(tmp_path, keys, terminator.url(), server_ca_file=str(pki["office_ca"]),
                     server_certificate_sha256=expected)
    result = run("sync")
    assert result.returncode == 4
    err = error_of(result)
    assert expected in err and presented in err, err
    assert terminator.relayed == 0, "a request reached the daemon through a connection with the wrong certificate"
    assert listed_cases(run) == []


def test_a_malformed_pin_is_refused_when_the_settings_are_read(keys, tmp_path):
    run = counsellor(tmp_path, keys, "https://127.0.0.1:9", server_certificate_sha256="AB:CD:EF")
    result = run("sync")
    assert result.returncode == 2
    err = error_of(result)
    assert '"server_certificate_sha256" has 6 hexadecimal digits, not the 64 of a SHA-256' in err
    assert "openssl x509 -noout -fingerprint -sha256" in err


def test_a_certificate_for_another_name_is_named(keys, daemon, stored, pki, tmp_path):
    with th.TLSTerminator(pki["other_name"], daemon.staff_url) as proxy:
        run = counsellor(tmp_path, keys, proxy.url("localhost"), server_ca_file=str(pki["office_ca"]))
        result = run("sync")
        assert proxy.relayed == 0
    assert result.returncode == 4
    err = error_of(result)
    assert "is not made out for localhost (it names mailbox.example.org)" in err


def test_an_expired_certificate_is_named_with_its_day(keys, daemon, stored, pki, tmp_path):
    with th.TLSTerminator(pki["expired"], daemon.staff_url) as proxy:
        run = counsellor(tmp_path, keys, proxy.url(), server_ca_file=str(pki["office_ca"]))
        result = run("sync")
        assert proxy.relayed == 0
    assert result.returncode == 4
    assert "expired on 2020-02-01" in error_of(result)


def test_a_refused_connection_is_named(keys, tmp_path):
    run = counsellor(tmp_path, keys, f"https://127.0.0.1:{th.free_port()}")
    result = run("sync")
    assert result.returncode == 4
    err = error_of(result)
    assert "(connection refused)" in err
    assert "check that sealboxd is running" in err


def test_plain_http_to_another_computer_is_still_refused(keys, tmp_path):
    run = counsellor(tmp_path, keys, "http://192.0.2.1:8081")
    result = run("sync")
    assert result.returncode == 2
    assert "uses plain http to another computer" in error_of(result)


def test_https_to_a_server_without_tls_is_named(keys, daemon, tmp_path):
    run = counsellor(tmp_path, keys, daemon.staff_url.replace("http://", "https://"))
    result = run("sync")
    assert result.returncode == 4
    assert "does not speak TLS" in error_of(result)


def test_a_silent_server_is_a_timeout(keys, tmp_path):
    with th.SilentServer() as silent:
        run = counsellor(tmp_path, keys, f"https://127.0.0.1:{silent.port}")
        started = time.monotonic()
        result = run("sync", timeout=120)
        elapsed = time.monotonic() - started
    assert result.returncode == 4
    assert "gave no answer within 30 seconds" in error_of(result)
    assert 25 <= elapsed <= 90, elapsed
