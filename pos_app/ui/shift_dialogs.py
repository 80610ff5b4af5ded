"""Opening a shift with a float, and closing it: counted cash against expected, Z report.

The close dialog loads the shift's Z report (expected cash) on the read lane, shows over or
short live as the count is typed, then closes the shift on the write lane and prints the
final Z report (or writes its PDF).
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.core.money import format_cents
from pos_app.services.changes import Changes
from pos_app.services.shifts import ShiftService, ShiftView, ZReport
from pos_app.ui.operations import Operation, OperationRunner
from pos_app.ui.qt import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QObject,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import MoneyEdit, title_label


def over_short_text(counted_cents: int | None, expected_cents: int) -> tuple[str, str]:
    """Words and colour for the difference between counted and expected cash."""
    if counted_cents is None:
        return "Type the counted cash", "#374151"
    difference = counted_cents - expected_cents
    if difference == 0:
        return "Balanced", "#15803d"
    if difference > 0:
        return f"Over by {format_cents(difference)}", "#b45309"
    return f"Short by {format_cents(-difference)}", "#b91c1c"


class ShiftPresenter(QObject):
    report_loaded = Signal(object)  # ZReport
    opened = Signal(object)         # ShiftView
    closed = Signal(object)         # ZReport (final)

    def __init__(self, shifts: ShiftService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shifts = shifts
        self.report: ZReport | None = None

    def open(self, cashier_id: str, float_cents: int) -> None:
        Operation(self, lambda: self._shifts.open(cashier_id, float_cents),
                  changes=Changes.SHIFT).success(self.opened.emit).run()

    def load(self, shift_id: str) -> None:
        Operation(self, lambda: self._shifts.z_report(shift_id), lane=Lane.READ) \
            .success(self._loaded).run()

    def close(self, shift_id: str, counted_cents: int) -> None:
        Operation(self, lambda: self._shifts.close(shift_id, counted_cents),
                  changes=Changes.SHIFT).success(self._closed).run()

    def _loaded(self, report: ZReport) -> None:
        self.report = report
        self.report_loaded.emit(report)

    def _closed(self, report: ZReport) -> None:
        self.report = report
        self.closed.emit(report)


class OpenShiftDialog(QDialog):
    """Asks for the opening float; emits :attr:`opened` once the shift is on disk."""

    opened = Signal(object)  # ShiftView

    def __init__(self, shifts: ShiftService, cashier_id: str, cashier_name: str,
                 runner: OperationRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if runner is not None:  # a top-level start-up step: its operations need the runner
            self.operation_runner = runner
        self.setObjectName("openShiftDialog")
        self.setWindowTitle("Open the register")
        self._cashier_id = cashier_id
        self.presenter = ShiftPresenter(shifts, self)
        self.presenter.opened.connect(self._opened)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Open the register", self))
        layout.addWidget(QLabel(f"{cashier_name}: count the cash in the drawer.", self))
        form = QFormLayout()
        self.float_edit = MoneyEdit(self)
        self.float_edit.setText("100.00")
        self.float_edit.returnPressed.connect(self.submit)
        form.addRow("Opening float", self.float_edit)
        layout.addLayout(form)
        self.message = QLabel("", self)
        layout.addWidget(self.message)
        self.open_button = QPushButton("Open shift", self)
        self.open_button.clicked.connect(self.submit)
        layout.addWidget(self.open_button)

    def submit(self) -> None:
        cents = self.float_edit.cents()
        if cents is None:
            self.message.setText("Type the float, e.g. 100.00")
            return
        self.open_button.setEnabled(False)
        self.presenter.open(self._cashier_id, cents)

    def _opened(self, shift: ShiftView) -> None:
        self.accept()
        self.opened.emit(shift)


class CloseShiftDialog(QDialog):
    """Counts the drawer and closes the shift; emits :attr:`closed` with the final Z report."""

    closed = Signal(object)  # ZReport

    def __init__(self, shifts: ShiftService, shift_id: str,
                 print_report: Callable[[ZReport], object], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("closeShiftDialog")
        self.setWindowTitle("Close the shift")
        self.resize(560, 420)
        self._shift_id = shift_id
        self._print = print_report
        self.presenter = ShiftPresenter(shifts, self)
        self.presenter.report_loaded.connect(self._show_report)
        self.presenter.closed.connect(self._closed)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Close the shift (Z report)", self))
        form = QFormLayout()
        self.sales_label = QLabel("...", self)
        self.expected_label = QLabel("...", self)
        self.expected_label.setObjectName("bigAmount")
        self.counted = MoneyEdit(self)
        self.counted.textChanged.connect(self._update_difference)
        self.difference = QLabel("", self)
        self.difference.setObjectName("overShortLabel")
        form.addRow("Sales", self.sales_label)
        form.addRow("Expected cash", self.expected_label)
        form.addRow("Counted cash", self.counted)
        form.addRow("", self.difference)
        layout.addLayout(form)
        self.backup_box = QCheckBox("Back up the register database after closing", self)
        self.backup_box.setChecked(True)
        layout.addWidget(self.backup_box)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton("Esc  Keep the shift open", self)
        cancel.clicked.connect(self.reject)
        self.close_button = QPushButton("Close shift and print Z report", self)
        self.close_button.setEnabled(False)
        self.close_button.clicked.connect(self.submit)
        row.addWidget(cancel)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.presenter.load(shift_id)

    def submit(self) -> None:
        counted = self.counted.cents()
        if counted is None or self.presenter.report is None:
            return
        self.close_button.setEnabled(False)
        self.presenter.close(self._shift_id, counted)

    def _show_report(self, report: ZReport) -> None:
        self.sales_label.setText(f"{report.sales_count} sales, {report.items_sold} items, "
                                 f"{format_cents(report.total_cents)}")
        self.expected_label.setText(format_cents(report.expected_cash_cents))
        self.close_button.setEnabled(True)
        self._update_difference()

    def _update_difference(self) -> None:
        report = self.presenter.report
        if report is None:
            return
        text, colour = over_short_text(self.counted.cents(), report.expected_cash_cents)
        self.difference.setText(text)
        self.difference.setStyleSheet(f"color: {colour}; font-size: 18pt; font-weight: 700;")

    def _closed(self, report: ZReport) -> None:
        self._print(report)
        self.accept()
        self.closed.emit(report)
