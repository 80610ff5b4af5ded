"""Voids need a manager's PIN; held carts come back as if scanned again (without what was
sold since); closing a shift counts the cash."""

from __future__ import annotations

from guikit import Till
from sqlalchemy import update

from pos_app.core.sale import CompletedSale
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.services.shifts import ZReport
from pos_app.store import models
from pos_app.store.engine import Database
from pos_app.ui.holds_dialog import HoldLabelDialog, RecallDialog
from pos_app.ui.receipt import receipt_code
from pos_app.ui.shift_dialogs import CashDropDialog, CloseShiftDialog, over_short_text
from pos_app.ui.void_dialog import VoidDialog


def _sell(till: Till, *codes: str, extra_cash: int = 0) -> CompletedSale:
    return till.sell(*codes, extra_cash=extra_cash)


def _void_dialog(till: Till) -> VoidDialog:
    till.window.open_void()
    dialog = till.window.open_dialog
    assert isinstance(dialog, VoidDialog)
    till.qtbot.waitUntil(lambda: dialog.list.count() > 0, timeout=5000)
    return dialog


def _try_void(till: Till, dialog: VoidDialog, pin: str, reason: str = "changed mind") -> str:
    dialog.reason.setText(reason)
    dialog.pin.setText(pin)
    with till.qtbot.wait_signal(dialog.presenter.message, timeout=5000) as said:
        dialog.void()
    return str(said.args[0])


def test_void_with_the_manager_pin(till: Till) -> None:
    sale = _sell(till, "1003-0001", "1003-0002")
    dialog = _void_dialog(till)
    assert dialog.list.item(0).text().startswith(f"#{sale.seq}")
    with till.qtbot.wait_signal(dialog.presenter.voided, timeout=5000):
        message = _try_void(till, dialog, MANAGER_PIN)
    assert message.startswith(f"Sale #{sale.seq} voided")
    record = till.services.sales.get(sale.id)
    assert record is not None and record.voided
    till.qtbot.waitUntil(lambda: "VOIDED" in dialog.list.item(0).text(), timeout=5000)
    dialog.reject()
    till.scan_and_wait("1003-0001")  # a voided sale's items are for sale again
    assert till.model.rowCount() == 1


def test_void_refused_with_a_cashier_pin(till: Till) -> None:
    sale = _sell(till, "1003-0003")
    dialog = _void_dialog(till)
    message = _try_void(till, dialog, CASHIER_PIN)
    assert message == "Wrong manager PIN: the sale was NOT voided"
    record = till.services.sales.get(sale.id)
    assert record is not None and not record.voided


def test_void_refused_without_a_pin_or_a_reason(till: Till) -> None:
    sale = _sell(till, "1003-0004")
    dialog = _void_dialog(till)
    assert "manager's PIN is needed" in _try_void(till, dialog, "")
    assert "Say why" in _try_void(till, dialog, MANAGER_PIN, reason=" ")
    record = till.services.sales.get(sale.id)
    assert record is not None and not record.voided


def test_scanning_a_receipt_in_the_void_dialog_picks_its_sale(till: Till) -> None:
    first = _sell(till, "1003-0005")
    _sell(till, "1003-0006")
    dialog = _void_dialog(till)
    assert dialog.list.item(0).text().startswith("#2")
    with till.qtbot.wait_signal(dialog.presenter.sales_loaded, timeout=5000):
        till.scan(receipt_code(till.services.context.register_id, first.seq))
    assert dialog.list.item(0).text().startswith(f"#{first.seq}")


def _hold(till: Till, *codes: str, label: str = "Mrs Garcia") -> None:
    """Scan ``codes`` (onto what is in the cart) and hold the cart under ``label``."""
    for code in codes:
        till.scan_and_wait(code)
    till.window.open_hold()
    dialog = till.window.open_dialog
    assert isinstance(dialog, HoldLabelDialog)
    dialog.label.setText(label)
    with till.qtbot.wait_signal(till.shell.operation_runner.changed, timeout=5000):
        dialog.accept()


def _recall(till: Till) -> str:
    """Recall the one held cart; return how the recall dialog listed it."""
    till.window.open_recall()
    recall = till.window.open_dialog
    assert isinstance(recall, RecallDialog)
    till.qtbot.waitUntil(lambda: recall.list.count() == 1, timeout=5000)
    listed = recall.list.item(0).text()
    with till.qtbot.wait_signal(till.window.presenter.totals_changed, timeout=5000):
        recall.accept()
    return listed


def test_hold_and_recall(till: Till) -> None:
    for code in ("1004-0001", "1004-0002", "1004-0003"):
        till.scan_and_wait(code)
    lines = list(till.model.lines)
    _hold(till)
    assert till.model.rowCount() == 0
    till.qtbot.waitUntil(lambda: till.window.buttons["F5"].text() == "F5  Recall (1)",
                         timeout=5000)
    till.scan_and_wait("1005-0001")  # the next shopper
    assert till.model.rowCount() == 1
    till.window.presenter.remove_line(0)

    assert _recall(till).startswith("Mrs Garcia   3 items")
    assert list(till.model.lines) == lines
    till.qtbot.waitUntil(lambda: till.window.buttons["F5"].text() == "F5  Recall", timeout=5000)


def test_a_recalled_cart_leaves_out_an_item_sold_at_another_register_since(
        till: Till, database: Database) -> None:
    _hold(till, "1004-0005", "1004-0006", "1004-0007", label="Mr Okafor")
    items = models.items
    with database.unit_of_work() as unit:  # what a catalog pull does when another till sold it
        unit.connection.execute(update(items).where(items.c.tag_code == "1004-0006").values(
            status="sold", sold_sale_id="other-sale", sold_register_id="register-9"))
        unit.commit()

    _recall(till)

    assert [line.tag_code for line in till.model.lines] == ["1004-0005", "1004-0007"]
    assert till.window.feedback.headline.text() == "Cart recalled: 1 left out"
    assert "1004-0006 was sold at another register" in till.window.feedback.detail.text()


def test_recall_refused_while_the_cart_has_items(till: Till) -> None:
    till.scan_and_wait("1004-0004")
    till.window.presenter.recall("any-id")
    assert till.window.feedback.headline.text() == "Cart not empty"


def test_over_short_words() -> None:
    assert over_short_text(None, 100) == ("Type the counted cash", "#374151")
    assert over_short_text(100, 100)[0] == "Balanced"
    assert over_short_text(150, 100)[0] == "Over by $0.50"
    assert over_short_text(75, 100)[0] == "Short by $0.25"


def _close_shift(till: Till, counted: str) -> tuple[CloseShiftDialog, ZReport]:
    till.window.open_close_shift()
    dialog = till.window.open_dialog
    assert isinstance(dialog, CloseShiftDialog)
    till.qtbot.waitUntil(dialog.close_button.isEnabled, timeout=5000)
    dialog.counted.setText(counted)
    shown = dialog.difference.text()
    with till.qtbot.wait_signal(till.window.shift_closed, timeout=5000) as closed:
        dialog.submit()
    report = closed.args[0]
    assert isinstance(report, ZReport)
    dialog.difference.setText(shown)  # keep what was shown for the assertions
    return dialog, report


def test_close_shift_short(till: Till) -> None:
    sale = _sell(till, "1005-0002", "1005-0003", extra_cash=500)
    expected = 10_000 + sale.total_cents
    counted = expected - 250
    _dialog, report = _close_shift(till, f"{counted // 100}.{counted % 100:02d}")
    assert report.expected_cash_cents == expected
    assert report.counted_cash_cents == counted
    assert report.over_short_cents == -250
    assert report.sales_count == 1 and report.items_sold == 2
    assert list(till.receipts_dir.glob("z-report-*.pdf"))
    assert till.services.shifts.current() is None


def test_close_shift_over_shows_over_before_closing(till: Till) -> None:
    sale = _sell(till, "1005-0004")
    expected = 10_000 + sale.total_cents
    counted = expected + 1_000
    dialog, report = _close_shift(till, f"{counted // 100}.{counted % 100:02d}")
    assert dialog.difference.text() == "Over by $10.00"
    assert report.over_short_cents == 1_000


def _shift_dialog(till: Till) -> CloseShiftDialog:
    till.window.open_close_shift()
    dialog = till.window.open_dialog
    assert isinstance(dialog, CloseShiftDialog)
    till.qtbot.waitUntil(dialog.drop_button.isEnabled, timeout=5000)
    return dialog


def _drop(till: Till, dialog: CloseShiftDialog, amount: str, pin: str) -> str | None:
    """Try a cash drop; None when it was recorded (the dialog closed), else what it said."""
    dialog.open_cash_drop()
    drop = dialog.drop_dialog
    assert isinstance(drop, CashDropDialog)
    drop.amount.setText(amount)
    drop.pin.setText(pin)
    drop.submit()
    till.qtbot.waitUntil(lambda: dialog.drop_dialog is None
                         or drop.message.text() != "Recording...", timeout=5000)
    if dialog.drop_dialog is None:
        return None
    said = drop.message.text()
    drop.reject()
    till.qtbot.waitUntil(lambda: dialog.drop_dialog is None, timeout=5000)
    return said


def test_a_cash_drop_needs_a_manager_pin_and_lowers_the_expected_cash(till: Till) -> None:
    sale = _sell(till, "1005-0005", extra_cash=0)
    in_drawer = 10_000 + sale.total_cents
    dialog = _shift_dialog(till)

    assert _drop(till, dialog, "50.00", CASHIER_PIN) == "Wrong manager PIN: no drop recorded"
    said = _drop(till, dialog, "5000.00", MANAGER_PIN)
    assert said is not None and said.startswith("The drawer should hold only $")
    assert dialog.expected_label.text() == f"${in_drawer // 100}.{in_drawer % 100:02d}"

    assert _drop(till, dialog, "50.00", MANAGER_PIN) is None
    left = in_drawer - 5_000
    assert dialog.expected_label.text() == f"${left // 100}.{left % 100:02d}"
    assert dialog.drops_label.text() == "$50.00 taken to the safe"
    shift = till.services.shifts.current()
    assert shift is not None
    assert till.services.shifts.z_report(shift.id).cash_drops_cents == 5_000
    dialog.reject()


def test_an_x_report_prints_the_figures_and_keeps_the_shift_open(till: Till) -> None:
    _sell(till, "1005-0006")
    dialog = _shift_dialog(till)

    dialog.print_x_report()

    [x_report] = till.receipts_dir.glob("x-report-*.pdf")
    assert x_report.read_bytes().startswith(b"%PDF")
    assert dialog.printed.text() == f"X report printed: PDF saved to {x_report}"
    assert not list(till.receipts_dir.glob("z-report-*.pdf"))
    assert till.services.shifts.current() is not None
    dialog.reject()
