"""The cashier's PIN dialog, importable before the services are (Qt and widgets only).

A start shows it first, before SQLAlchemy, the store and the services load (they load while
the PIN is typed: :mod:`pos_app.ui.early_start`); :meth:`LoginDialog.attach` then hands it
the cashier service. A PIN submitted before that is kept and checked the moment they come.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.qt import QLabel, QPushButton, QVBoxLayout, QWidget, Signal
from pos_app.ui.widgets import PinEdit, title_label

if TYPE_CHECKING:
    from pos_app.services.cashiers import CashierService, CashierView
    from pos_app.ui.operations import OperationRunner


class LoginDialog(KeyDialog):
    """Asks for a cashier's PIN; emits :attr:`logged_in` with the cashier."""

    logged_in = Signal(object)  # CashierView

    def __init__(self, cashiers: CashierService | None, runner: OperationRunner | None,
                 register_name: str, parent: QWidget | None = None, *, hint: str = "") -> None:
        super().__init__(parent)
        self.operation_runner = runner
        self.setObjectName("loginDialog")
        self.setWindowTitle(f"Log in - {register_name}")
        self.setMinimumWidth(420)
        self._cashiers = cashiers
        self._pending: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(register_name, self))
        layout.addWidget(QLabel("Cashier PIN", self))
        self.hint = QLabel(hint, self)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        self.pin = PinEdit(self)
        layout.addWidget(self.pin)
        self.message = QLabel("", self)
        self.message.setObjectName("loginMessage")
        layout.addWidget(self.message)
        self.go = QPushButton("Log in", self)
        self.go.clicked.connect(self.submit)
        layout.addWidget(self.go)
        self.pin.setFocus()

    @property
    def ready(self) -> bool:
        """Whether it can check a PIN now (the services are loaded)."""
        return self._cashiers is not None and self.operation_runner is not None

    def attach(self, cashiers: CashierService, runner: OperationRunner, *,
               hint: str = "") -> None:
        """Hand over the loaded services; check a PIN submitted while they loaded."""
        self._cashiers, self.operation_runner = cashiers, runner
        if hint:
            self.hint.setText(hint)
            self.hint.setVisible(True)
        pin, self._pending = self._pending, None
        if pin is not None:
            self._check(pin)

    def enter_pressed(self) -> None:
        self.submit()  # Enter anywhere in the dialog, once (KeyDialog)

    def submit(self) -> None:
        if not self.go.isEnabled():
            return  # a PIN is being checked, or waits for the services
        pin = self.pin.text()
        self.pin.clear()
        if len(pin) < 4:
            self.message.setText("A PIN has 4 to 8 digits.")
            return
        self.go.setEnabled(False)
        if not self.ready:
            self._pending = pin
            self.message.setText("Starting...")
            return
        self._check(pin)

    def _check(self, pin: str) -> None:
        from pos_app.ui.operations import Operation  # loaded with the services
        from pos_app.ui.taskman import Lane

        cashiers = self._cashiers
        assert cashiers is not None
        Operation(self, lambda: cashiers.login(pin), lane=Lane.READ) \
            .success(self._checked).run()

    def _checked(self, cashier: CashierView | None) -> None:
        self.go.setEnabled(True)
        self.message.setText("")
        if cashier is None:
            self.message.setText("Unknown PIN: try again.")
            return
        self.accept()
        self.logged_in.emit(cashier)

    def handle_scan(self, code: str) -> None:
        """A PIN typed fast (or read from a badge) reaches the scanner filter as a scan: take
        it as the PIN. Anything else is a tag scanned too early."""
        if code.isdigit() and 4 <= len(code) <= 8:
            self.pin.setText(code)
            self.submit()
            return
        self.message.setText("Log in first, then scan.")
