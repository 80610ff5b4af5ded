"""Check-in, pick-up, closing pick-up and consignor lookup, driven by scans (issue 13).

Every scan goes through the application's scanner filter (keys a few ms apart, then Enter)
and ends in the same feedback as at the till: a colour, a sound and a message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from guikit import SCANNER_GAP_S, FakeClock, Till
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from pos_app.core.items import ItemStatus
from pos_app.core.money import format_cents
from pos_app.services.cashiers import CashierView
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.store import models
from pos_app.store.engine import Database
from pos_app.ui.bundle import UiServices
from pos_app.ui.feedback import ScanFeedback, SilentPlayer, Tone
from pos_app.ui.hall_window import HallMode, HallWindow
from pos_app.ui.main import AppShell
from pos_app.ui.mode_dialog import ModeDialog
from pos_app.ui.qt import Qt

CONSIGNOR = 1002


def person(services: UiServices, pin: str) -> CashierView:
    cashier = services.cashiers.login(pin)
    assert isinstance(cashier, CashierView)
    return cashier


def hall_for(qtbot: QtBot, shell: AppShell, services: UiServices, mode: HallMode,
             pin: str = CASHIER_PIN) -> HallWindow:
    hall = shell.open_hall(person(services, pin), mode)
    qtbot.addWidget(hall)
    return hall


def scan(qtbot: QtBot, hall: HallWindow, clock: FakeClock, code: str) -> ScanFeedback:
    """Type ``code`` + Enter as a scanner does, and wait for the scan's feedback."""
    with qtbot.wait_signal(hall.feedback, timeout=5000) as said:
        for char in code:
            qtbot.keyClick(hall.consignor_edit, char)
            clock.advance(SCANNER_GAP_S)
        qtbot.keyClick(hall.consignor_edit, Qt.Key.Key_Return)
        clock.advance(SCANNER_GAP_S)
    feedback = said.args[0]
    assert isinstance(feedback, ScanFeedback)
    return feedback


def tag(item: int, consignor: int = CONSIGNOR) -> str:
    return f"{consignor}-{item:04d}"


@pytest.fixture
def pending(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(update(models.items)
                           .where(models.items.c.consignor_number == CONSIGNOR)
                           .values(status="pending"))


@pytest.mark.usefixtures("pending")
def test_check_in_approves_rejects_with_reason_and_shows_progress(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock,
        sounds: SilentPlayer) -> None:
    hall = hall_for(qtbot, shell, services, HallMode.CHECK_IN)
    said = scan(qtbot, hall, clock, tag(1))
    assert (said.tone, said.headline, said.detail) == (Tone.GOOD, "Checked in", tag(1))
    qtbot.waitUntil(lambda: "checked in 1 / expected 50, rejected 0" in hall.progress.text(),
                    timeout=5000)

    qtbot.keyClick(hall, Qt.Key.Key_F2)  # the reject key, then the reason, then the scan
    assert hall.reject_button.isChecked()
    hall.reason.setCurrentText("recalled")
    said = scan(qtbot, hall, clock, tag(2))
    assert (said.tone, said.headline) == (Tone.WARN, "Rejected: recalled")
    assert not hall.reject_button.isChecked()  # one rejection per press
    qtbot.waitUntil(lambda: "checked in 2 / expected 50, rejected 1" in hall.progress.text(),
                    timeout=5000)
    assert services.lifecycle is not None
    assert services.lifecycle.item(tag(2)).status is ItemStatus.REJECTED

    said = scan(qtbot, hall, clock, tag(1))  # twice: refused, nothing written
    assert (said.tone, said.headline) == (Tone.BAD, "Not taken")
    assert "already approved" in said.detail
    said = scan(qtbot, hall, clock, "9999-0001")
    assert said.tone is Tone.BAD and "not in this event's catalog" in said.detail
    assert sounds.played[-4:] == [Tone.GOOD, Tone.WARN, Tone.BAD, Tone.BAD]
    assert hall.panel.tone is Tone.BAD


def test_pick_up_returns_scanned_items_and_shows_missing_and_sold(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock) -> None:
    sales, lifecycle = services.sales, services.lifecycle
    assert lifecycle is not None
    _sell(services, tag(3))
    hall = hall_for(qtbot, shell, services, HallMode.PICK_UP)
    with qtbot.wait_signal(hall.shown, timeout=5000):
        hall.consignor_edit.setText(str(CONSIGNOR))
        qtbot.keyClick(hall.consignor_edit, Qt.Key.Key_Return)
    assert hall.progress.text().endswith("missing 49, returned 0, sold 1, donated 0")
    assert hall.table.rowCount() == 50
    statuses = {hall.table.item(r, 0).text(): hall.table.item(r, 4).text()
                for r in range(hall.table.rowCount())}
    assert (statuses[tag(3)], statuses[tag(4)]) == ("sold", "missing")

    said = scan(qtbot, hall, clock, tag(4))
    assert (said.tone, said.headline) == (Tone.GOOD, "Returned to the consignor")
    qtbot.waitUntil(lambda: "missing 48, returned 1, sold 1" in hall.progress.text(),
                    timeout=5000)
    said = scan(qtbot, hall, clock, tag(3))  # the one that was sold
    assert said.tone is Tone.BAD and "was sold: it cannot be returned" in said.detail
    assert lifecycle.item(tag(3)).status is ItemStatus.SOLD
    assert not hall.close_button.isVisible()  # a cashier cannot close pick-up
    assert sales is services.sales


def test_all_returned_leaves_nothing_missing(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock) -> None:
    hall = hall_for(qtbot, shell, services, HallMode.PICK_UP)
    for item in range(1, 51):
        assert scan(qtbot, hall, clock, tag(item, 1005)).tone is Tone.GOOD
    qtbot.waitUntil(lambda: "missing 0, returned 50" in hall.progress.text(), timeout=5000)


def test_manager_closes_pick_up_and_the_rest_is_donated(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock) -> None:
    hall = hall_for(qtbot, shell, services, HallMode.PICK_UP, MANAGER_PIN)
    assert hall.close_button.isVisibleTo(hall)
    scan(qtbot, hall, clock, tag(5))
    hall.charity_edit.setText("Goodwill")
    with qtbot.wait_signal(hall.donated, timeout=10_000) as done:
        hall.close_pickup(confirm=False)
    donated = done.args[0]
    assert len(donated) == 300 - 1  # every item of the demo but the one collected
    assert hall.panel.headline.text() == "Pick-up closed"
    qtbot.waitUntil(lambda: "returned 1, sold 0, donated 49" in hall.progress.text(),
                    timeout=5000)
    assert services.lifecycle is not None
    assert services.lifecycle.item(tag(6)).status is ItemStatus.DONATED


def test_consignor_lookup_shows_items_and_statuses(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock) -> None:
    _sell(services, tag(7, 1003))
    hall = hall_for(qtbot, shell, services, HallMode.LOOKUP)
    with qtbot.wait_signal(hall.shown, timeout=5000) as shown:
        for char in tag(8, 1003):
            qtbot.keyClick(hall.consignor_edit, char)
            clock.advance(SCANNER_GAP_S)
        qtbot.keyClick(hall.consignor_edit, Qt.Key.Key_Return)
    assert shown.args[0].progress.consignor_number == 1003
    statuses = {hall.table.item(r, 0).text(): hall.table.item(r, 4).text()
                for r in range(hall.table.rowCount())}
    assert statuses[tag(7, 1003)] == "sold"
    assert statuses[tag(8, 1003)] == "approved"
    assert services.lifecycle is not None
    assert services.lifecycle.item(tag(8, 1003)).status is ItemStatus.APPROVED  # unchanged


def test_the_job_is_chosen_after_login(qtbot: QtBot, shell: AppShell,
                                       services: UiServices) -> None:
    shell._logged_in(person(services, MANAGER_PIN))
    dialog = shell.dialog
    assert isinstance(dialog, ModeDialog)
    assert list(dialog.buttons) == ["checkout", "check-in", "pick-up", "consignor lookup",
                                    "settlement"]
    with qtbot.wait_signal(shell.hall_opened, timeout=5000) as opened:
        dialog.buttons[HallMode.PICK_UP].click()
    hall = opened.args[0]
    qtbot.addWidget(hall)
    assert isinstance(hall, HallWindow) and hall.mode is HallMode.PICK_UP
    assert hall.close_button.isVisibleTo(hall)


def _sell(services: UiServices, code: str) -> None:
    from guikit import NOW

    from pos_app.core.cart import Cart
    from pos_app.core.tender import TenderSession
    from pos_app.services.catalog import ItemView
    from pos_app.services.checkout import add_item

    cart = Cart(services.catalog.policy())
    item = services.catalog.lookup(code)
    assert isinstance(item, ItemView)
    assert isinstance(add_item(cart, item, NOW), int)
    tenders = TenderSession(cart.totals().total_cents)
    tenders.add_cash(cart.totals().total_cents)
    services.sales.complete(cart.lines, tenders.finish(), "demo-cashier", None)


def test_consignor_lookup_at_the_till_then_back_to_the_till(qtbot: QtBot, till: Till) -> None:
    with qtbot.wait_signal(till.shell.hall_opened, timeout=5000) as opened:
        qtbot.keyClick(till.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    hall = opened.args[0]
    assert isinstance(hall, HallWindow) and hall.mode is HallMode.LOOKUP
    with qtbot.wait_signal(hall.shown, timeout=5000):
        hall.consignor_edit.setText("1004")
        qtbot.keyClick(hall.consignor_edit, Qt.Key.Key_Return)
    assert hall.progress.text().startswith("Consignor 1004")
    assert hall.table.rowCount() == 50
    hall.close()
    assert till.shell.hall is None
    till.scan_and_wait(tag(9, 1004))  # scans go to the till again
    assert till.model.rowCount() == 1


def test_a_volunteer_is_offered_the_hall_but_not_the_till(qtbot: QtBot, shell: AppShell,
                                                          services: UiServices) -> None:
    volunteer = services.cashiers.create("Val (volunteer)", "4321", "volunteer")
    shell._logged_in(volunteer)
    dialog = shell.dialog
    assert isinstance(dialog, ModeDialog)
    assert list(dialog.buttons) == ["check-in", "pick-up", "consignor lookup"]


def test_a_manager_saves_the_hall_report(qtbot: QtBot, shell: AppShell, services: UiServices,
                                         clock: FakeClock, tmp_path: Path) -> None:
    hall = hall_for(qtbot, shell, services, HallMode.PICK_UP, MANAGER_PIN)
    assert hall.report_button.isVisibleTo(hall)
    scan(qtbot, hall, clock, tag(10))
    with qtbot.wait_signal(hall.feedback, timeout=5000) as said:
        hall.export_report(tmp_path / "hall.csv")
    assert said.args[0].headline == "Report saved"
    lines = (tmp_path / "hall.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("consignor_number,name,expected,checked_in")
    assert any(line.startswith(f"{CONSIGNOR},") and ",50,50,0,0,1,0,49," in line
               for line in lines)
    cashier_hall = hall_for(qtbot, shell, services, HallMode.PICK_UP)
    assert not cashier_hall.report_button.isVisibleTo(cashier_hall)


@pytest.mark.usefixtures("pending")
def test_drop_off_and_pick_up_receipts(qtbot: QtBot, shell: AppShell, services: UiServices,
                                       clock: FakeClock, receipts_dir: Path) -> None:
    from pos_app.ui.hall_receipts import consignor_receipt_blocks
    from pos_app.ui.printing import Text

    hall = hall_for(qtbot, shell, services, HallMode.CHECK_IN)
    scan(qtbot, hall, clock, tag(1))
    hall.reject_button.setChecked(True)
    scan(qtbot, hall, clock, tag(2))
    qtbot.waitUntil(lambda: hall.consignor is not None
                    and hall.consignor.progress.checked_in == 2, timeout=5000)
    where = hall.print_receipt()
    assert where == receipts_dir / f"check-in-{CONSIGNOR}.pdf" and where.stat().st_size > 0
    assert hall.consignor is not None
    lines = [(b.left, b.right) for b in consignor_receipt_blocks(
        hall.consignor, pick_up=False, event_name="E", volunteer="Dana", printed_at="")
        if isinstance(b, Text)]
    assert ("Checked in", "2 / 50") in lines and ("Rejected", "1") in lines
    assert any(left.startswith(tag(2)) for left, _ in lines)

    lines = [(b.left, b.right) for b in consignor_receipt_blocks(
        hall.consignor, pick_up=True, event_name="E", volunteer="Dana", printed_at="")
        if isinstance(b, Text)]
    assert ("Missing", "2") in lines and ("Returned", "0") in lines


def test_closing_pick_up_prints_the_charity_runs_donation_receipt(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock,
        receipts_dir: Path) -> None:
    from pos_app.ui.hall_receipts import donation_receipt_blocks
    from pos_app.ui.printing import Text

    hall = hall_for(qtbot, shell, services, HallMode.PICK_UP, MANAGER_PIN)
    assert hall.reprint_donation_button.isVisibleTo(hall)
    with qtbot.wait_signal(hall.feedback, timeout=5000) as said:
        hall.reprint_donation_button.click()
    assert said.args[0].headline == "No donation receipt yet"
    with qtbot.wait_signal(hall.feedback, timeout=5000) as said:
        hall.close_pickup(confirm=False)  # no charity named: nothing happens
    assert said.args[0].headline == "Name the charity first"
    assert services.lifecycle is not None
    assert services.lifecycle.item(tag(1)).status is ItemStatus.APPROVED

    hall.charity_edit.setText("Eastside Family Shelter")
    with qtbot.wait_signal(hall.donation_printed, timeout=10_000) as printed:
        hall.close_pickup(confirm=False)
    assert printed.args[0] == receipts_dir / "donation-run-1.pdf"
    assert printed.args[0].stat().st_size > 0
    assert "donated to Eastside Family Shelter (run 1)" in hall.panel.detail.text()

    assert services.donations is not None
    [run] = services.donations.runs()
    receipt = services.donations.receipt(run.id)
    lines = [(b.left, b.right) for b in donation_receipt_blocks(receipt, printed_at=run.created_at)
             if isinstance(b, Text)]
    assert ("Eastside Family Shelter", "") in lines and ("Charity run 1", "") in lines
    assert ("Items donated", "300") in lines
    assert ("Tag value", format_cents(receipt.value_cents)) in lines
    for figure in receipt.categories:
        assert (figure.category or "(no category)",
                f"{figure.items} / {format_cents(figure.value_cents)}") in lines
    assert ("Closed by: Lee (manager)", "") in lines

    with qtbot.wait_signal(hall.feedback, timeout=5000) as said:
        hall.close_pickup(confirm=False)  # nothing left: no second run
    assert "Nothing is left to donate" in said.args[0].detail
    assert len(services.donations.runs()) == 1
    printed.args[0].unlink()  # lost: print it again
    with qtbot.wait_signal(hall.donation_printed, timeout=10_000) as again:
        hall.reprint_donation_button.click()
    assert again.args[0] == receipts_dir / "donation-run-1.pdf" and again.args[0].exists()
