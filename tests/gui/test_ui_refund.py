"""Refund one item (Ctrl+F): scan the receipt, pick the line, a reason, cash or card and a
manager's PIN; the item is back on sale and the X report counts the refund."""

from __future__ import annotations

from guikit import Till

from pos_app.core.money import format_cents
from pos_app.services.catalog import ItemView
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.ui.qt import Qt
from pos_app.ui.receipt import receipt_code
from pos_app.ui.refund_dialog import RefundDialog

ENTER = Qt.Key.Key_Return


def test_a_scanned_receipt_line_is_refunded_with_a_manager_pin(till: Till) -> None:
    first = till.sell("1004-0042", "1004-0043")
    till.sell("1004-0044")
    till.qtbot.keyClick(till.window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = till.window.open_dialog
    assert isinstance(dialog, RefundDialog)
    till.qtbot.waitUntil(lambda: dialog.lines.count() > 0, timeout=5000)
    assert dialog.sales.item(0).text().startswith("#2")
    till.scan(receipt_code(till.services.context.register_id, first.seq), target=dialog.reason)
    till.qtbot.waitUntil(lambda: dialog.sales.item(0).text().startswith(f"#{first.seq}")
                         and dialog.lines.count() == 2, timeout=5000)
    dialog.lines.setCurrentRow(1)
    till.type_text(dialog.reason, "Wrong size")
    dialog.card.setChecked(True)
    till.type_text(dialog.pin, CASHIER_PIN)
    till.press(dialog.pin, ENTER)
    till.qtbot.waitUntil(lambda: dialog.message.text() == "Wrong manager PIN: nothing refunded",
                         timeout=5000)
    till.type_text(dialog.pin, MANAGER_PIN)
    with till.qtbot.wait_signal(dialog.refunded, timeout=5000) as done:
        till.press(dialog.pin, ENTER)
    refund = done.args[0]
    assert (refund.sale_id, refund.line_no, refund.tender) == (first.id, 2, "card")
    assert till.window.feedback.headline.text() == \
        f"Refund {format_cents(refund.amount_cents)} in card"
    item = till.services.catalog.lookup("1004-0043")
    assert isinstance(item, ItemView) and item.status == "approved"
    report = till.services.shifts.z_report(till.shift.id)
    assert (report.refunds_count, report.refunds_cents) == (1, refund.amount_cents)
    till.scan_and_wait("1004-0043")  # back on sale: it can be sold again
    assert [line.tag_code for line in till.model.lines] == ["1004-0043"]


def test_a_refund_without_a_reason_is_refused(till: Till) -> None:
    till.sell("1004-0045")
    till.window.open_refund()
    dialog = till.window.open_dialog
    assert isinstance(dialog, RefundDialog)
    till.qtbot.waitUntil(lambda: dialog.lines.count() > 0, timeout=5000)
    till.type_text(dialog.pin, MANAGER_PIN)
    till.press(dialog.pin, ENTER)
    assert dialog.message.text() == "Say why the item is refunded"
    assert till.services.refunds is not None
    assert till.services.shifts.z_report(till.shift.id).refunds_count == 0
