"""Durability, proven by killing: SIGKILL at advancing points of submissions while 8
clients upload reports with an attachment (so reading, staging, sealing and commit are
all in flight), then restart. After every restart the database passes integrity_check
and no staging file is left; at the end every code that was shown (201) opens its
complete report through the inbox JSON API. The kill delays sweep from 2 ms upwards in steps of 17 ms, so
the kills land at advancing points of each client's submission; a point is one
submission in flight at a kill."""

from __future__ import annotations

import os
import threading
import time

import durability_helpers as dh

CLIENTS = 8
MIN_POINTS = 300
MIN_KILLS = 40
MIN_SHOWN = 20
BUDGET_SECONDS = 90


def test_sigkill_at_advancing_points_loses_no_shown_report_and_leaves_no_staging(daemon_factory):
    daemon = daemon_factory(**dh.FAST, SEALBOX_CRYPTO_KDF_WORKERS="2")
    shown: list[dh.Shown] = []
    lock = threading.Lock()
    counters = {"points": 0, "refused": 0, "sent": 0}
    in_flight = [False] * CLIENTS
    stop = threading.Event()
    go = threading.Event()  # clear while the daemon restarts and is checked
    go.set()

    def client(index: int):
        n = 0
        while not stop.is_set():
            if not go.wait(0.05):
                continue
            n += 1
            size = 4096 + (n * 7919 + index * 104729) % 120_000
            attachment = (f"beleg-{index}-{n}.bin", os.urandom(size))
            in_flight[index] = True
            try:
                status, receipt = dh.submit(daemon, f"Bericht {index}/{n}: " + "x" * (n % 300), attachment)
            except Exception:  # the daemon was killed under this submission
                status, receipt = 0, None
            finally:
                in_flight[index] = False
            with lock:
                counters["sent"] += 1
                if receipt:
                    shown.append(receipt)
                elif status:
                    counters["refused"] += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    started = time.monotonic()
    kills = 0
    delay_us = 2000
    while (counters["points"] < MIN_POINTS or kills < MIN_KILLS or len(shown) < MIN_SHOWN) and time.monotonic() - started < BUDGET_SECONDS:
        time.sleep(delay_us / 1e6)
        with lock:
            counters["points"] += sum(in_flight)
        go.clear()
        daemon.kill()
        kills += 1
        delay_us = 2000 + (delay_us + 17_000) % 400_000  # 2 ms, 19 ms, 36 ms, … up to 400 ms, then again
        if counters["points"] >= MIN_POINTS and kills >= MIN_KILLS:
            # The sweep has its points; on a slow (loaded) machine let whole submissions
            # finish between the last kills, so that enough codes are shown to check.
            delay_us = 1_500_000
        assert daemon.tmp_dir.exists()
        daemon.start()
        assert daemon.tmp_files() == [], "a staging file survived the restart"
        assert dh.integrity(daemon.db_path) == "ok"
        go.set()
    stop.set()
    for t in threads:
        t.join(40)
    elapsed = time.monotonic() - started
    print(f"kill sweep: {kills} kills, {counters['points']} submissions in flight at a kill, "
          f"{len(shown)} codes shown, {counters['refused']} refused, {counters['sent']} sent, {elapsed:.1f} s")
    assert counters["points"] >= MIN_POINTS and kills >= MIN_KILLS, "the sweep did not reach its points in time"
    assert len(shown) >= MIN_SHOWN, "too few submissions were answered between the kills"

    daemon.stop()
    daemon.start()
    assert dh.integrity(daemon.db_path) == "ok"
    assert daemon.tmp_files() == []
    missing = dh.shown_missing(daemon, shown)
    assert not missing, f"{len(missing)} shown codes do not open their complete report: {missing[:5]}"
    assert daemon.counts()["cases"] >= len(shown)
