"""Voiding a completed sale (F8): pick it (or scan its receipt), say why, and a manager's PIN.

The void is a new record referring to the sale (sales are append-only); the manager's PIN
is checked on the read lane, then the void is committed on the write lane.
"""

from __future__ import annotations

from pos_app.core.money import format_cents
from pos_app.core.sale import SaleVoid
from pos_app.services.cashiers import CashierView
from pos_app.services.sales import SaleRecord
from pos_app.ui.bundle import UiServices
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation, find_runner, is_known_error
from pos_app.ui.qt import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QObject,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.receipt import local_time
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import PinEdit, title_label


class VoidPresenter(QObject):
    sales_loaded = Signal(list)     # list[SaleRecord]
    message = Signal(str, bool)     # text, is_error
    voided = Signal(object)         # SaleVoid

    def __init__(self, services: UiServices, cashier_id: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._cashier_id = cashier_id
        self.records: list[SaleRecord] = []

    def load(self) -> None:
        Operation(self, lambda: self._services.sales.recent(30), lane=Lane.READ) \
            .success(self._loaded).run()

    def _loaded(self, records: list[SaleRecord]) -> None:
        self.records = records
        self.sales_loaded.emit(records)

    def find(self, code: str) -> None:
        """A scanned receipt barcode: load that sale to the top of the list."""
        Operation(self, lambda: self._services.sales.find(code), lane=Lane.READ) \
            .success(lambda record: self._found(code, record)).run()

    def _found(self, code: str, record: SaleRecord | None) -> None:
        if record is None:
            self.message.emit(f"No sale {code} on this register", True)
            return
        others = [r for r in self.records if r.sale.id != record.sale.id]
        self._loaded([record, *others])

    def void(self, row: int, reason: str, manager_pin: str) -> None:
        if not 0 <= row < len(self.records):
            self.message.emit("Pick the sale to void", True)
            return
        record = self.records[row]
        if record.voided:
            self.message.emit(f"Sale #{record.sale.seq} is already voided", True)
            return
        if not reason.strip():
            self.message.emit("Say why the sale is voided", True)
            return
        if not manager_pin:
            self.message.emit("A manager's PIN is needed to void a sale", True)
            return
        Operation(self, lambda: self._services.cashiers.verify_manager(manager_pin),
                  lane=Lane.READ) \
            .success(lambda manager: self._approved(record, reason, manager)).run()

    def _approved(self, record: SaleRecord, reason: str, manager: CashierView | None) -> None:
        if manager is None:
            self.message.emit("Wrong manager PIN: the sale was NOT voided", True)
            return
        sale_id = record.sale.id
        Operation.call(self, self._services.sales.void, sale_id, self._cashier_id, manager.id,
                       reason) \
            .success(lambda void: self._done(record, void)).failure(self._failed).run()

    def _done(self, record: SaleRecord, void: SaleVoid) -> None:
        self.message.emit(f"Sale #{record.sale.seq} voided "
                          f"({format_cents(record.sale.total_cents)} to refund)", False)
        self.voided.emit(void)
        self.load()

    def _failed(self, error: BaseException) -> None:
        if is_known_error(error):
            self.message.emit(f"NOT voided: {error}", True)
        else:
            find_runner(self).report(error)


class VoidDialog(KeyDialog):
    def __init__(self, services: UiServices, cashier_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("voidDialog")
        self.setWindowTitle("Void a sale")
        self.resize(760, 560)
        self.presenter = VoidPresenter(services, cashier_id, self)
        self.presenter.sales_loaded.connect(self._show)
        self.presenter.message.connect(self._say)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Void a sale (F8)", self))
        layout.addWidget(QLabel("Pick the sale, or scan the barcode on its receipt.", self))
        self.list = QListWidget(self)
        layout.addWidget(self.list, 1)
        form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("e.g. customer changed their mind")
        self.pin = PinEdit(self)
        form.addRow("Reason", self.reason)
        form.addRow("Manager PIN", self.pin)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("voidMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("Esc  Close", self)
        close.clicked.connect(self.reject)
        self.void_button = QPushButton("Void sale", self)
        self.void_button.setStyleSheet("background: #dc2626; color: white; font-weight: 700;")
        self.void_button.clicked.connect(self.void)
        row.addWidget(close)
        row.addWidget(self.void_button)
        layout.addLayout(row)
        self.presenter.load()

    def enter_pressed(self) -> None:
        self.void()

    def void(self) -> None:
        self.presenter.void(self.list.currentRow(), self.reason.text(), self.pin.text())
        self.pin.clear()

    def handle_scan(self, code: str) -> None:
        self.presenter.find(code)

    def _show(self, records: list[SaleRecord]) -> None:
        self.list.clear()
        for record in records:
            sale = record.sale
            state = "   VOIDED" if record.voided else ""
            self.list.addItem(f"#{sale.seq}   {local_time(sale.header.created_at)}   "
                              f"{sale.totals.item_count} items   "
                              f"{format_cents(sale.total_cents)}{state}")
        if records:
            self.list.setCurrentRow(0)

    def _say(self, text: str, is_error: bool) -> None:
        colour = "#b91c1c" if is_error else "#15803d"
        self.message.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.message.setText(text)
