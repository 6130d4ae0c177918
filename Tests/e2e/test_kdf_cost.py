"""Gap 10: an office can raise the Argon2id cost of codes without orphaning them. Each
case records the cost its code was derived with; a code is derived with every cost in
use (docs/PROTOCOL.md §6.2)."""

from __future__ import annotations

import durability_helpers as dh
import inbox_helpers as ih

OLD = {"SEALBOX_CRYPTO_KDF_OPSLIMIT": "1", "SEALBOX_CRYPTO_KDF_MEMLIMIT": "8192"}
NEW = {"SEALBOX_CRYPTO_KDF_OPSLIMIT": "2", "SEALBOX_CRYPTO_KDF_MEMLIMIT": "65536"}


def cost_of(daemon, case: str) -> tuple[int, int]:
    with daemon.db() as connection:
        row = connection.execute("SELECT kdf_opslimit, kdf_memlimit FROM cases WHERE ref = ?", (case,)).fetchone()
    connection.close()
    return tuple(row)


def test_raising_the_cost_keeps_old_codes_and_new_reports_use_the_new_cost(daemon_factory):
    daemon = daemon_factory(**{**dh.FAST, **OLD})
    status, old = dh.submit(daemon, "unter den alten Kosten", ("a.bin", b"x" * 1000))
    assert status == 201
    assert cost_of(daemon, old.case) == (1, 8192)
    assert daemon.stop() == 0

    daemon.settings.update(NEW)
    daemon.start()
    assert dh.opens_completely(daemon, old) is None
    status, new = dh.submit(daemon, "unter den neuen Kosten", None)
    assert status == 201
    assert cost_of(daemon, new.case) == (2, 65536)
    assert dh.opens_completely(daemon, new) is None
    assert ih.open_inbox(daemon, ih.random_code()).status_code == 404
    # A follow-up with the old code lands in the old case.
    assert ih.follow_up_json(daemon, old.code, "noch etwas").status_code in (200, 201)
    thread = ih.open_inbox(daemon, old.code).json()
    assert [m["text"] for m in thread["messages"]] == ["unter den alten Kosten", "noch etwas"]
