"""One definition per money figure, named the same on every screen and paper: items subtotal,
discounts, net, tax, total (see pos_app.ui.figures), on a half-price day with tax."""

from __future__ import annotations

from guikit import Till

from pos_app.core.money import format_cents
from pos_app.core.sale import CompletedSale
from pos_app.ui.figures import DISCOUNTS, ITEMS_SUBTOTAL, NET, TAX, TOTAL
from pos_app.ui.holds_dialog import HoldLabelDialog, RecallDialog
from pos_app.ui.printing import Text
from pos_app.ui.receipt import receipt_blocks, z_report_blocks
from pos_app.ui.reports_dialog import ReportsDialog

CODES = ("1001-0041", "1002-0041", "1003-0041", "1004-0041")


def _texts(blocks: list[object]) -> dict[str, str]:
    return {block.left: block.right for block in blocks if isinstance(block, Text)}


def test_the_recall_list_total_is_the_total_the_cart_showed(till: Till) -> None:
    for code in CODES:
        till.scan_and_wait(code)
    totals = till.window.presenter.totals()
    assert totals.discount_cents > 0 and totals.tax_cents > 0  # the demo's sale day
    shown = till.window.total_label.text()
    assert shown == format_cents(totals.total_cents)
    till.window.open_hold()
    hold = till.window.open_dialog
    assert isinstance(hold, HoldLabelDialog)
    with till.qtbot.wait_signal(till.shell.operation_runner.changed, timeout=5000):
        hold.accept()
    till.window.open_recall()
    recall = till.window.open_dialog
    assert isinstance(recall, RecallDialog)
    till.qtbot.waitUntil(lambda: recall.list.count() == 1, timeout=5000)
    listed = recall.list.item(0).text()
    assert f"{ITEMS_SUBTOTAL} {format_cents(totals.subtotal_cents)}" in listed
    assert f"{DISCOUNTS} -{format_cents(totals.discount_cents)}" in listed
    assert f"{TAX} {format_cents(totals.tax_cents)}" in listed
    assert f"{TOTAL} {shown}" in listed
    recall.reject()


def test_the_side_panel_receipt_x_report_and_reports_use_the_same_figures(till: Till) -> None:
    sales: list[CompletedSale] = [till.sell(*CODES[:2]), till.sell(*CODES[2:])]
    subtotal = sum(sale.totals.subtotal_cents for sale in sales)
    discounts = sum(sale.totals.discount_cents for sale in sales)
    tax = sum(sale.totals.tax_cents for sale in sales)
    total = sum(sale.total_cents for sale in sales)

    receipt = _texts(receipt_blocks(sales[0], till.window.printing.receipt_header()))
    first = sales[0].totals
    assert receipt[ITEMS_SUBTOTAL] == format_cents(first.subtotal_cents)
    assert receipt[DISCOUNTS] == f"-{format_cents(first.discount_cents)}"
    assert receipt[NET] == format_cents(first.subtotal_cents - first.discount_cents)
    assert receipt[TOTAL.upper()] == format_cents(first.total_cents)

    shift = till.services.shifts.current()
    assert shift is not None
    x_report = _texts(z_report_blocks(till.services.shifts.z_report(shift.id),
                                      till.window.printing.receipt_header()))
    assert x_report[ITEMS_SUBTOTAL] == format_cents(subtotal)
    assert x_report[DISCOUNTS] == f"-{format_cents(discounts)}"
    assert x_report[NET] == format_cents(subtotal - discounts)
    assert x_report[TAX] == format_cents(tax)
    assert x_report[TOTAL] == format_cents(total)
    assert "Gross" not in x_report

    till.window.open_reports()
    dialog = till.window.open_dialog
    assert isinstance(dialog, ReportsDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("category"))
    till.qtbot.waitUntil(lambda: dialog.table.columnCount() > 0
                         and dialog.table.horizontalHeaderItem(0).text() != "", timeout=5000)
    till.qtbot.waitUntil(lambda: _column(dialog, NET) is not None, timeout=5000)
    assert _column_sum(dialog, ITEMS_SUBTOTAL) == subtotal
    assert _column_sum(dialog, DISCOUNTS) == discounts
    assert _column_sum(dialog, NET) == subtotal - discounts
    headers = [dialog.table.horizontalHeaderItem(c).text()
               for c in range(dialog.table.columnCount())]
    assert "gross" not in " ".join(headers).lower()


def _column(dialog: ReportsDialog, title: str) -> int | None:
    for column in range(dialog.table.columnCount()):
        item = dialog.table.horizontalHeaderItem(column)
        if item is not None and item.text() == title:
            return column
    return None


def _column_sum(dialog: ReportsDialog, title: str) -> int:
    column = _column(dialog, title)
    assert column is not None, title
    cents = 0
    for row in range(dialog.table.rowCount()):
        text = dialog.table.item(row, column).text().replace("$", "").replace(",", "")
        cents += round(float(text) * 100)
    return cents
