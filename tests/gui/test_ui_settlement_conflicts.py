"""The settlement screen's second pass (issue 14) against the REAL local Worker: the
conflicts view lists each conflict in words, a page at a time (F5 or reaching the last row
loads the next; each conflict once), and resolves it (a sold-twice winner, an unknown item
assigned, a price mismatch accepted, one from a later page), then the table and its counts
reload; "Mark event settled" is
refused plainly while a conflict is open and settles once none is; a correction is recorded
from the screen against the consignor's payout and the balance follows; bad input keeps the
dialog open and records nothing; a server lost after loading is said and nothing is half-done
(no PDF, no resolution, not settled)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.settlement import SettlementService
from pos_app.sync.settlement_api import connector
from pos_app.ui.bundle import UiServices
from pos_app.ui.main import AppShell
from pos_app.ui.qt import Qt
from pos_app.ui.settlement_conflicts import ConflictsDialog
from pos_app.ui.settlement_dialogs import CorrectionDialog
from pos_app.ui.settlement_window import SettlementWindow
from tests.gui.test_ui_settlement import WAIT_MS, dead_url, open_screen, row_of, table_texts
from tests.integration import conftest as worker_fixtures
from tests.integration.settlement_kit import Seeded, add_conflicts, seed_event

pytestmark = pytest.mark.worker
local_worker = worker_fixtures.local_worker
admin = worker_fixtures.admin
http = worker_fixtures.http


@pytest.fixture
def seeded(admin: AdminClient, http: httpx.Client) -> Seeded:
    seeded = seed_event(admin, http)
    add_conflicts(admin, http, seeded)
    return seeded


@pytest.fixture
def screen(qtbot: QtBot, shell: AppShell, services: UiServices, seeded: Seeded,
           local_worker: LocalWorker) -> SettlementWindow:
    return open_screen(qtbot, shell, services, local_worker.url,
                       token=local_worker.admin_token, event_id=seeded.event_id)


def open_conflicts_view(qtbot: QtBot, screen: SettlementWindow, *,
                        selected: bool = False) -> ConflictsDialog:
    """F3 (Shift+F3: the selected consignor's), once its first page has come (or failed)."""
    shift = Qt.KeyboardModifier.ShiftModifier if selected else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(screen, Qt.Key.Key_F3, shift)
    [dialog] = [d for d in screen.findChildren(ConflictsDialog) if d.isVisible()]
    qtbot.waitUntil(lambda: not dialog.loading, timeout=WAIT_MS)
    return dialog


def close_view(qtbot: QtBot, screen: SettlementWindow, dialog: ConflictsDialog) -> None:
    """Escape, then wait until the screen is the active window again (its F-keys work)."""
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    qtbot.waitUntil(screen.isActiveWindow, timeout=WAIT_MS)


def listed_ids(dialog: ConflictsDialog) -> list[int]:
    return [int(dialog.list.item(r).text().split()[0][1:]) for r in range(dialog.list.count())]


def open_ids(admin: AdminClient, event_id: str) -> list[int]:
    page = admin.conflicts_page(event_id, limit=500)
    assert page["next_after"] is None
    return [c["id"] for c in page["conflicts"]]


def pick(dialog: ConflictsDialog, kind: str) -> None:
    dialog.list.setCurrentRow([c.kind for c in dialog.conflicts].index(kind))


def resolve(qtbot: QtBot, screen: SettlementWindow, dialog: ConflictsDialog) -> None:
    with qtbot.waitSignal(screen.resolved, timeout=WAIT_MS):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)


def test_each_conflict_is_listed_in_words_and_resolved_then_the_table_reloads(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    dialog = open_conflicts_view(qtbot, screen)
    texts = [dialog.list.item(r).text() for r in range(dialog.list.count())]
    assert len(texts) == 3
    assert any("was sold twice" in t and "(which holds it now)" in t for t in texts)
    assert any("is not in the catalog" in t and "consignor 1002" in t for t in texts)
    assert any("the catalog price is" in t for t in texts)
    pick(dialog, "sold_twice")
    twice = dialog.current()
    assert twice is not None and dialog.winner.isEnabled() and dialog.winner.count() == 2
    dialog.winner.setCurrentIndex(1)  # the later sale wins
    resolve(qtbot, screen, dialog)
    assert "Conflict" in screen.status.text() and "resolved" in screen.status.text()
    assert screen.settlement is not None and screen.settlement.unresolved_conflicts == 2
    dialog = open_conflicts_view(qtbot, screen)
    pick(dialog, "unknown_item")
    assert dialog.consignor.isEnabled() and dialog.consignor.value() == 1002
    dialog.consignor.setValue(1003)
    resolve(qtbot, screen, dialog)
    dialog = open_conflicts_view(qtbot, screen)
    assert [c.kind for c in dialog.conflicts] == ["price_mismatch"]
    assert not dialog.consignor.isEnabled() and "Accept" in dialog.how.text()
    resolve(qtbot, screen, dialog)
    reply = admin.settlement(seeded.event_id)
    assert reply["unresolved_conflicts"] == 0
    assert screen.settlement.unresolved_conflicts == 0
    assert "no unresolved conflicts" in screen.status.text()
    held = admin.export(seeded.event_id, "items")
    assert next(i for i in held if i["id"] == twice.item_id)["sold_sale_id"] == twice.sale_id
    qtbot.keyClick(screen, Qt.Key.Key_F3)  # nothing left to list
    assert screen.status.text() == "No unresolved conflicts."


def test_the_view_loads_a_page_at_a_time_on_f5_or_at_the_last_row_each_conflict_once(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    screen.conflicts_page = 2
    dialog = open_conflicts_view(qtbot, screen)
    everything = open_ids(admin, seeded.event_id)
    assert listed_ids(dialog) == everything[:2] and len(dialog.conflicts) == 2
    assert dialog.title.text() == "3 unresolved conflict(s)"
    assert dialog.more_button.isEnabled() and "F5" in dialog.shown.text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_F5)
    assert dialog.loading
    qtbot.keyClick(dialog.list, Qt.Key.Key_F5)  # while a page is on its way: not asked twice
    qtbot.waitUntil(lambda: not dialog.loading, timeout=WAIT_MS)
    assert listed_ids(dialog) == everything and not dialog.more_button.isEnabled()
    assert dialog.shown.text() == "3 shown."
    qtbot.keyClick(dialog.list, Qt.Key.Key_F5)  # nothing more: nothing asked, nothing twice
    assert not dialog.loading and listed_ids(dialog) == everything
    close_view(qtbot, screen, dialog)
    dialog = open_conflicts_view(qtbot, screen)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)  # the last row shown: the next page comes
    qtbot.waitUntil(lambda: dialog.list.count() == 3 and not dialog.loading, timeout=WAIT_MS)
    assert listed_ids(dialog) == everything and dialog.list.currentRow() == 1


def test_a_conflict_from_a_later_page_is_resolved_the_counts_follow_and_settling_waits(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    screen.conflicts_page = 2
    dialog = open_conflicts_view(qtbot, screen)
    qtbot.keyClick(dialog.list, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.list.count() == 3 and not dialog.loading, timeout=WAIT_MS)
    dialog.list.setCurrentRow(2)
    last = dialog.current()
    assert last is not None and last.id == open_ids(admin, seeded.event_id)[2]
    owner = last.consignor_number
    assert owner is not None
    before = table_texts(screen)[row_of(screen, owner)][9]
    if last.kind == "unknown_item":
        dialog.consignor.setValue(owner)
    resolve(qtbot, screen, dialog)
    assert last.id not in open_ids(admin, seeded.event_id)
    assert screen.settlement is not None and screen.settlement.unresolved_conflicts == 2
    after = table_texts(screen)[row_of(screen, owner)][9]
    assert int(after or 0) == int(before) - 1
    with qtbot.waitSignal(screen.failed, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_F11)
    assert "NOT settled" in screen.status.text() and "2 open" in screen.status.text()
    assert admin.settlement(seeded.event_id)["settled_at"] is None
    dialog = open_conflicts_view(qtbot, screen)
    assert last.id not in listed_ids(dialog) and len(listed_ids(dialog)) == 2


def test_shift_f3_lists_only_the_selected_consignors_conflicts(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    screen.conflicts_page = 1
    screen.table.selectRow(row_of(screen, 1002))
    dialog = open_conflicts_view(qtbot, screen, selected=True)
    assert dialog.title.text() == "2 unresolved conflict(s) of consignor 1002"
    qtbot.keyClick(dialog.list, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.list.count() == 2 and not dialog.loading, timeout=WAIT_MS)
    assert {c.consignor_number for c in dialog.conflicts} == {1002}
    assert sorted(c.kind for c in dialog.conflicts) == ["price_mismatch", "unknown_item"]
    assert not dialog.more_button.isEnabled()
    close_view(qtbot, screen, dialog)
    screen.table.selectRow(row_of(screen, 1003))
    qtbot.keyClick(screen, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert screen.status.text() == "No unresolved conflicts of consignor 1003."
    assert not [d for d in screen.findChildren(ConflictsDialog) if d.isVisible()]


def test_a_page_that_did_not_come_is_said_and_f5_asks_again(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded,
        local_worker: LocalWorker) -> None:
    working = screen.service
    screen.service = SettlementService(connector(dead_url(), local_worker.admin_token),
                                       seeded.event_id)
    dialog = open_conflicts_view(qtbot, screen)
    assert "Offline" in dialog.shown.text() and "F5 to try again" in dialog.shown.text()
    assert dialog.list.count() == 0 and dialog.more_button.isEnabled()
    screen.service = working  # the server answers again
    qtbot.keyClick(dialog.list, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not dialog.loading and dialog.list.count() > 0, timeout=WAIT_MS)
    assert listed_ids(dialog) == open_ids(admin, seeded.event_id)
    assert dialog.shown.text() == "3 shown." and dialog.current() is not None


def test_escape_closes_the_conflicts_view_and_resolves_nothing(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    dialog = open_conflicts_view(qtbot, screen)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert admin.settlement(seeded.event_id)["unresolved_conflicts"] == 3


def test_mark_settled_is_refused_plainly_while_conflicts_remain_then_settles(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    with qtbot.waitSignal(screen.failed, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_F11)
    assert "NOT settled" in screen.status.text() and "3 open" in screen.status.text()
    assert screen.status.property("error") is True
    assert admin.settlement(seeded.event_id)["settled_at"] is None
    for c in admin.conflicts_page(seeded.event_id, limit=500)["conflicts"]:
        given = ({"winning_sale_id": c["sale_id"]} if c["kind"] == "sold_twice" else
                 {"consignor_number": 1002} if c["kind"] == "unknown_item" else {})
        action = {"sold_twice": "pick_winner", "unknown_item": "assign"}.get(c["kind"], "accept")
        admin.resolve(seeded.event_id, c["id"], action, **given)
    screen.reload()
    qtbot.waitSignal(screen.loaded, timeout=WAIT_MS).wait()
    with qtbot.waitSignal(screen.settled, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_F11)
    assert "The event is settled" in screen.status.text()
    assert admin.settlement(seeded.event_id)["settled_at"] is not None
    assert screen.settlement is not None and screen.settlement.settled_at is not None


def open_correction(qtbot: QtBot, screen: SettlementWindow) -> CorrectionDialog:
    qtbot.keyClick(screen, Qt.Key.Key_F4)

    def shown() -> list[CorrectionDialog]:
        return [d for d in screen.findChildren(CorrectionDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=WAIT_MS)
    return shown()[0]


def test_a_correction_from_the_screen_takes_back_part_of_a_payout(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    admin.record_payout(seeded.event_id, {"id": "gui-c-1", "consignor_number": 1003,
                                          "amount_cents": 700, "method": "check",
                                          "reference": "check 12"})
    screen.reload()
    qtbot.waitSignal(screen.loaded, timeout=WAIT_MS).wait()
    screen.table.selectRow(row_of(screen, 1003))
    before = screen.selected()
    assert before is not None and before.paid_cents == 700
    dialog = open_correction(qtbot, screen)
    assert dialog.corrected.currentData() == "gui-c-1" and dialog.amount.cents() == 700
    dialog.amount.set_cents(300)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason: still open, nothing sent
    assert dialog.isVisible() and "reason" in dialog.error.text()
    dialog.reason.setText("check 12 lost")
    with qtbot.waitSignal(screen.recorded, timeout=WAIT_MS):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitSignal(screen.loaded, timeout=WAIT_MS).wait()
    rows = {p["id"]: p for p in admin.export(seeded.event_id, "payouts")}
    fix = rows[dialog.payout_id]
    assert (fix["amount_cents"], fix["corrects"], fix["reference"]) == (
        -300, "gui-c-1", "check 12 lost")
    after = next(r for r in screen.visible_rows() if r.number == 1003)
    assert (after.paid_cents, after.balance_cents) == (400, before.balance_cents + 300)


def test_a_correction_of_more_than_was_paid_is_refused_and_nothing_changes(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    admin.record_payout(seeded.event_id, {"id": "gui-c-2", "consignor_number": 1003,
                                          "amount_cents": 500, "method": "cash"})
    screen.table.selectRow(row_of(screen, 1003))
    dialog = open_correction(qtbot, screen)
    dialog.amount.set_cents(501)
    dialog.reason.setText("typo")
    with qtbot.waitSignal(screen.failed, timeout=WAIT_MS) as failed:
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "409 over_correction" in failed.args[0]
    assert [p["amount_cents"] for p in admin.export(seeded.event_id, "payouts")] == [500]


def test_a_consignor_without_payouts_has_nothing_to_correct(
        qtbot: QtBot, screen: SettlementWindow) -> None:
    screen.table.selectRow(row_of(screen, 1002))
    qtbot.keyClick(screen, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: "no payout to correct" in screen.status.text(), timeout=WAIT_MS)
    assert screen.findChild(CorrectionDialog) is None


def test_a_server_lost_after_loading_is_said_and_nothing_is_half_done(
        qtbot: QtBot, screen: SettlementWindow, *, admin: AdminClient, seeded: Seeded,
        local_worker: LocalWorker, tmp_path: Path) -> None:
    screen.service = SettlementService(connector(dead_url(), local_worker.admin_token),
                                       seeded.event_id)
    with qtbot.waitSignal(screen.failed, timeout=WAIT_MS) as failed:
        screen.write_all_statements([1001, 1002, 1003], tmp_path / "out" / "all.pdf")
    assert "Offline" in failed.args[0] and "No PDF was written" in screen.status.text()
    assert not screen.progress.isVisible() and not (tmp_path / "out").exists()
    dialog = open_conflicts_view(qtbot, screen)  # its first page cannot come
    assert "Offline" in dialog.shown.text() and dialog.list.count() == 0
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.isVisible() and "cannot be resolved" in dialog.error.text()
    close_view(qtbot, screen, dialog)
    with qtbot.waitSignal(screen.failed, timeout=WAIT_MS) as failed:
        qtbot.keyClick(screen, Qt.Key.Key_F11)
    assert "Offline" in failed.args[0]
    reply = admin.settlement(seeded.event_id)
    assert (reply["unresolved_conflicts"], reply["settled_at"]) == (3, None)
