"""Opening a shift with a float, cash drops, and closing it: counted cash against expected.

The shift dialog (F10) loads the shift's figures (expected cash) on the read lane, shows over
or short live as the count is typed, then closes the shift on the write lane and prints the
final Z report (or writes its PDF). Before closing, it prints an X report (the figures so
far, the shift left open) and records cash drops: cash taken to the safe, approved with a
manager's PIN, which lowers the expected cash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from pos_app.core.money import format_cents
from pos_app.services.cashiers import CashierService, CashierView
from pos_app.services.shifts import ShiftService, ShiftView, ZReport
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation, OperationRunner, find_runner, is_known_error
from pos_app.ui.qt import (
    QCheckBox,
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
from pos_app.ui.widgets import MoneyEdit, PinEdit, title_label

log = logging.getLogger(__name__)


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
    dropped = Signal(object)        # ZReport after a cash drop
    refused = Signal(str)           # why a cash drop was not recorded

    def __init__(self, shifts: ShiftService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shifts = shifts
        self.report: ZReport | None = None

    def open(self, cashier_id: str, float_cents: int) -> None:
        Operation.call(self, self._shifts.open, cashier_id, float_cents) \
            .success(self.opened.emit).run()

    def load(self, shift_id: str) -> None:
        Operation(self, lambda: self._shifts.z_report(shift_id), lane=Lane.READ) \
            .success(self._loaded).run()

    def close(self, shift_id: str, counted_cents: int) -> None:
        Operation.call(self, self._shifts.close, shift_id, counted_cents) \
            .success(self._closed).run()

    def drop(self, cashiers: CashierService, shift_id: str, cents: int, manager_pin: str) -> None:
        """Record a cash drop once a manager's PIN approves it (write lane)."""
        shifts = self._shifts

        def drop(manager: CashierView) -> ZReport:
            report = shifts.cash_drop(shift_id, cents)
            log.info("cash drop of %s from shift %s approved by %s", format_cents(cents),
                     shift_id, manager.id)
            return report

        Operation.call(self, cashiers.as_manager, manager_pin, drop) \
            .success(self._dropped).failure(self._drop_failed).run()

    def _dropped(self, report: ZReport | None) -> None:
        if report is None:
            self.refused.emit("Wrong manager PIN: no drop recorded")
            return
        self.report = report
        self.dropped.emit(report)
        self.report_loaded.emit(report)

    def _drop_failed(self, error: BaseException) -> None:
        if is_known_error(error):
            self.refused.emit(str(error))
        else:
            self.refused.emit("The cash drop could not be saved")
            find_runner(self).report(error)

    def _loaded(self, report: ZReport) -> None:
        self.report = report
        self.report_loaded.emit(report)

    def _closed(self, report: ZReport) -> None:
        self.report = report
        self.closed.emit(report)


class OpenShiftDialog(KeyDialog):
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
        form.addRow("Opening float", self.float_edit)
        layout.addLayout(form)
        self.message = QLabel("", self)
        layout.addWidget(self.message)
        self.open_button = QPushButton("Open shift", self)
        self.open_button.clicked.connect(self.submit)
        layout.addWidget(self.open_button)

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        cents = self.float_edit.cents()
        if not self.open_button.isEnabled():
            return  # already opening
        if cents is None:
            self.message.setText("Type the float, e.g. 100.00")
            return
        self.open_button.setEnabled(False)
        self.presenter.open(self._cashier_id, cents)

    def _opened(self, shift: ShiftView) -> None:
        self.accept()
        self.opened.emit(shift)


class CloseShiftDialog(KeyDialog):
    """Counts the drawer and closes the shift; emits :attr:`closed` with the final Z report."""

    closed = Signal(object)  # ZReport

    def __init__(self, shifts: ShiftService, cashiers: CashierService, shift_id: str,
                 print_report: Callable[[ZReport], object], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("closeShiftDialog")
        self.setWindowTitle("Close the shift")
        self.resize(560, 460)
        self._shift_id = shift_id
        self._print = print_report
        self._cashiers = cashiers
        self.drop_dialog: CashDropDialog | None = None
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
        self.drops_label = QLabel("none", self)
        form.addRow("Sales", self.sales_label)
        form.addRow("Cash drops", self.drops_label)
        form.addRow("Expected cash", self.expected_label)
        form.addRow("Counted cash", self.counted)
        form.addRow("", self.difference)
        layout.addLayout(form)
        layout.addLayout(self._mid_shift_buttons())
        self.printed = QLabel("", self)
        self.printed.setObjectName("printedMessage")
        self.printed.setWordWrap(True)
        self.printed.setStyleSheet("color: #15803d; font-weight: 600;")
        layout.addWidget(self.printed)
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

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        counted = self.counted.cents()
        if counted is None or self.presenter.report is None:
            return
        self.close_button.setEnabled(False)
        self.presenter.close(self._shift_id, counted)

    def _mid_shift_buttons(self) -> QHBoxLayout:
        """Cash drop and X report: what can be done before the count closes the shift."""
        row = QHBoxLayout()
        self.drop_button = QPushButton("Cash drop...", self)
        self.drop_button.clicked.connect(self.open_cash_drop)
        self.x_button = QPushButton("Print X report (shift stays open)", self)
        self.x_button.clicked.connect(self.print_x_report)
        for button in (self.drop_button, self.x_button):
            button.setEnabled(False)  # until the figures are loaded
            button.setAutoDefault(False)  # Enter in the count field does not open them
            row.addWidget(button)
        row.addStretch(1)
        return row

    def print_x_report(self) -> None:
        """The figures so far, printed; the shift stays open. Says where it went."""
        if self.presenter.report is None:
            return
        where = self._print(self.presenter.report)
        if isinstance(where, Path):
            self.printed.setText(f"X report printed: PDF saved to {where}")
        elif isinstance(where, str):
            self.printed.setText(f"X report printed: sent to printer {where}")

    def open_cash_drop(self) -> None:
        report = self.presenter.report
        if report is None:
            return
        drop = CashDropDialog(self.presenter, self._cashiers, self._shift_id,
                              report.expected_cash_cents, self)
        drop.finished.connect(lambda _result: self._drop_closed(drop))
        self.drop_dialog = drop
        drop.open()

    def _drop_closed(self, drop: CashDropDialog) -> None:
        if self.drop_dialog is drop:
            self.drop_dialog = None
        drop.deleteLater()  # and with it, its connections to the presenter

    def _show_report(self, report: ZReport) -> None:
        sales = "1 sale" if report.sales_count == 1 else f"{report.sales_count} sales"
        self.sales_label.setText(f"{sales}, {report.items_sold} items, "
                                 f"total {format_cents(report.total_cents)}")
        self.drops_label.setText(f"{format_cents(report.cash_drops_cents)} taken to the safe"
                                 if report.cash_drops_cents else "none")
        self.expected_label.setText(format_cents(report.expected_cash_cents))
        for button in (self.close_button, self.drop_button, self.x_button):
            button.setEnabled(True)
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


class CashDropDialog(KeyDialog):
    """Cash taken from the drawer to the safe: the amount and a manager's PIN."""

    def __init__(self, presenter: ShiftPresenter, cashiers: CashierService, shift_id: str,
                 expected_cents: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("cashDropDialog")
        self.setWindowTitle("Cash drop")
        self._presenter = presenter
        self._cashiers = cashiers
        self._shift_id = shift_id
        presenter.dropped.connect(self._dropped)
        presenter.refused.connect(self._refused)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Cash drop", self))
        layout.addWidget(QLabel(f"The drawer should hold {format_cents(expected_cents)}. "
                                "Count what goes to the safe.", self))
        form = QFormLayout()
        self.amount = MoneyEdit(self)
        self.pin = PinEdit(self)
        form.addRow("Amount", self.amount)
        form.addRow("Manager PIN", self.pin)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("dropMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.record_button = QPushButton("Record the drop", self)
        self.record_button.clicked.connect(self.submit)
        layout.addWidget(self.record_button)
        self.amount.setFocus()

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        if not self.record_button.isEnabled():
            return  # already recording
        cents, pin = self.amount.cents(), self.pin.text()
        self.pin.clear()
        if not cents:
            self.message.setText("Type the amount taken out, e.g. 200.00")
            return
        if not pin:
            self.message.setText("A manager's PIN approves the drop")
            return
        self.record_button.setEnabled(False)
        self.message.setText("Recording...")
        self._presenter.drop(self._cashiers, self._shift_id, cents, pin)

    def _dropped(self, _report: ZReport) -> None:
        self.accept()

    def _refused(self, why: str) -> None:
        self.record_button.setEnabled(True)
        self.message.setText(why)
