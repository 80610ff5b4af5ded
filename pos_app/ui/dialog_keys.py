"""Keyboard-true dialogs: Enter runs the dialog's main action from any field, Escape cancels.

Qt's own rule sends Enter to a dialog's "default" button, which is the first push button
laid out (often Cancel) unless told otherwise, and a line edit's ``returnPressed`` fires as
well, so one Enter could cancel a void or submit twice. A :class:`KeyDialog` takes Enter
itself: no button is a default button, and :meth:`KeyDialog.enter_pressed` runs the main
action once (its own checks say when the fields are not valid yet). Escape stays
:meth:`QDialog.reject`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.ui import qt
from pos_app.ui.qt import QDialog, QPushButton

if TYPE_CHECKING:  # not resolved at import: the login screen is painted before any key event
    from pos_app.ui.qt import QKeyEvent, QShowEvent


def is_enter(key: int) -> bool:
    """Return or the keypad's Enter. ``qt.Qt`` is named here, at the first key, not at import:
    PySide6 builds the namespace's 94 enums when it is first named, which cost the login
    screen's first paint ~30 ms (docs/benchmarks.md, 5.)."""
    return key in (qt.Qt.Key.Key_Return, qt.Qt.Key.Key_Enter)


class KeyDialog(QDialog):
    """Override :meth:`enter_pressed` with the dialog's main action (default: accept)."""

    def enter_pressed(self) -> None:
        self.accept()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter on a focused button is the dialog's Enter
            button.setDefault(False)
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if is_enter(event.key()):
            event.accept()
            self.enter_pressed()
            return
        super().keyPressEvent(event)
