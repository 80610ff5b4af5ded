"""The settlement screen's dialogs: pay one consignor, pay all balances by check, and correct
a payout.

Each is a :class:`KeyDialog`: Enter records (after the fields' checks), never cancels; Escape
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
    RecordedPayout,
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


def dialog_buttons(dialog: KeyDialog, ok: str, layout: QVBoxLayout) -> None:
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
        dialog_buttons(self, "Record payout", layout)
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
        dialog_buttons(self, "Record the checks", layout)
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


class CorrectionDialog(KeyDialog):
    """A correction: a negative payout that refers to the consignor's payout it corrects.

    The payout corrected is picked from the consignor's (from their statement); the amount is
    what it takes back (at most what is left of that payout: the server refuses more); the
    reason is required and recorded as the correction's reference. Its id is made on opening.
    """

    def __init__(self, row: ConsignorBalance, payouts: list[RecordedPayout], payout_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        self.setWindowTitle("Correct a payout")
        self.row, self.payout_id = row, payout_id
        self.payouts = [p for p in payouts if p.amount_cents > 0]
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"Correct a payout to consignor {row.number} {row.name}",
                                     self))
        form = QFormLayout()
        self.corrected = QComboBox(self)
        for p in self.payouts:
            self.corrected.addItem(f"{format_cents(p.amount_cents)} {p.created_at[:16]} "
                                   f"{METHOD_NAMES.get(p.method, p.method)} {p.reference}", p.id)
        self.amount = MoneyEdit(self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why: check lost, wrong amount...")
        self.reason.setMaxLength(200)
        form.addRow("&Payout corrected", self.corrected)
        form.addRow("&Amount taken back", self.amount)
        form.addRow("&Reason", self.reason)
        layout.addLayout(form)
        self.error = QLabel("", self)
        self.error.setObjectName("dialogError")
        layout.addWidget(self.error)
        dialog_buttons(self, "Record correction", layout)
        self.corrected.currentIndexChanged.connect(self._pick)
        self._pick(self.corrected.currentIndex())
        self.corrected.setFocus()

    def _pick(self, index: int) -> None:
        if 0 <= index < len(self.payouts):
            self.amount.set_cents(self.payouts[index].amount_cents)

    def payout(self) -> PayoutRequest | None:
        """The correction the fields describe (negative, with the dialog's id), or None."""
        index, cents = self.corrected.currentIndex(), self.amount.cents()
        if not 0 <= index < len(self.payouts) or cents is None or cents <= 0:
            return None
        if not self.reason.text().strip():
            return None
        target = self.payouts[index]
        return PayoutRequest(self.payout_id, self.row.number, -cents, target.method,
                             self.reason.text().strip(), corrects=target.id)

    def enter_pressed(self) -> None:
        if not self.payouts:
            self.error.setText("This consignor has no payout to correct.")
        elif self.amount.cents() is None or (self.amount.cents() or 0) <= 0:
            self.error.setText("Enter the amount taken back, more than $0.00")
        elif not self.reason.text().strip():
            self.error.setText("Enter the reason for the correction")
        else:
            self.accept()
