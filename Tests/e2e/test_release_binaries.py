"""Issue 9, trap 3: docs/OPERATIONS.md §1 promises release binaries that need no Swift
runtime: `ldd` names only libraries of installed Debian packages (scripts/check-binaries.sh,
which `make deb` runs too). This runs the check on the release build when there is one
(`make release`, or SEALBOX_RELEASE_BIN); without one it skips and says so."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import sealbox_e2e as e2e

RELEASE = Path(os.environ.get("SEALBOX_RELEASE_BIN") or e2e.REPO / ".build" / "release")


def test_release_binaries_link_only_debian_libraries():
    if not all((RELEASE / name).exists() for name in ("sealboxd", "sealbox")):
        pytest.skip(f"no release build in {RELEASE} (make release builds one; make test-deb checks it too)")
    result = subprocess.run([str(e2e.REPO / "scripts" / "check-binaries.sh"), str(RELEASE)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (
        f"{result.stderr}{result.stdout}\nbuild the release binaries with `make release` "
        f"(swift build -c release --static-swift-stdlib)")
    assert "libsodium" in result.stdout and "libsqlite3" in result.stdout, result.stdout
