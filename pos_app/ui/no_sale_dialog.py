"""No sale (Ctrl+N): the drawer opened without a sale, with a reason and a manager's PIN.

The record is written, journaled and queued for the server in one transaction (like a sale,
on the write lane) and counted in the shift's X and Z reports; the checkout then kicks the
cash drawer, if the register has one (ui/drawer.py's Ctrl+D opens it without a record).
"""

from __future__ import annotations

from pos_app.services.cashiers import CashierService, CashierView
from pos_app.services.shifts import ShiftService, ZReport
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation, find_runner, is_known_error
from pos_app.ui.qt import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, Signal
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import PinEdit, title_label


class NoSaleDialog(KeyDialog):
    """Emits :attr:`recorded` with the shift's figures once the no sale is on disk."""

    recorded = Signal(object)  # ZReport

    def __init__(self, shifts: ShiftService, cashiers: CashierService, shift_id: str,
                 cashier_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("noSaleDialog")
        self.setWindowTitle("No sale")
        self.setMinimumWidth(560)
        self._shifts, self._cashiers = shifts, cashiers
        self._shift_id, self._cashier_id = shift_id, cashier_id
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("No sale: open the drawer (Ctrl+N)", self))
        form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("e.g. change for a $50 bill")
        self.pin = PinEdit(self)
        form.addRow("Reason", self.reason)
        form.addRow("Manager PIN", self.pin)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("noSaleMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.record_button = QPushButton("Enter  Record and open the drawer", self)
        self.record_button.clicked.connect(self.submit)
        layout.addWidget(self.record_button)
        self.reason.setFocus()

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        reason, pin = self.reason.text().strip(), self.pin.text()
        self.pin.clear()
        if not self.record_button.isEnabled():
            return  # already recording
        if not reason:
            self.message.setText("Say why the drawer is opened")
            return
        if not pin:
            self.message.setText("A manager's PIN approves a no sale")
            return
        self.record_button.setEnabled(False)
        self.message.setText("Recording...")
        Operation(self, lambda: self._cashiers.verify_manager(pin), lane=Lane.READ) \
            .success(lambda manager: self._approved(reason, manager)).failure(self._failed).run()

    def _approved(self, reason: str, manager: CashierView | None) -> None:
        if manager is None:
            self.record_button.setEnabled(True)
            self.message.setText("Wrong manager PIN: nothing recorded, the drawer stays shut")
            return
        Operation.call(self, self._shifts.no_sale, self._shift_id, self._cashier_id, manager.id,
                       reason).success(self._done).failure(self._failed).run()

    def _done(self, report: ZReport) -> None:
        self.record_button.setEnabled(True)
        self.accept()
        self.recorded.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.record_button.setEnabled(True)
        if is_known_error(error):
            self.message.setText(f"Not recorded: {error}")
        else:
            self.message.setText("The no sale could not be saved")
            find_runner(self).report(error)
