"""The start-up refusal: a database file the register will not sell from, said in a window.

``pos-app`` started from a desktop icon has no terminal, so when the register's file is
damaged or held by another program (:func:`pos_app.store.errors.refusal_message`) the message,
with the ``pos-app restore`` command for a damaged file, is also shown in a dialog before the
app exits. On the ``offscreen`` and ``minimal`` platforms nobody can answer the dialog: it is
shown and closed at once. With no display at all (a remote shell) only stderr gets it.
"""

from __future__ import annotations

import os
import sys

_HEADLESS_PLATFORMS = ("offscreen", "minimal")


def can_show_windows() -> bool:
    """Whether Qt can open a window here (on Linux without a display it would abort)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def refuse_to_start(message: str) -> int:
    """Print ``message`` on stderr, show it in a dialog when possible; the exit status (1)."""
    print(message, file=sys.stderr)
    if can_show_windows():
        show_refusal(message)
    return 1


def show_refusal(message: str) -> None:
    """A modal dialog with ``message``, until it is closed."""
    from pos_app.ui.assets import icon
    from pos_app.ui.qt import QApplication, QMessageBox, Qt, QTimer

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    box = QMessageBox(QMessageBox.Icon.Critical, "pos_app cannot open its database", message,
                      QMessageBox.StandardButton.Ok)
    box.setObjectName("databaseRefusedBox")
    box.setWindowIcon(icon("app"))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copy the command
    if app.platformName() in _HEADLESS_PLATFORMS:
        QTimer.singleShot(0, box.accept)
    box.exec()

