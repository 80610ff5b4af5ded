"""Scans that were not taken, shown until the cashier says they saw them (F7).

A scan must never vanish: when one cannot go into the cart (a dialog was open, a payment
was left with scans kept for the next cart), its code stays listed here, in red above the
cart, until acknowledged, so the cashier knows to scan it again.
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.ui.qt import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget
from pos_app.ui.widgets import fkey_button


class RefusedScansBanner(QFrame):
    """Lists refused scans and why; hidden while there are none."""

    def __init__(self, window: QWidget, on_acknowledged: Callable[[], None]) -> None:
        super().__init__(window)
        self.setObjectName("refusedScans")
        self.setStyleSheet("#refusedScans { background: #dc2626; border-radius: 6px; }"
                           "#refusedScans QLabel { color: white; font-size: 16pt;"
                           " font-weight: 700; }")
        self.codes: list[str] = []
        self._reasons: list[str] = []
        self._on_acknowledged = on_acknowledged
        row = QHBoxLayout(self)
        self.text = QLabel("", self)
        self.text.setObjectName("refusedScansText")
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.button: QPushButton = fkey_button("F7", "Seen", "void", self.acknowledge,
                                               window=window, object_name="refusedSeen")
        self.button.setParent(self)
        row.addWidget(self.button)
        self.hide()

    def add(self, codes: list[str], why: str) -> None:
        self.codes.extend(codes)
        if why not in self._reasons:
            self._reasons.append(why)
        count = len(self.codes)
        self.text.setText(f"{count} scan{'s' if count != 1 else ''} NOT in the cart: "
                          f"{', '.join(self.codes)} ({'; '.join(self._reasons)})")
        self.show()

    def acknowledge(self) -> None:
        if not self.codes:
            return
        self.codes.clear()
        self._reasons.clear()
        self.hide()
        self._on_acknowledged()
