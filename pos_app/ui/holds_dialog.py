"""Holding a cart (F4, with a label such as the shopper's name) and recalling one (F5).

The recall list shows each held cart's figures under the names of :mod:`pos_app.ui.figures`
(items subtotal, discounts, tax, total at the prices it was held at), so its total is the
total the cart showed.
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.core.money import format_cents
from pos_app.services.holds import HeldCartView, HoldService
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.figures import DISCOUNTS, ITEMS_SUBTOTAL, TAX, TOTAL
from pos_app.ui.operations import Operation
from pos_app.ui.qt import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QObject,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.receipt import local_time
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import title_label


class HoldLabelDialog(KeyDialog):
    """Asks for a label for the held cart; emits :attr:`label_entered`."""

    label_entered = Signal(str)

    def __init__(self, default_label: str, item_count: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("holdDialog")
        self.setWindowTitle("Hold cart")
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"Hold this cart ({item_count} items)", self))
        layout.addWidget(QLabel("Label (e.g. the shopper's name):", self))
        self.label = QLineEdit(default_label, self)
        self.label.selectAll()
        layout.addWidget(self.label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        super().accept()
        self.label_entered.emit(self.label.text().strip() or "Held cart")


class HoldsPresenter(QObject):
    loaded = Signal(list)  # list[HeldCartView]

    def __init__(self, holds: HoldService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._holds = holds
        self.held: list[HeldCartView] = []

    def load(self) -> None:
        Operation(self, self._holds.list, lane=Lane.READ).success(self._loaded).run()

    def _loaded(self, held: list[HeldCartView]) -> None:
        self.held = held
        self.loaded.emit(held)


class RecallDialog(KeyDialog):
    """Lists held carts; emits :attr:`recall_requested` with the chosen hold's id."""

    recall_requested = Signal(str)

    def __init__(self, holds: HoldService, parent: QWidget,
                 tax_on: Callable[[int], int] = lambda _net: 0) -> None:
        super().__init__(parent)
        self.setObjectName("recallDialog")
        self.setWindowTitle("Recall a held cart")
        self.resize(1000, 420)
        self._tax_on = tax_on
        self.presenter = HoldsPresenter(holds, self)
        self.presenter.loaded.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Held carts (F5)", self))
        self.list = QListWidget(self)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        self.status = QLabel("Loading...", self)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Recall")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.presenter.load()

    def _show(self, held: list[HeldCartView]) -> None:
        self.list.clear()
        for view in held:
            tax = self._tax_on(view.total_cents)
            self.list.addItem(f"{view.label}   {view.item_count} items   "
                              f"{ITEMS_SUBTOTAL} {format_cents(view.subtotal_cents)}   "
                              f"{DISCOUNTS} -{format_cents(view.discount_cents)}   "
                              f"{TAX} {format_cents(tax)}   "
                              f"{TOTAL} {format_cents(view.total_cents + tax)}   "
                              f"held {local_time(view.created_at)}")
        if held:
            self.list.setCurrentRow(0)
        self.status.setText(f"{len(held)} held" if held else "No held carts")

    def accept(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.presenter.held):
            super().accept()
            self.recall_requested.emit(self.presenter.held[row].id)

    def handle_scan(self, code: str) -> None:
        self.status.setText(f"Scanned {code}: recall or close this list first.")
