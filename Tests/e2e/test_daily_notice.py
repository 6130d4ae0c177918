"""Issue 10, "Notification that does not leak": the daily notice. At `notify.time` the
daemon runs `notify.command` (no shell) with a fixed text on stdin: the same bytes every
day, whether or not anything arrived (default), or only on days with a new report or
follow-up (`notify.only_when_new`). No count, no case, no time of arrival; a failing
command is logged with its status, never its output. `sealboxd notify` sends it once now."""

from __future__ import annotations

import datetime
import os
import stat
import subprocess
import time
from pathlib import Path

import durability_helpers as dh
import sealbox_e2e as e2e

STANDARD_START = "Sealbox: Bitte sehen Sie im Postfach nach"


def recorder(directory: Path, exit_status: int = 0, noise: str = "") -> tuple[Path, Path]:
    """A notice command that appends what it reads on stdin to notices.log, one file per
    call, and prints `noise` (which must never reach the daemon's log)."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "notice-command"
    out = directory / "notices"
    out.mkdir(exist_ok=True)
    script.write_text(f"""#!/bin/sh
n=$(ls "{out}" | wc -l)
cat > "{out}/notice-$n.txt"
echo "$1 $2" > "{out}/argv-$n.txt"
echo '{noise}'
echo '{noise}' >&2
exit {exit_status}
""")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, out


def notices(out: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(out.glob("notice-*.txt"))]


def soon(seconds: int) -> str:
    """notify.time `seconds` from now, in UTC (the daemon runs with TZ=UTC here)."""
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)).strftime("%H:%M:%S")


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_the_notice_goes_at_its_time_with_the_same_bytes_whether_or_not_anything_arrived(daemon_factory, tmp_path):
    script, out = recorder(tmp_path / "cmd", noise="SECRET-OUTPUT-OF-THE-COMMAND")
    d = daemon_factory(SEALBOX_NOTIFY_COMMAND=f"{script},first-arg,second arg",
                       SEALBOX_NOTIFY_TIME=soon(3), TZ="UTC")
    assert wait_for(lambda: len(notices(out)) == 1, 15), d.stderr()
    empty_day = notices(out)[0]
    assert empty_day.decode().startswith(STANDARD_START)
    # The arguments arrive as given, without a shell splitting them.
    assert (out / "argv-0.txt").read_text().strip() == "first-arg second arg"
    # A report arrives; the next notice carries exactly the same bytes.
    status, shown = dh.submit(d, "Der Vermieter lehnte uns wegen unseres Namens ab.", None)
    assert status == 201
    d.stop()
    d.settings["SEALBOX_NOTIFY_TIME"] = soon(3)
    d.start()
    assert wait_for(lambda: len(notices(out)) == 2, 15), d.stderr()
    assert notices(out)[1] == empty_day
    # Nothing of the command's output and no case reaches the log.
    log = d.log_bytes()
    assert b"SECRET-OUTPUT-OF-THE-COMMAND" not in log
    assert shown.case.encode() not in log
    assert b"the daily notice was sent" in log


def test_only_when_new_stays_silent_on_an_empty_day_and_speaks_after_a_report(daemon_factory, tmp_path):
    script, out = recorder(tmp_path / "cmd")
    d = daemon_factory(SEALBOX_NOTIFY_COMMAND=str(script), SEALBOX_NOTIFY_ONLY_WHEN_NEW="true",
                       SEALBOX_NOTIFY_TIME=soon(2), TZ="UTC")
    time.sleep(5)
    assert notices(out) == [], "a notice went on a day without anything new"
    status, _ = dh.submit(d, "Im Bus wurde meine Tochter wegen ihres Kopftuchs beschimpft.", None)
    assert status == 201
    d.stop()
    d.settings["SEALBOX_NOTIFY_TIME"] = soon(3)
    d.start()
    assert wait_for(lambda: len(notices(out)) == 1, 15), d.stderr()
    assert notices(out)[0].decode().startswith(STANDARD_START)


def test_a_failing_or_hanging_command_is_logged_by_status_and_the_daemon_stays_up(daemon_factory, tmp_path):
    script, out = recorder(tmp_path / "cmd", exit_status=3, noise="OUTPUT-THAT-MUST-NOT-BE-LOGGED")
    d = daemon_factory(SEALBOX_NOTIFY_COMMAND=str(script), SEALBOX_NOTIFY_TIME=soon(2), TZ="UTC")
    assert wait_for(lambda: b"failed with exit status 3" in d.log_bytes(), 15), d.stderr()
    assert b"OUTPUT-THAT-MUST-NOT-BE-LOGGED" not in d.log_bytes()
    assert d.healthy()
    # A command that exits at once without reading its input does not take the daemon down.
    d.stop()
    d.settings["SEALBOX_NOTIFY_COMMAND"] = "/bin/true"
    d.settings["SEALBOX_NOTIFY_TEXT"] = "x" * 4000
    d.settings["SEALBOX_NOTIFY_TIME"] = soon(2)
    d.start()
    assert wait_for(lambda: b"the daily notice was sent" in d.log_bytes(), 15), d.stderr()
    assert d.healthy()


def test_the_office_text_and_sealboxd_notify(keys, tmp_path):
    script, out = recorder(tmp_path / "cmd")
    d = e2e.Daemon(keys, tmp_path / "d", SEALBOX_NOTIFY_COMMAND=str(script),
                   SEALBOX_NOTIFY_TEXT="Bitte ins Postfach schauen.")
    result = subprocess.run([str(e2e.SEALBOXD), "notify"], env=d.env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "the notice was sent" in result.stdout
    assert notices(out) == [b"Bitte ins Postfach schauen.\n"]
    # A failing command: exit 1, its status named.
    failing, _ = recorder(tmp_path / "failing", exit_status=7)
    env = d.env() | {"SEALBOX_NOTIFY_COMMAND": str(failing)}
    result = subprocess.run([str(e2e.SEALBOXD), "notify"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "exit status 7" in result.stderr


def test_bad_notice_settings_are_refused_by_name(keys, tmp_path):
    not_executable = tmp_path / "plain.txt"
    not_executable.write_text("no program")
    for settings, words in [
        ({"SEALBOX_NOTIFY_COMMAND": "sendmail"}, "absolute path"),
        ({"SEALBOX_NOTIFY_COMMAND": str(not_executable)}, "not an executable file"),
        ({"SEALBOX_NOTIFY_COMMAND": "/bin/true", "SEALBOX_NOTIFY_TIME": "25:00"}, "notify.time"),
        ({"SEALBOX_NOTIFY_COMMAND": "/bin/true", "SEALBOX_NOTIFY_TIME": "8 Uhr"}, "notify.time"),
        ({"SEALBOX_NOTIFY_COMMAND": "/bin/true", "SEALBOX_NOTIFY_TEXT": " "}, "notify.text"),
    ]:
        refused = e2e.start_refused(keys, tmp_path / "refused", **settings)
        assert refused.returncode != 0 and words in refused.stderr.decode(), (settings, refused.stderr)
    # Without a command there is nothing to send.
    d = e2e.Daemon(keys, tmp_path / "none")
    result = subprocess.run([str(e2e.SEALBOXD), "notify"], env=d.env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "notify.command is not set" in result.stderr
