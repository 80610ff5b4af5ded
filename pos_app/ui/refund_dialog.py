"""Refund one item of an earlier sale (Ctrl+F): scan the receipt (or pick the sale), pick
the line, say why, cash or card, and a manager's PIN. The refund is its own record (the sale
stands), paid back with the line's share of the tax; the item goes back on sale.
"""

from __future__ import annotations

from pos_app.core.money import format_cents
from pos_app.core.refund import LineRefund
from pos_app.services.cashiers import CashierView
from pos_app.services.refunds import RefundService
from pos_app.store.sales import SaleRecord
from pos_app.ui.bundle import UiServices
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation, find_runner, is_known_error
from pos_app.ui.qt import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.receipt import local_time
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import PinEdit, title_label


class RefundDialog(KeyDialog):
    """Emits :attr:`refunded` with the record once it is on disk."""

    refunded = Signal(object)  # LineRefund

    def __init__(self, services: UiServices, refunds: RefundService, cashier_id: str,
                 shift_id: str | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("refundDialog")
        self.setWindowTitle("Refund an item")
        self.resize(820, 600)
        self._services, self._refunds = services, refunds
        self._cashier_id, self._shift_id = cashier_id, shift_id
        self.records: list[SaleRecord] = []
        self.done_lines: set[int] = set()
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Refund an item (Ctrl+F)", self))
        layout.addWidget(QLabel("Scan the receipt, or pick the sale; then pick the item.", self))
        self.sales = QListWidget(self)
        self.sales.currentRowChanged.connect(self._sale_picked)
        self.lines = QListWidget(self)
        row = QHBoxLayout()
        row.addWidget(self.sales, 1)
        row.addWidget(self.lines, 1)
        layout.addLayout(row, 1)
        form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("e.g. wrong size")
        self.cash, self.card = QRadioButton("Cash", self), QRadioButton("Card", self)
        self.cash.setChecked(True)
        tender = QHBoxLayout()
        tender.addWidget(self.cash)
        tender.addWidget(self.card)
        tender.addStretch(1)
        self.pin = PinEdit(self)
        form.addRow("Reason", self.reason)
        form.addRow("Pay back in", tender)
        form.addRow("Manager PIN", self.pin)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("refundMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.refund_button = QPushButton("Enter  Refund the item", self)
        self.refund_button.clicked.connect(self.submit)
        layout.addWidget(self.refund_button)
        self.load()

    def load(self) -> None:
        Operation(self, lambda: self._services.sales.recent(30), lane=Lane.READ) \
            .success(self._show_sales).run()

    def handle_scan(self, code: str) -> None:
        """A receipt's barcode: that sale to the top, picked."""
        Operation(self, lambda: self._services.sales.find(code), lane=Lane.READ) \
            .success(lambda record: self._found(code, record)).run()

    def _found(self, code: str, record: SaleRecord | None) -> None:
        if record is None:
            self.message.setText(f"No sale {code} on this register")
            return
        self._show_sales([record, *(r for r in self.records if r.sale.id != record.sale.id)])

    def _show_sales(self, records: list[SaleRecord]) -> None:
        self.records = records
        self.sales.clear()
        for record in records:
            sale = record.sale
            state = "   VOIDED" if record.voided else ""
            self.sales.addItem(f"#{sale.seq}   {local_time(sale.header.created_at)}   "
                               f"{format_cents(sale.total_cents)}{state}")
        if records:
            self.sales.setCurrentRow(0)

    def _sale_picked(self, row: int) -> None:
        self.lines.clear()
        if not 0 <= row < len(self.records):
            return
        sale_id = self.records[row].sale.id
        Operation(self, lambda: self._refunds.refunded_lines(sale_id), lane=Lane.READ) \
            .success(lambda done: self._show_lines(row, done)).run()

    def _show_lines(self, row: int, done: set[int]) -> None:
        if self.sales.currentRow() != row:
            return  # another sale was picked meanwhile
        self.done_lines = done
        self.lines.clear()
        for line in self.records[row].sale.lines:
            mark = "   REFUNDED" if line.line_no in done else ""
            self.lines.addItem(f"{line.tag_code}  {line.description}  "
                               f"{format_cents(line.price_cents)}{mark}")
        self.lines.setCurrentRow(0)

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        sale_row, line_row = self.sales.currentRow(), self.lines.currentRow()
        if not self.refund_button.isEnabled():
            return
        if not (0 <= sale_row < len(self.records)) or line_row < 0:
            self.message.setText("Pick the sale and the item")
            return
        if not self.reason.text().strip():
            self.message.setText("Say why the item is refunded")
            return
        if not pin:
            self.message.setText("A manager's PIN approves a refund")
            return
        sale = self.records[sale_row].sale
        line_no = sale.lines[line_row].line_no
        reason, tender = self.reason.text(), "cash" if self.cash.isChecked() else "card"
        self.refund_button.setEnabled(False)
        self.message.setText("Refunding...")
        Operation(self, lambda: self._services.cashiers.verify_manager(pin), lane=Lane.READ) \
            .success(lambda manager: self._approved(sale.id, line_no, reason, tender, manager)) \
            .failure(self._failed).run()

    def _approved(self, sale_id: str, line_no: int, reason: str, tender: str,
                  manager: CashierView | None) -> None:
        if manager is None:
            self.refund_button.setEnabled(True)
            self.message.setText("Wrong manager PIN: nothing refunded")
            return
        Operation.call(self, self._refunds.refund, sale_id, line_no, cashier_id=self._cashier_id,
                       manager_id=manager.id, reason=reason, tender=tender,
                       shift_id=self._shift_id).success(self._done).failure(self._failed).run()

    def _done(self, refund: LineRefund) -> None:
        self.refund_button.setEnabled(True)
        self.accept()
        self.refunded.emit(refund)

    def _failed(self, error: BaseException) -> None:
        self.refund_button.setEnabled(True)
        if is_known_error(error):
            self.message.setText(f"NOT refunded: {error}")
        else:
            self.message.setText("The refund could not be saved")
            find_runner(self).report(error)
