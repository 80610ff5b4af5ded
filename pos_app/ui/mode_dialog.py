"""The job chosen after login (issue 13): the till, drop-off check-in, pick-up, or lookup.

The modes offered follow the role: a check-in volunteer works check-in, pick-up and the
consignor lookup, never the till; a cashier runs the till and may help at those; a manager has
every mode, and only a manager's pick-up screen can close pick-up; only a manager sees the
settlement (paying consignors, issue 14). One button per mode, a
digit key each; Enter takes the first (a :class:`KeyDialog`), Escape goes back.
"""

from __future__ import annotations

from pos_app.services.cashiers import CashierView
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.hall_window import HallMode
from pos_app.ui.qt import QPushButton, QVBoxLayout, QWidget, Signal
from pos_app.ui.widgets import title_label

CHECKOUT = "checkout"
SETTLEMENT = "settlement"  # the organiser's settlement and payouts (issue 14), online only

#: What each role may run, in the order shown.
MODES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "cashier": (CHECKOUT, HallMode.CHECK_IN, HallMode.PICK_UP, HallMode.LOOKUP),
    "manager": (CHECKOUT, HallMode.CHECK_IN, HallMode.PICK_UP, HallMode.LOOKUP, SETTLEMENT),
    "volunteer": (HallMode.CHECK_IN, HallMode.PICK_UP, HallMode.LOOKUP),
}
_LABELS = {CHECKOUT: "Checkout (till)", HallMode.CHECK_IN: "Drop-off check-in",
           HallMode.PICK_UP: "Pick-up", HallMode.LOOKUP: "Consignor lookup",
           SETTLEMENT: "Settlement and payouts (organiser)"}


class ModeDialog(KeyDialog):
    """Emits :attr:`chosen` with ``"checkout"``, ``"settlement"`` or a :class:`HallMode`."""

    chosen = Signal(str)

    def __init__(self, cashier: CashierView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modeDialog")
        self.setWindowTitle("pos_app: choose a job")
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"{cashier.name}: what are you doing?", self))
        self.buttons: dict[str, QPushButton] = {}
        for n, mode in enumerate(MODES_BY_ROLE.get(cashier.role, (CHECKOUT,))):
            button = QPushButton(f"{n + 1}  {_LABELS[mode]}", self)
            button.setShortcut(str(n + 1))
            button.clicked.connect(lambda _checked=False, m=mode: self.choose(m))
            layout.addWidget(button)
            self.buttons[mode] = button
        self._first = next(iter(self.buttons))
        self.buttons[self._first].setFocus()

    def enter_pressed(self) -> None:
        self.choose(self._first)

    def choose(self, mode: str) -> None:
        self.chosen.emit(str(mode))
        self.accept()
