"""The organiser's reports in the GUI (Ctrl+R): pick a report, read it, export it as CSV.

The figures come from :class:`pos_app.services.reports.ReportService` on the read lane (the
hall's check-in, pick-up and donation figures too, from its :meth:`hall`); the CSV goes to a
``reports`` folder beside the register database, and its path is shown.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos_app.core.money import format_cents
from pos_app.services.export import REPORT_KINDS, TITLES, report_rows, write_csv
from pos_app.services.reports import ReportService
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.figures import column_title, with_items_subtotal
from pos_app.ui.operations import Operation
from pos_app.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.taskman import Lane


class ReportsDialog(KeyDialog):
    """Enter reloads the figures; Escape closes."""

    def __init__(self, reports: ReportService, parent: QWidget,
                 export_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsDialog")
        self.setWindowTitle("Reports")
        self.resize(960, 560)
        self._reports = reports
        self._export_dir = export_dir
        self._current: tuple[list[str], list[dict[str, Any]]] = ([], [])
        self.kind = QComboBox(self)
        for kind in REPORT_KINDS:
            self.kind.addItem(TITLES[kind], kind)
        self.kind.currentIndexChanged.connect(self.load)
        self.table = QTableWidget(self)
        self.status = QLabel("", self)
        export = QPushButton("Export CSV", self)
        export.clicked.connect(self.export)
        close = QPushButton("Esc  Close", self)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(export)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.load()

    def enter_pressed(self) -> None:
        self.load()

    def load(self) -> None:
        kind = str(self.kind.currentData())
        Operation(self, lambda: report_rows(self._reports, kind), lane=Lane.READ) \
            .success(self._show).run()

    def _show(self, result: tuple[list[str], list[dict[str, Any]]]) -> None:
        self._current = result
        columns, records = with_items_subtotal(*result)
        self.table.setColumnCount(len(columns))
        self.table.setRowCount(len(records))
        self.table.setHorizontalHeaderLabels([column_title(c) for c in columns])
        for row, record in enumerate(records):
            for column, name in enumerate(columns):
                value = record[name]
                text = format_cents(value) if name.endswith("_cents") else str(value)
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.status.setText(f"{len(records)} rows")

    def export(self) -> None:
        columns, records = self._current
        kind = str(self.kind.currentData())
        folder = self._export_dir or Path.home() / "pos_app-reports"
        path = folder / f"{kind}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.csv"
        Operation(self, lambda: write_csv(path, columns, records), lane=Lane.READ) \
            .success(lambda written: self.status.setText(f"Exported to {written}")).run()
