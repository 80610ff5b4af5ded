"""The customer display: a second window, on a second screen, facing the customer.

It shows the running total and the item count, the last item scanned with its price, and
after payment the amount paid and the change due. It follows the cart through the checkout
presenter's own notifications (``totals_changed`` for every change to the cart,
``sale_completed`` once a sale is on disk), the same ones the cashier's window follows, so
the two never disagree. A small USB display that the system sees as a screen is a second
screen like any other. With one screen there is no customer display.
"""

from __future__ import annotations

from pos_app.core.cart import Totals
from pos_app.core.money import format_cents
from pos_app.core.sale import CompletedSale
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.qt import QFont, QGuiApplication, QLabel, QScreen, Qt, QVBoxLayout, QWidget

WELCOME = "Welcome!"


def customer_screen() -> QScreen | None:
    """The screen for the customer: the first one that is not the primary, else None."""
    primary = QGuiApplication.primaryScreen()
    others = [screen for screen in QGuiApplication.screens() if screen != primary]
    return others[0] if others else None


def _label(parent: QWidget, name: str, point_size: int, bold: bool = False) -> QLabel:
    label = QLabel("", parent)
    label.setObjectName(name)
    font = QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class CustomerDisplay(QWidget):
    """Total, last item, change due; follows ``presenter``."""

    def __init__(self, presenter: CheckoutPresenter, event_name: str) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("customerDisplay")
        self.setWindowTitle("Customer display")
        self.setStyleSheet("#customerDisplay { background: #102030; } QLabel { color: white; }")
        layout = QVBoxLayout(self)
        self.heading = _label(self, "displayHeading", 20)
        self.heading.setText(event_name or "Thank you for shopping with us")
        self.last_item = _label(self, "displayLastItem", 26)
        self.total = _label(self, "displayTotal", 54, bold=True)
        self.detail = _label(self, "displayDetail", 22)
        for label in (self.heading, self.last_item, self.total, self.detail):
            layout.addWidget(label)
        self._presenter = presenter
        self._after_sale = False
        presenter.totals_changed.connect(self.show_totals)
        presenter.sale_completed.connect(self.show_paid)
        self.show_totals(presenter.totals())

    def show_totals(self, totals: Totals) -> None:
        lines = self._presenter.cart.lines
        if not lines:
            if not self._after_sale:
                self.last_item.setText(WELCOME)
                self.total.setText(format_cents(0))
                self.detail.setText("")
            return
        self._after_sale = False
        last = lines[-1]
        self.last_item.setText(f"{last.description}   {format_cents(last.price_cents)}")
        self.total.setText(f"Total {format_cents(totals.total_cents)}")
        saved = f"   You save {format_cents(totals.discount_cents)}" \
            if totals.discount_cents else ""
        self.detail.setText(f"{totals.item_count} item{'s' * (totals.item_count != 1)}{saved}")

    def show_paid(self, sale: CompletedSale) -> None:
        self._after_sale = True
        paid = sum(t.given_cents if t.given_cents is not None else t.amount_cents
                   for t in sale.tenders)
        change = sum(t.change_cents for t in sale.tenders)
        self.last_item.setText(f"Paid {format_cents(paid)}")
        self.total.setText(f"Change {format_cents(change)}")
        self.detail.setText("Thank you!")

    def show_on(self, screen: QScreen) -> None:
        """Fill ``screen`` with this window."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
