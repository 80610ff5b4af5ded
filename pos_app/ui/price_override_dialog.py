"""Price override (Ctrl+P): sell the selected line at another price, with a reason and a
manager's PIN. The override is recorded on the line (the tag's price, the reason, the
manager), committed with the sale, journaled, pushed, and counted in the X and Z reports.
"""

from __future__ import annotations

from pos_app.core.cart import CartLine
from pos_app.core.money import format_cents
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.qt import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pos_app.ui.widgets import MoneyEdit, PinEdit, title_label


class PriceOverrideDialog(KeyDialog):
    """Closes once the checkout presenter says the line was priced again."""

    def __init__(self, checkout: CheckoutPresenter, row: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("priceOverrideDialog")
        self.setWindowTitle("Price override")
        self.setMinimumWidth(600)
        self._checkout, self._row = checkout, row
        line: CartLine = checkout.cart.lines[row]
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Price override (Ctrl+P)", self))
        layout.addWidget(QLabel(f"{line.tag_code}  {line.description}: now "
                                f"{format_cents(line.price_cents)}", self))
        form = QFormLayout()
        self.price = MoneyEdit(self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("e.g. stain on the sleeve")
        self.pin = PinEdit(self)
        form.addRow("New price", self.price)
        form.addRow("Reason", self.reason)
        form.addRow("Manager PIN", self.pin)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("overrideMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.apply_button = QPushButton("Enter  Sell at this price", self)
        self.apply_button.clicked.connect(self.submit)
        layout.addWidget(self.apply_button)
        checkout.price_override_done.connect(self._done)
        self.price.setFocus()

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        cents, reason, pin = self.price.cents(), self.reason.text(), self.pin.text()
        self.pin.clear()
        if not self.apply_button.isEnabled():
            return  # a PIN is being checked
        if cents is None:
            self.message.setText("Type the new price, e.g. 4.00")
            return
        if not reason.strip():
            self.message.setText("Say why the price is changed")
            return
        if not pin:
            self.message.setText("A manager's PIN approves a price override")
            return
        self.apply_button.setEnabled(False)
        self._checkout.override_price(self._row, cents, reason, pin)

    def _done(self, overridden: bool, why: str) -> None:
        self.apply_button.setEnabled(True)
        if overridden:
            self.accept()
        else:
            self.message.setText(why)
