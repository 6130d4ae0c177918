"""Issue 9, "the unit really runs". PID 1 here is not systemd, so systemd-run cannot
apply systemd/sealboxd.service; bubblewrap applies its file-system and privilege
restrictions instead: the whole file system read-only except the storage folder
(ProtectSystem=strict, StateDirectory=), a private /tmp (PrivateTmp=), a minimal /dev
(PrivateDevices=), a user namespace in which the daemon is an unprivileged user with
no capabilities (PrivateUsers=, CapabilityBoundingSet=), no new privileges
(NoNewPrivileges=), and private IPC, UTS and PID namespaces.

Inside, strace counts every system call the daemon makes while it serves a form
submission with an attachment, an inbox visit with a follow-up, a staff sync by the
real CLI and its shutdown, and while `sealboxd backup` runs. The test then checks
the unit's SystemCallFilter= as systemd would read it (group members from
`systemd-analyze syscall-filter`): every call made is allowed, and every group the
filter allows is used, so that the filter allows nothing the daemon has no use for."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import inbox_helpers as ih
import sealbox_e2e as e2e

UNIT = e2e.REPO / "systemd" / "sealboxd.service"
BACKUP_UNIT = e2e.REPO / "systemd" / "sealboxd-backup.service"


def tool(name: str) -> str:
    path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
    if not path:
        pytest.skip(f"{name} is not installed (scripts/setup.sh installs it)")
    return path


def sandbox(storage: Path, trace: Path, workdir: Path, *extra_writable: Path) -> list[str]:
    """bwrap with the unit's restrictions, then strace writing its counts to `trace`."""
    command = [tool("bwrap"), "--ro-bind", "/", "/", "--tmpfs", "/tmp", "--dev", "/dev", "--proc", "/proc",
               "--tmpfs", "/home", "--tmpfs", "/root", "--tmpfs", "/run",
               "--ro-bind", str(e2e.SEALBOXD.parent.resolve()), str(e2e.SEALBOXD.parent.resolve()),
               "--ro-bind", str(workdir), str(workdir), "--bind", str(storage), str(storage),
               "--bind", str(trace.parent), str(trace.parent)]
    for path in extra_writable:
        command += ["--bind", str(path), str(path)]
    command += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--unshare-ipc", "--unshare-uts",
                "--unshare-pid", "--unshare-cgroup-try", "--cap-drop", "ALL", "--new-session", "--die-with-parent",
                "--chdir", str(workdir), "--", tool("strace"), "-f", "-qq", "-c", "-U", "name,calls,errors",
                "-o", str(trace)]
    return command


def probe_sandbox(tmp_path: Path) -> None:
    """Skips with the reason when this machine cannot make the namespaces or trace."""
    probe = tmp_path / "probe"
    probe.mkdir()
    result = subprocess.run(sandbox(probe, probe / "trace", probe) + ["/bin/true"], capture_output=True, timeout=60)
    if result.returncode != 0:
        pytest.skip(f"bwrap/strace cannot run here: {result.stderr.decode(errors='replace').strip()[:300]}")


def syscalls_of(trace: Path) -> set[str]:
    """The names in strace's -c table (columns name, calls, errors). A thread that strace
    detaches in the middle of a call at exit leaves a line `PID ???( <detached ...>`:
    not a call name (names start with a letter)."""
    names = set()
    for line in trace.read_text().splitlines():
        fields = line.split()
        if fields and re.fullmatch(r"[a-z_][a-z_0-9]*", fields[0]) and fields[0] not in ("syscall", "total"):
            names.add(fields[0])
    return names


def filter_groups() -> dict[str, list[str]]:
    """Every group of `systemd-analyze syscall-filter`: its members, sub-groups included by name."""
    out = subprocess.run([tool("systemd-analyze"), "syscall-filter"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    groups: dict[str, list[str]] = {}
    current = None
    for line in out.stdout.splitlines():
        if line.startswith("@"):
            current = line.strip()
            groups[current] = []
        elif current and line.strip() and not line.strip().startswith("#"):
            groups[current].append(line.strip())
    return groups


def expand(name: str, groups: dict[str, list[str]]) -> set[str]:
    if not name.startswith("@"):
        return {name}
    return set().union(*(expand(member, groups) for member in groups[name]))


def filter_lines(unit: Path) -> list[str]:
    return [line.split("=", 1)[1].strip() for line in unit.read_text().splitlines()
            if line.startswith("SystemCallFilter=")]


def allowed_calls(unit: Path, groups) -> tuple[set[str], dict[str, set[str]]]:
    """The calls the unit allows, read as systemd reads SystemCallFilter= lines in order: the
    first is an allow list, a later line starting with ~ takes its entries away, a later line
    without ~ adds its entries again. Also, for each group inside the allowed groups, the
    calls of that group that the unit lets through (groups left empty are left out)."""
    lines = filter_lines(unit)
    assert lines and not lines[0].startswith("~"), f"{unit.name}: the first SystemCallFilter= must be an allow list"
    calls: set[str] = set()
    for value in lines:
        entries = set().union(*(expand(e, groups) for e in value.lstrip("~").split()))
        calls = calls - entries if value.startswith("~") else calls | entries
    kept = {member: expand(member, groups) & calls for entry in lines[0].split() for member in groups.get(entry, [])
            if member.startswith("@") and expand(member, groups) & calls}
    return calls, kept


def sealboxd_pid(wrapper_pid: int) -> int:
    """The sealboxd process below bwrap and strace."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if (entry / "comm").read_text().strip() == "sealboxd" and _descends(int(entry.name), wrapper_pid):
                        return int(entry.name)
                except OSError:
                    continue
        time.sleep(0.05)
    raise AssertionError("no sealboxd process below bwrap")


def _descends(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            pid = int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return False
    return False


def test_the_daemon_runs_under_the_units_restrictions_and_its_filter_fits_its_calls(
        daemon_factory, workstation_factory, tmp_path):
    probe_sandbox(tmp_path)
    groups = filter_groups()
    traces = tmp_path / "traces"
    traces.mkdir()
    daemon = daemon_factory(start=False, SEALBOX_LIMITS_CODE_ATTEMPTS="100")
    daemon.storage.mkdir(mode=0o700, parents=True, exist_ok=True)
    daemon.wrapper = sandbox(daemon.storage, traces / "daemon", daemon.workdir)
    daemon.start()

    # A submission through the form with an attachment, a visit with a follow-up, the API.
    body, ctype = e2e.multipart([("text", "Im Sandkasten gemeldet")],
                                [("attachment", "beleg.pdf", "application/pdf", os.urandom(80_000))])
    r = daemon.post("/report", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 200, r.text[:300]
    case, code = e2e.parse_confirmation(r.text)
    visit = ih.open_visit(daemon, code)
    assert visit.follow_up("Nachtrag", [("n.txt", "text/plain", b"mehr")]).status_code in (200, 303)
    assert daemon.post("/api/v1/reports", json={"text": "Über die API im Sandkasten"}).status_code == 201
    # A staff sync by the real CLI.
    ws = workstation_factory(daemon)
    ws.ok("sync")
    assert case in {c["case"] for c in ws.json("list")["cases"]}
    # The daemon cannot write outside its storage, and /tmp is its own.
    assert not any(p.name.startswith("sealbox") for p in Path("/tmp").iterdir() if p.is_file())

    # A backup while it runs, in a sandbox of its own (the backup unit: storage and /var/backups).
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    result = subprocess.run(sandbox(daemon.storage, traces / "backup", daemon.workdir, backups)
                            + [str(e2e.SEALBOXD.resolve()), "backup", "--to-dir", str(backups), "--keep", "3"],
                            env=daemon.env(), capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert len([p for p in backups.glob("sealbox-*.sqlite") if not p.name.endswith(".keystore.sqlite")]) == 1
    assert len(list(backups.glob("sealbox-*.keystore.sqlite"))) == 1

    # SIGTERM to the daemon itself (bwrap does not pass signals on); strace exits with its status.
    os.kill(sealboxd_pid(daemon.process.pid), signal.SIGTERM)
    assert daemon.process.wait(30) == 0, daemon.stderr()[-2000:]

    used_daemon, used_backup = syscalls_of(traces / "daemon"), syscalls_of(traces / "backup")
    assert {"accept4", "openat", "fsync"} <= used_daemon and "pwrite64" in used_daemon | used_backup, used_daemon
    for unit, used in ((UNIT, used_daemon), (BACKUP_UNIT, used_backup)):
        allowed, kept = allowed_calls(unit, groups)
        refused = sorted(used - allowed)
        assert not refused, f"{unit.name}'s SystemCallFilter refuses calls the daemon makes: {refused}"
        unused = [group for group, calls in kept.items() if not calls & used]
        assert not unused, (f"{unit.name} allows groups the daemon never calls: {unused}; "
                            f"add them to SystemCallFilter=~")
    print(f"system calls: daemon {len(used_daemon)}, backup {len(used_backup)}; "
          f"daemon: {' '.join(sorted(used_daemon))}")
