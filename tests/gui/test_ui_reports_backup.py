"""Organiser tools in the GUI: the reports dialog with CSV export, and the backup offered at
shift close."""

from __future__ import annotations

import sqlite3

from guikit import Till

from pos_app.ui.qt import Qt
from pos_app.ui.reports_dialog import ReportsDialog
from pos_app.ui.shift_dialogs import CloseShiftDialog


def test_reports_dialog_shows_consignor_split_and_exports_csv(till: Till) -> None:
    till.sell("1006-0002", "1006-0003")
    till.window.open_reports()
    dialog = till.window.open_dialog
    assert isinstance(dialog, ReportsDialog)
    till.qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=5000)
    dialog.kind.setCurrentIndex(dialog.kind.findData("consignor"))
    def headers() -> list[str]:
        return [dialog.table.horizontalHeaderItem(i).text()
                for i in range(dialog.table.columnCount())]

    till.qtbot.waitUntil(lambda: "consignor share" in headers(), timeout=5000)
    assert "Net" in headers()  # the consignor's gross is the net: after discounts, before tax

    dialog.export()
    till.qtbot.waitUntil(lambda: dialog.status.text().startswith("Exported"), timeout=5000)
    path = dialog.status.text().removeprefix("Exported to ")
    with open(path, encoding="utf-8") as exported:
        assert exported.readline().startswith("number,name,items_sold,gross_cents")


def test_closing_the_shift_backs_the_database_up(till: Till) -> None:
    sale = till.sell("1006-0004")
    till.window.open_close_shift()
    dialog = till.window.open_dialog
    assert isinstance(dialog, CloseShiftDialog)
    assert dialog.backup_box.isChecked()
    till.qtbot.waitUntil(dialog.close_button.isEnabled, timeout=5000)
    dialog.counted.setText("500.00")
    with till.qtbot.wait_signal(till.window.shift_closed, timeout=5000):
        dialog.submit()
    backups = till.services.backups
    assert backups is not None
    till.qtbot.waitUntil(lambda: any(backups.folder.glob("*.sqlite3")), timeout=10000)
    copy = next(backups.folder.glob("*.sqlite3"))
    with sqlite3.connect(copy) as raw:
        assert raw.execute("SELECT COUNT(*) FROM sales WHERE id = ?",
                           (sale.id,)).fetchone()[0] == 1


def test_reports_dialog_shows_the_hall_figures_and_exports_them(till: Till) -> None:
    lifecycle = till.services.lifecycle
    assert lifecycle is not None
    lifecycle.return_item("1003-0001", "demo-cashier")
    lifecycle.reject("1003-0002", "stained", "demo-cashier")
    till.sell("1003-0003")
    till.qtbot.keyClick(till.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = till.window.open_dialog
    assert isinstance(dialog, ReportsDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("hall"))

    def cells() -> dict[str, dict[str, str]]:
        headers = [dialog.table.horizontalHeaderItem(i).text()
                   for i in range(dialog.table.columnCount())]
        return {dialog.table.item(row, 0).text(): {
            header: dialog.table.item(row, column).text()
            for column, header in enumerate(headers)} for row in range(dialog.table.rowCount())}

    till.qtbot.waitUntil(lambda: "1003" in cells() and "donated value" in cells()["1003"],
                         timeout=5000)
    mine = cells()["1003"]
    assert {k: mine[k] for k in ("expected", "checked in", "rejected", "sold", "returned",
                                 "missing")} == {"expected": "50", "checked in": "50",
                                                 "rejected": "1", "sold": "1",
                                                 "returned": "1", "missing": "48"}
    assert cells()["0"]["name"] == "All consignors"

    dialog.kind.setCurrentIndex(dialog.kind.findData("rejections"))
    till.qtbot.waitUntil(lambda: "reason" in cells().get("1003", {}), timeout=5000)
    assert cells()["1003"]["reason"] == "stained"
    dialog.export()
    till.qtbot.waitUntil(lambda: dialog.status.text().startswith("Exported"), timeout=5000)
    path = dialog.status.text().removeprefix("Exported to ")
    with open(path, encoding="utf-8") as exported:
        lines = exported.read().splitlines()
    assert lines[0] == "consignor_number,name,reason,items,value_cents,value"
    assert any(line.startswith("1003,") and ",stained,1," in line for line in lines)
