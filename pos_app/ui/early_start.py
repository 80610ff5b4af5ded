"""The first screen of a start, before the store: the PIN dialog of a configured register.

A start used to import SQLAlchemy, the store and the services (about half a second here)
before showing anything. :func:`show_login_early` shows the login dialog with only Qt loaded
(the register's name read with sqlite3 by :mod:`pos_app.store.peek`), and
:func:`while_shown` loads the rest on a helper thread while the event loop keeps the dialog
painted and typing. Only plain Python modules load there (no Qt object is made off the GUI
thread); the GUI's own modules load after, on the GUI thread, still behind the dialog.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

from pos_app.store.peek import glance
from pos_app.ui import qt
from pos_app.ui.assets import icon
from pos_app.ui.login import LoginDialog
from pos_app.ui.qt import QApplication, QEventLoop, QMetaObject
from pos_app.ui.widgets import apply_style


def show_login_early(path: Path) -> LoginDialog | None:
    """The login dialog of the register at ``path``, shown and painted; None when the file
    is not a configured register (set-up or an error report then comes the usual way)."""
    seen = glance(path)
    if seen is None:
        return None
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("pos_app")
    app.setWindowIcon(icon("app"))
    apply_style(app)
    dialog = LoginDialog(None, None, seen.name)
    dialog.setWindowIcon(icon("app"))
    dialog.show()
    app.processEvents()  # painted now, not when the event loop first turns
    return dialog


def while_shown[T](login: LoginDialog | None, load: Callable[[], T]) -> T:
    """``load()`` on a helper thread while the GUI thread runs the login dialog's events
    (without a dialog, simply ``load()``); its result, or its exception raised here."""
    if login is None:
        return load()
    loop = QEventLoop()
    # `qt.Qt` is named here, after the dialog's first paint (building its 94 enums cost that
    # paint ~30 ms: dialog_keys.is_enter), and on this thread, not the helper's
    queued = qt.Qt.ConnectionType.QueuedConnection
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(load())
        except BaseException as error:
            failure.append(error)
        finally:
            QMetaObject.invokeMethod(loop, "quit", queued)

    helper = threading.Thread(target=work, name="start-up-load", daemon=True)
    helper.start()
    loop.exec()
    helper.join()
    if failure:
        raise failure[0]
    return outcome[0]
