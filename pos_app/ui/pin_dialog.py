"""A small dialog asking for a PIN (a manager's, for an override or a void)."""

from __future__ import annotations

from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.qt import QDialogButtonBox, QLabel, QVBoxLayout, QWidget, Signal
from pos_app.ui.widgets import PinEdit, title_label


class PinDialog(KeyDialog):
    """Emits :attr:`pin_entered` with the PIN when accepted; checking it is the caller's job."""

    pin_entered = Signal(str)

    def __init__(self, title: str, message: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(title, self))
        self.message = QLabel(message, self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.pin = PinEdit(self)
        layout.addWidget(self.pin)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pin.setFocus()

    def accept(self) -> None:
        if len(self.pin.text()) < 4:
            self.message.setText("A PIN has 4 to 8 digits.")
            return
        pin = self.pin.text()
        self.pin.clear()
        super().accept()
        self.pin_entered.emit(pin)

    def handle_scan(self, code: str) -> None:
        self.message.setText(f"Scanned {code}: enter the manager PIN first, or Cancel.")
