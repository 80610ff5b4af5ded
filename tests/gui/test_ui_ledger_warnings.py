"""What the manager sees of the central ledger's checks (issue 11): a register clock that
differs from the server's by more than 2 minutes in the status bar, and the server's new
refusals and conflicts in the sync view (F11), in readable words, from the register's own
outbox and conflict tables."""

from __future__ import annotations

import threading

from guikit import Till
from pytestqt.qtbot import QtBot

from pos_app.store.engine import Database
from pos_app.sync.client import CentralClient
from pos_app.sync.service import SyncRunner, SyncService
from pos_app.sync.status import StatusBoard, SyncStatus
from pos_app.ui.sync_status import SyncStatusAdapter, SyncStatusWidget, describe
from pos_app.ui.sync_texts import CONFLICT_TEXTS
from pos_app.ui.sync_view import SyncDialog
from pos_app.ui.wiring import sync_controls

# Reasons as the Worker words them (worker/src/audit.ts, ledger.ts, entries.ts).
REFUSALS = {
    "Sale s-1 does not add up: tax_cents is not 825 bp of the discounted subtotal (half up) "
    "(expected 83, got 84)": "Totals do not add up",
    "journal entry 2 is stored for sale s-9 (hash 0a1b2c3d4e5f), this one is for sale s-2: the "
    "same id with other content is refused, and recorded for the organiser":
        "Already received with other content",
    "9999-12-31T23:59:59.000Z is outside the event's dates (2026-05-15 to 2026-05-17, +/- 1 "
    "day)": "Date outside the event",
}


def test_the_status_bar_warns_when_the_clock_is_off_by_more_than_2_minutes(
        qtbot: QtBot) -> None:
    board = StatusBoard(SyncStatus(configured=True, online=True, clock_offset_s=-30.0))
    adapter = SyncStatusAdapter(board)
    widget = SyncStatusWidget(adapter)
    qtbot.addWidget(widget)
    assert "clock" not in widget.label.text()
    worker = threading.Thread(target=lambda: board.update(clock_offset_s=-200.0))
    with qtbot.wait_signal(adapter.status_changed, timeout=5000):
        worker.start()
    worker.join()
    assert "register clock 3 min ahead of the server: set it (manager)" in widget.label.text()
    assert describe(board.status).colour == "#b91c1c"
    behind = describe(SyncStatus(configured=True, online=True, clock_offset_s=121.0))
    assert "register clock 2 min behind the server" in behind.text
    on_time = describe(SyncStatus(configured=True, online=True, clock_offset_s=119.0))
    assert "clock" not in on_time.text and on_time.colour == "#15803d"
    adapter.close()


def test_the_sync_view_shows_the_new_refusals_and_conflicts_in_words(
        till: Till, database: Database) -> None:
    sales = [till.sell(code) for code in ("1004-0005", "1004-0006", "1004-0007")]
    with database.unit_of_work() as unit:
        pending, _ = unit.outbox.read_pending(10)
        for entry, reason in zip(pending, REFUSALS, strict=True):
            unit.outbox.quarantine(entry.seq, reason)
        unit.conflicts.store([
            {"id": n + 1, "kind": kind, "item_id": "item-7", "sale_id": sales[0].id,
             "register_id": "this-register", "winning_sale_id": None,
             "winning_register_id": None}
            for n, kind in enumerate(CONFLICT_TEXTS)])
        unit.commit()
    client = CentralClient("http://127.0.0.1:9", "t" * 40, "this-register", "evt")
    service = SyncService(database, client, "this-register")
    service.refresh_counts()
    runner = SyncRunner(service, interval_s=3600)  # not started: the view only reads
    controls = sync_controls(runner)
    adapter = SyncStatusAdapter(controls.status, till.window)
    dialog = SyncDialog(controls, adapter, till.window)
    till.qtbot.addWidget(dialog)
    till.qtbot.waitUntil(lambda: dialog.table.rowCount() == 3
                         and dialog.conflicts.rowCount() == len(CONFLICT_TEXTS), timeout=5000)

    def cell(table: object, row: int, column: int) -> str:
        item = table.item(row, column)  # type: ignore[attr-defined]
        return "" if item is None else str(item.text())

    shown = {cell(dialog.table, r, 4): cell(dialog.table, r, 3) for r in range(3)}
    for reason, headline in REFUSALS.items():
        assert shown[reason].startswith(headline)
    words = [cell(dialog.conflicts, r, 1) for r in range(len(CONFLICT_TEXTS))]
    assert words == list(CONFLICT_TEXTS.values())
    assert "Sold at another price than the organiser's catalog" in words
    assert "Sent again with other content than the server already has" in words
    assert {cell(dialog.conflicts, r, 2) for r in range(len(CONFLICT_TEXTS))} == {sales[0].id}
    assert "3 held back" in dialog.status.text()
    adapter.close()
    client.close()
