"""In every dialog Enter performs the main action once the fields are valid, and Escape
cancels; keys are real key events through the scanner filter, typed at a person's speed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from guikit import HUMAN_GAP_S, FakeClock, Till
from pytestqt.qtbot import QtBot

from pos_app.core.sale import CompletedSale
from pos_app.services.cashiers import CashierView
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.services.settings import SettingsStore
from pos_app.services.shifts import ZReport
from pos_app.ui.bundle import UiServices
from pos_app.ui.checkout_window import CheckoutWindow
from pos_app.ui.holds_dialog import HoldLabelDialog, RecallDialog
from pos_app.ui.lookup_dialog import LookupDialog
from pos_app.ui.main import AppShell
from pos_app.ui.no_sale_dialog import NoSaleDialog
from pos_app.ui.pin_dialog import PinDialog
from pos_app.ui.printing import Text
from pos_app.ui.qt import QDialog, Qt
from pos_app.ui.receipt import z_report_blocks
from pos_app.ui.reports_dialog import ReportsDialog
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.shift_dialogs import CashDropDialog, CloseShiftDialog, OpenShiftDialog
from pos_app.ui.startup import LoginDialog
from pos_app.ui.sync_view import SyncDialog
from pos_app.ui.tender_dialog import TenderDialog
from pos_app.ui.void_dialog import VoidDialog

ENTER, ESCAPE = Qt.Key.Key_Return, Qt.Key.Key_Escape


def _opened[D: QDialog](till: Till, key: Qt.Key, kind: type[D]) -> D:
    till.press(till.window, key)
    dialog = till.window.open_dialog
    assert isinstance(dialog, kind)
    return dialog


def test_enter_in_the_void_dialogs_pin_field_voids_the_sale(till: Till) -> None:
    sale = till.sell("1006-0040")
    dialog = _opened(till, Qt.Key.Key_F8, VoidDialog)
    till.qtbot.waitUntil(lambda: dialog.list.count() > 0, timeout=5000)
    till.type_text(dialog.reason, "Changed mind")
    till.type_text(dialog.pin, MANAGER_PIN)
    with till.qtbot.wait_signal(dialog.presenter.voided, timeout=5000):
        till.press(dialog.pin, ENTER)
    record = till.services.sales.get(sale.id)
    assert record is not None and record.voided
    assert dialog.isVisible()  # it says what was voided and stays for the next one


def test_enter_in_the_void_dialog_without_a_pin_says_so_and_voids_nothing(till: Till) -> None:
    sale = till.sell("1006-0041")
    dialog = _opened(till, Qt.Key.Key_F8, VoidDialog)
    till.qtbot.waitUntil(lambda: dialog.list.count() > 0, timeout=5000)
    till.type_text(dialog.reason, "oops")
    till.press(dialog.pin, ENTER)
    assert dialog.isVisible()
    assert dialog.message.text() == "A manager's PIN is needed to void a sale"
    record = till.services.sales.get(sale.id)
    assert record is not None and not record.voided


def _close_shift_dialog(till: Till) -> CloseShiftDialog:
    dialog = _opened(till, Qt.Key.Key_F10, CloseShiftDialog)
    till.qtbot.waitUntil(dialog.close_button.isEnabled, timeout=5000)
    return dialog


def test_enter_after_the_counted_cash_closes_the_shift(till: Till) -> None:
    dialog = _close_shift_dialog(till)
    till.press(dialog.counted, ENTER)  # nothing counted yet: nothing happens
    assert dialog.isVisible() and till.services.shifts.current() is not None
    till.type_text(dialog.counted, "100.00")
    with till.qtbot.wait_signal(till.window.shift_closed, timeout=5000) as closed:
        till.press(dialog.counted, ENTER)
    report = closed.args[0]
    assert isinstance(report, ZReport) and report.over_short_cents == 0
    assert till.services.shifts.current() is None


def test_enter_in_the_cash_drop_records_it_once(till: Till) -> None:
    till.sell("1006-0042", extra_cash=0)
    shift = _close_shift_dialog(till)
    shift.open_cash_drop()
    drop = shift.drop_dialog
    assert isinstance(drop, CashDropDialog)
    till.type_text(drop.amount, "20.00")
    till.press(drop.amount, ENTER)  # no PIN yet
    assert drop.message.text() == "A manager's PIN approves the drop"
    till.type_text(drop.pin, MANAGER_PIN)
    till.press(drop.pin, ENTER)
    till.qtbot.waitUntil(lambda: shift.drop_dialog is None, timeout=5000)
    current = till.services.shifts.current()
    assert current is not None
    assert till.services.shifts.z_report(current.id).cash_drops_cents == 2_000
    shift.reject()


def test_enter_takes_the_cash_then_pays(till: Till) -> None:
    till.scan_and_wait("1006-0043")
    dialog = _opened(till, Qt.Key.Key_F12, TenderDialog)
    till.press(dialog.cash_edit, ENTER)
    assert dialog.presenter.settled and dialog.isVisible()
    with till.qtbot.wait_signal(till.window.presenter.sale_completed, timeout=5000) as paid:
        till.press(dialog.cash_edit, ENTER)
    sale = paid.args[0]
    assert isinstance(sale, CompletedSale) and len(sale.lines) == 1
    assert till.services.sales.last() is not None


def test_enter_on_the_card_reference_takes_the_card(till: Till) -> None:
    till.scan_and_wait("1006-0044")
    dialog = _opened(till, Qt.Key.Key_F12, TenderDialog)
    dialog.card_reference.setFocus()
    till.type_text(dialog.card_reference, "AUTH42")
    till.press(dialog.card_reference, ENTER)
    assert dialog.presenter.settled
    assert dialog.presenter.describe()[0].endswith("ref AUTH42")
    dialog.undo()
    dialog.reject()


def test_enter_holds_and_enter_recalls(till: Till) -> None:
    till.scan_and_wait("1006-0045")
    hold = _opened(till, Qt.Key.Key_F4, HoldLabelDialog)
    hold.label.clear()
    till.type_text(hold.label, "Ms Lee")
    with till.qtbot.wait_signal(till.shell.operation_runner.changed, timeout=5000):
        till.press(hold.label, ENTER)
    assert till.model.rowCount() == 0
    till.window.activateWindow()  # a window manager would; offscreen has none
    till.qtbot.waitUntil(till.window.isActiveWindow, timeout=2000)
    recall = _opened(till, Qt.Key.Key_F5, RecallDialog)
    till.qtbot.waitUntil(lambda: recall.list.count() == 1, timeout=5000)
    with till.qtbot.wait_signal(till.window.presenter.totals_changed, timeout=5000):
        till.press(recall.list, ENTER)
    assert [line.tag_code for line in till.model.lines] == ["1006-0045"]


def test_lookup_arrows_move_from_the_search_box_and_enter_adds(till: Till) -> None:
    dialog = _opened(till, Qt.Key.Key_F2, LookupDialog)
    with till.qtbot.wait_signal(dialog.presenter.results, timeout=5000):
        till.type_text(dialog.query, "1005")
    assert dialog.table.currentRow() == 0
    till.press(dialog.query, Qt.Key.Key_Down)
    till.press(dialog.query, Qt.Key.Key_Down)
    till.press(dialog.query, Qt.Key.Key_Up)
    assert dialog.table.currentRow() == 1
    assert dialog.query.hasFocus() or not dialog.table.hasFocus()
    wanted = dialog.presenter.items[1].tag_code
    with till.qtbot.wait_signal(till.window.presenter.model.rowsInserted, timeout=5000):
        till.press(dialog.query, ENTER)
    assert [line.tag_code for line in till.model.lines] == [wanted]


def test_lookup_shows_more_than_a_hundred_on_request(till: Till) -> None:
    dialog = _opened(till, Qt.Key.Key_F2, LookupDialog)
    with till.qtbot.wait_signal(dialog.presenter.results, timeout=5000):
        till.type_text(dialog.query, "e")
    assert dialog.table.rowCount() == 100
    assert dialog.status.text().startswith("First 100 shown, more match")
    till.qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    with till.qtbot.wait_signal(dialog.presenter.results, timeout=5000):
        till.press(dialog.query, Qt.Key.Key_F5)
    assert dialog.table.rowCount() > 100
    till.press(dialog.query, Qt.Key.Key_PageDown)
    assert dialog.table.currentRow() == 10
    dialog.reject()


def test_enter_in_the_pin_dialog_gives_the_pin(till: Till) -> None:
    dialog = PinDialog("Manager override", "why", till.window)
    dialog.show()
    till.type_text(dialog.pin, MANAGER_PIN)
    with till.qtbot.wait_signal(dialog.pin_entered, timeout=2000) as entered:
        till.press(dialog.pin, ENTER)
    assert entered.args == [MANAGER_PIN]
    assert not dialog.isVisible()


def test_enter_in_the_settings_pin_saves(till: Till, tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "home" / "settings.json")
    dialog = SettingsDialog(store, till.services.cashiers, till.window, printers=[])
    dialog.show()
    till.type_text(dialog.pin, MANAGER_PIN)
    with till.qtbot.wait_signal(dialog.saved, timeout=5000):
        till.press(dialog.pin, ENTER)
    assert store.path.exists()


def test_enter_in_the_login_and_opening_float_fields(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock) -> None:
    login = LoginDialog(services.cashiers, shell.operation_runner, "Register 1")
    qtbot.addWidget(login)
    login.show()
    for char in CASHIER_PIN:
        qtbot.keyClick(login.pin, char)
        clock.advance(HUMAN_GAP_S)
    with qtbot.wait_signal(login.logged_in, timeout=5000) as logged_in:
        qtbot.keyClick(login.pin, ENTER)
    cashier = logged_in.args[0]
    assert isinstance(cashier, CashierView)
    clock.advance(HUMAN_GAP_S)
    opening = OpenShiftDialog(services.shifts, cashier.id, cashier.name, shell.operation_runner)
    qtbot.addWidget(opening)
    opening.show()
    with qtbot.wait_signal(opening.opened, timeout=5000):
        qtbot.keyClick(opening.float_edit, ENTER)
    assert services.shifts.current() is not None


def test_enter_in_reports_reloads_and_escape_closes(till: Till) -> None:
    till.window.open_reports()
    dialog = till.window.open_dialog
    assert isinstance(dialog, ReportsDialog)
    till.qtbot.waitUntil(lambda: dialog.status.text().endswith("rows"), timeout=5000)
    dialog.status.setText("")
    till.press(dialog.kind, ENTER)
    till.qtbot.waitUntil(lambda: dialog.status.text().endswith("rows"), timeout=5000)
    assert dialog.isVisible()
    till.press(dialog.kind, ESCAPE)
    assert not dialog.isVisible()


OPENERS: dict[str, tuple[Callable[[CheckoutWindow], None], type[QDialog]]] = {
    "lookup": (CheckoutWindow.open_lookup, LookupDialog),
    "hold": (CheckoutWindow.open_hold, HoldLabelDialog),
    "recall": (CheckoutWindow.open_recall, RecallDialog),
    "void": (CheckoutWindow.open_void, VoidDialog),
    "tender": (CheckoutWindow.open_tender, TenderDialog),
    "sync": (CheckoutWindow.open_sync, SyncDialog),
    "reports": (CheckoutWindow.open_reports, ReportsDialog),
}


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_escape_cancels_every_dialog_and_changes_nothing(till: Till, name: str) -> None:
    till.scan_and_wait("1006-0047")
    opener, kind = OPENERS[name]
    opener(till.window)
    dialog = till.window.open_dialog
    assert isinstance(dialog, kind)
    focused = dialog.focusWidget() or dialog
    till.press(focused, ESCAPE)
    till.qtbot.waitUntil(lambda: till.window.open_dialog is None, timeout=2000)
    assert [line.tag_code for line in till.model.lines] == ["1006-0047"]
    assert till.services.sales.last() is None
    assert till.services.holds.list() == []
    assert till.window.refused.codes == []


def test_escape_keeps_the_shift_open(till: Till) -> None:
    dialog = _close_shift_dialog(till)
    till.type_text(dialog.counted, "100.00")
    till.press(dialog.counted, ESCAPE)
    assert not dialog.isVisible()
    assert till.services.shifts.current() is not None


def _ctrl_n(till: Till) -> None:
    till.qtbot.keyClick(till.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_n_no_sale_needs_a_reason_and_a_manager_and_counts_in_the_x_report(
        till: Till) -> None:
    _ctrl_n(till)
    dialog = till.window.open_dialog
    assert isinstance(dialog, NoSaleDialog)
    till.press(dialog.reason, ENTER)
    assert dialog.message.text() == "Say why the drawer is opened"
    till.type_text(dialog.reason, "Change for a fifty")
    till.type_text(dialog.pin, CASHIER_PIN)  # not a manager
    till.press(dialog.pin, ENTER)
    till.qtbot.waitUntil(lambda: dialog.message.text().startswith("Wrong manager PIN"),
                         timeout=5000)
    assert till.services.shifts.z_report(till.shift.id).no_sales_count == 0
    till.type_text(dialog.pin, MANAGER_PIN)
    with till.qtbot.wait_signal(dialog.recorded, timeout=5000):
        till.press(dialog.pin, ENTER)
    assert till.window.feedback.headline.text() == "No sale recorded: drawer open"
    report = till.services.shifts.z_report(till.shift.id)
    assert report.no_sales_count == 1
    lines = {block.left: block.right for block in z_report_blocks(
        report, till.window.printing.receipt_header()) if isinstance(block, Text)}
    assert lines["No sales (drawer opened)"] == "1"


def test_ctrl_n_no_sale_is_refused_with_items_in_the_cart(till: Till) -> None:
    till.scan_and_wait("1006-0046")
    _ctrl_n(till)
    assert till.window.open_dialog is None
    assert till.window.feedback.headline.text() == "No sale not possible"
