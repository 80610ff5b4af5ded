"""The payment dialog: cash with quick keys and change due, card with a reference, split.

Pay (F12) is enabled once the tenders cover the total. It asks the checkout presenter to
commit the sale on the write lane; the dialog closes only when the commit succeeded, and
stays open with the reason when it did not (the cart is kept). Enter takes the cash (or the
card, from the card fields) while something is owed, and pays once nothing is. Scans that
come while the dialog is open are kept for the next cart, and listed here.
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.core.money import format_cents
from pos_app.core.sale import CompletedSale
from pos_app.ui.assets import icon
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.qt import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.tender_presenter import TenderPresenter
from pos_app.ui.widgets import MoneyEdit, press_now, title_label

QUICK_KEYS = ("F1", "F2", "F3", "F4")


class TenderDialog(KeyDialog):
    def __init__(self, checkout: CheckoutPresenter,
                 printer: Callable[[CompletedSale], object] | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("tenderDialog")
        self.setWindowTitle("Payment")
        self.setMinimumWidth(760)
        self._checkout = checkout
        self._printer = printer
        totals = checkout.totals()
        self.presenter = TenderPresenter(totals.total_cents)
        self._build(totals.item_count)
        checkout.sale_completed.connect(self._on_paid)
        checkout.payment_failed.connect(self._on_failed)
        checkout.waiting_changed.connect(self._show_waiting)
        self.finished.connect(lambda _result: checkout.end_tender())
        checkout.begin_tender()
        self._refresh()

    # -- layout -----------------------------------------------------------------------------

    def _build(self, item_count: int) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"Payment - {item_count} items", self))
        layout.addLayout(self._amounts())
        layout.addWidget(self._cash_box())
        layout.addWidget(self._card_box())
        layout.addWidget(QLabel("Taken so far:", self))
        self.tender_list = QListWidget(self)
        self.tender_list.setMaximumHeight(110)
        layout.addWidget(self.tender_list)
        self.message = QLabel("", self)
        self.message.setObjectName("tenderMessage")
        self.message.setStyleSheet("color: #b91c1c; font-weight: 600;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.waiting = QLabel("", self)
        self.waiting.setObjectName("waitingScans")
        self.waiting.setStyleSheet("color: #1d4ed8; font-weight: 600;")
        self.waiting.setWordWrap(True)
        layout.addWidget(self.waiting)
        layout.addLayout(self._buttons())

    def _amounts(self) -> QGridLayout:
        grid = QGridLayout()
        self.total_label = self._big("", "#111827")
        self.remaining_label = self._big("", "#b91c1c")
        self.change_label = self._big("", "#15803d")
        for column, (caption, label) in enumerate((("Total", self.total_label),
                                                    ("Still owed", self.remaining_label),
                                                    ("Change due", self.change_label))):
            grid.addWidget(QLabel(caption, self), 0, column)
            grid.addWidget(label, 1, column)
        return grid

    def _big(self, text: str, colour: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("bigAmount")
        label.setStyleSheet(f"color: {colour};")
        return label

    def _cash_box(self) -> QGroupBox:
        box = QGroupBox("Cash", self)
        layout = QVBoxLayout(box)
        self.quick_row = QHBoxLayout()
        self.quick_buttons: list[QPushButton] = []
        for key in QUICK_KEYS:
            button = QPushButton(box)
            button.setMinimumHeight(48)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, b=button: self._quick(b))
            self._shortcut(key).activated.connect(lambda b=button: press_now(b))
            self.quick_row.addWidget(button)
            self.quick_buttons.append(button)
        layout.addLayout(self.quick_row)
        row = QHBoxLayout()
        row.addWidget(QLabel("Cash given", box))
        self.cash_edit = MoneyEdit(box)
        row.addWidget(self.cash_edit, 1)
        self.cash_button = QPushButton(icon("cash"), "Take cash (Enter)", box)
        self.cash_button.clicked.connect(self.take_cash)
        row.addWidget(self.cash_button)
        layout.addLayout(row)
        return box

    def _card_box(self) -> QGroupBox:
        box = QGroupBox("Card (on the terminal)", self)
        row = QHBoxLayout(box)
        row.addWidget(QLabel("Amount", box))
        self.card_amount = MoneyEdit(box)
        row.addWidget(self.card_amount, 1)
        row.addWidget(QLabel("Reference", box))
        self.card_reference = QLineEdit(box)
        self.card_reference.setPlaceholderText("from the terminal slip")
        row.addWidget(self.card_reference, 1)
        self.card_button = QPushButton(icon("card"), "F6  Card", box)
        self.card_button.clicked.connect(self.take_card)
        self._shortcut("F6").activated.connect(lambda: press_now(self.card_button))
        row.addWidget(self.card_button)
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.undo_button = QPushButton("Undo last tender", self)
        self.undo_button.clicked.connect(self.undo)
        cancel = QPushButton("Esc  Back to cart", self)
        cancel.clicked.connect(self.reject)
        self.pay_button = QPushButton(icon("pay-light"), "F12  Pay and print", self)
        self.pay_button.setObjectName("payButton")
        self.pay_button.setMinimumHeight(56)
        self.pay_button.clicked.connect(self.pay)
        self._shortcut("F12").activated.connect(lambda: press_now(self.pay_button))
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.pay_button, 2)
        return row

    def _shortcut(self, key: str) -> QShortcut:
        """An F-key of this dialog, live while the focus is in it (it may be a sheet)."""
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return shortcut

    # -- actions ----------------------------------------------------------------------------

    def _quick(self, button: QPushButton) -> None:
        amount = button.property("cents")
        if isinstance(amount, int):
            self._show_error(self.presenter.add_cash(amount))

    def take_cash(self) -> None:
        self._show_error(self.presenter.add_cash(self.cash_edit.cents()))

    def take_card(self) -> None:
        amount = self.card_amount.cents() if self.card_amount.text().strip() else None
        self._show_error(self.presenter.add_card(amount, self.card_reference.text()))

    def undo(self) -> None:
        self.presenter.undo()
        self._show_error(None)

    def pay(self) -> None:
        if not self.presenter.settled or self._checkout.paying:
            return
        if self._checkout.totals().total_cents != self.presenter.state.total_cents:
            self._show_error("The cart changed: go back to the cart (Esc) and pay again")
            return
        self.message.setStyleSheet("color: #1d4ed8; font-weight: 600;")
        self.message.setText("Saving the sale...")
        self._set_enabled(False)
        self._checkout.pay(self.presenter.finish(), self._printer)

    def enter_pressed(self) -> None:
        """Take the tender being typed while something is owed; pay once nothing is."""
        if self.presenter.settled:
            self.pay()
        elif self.focusWidget() in (self.card_amount, self.card_reference):
            self.take_card()
        else:
            self.take_cash()

    def handle_scan(self, code: str) -> None:
        """A scan while paying is the next shopper's: kept for the next cart."""
        self._checkout.scan(code)

    def _show_waiting(self, codes: list[str]) -> None:
        self.waiting.setText(f"Kept for the next cart ({len(codes)}): {', '.join(codes)}"
                             if codes else "")

    def _on_paid(self, _sale: CompletedSale) -> None:
        self.accept()

    def _on_failed(self, message: str) -> None:
        self._set_enabled(True)
        self.message.setStyleSheet("color: #b91c1c; font-weight: 600;")
        self.message.setText(message)

    def reject(self) -> None:
        if not self._checkout.paying:  # never walk away from a commit in flight
            super().reject()

    # -- rendering --------------------------------------------------------------------------

    def _show_error(self, error: str | None) -> None:
        self.message.setStyleSheet("color: #b91c1c; font-weight: 600;")
        self.message.setText(error or "")
        self._refresh()

    def _refresh(self) -> None:
        state = self.presenter.state
        self.total_label.setText(format_cents(state.total_cents))
        self.remaining_label.setText(format_cents(state.remaining_cents))
        self.change_label.setText(format_cents(state.change_cents))
        self.tender_list.clear()
        self.tender_list.addItems(self.presenter.describe())
        amounts = self.presenter.quick_amounts()
        for index, (key, button) in enumerate(zip(QUICK_KEYS, self.quick_buttons, strict=True)):
            visible = index < len(amounts)
            button.setVisible(visible)
            if visible:
                label = "Exact" if index == 0 else "Given"
                button.setText(f"{key}  {label} {format_cents(amounts[index])}")
                button.setProperty("cents", amounts[index])
        if state.remaining_cents:
            self.cash_edit.set_cents(state.remaining_cents)
            self.card_amount.set_cents(state.remaining_cents)
        else:
            self.cash_edit.clear()
            self.card_amount.clear()
        self.card_reference.clear()
        self._set_enabled(True)
        self.cash_edit.setFocus()
        self.cash_edit.selectAll()

    def _set_enabled(self, enabled: bool) -> None:
        owing = not self.presenter.settled
        for widget in (*self.quick_buttons, self.cash_edit, self.cash_button,
                       self.card_amount, self.card_reference, self.card_button):
            widget.setEnabled(enabled and owing)
        self.undo_button.setEnabled(enabled and bool(self.presenter.tenders))
        self.pay_button.setEnabled(enabled and self.presenter.settled)
