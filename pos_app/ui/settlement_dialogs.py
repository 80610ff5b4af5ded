"""The settlement screen's dialogs: pay one consignor, and pay all balances by check.

Both are :class:`KeyDialog` s: Enter records (after the fields' checks), never cancels; Escape
cancels. The single payout's id is made when the dialog opens, so the payout the organiser
confirms is sent, and re-sent on a retry, with that one id.
"""

from __future__ import annotations

from pos_app.core.money import format_cents
from pos_app.services.settlement import PayoutBatch, SettlementService
from pos_app.services.settlement_data import (
    METHOD_NAMES,
    METHODS,
    ConsignorBalance,
    PayoutRequest,
    Settlement,
)
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.widgets import MoneyEdit, title_label


def _buttons(dialog: KeyDialog, ok: str, layout: QVBoxLayout) -> None:
    row = QHBoxLayout()
    cancel = QPushButton("Esc  Cancel", dialog)
    cancel.clicked.connect(dialog.reject)
    confirm = QPushButton(f"Enter  {ok}", dialog)
    confirm.setObjectName("confirmButton")
    confirm.clicked.connect(dialog.enter_pressed)
    row.addWidget(cancel)
    row.addStretch(1)
    row.addWidget(confirm)
    layout.addLayout(row)


class PayDialog(KeyDialog):
    """One payout to one consignor: amount (the balance by default), method, reference."""

    def __init__(self, row: ConsignorBalance, payout_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("payDialog")
        self.setWindowTitle("Record a payout")
        self.row, self.payout_id = row, payout_id
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"Pay consignor {row.number} {row.name}", self))
        layout.addWidget(QLabel(f"Balance {format_cents(row.balance_cents)}", self))
        form = QFormLayout()
        self.amount = MoneyEdit(self)
        self.amount.set_cents(max(row.balance_cents, 0))
        self.method = QComboBox(self)
        for method in METHODS:
            self.method.addItem(METHOD_NAMES[method], method)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("Check number, transfer reference...")
        self.reference.setMaxLength(200)
        form.addRow("&Amount", self.amount)
        form.addRow("&Method", self.method)
        form.addRow("&Reference", self.reference)
        layout.addLayout(form)
        self.error = QLabel("", self)
        self.error.setObjectName("dialogError")
        layout.addWidget(self.error)
        _buttons(self, "Record payout", layout)
        self.amount.setFocus()
        self.amount.selectAll()

    def payout(self) -> PayoutRequest | None:
        """The payout the fields describe (with the dialog's one id), or None if not valid."""
        cents = self.amount.cents()
        if cents is None or cents <= 0:
            return None
        return PayoutRequest(self.payout_id, self.row.number, cents,
                             str(self.method.currentData()), self.reference.text().strip())

    def enter_pressed(self) -> None:
        if self.payout() is None:
            self.error.setText("Enter an amount of more than $0.00")
            return
        self.accept()


class BatchPayDialog(KeyDialog):
    """Pay every payable balance by check, numbered from the first check number given."""

    def __init__(self, service: SettlementService, settlement: Settlement,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchPayDialog")
        self.setWindowTitle("Pay all balances by check")
        self._service, self._settlement = service, settlement
        self.batch: PayoutBatch | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Pay all balances by check", self))
        form = QFormLayout()
        self.first_check = QSpinBox(self)
        self.first_check.setRange(1, 99_999_999)
        self.first_check.setValue(1001)
        form.addRow("&First check number", self.first_check)
        layout.addLayout(form)
        self.summary = QLabel("", self)
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        _buttons(self, "Record the checks", layout)
        self.first_check.valueChanged.connect(self._describe)
        self._describe()
        self.first_check.setFocus()

    def _describe(self) -> None:
        plan = self._service.plan_checks(self._settlement, self.first_check.value())
        text = (f"{len(plan.payouts)} check(s), {format_cents(plan.total_cents)} in all"
                + (f", numbers {plan.payouts[0].reference[6:]} to "
                   f"{plan.payouts[-1].reference[6:]}." if plan.payouts else "."))
        if plan.skipped:
            text += " Not paid: " + "; ".join(f"{n} ({why})" for n, why in plan.skipped) + "."
        self.summary.setText(text)

    def enter_pressed(self) -> None:
        """Fix the batch (its ids and check numbers) once, then close."""
        batch = self._service.plan_checks(self._settlement, self.first_check.value())
        if not batch.payouts:
            self.summary.setText("No balance to pay by check.")
            return
        self.batch = batch
        self.accept()
