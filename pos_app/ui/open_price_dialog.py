"""Open-price line (Ctrl+O): an item whose tag is missing or unreadable, sold with the
consignor's number, a description and a price a manager approves. Its item id is unknown to
the catalog, so the central database lists it as an ``unknown_item`` conflict, and the
organiser assigns it to an item or to the consignor.
"""

from __future__ import annotations

from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.qt import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRegularExpression,
    QRegularExpressionValidator,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.widgets import MoneyEdit, PinEdit, title_label


class OpenPriceDialog(KeyDialog):
    """Closes once the checkout presenter added the line."""

    def __init__(self, checkout: CheckoutPresenter, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("openPriceDialog")
        self.setWindowTitle("Open-price item")
        self.setMinimumWidth(600)
        self._checkout = checkout
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Item without a readable tag (Ctrl+O)", self))
        form = QFormLayout()
        self.consignor = QLineEdit(self)
        self.consignor.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"^\d{0,6}$"), self))
        self.description = QLineEdit(self)
        self.description.setPlaceholderText("e.g. blue rain jacket, size 6")
        self.price = MoneyEdit(self)
        self.pin = PinEdit(self)
        for label, field in (("Consignor number", self.consignor),
                             ("Description", self.description), ("Price", self.price),
                             ("Manager PIN", self.pin)):
            form.addRow(label, field)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("openPriceMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.add_button = QPushButton("Enter  Add to the cart", self)
        self.add_button.clicked.connect(self.submit)
        layout.addWidget(self.add_button)
        checkout.price_override_done.connect(self._done)
        self.consignor.setFocus()

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        if not self.add_button.isEnabled():
            return  # a PIN is being checked
        consignor, price = self.consignor.text(), self.price.cents()
        if not consignor:
            self.message.setText("Type the consignor's number from the item")
            return
        if price is None:
            self.message.setText("Type the price, e.g. 6.00")
            return
        if not pin:
            self.message.setText("A manager's PIN approves an open-price item")
            return
        self.add_button.setEnabled(False)
        self._checkout.add_open_price(int(consignor), self.description.text(), price, pin)

    def _done(self, added: bool, why: str) -> None:
        self.add_button.setEnabled(True)
        if added:
            self.accept()
        else:
            self.message.setText(why)
