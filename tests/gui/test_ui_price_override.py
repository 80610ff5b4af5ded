"""Price override (Ctrl+P) and open-price items (Ctrl+O) at the till: a manager's PIN, a
reason or description, the line priced and marked, the sale committed with it, and the X
report counting it."""

from __future__ import annotations

from guikit import Till

from pos_app.core.cart import OPEN_PRICE_PREFIX
from pos_app.core.money import format_cents
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.ui.open_price_dialog import OpenPriceDialog
from pos_app.ui.price_override_dialog import PriceOverrideDialog
from pos_app.ui.printing import Text
from pos_app.ui.qt import Qt
from pos_app.ui.receipt import receipt_blocks, z_report_blocks

ENTER = Qt.Key.Key_Return


def _dialog(till: Till) -> PriceOverrideDialog:
    till.qtbot.keyClick(till.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = till.window.open_dialog
    assert isinstance(dialog, PriceOverrideDialog)
    return dialog


def test_a_manager_overrides_the_last_line_and_the_sale_records_it(till: Till) -> None:
    till.scan_and_wait("1003-0040")
    till.scan_and_wait("1003-0041")
    tag_price = till.model.lines[1].unit_price_cents
    dialog = _dialog(till)
    till.type_text(dialog.price, "2.50")
    till.press(dialog.price, ENTER)
    assert dialog.message.text() == "Say why the price is changed"
    till.type_text(dialog.reason, "Missing button")
    till.type_text(dialog.pin, CASHIER_PIN)
    with till.qtbot.wait_signal(till.window.presenter.price_override_done, timeout=5000):
        till.press(dialog.pin, ENTER)
    assert dialog.message.text() == "Wrong manager PIN: the price is unchanged"
    assert till.model.lines[1].unit_price_cents == tag_price
    till.type_text(dialog.pin, MANAGER_PIN)
    with till.qtbot.wait_signal(till.window.presenter.price_override_done, timeout=5000):
        till.press(dialog.pin, ENTER)
    assert not dialog.isVisible()
    line = till.model.lines[1]
    assert (line.price_cents, line.tag_price_cents, line.override_reason) == (
        250, tag_price, "Missing button")
    assert till.model.index(1, 2).data().endswith("(price override)")
    assert till.window.feedback.headline.text() == "Price overridden"

    sale = till.sell()
    assert sale.lines[1].price_cents == 250 and sale.lines[1].tag_price_cents == tag_price
    receipt = [b.left for b in receipt_blocks(sale, till.window.printing.receipt_header())
               if isinstance(b, Text)]
    assert f"    price override (tag {format_cents(tag_price)})" in receipt
    report = till.services.shifts.z_report(till.shift.id)
    x_report = {b.left: b.right for b in z_report_blocks(
        report, till.window.printing.receipt_header()) if isinstance(b, Text)}
    assert x_report["Price overrides (1)"] == f"-{format_cents(tag_price - 250)}"


def test_no_override_without_a_line(till: Till) -> None:
    till.qtbot.keyClick(till.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert till.window.open_dialog is None
    assert till.window.feedback.headline.text() == "No line to price"


def test_an_open_price_item_needs_a_manager_and_is_sold_with_an_unknown_item_id(
        till: Till) -> None:
    till.qtbot.keyClick(till.window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    dialog = till.window.open_dialog
    assert isinstance(dialog, OpenPriceDialog)
    till.type_text(dialog.consignor, "1004")
    till.type_text(dialog.description, "Blue rain jacket")
    till.type_text(dialog.price, "6.00")
    till.type_text(dialog.pin, CASHIER_PIN)
    with till.qtbot.wait_signal(till.window.presenter.price_override_done, timeout=5000):
        till.press(dialog.pin, ENTER)
    assert dialog.message.text() == "Wrong manager PIN: nothing added"
    assert till.model.rowCount() == 0
    till.type_text(dialog.pin, MANAGER_PIN)
    with till.qtbot.wait_signal(till.window.presenter.price_override_done, timeout=5000):
        till.press(dialog.pin, ENTER)
    assert not dialog.isVisible()
    [line] = till.model.lines
    assert line.item_id.startswith(OPEN_PRICE_PREFIX) and line.tag_code == "OPEN-1004"
    assert (line.consignor_number, line.price_cents) == (1004, 600)
    assert till.model.index(0, 2).data() == "Blue rain jacket (open price)"
    sale = till.sell()
    assert sale.lines[0].item_id == line.item_id
    report = till.services.shifts.z_report(till.shift.id)
    assert (report.open_price_count, report.open_price_cents) == (1, 600)
    assert report.overrides_count == 0


def test_an_open_price_item_without_a_description_is_refused(till: Till) -> None:
    till.window.open_open_price()
    dialog = till.window.open_dialog
    assert isinstance(dialog, OpenPriceDialog)
    till.type_text(dialog.consignor, "1004")
    till.type_text(dialog.price, "6.00")
    till.type_text(dialog.pin, MANAGER_PIN)
    with till.qtbot.wait_signal(till.window.presenter.price_override_done, timeout=5000):
        till.press(dialog.pin, ENTER)
    assert dialog.message.text() == "Describe the item"
    assert till.model.rowCount() == 0
