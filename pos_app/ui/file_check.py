"""The whole file's check, finishing behind the login: when it finds damage, the app stops.

:mod:`pos_app.app` checks the register's own records before anything reads the file, and the
whole file (the catalog is most of it at a big event) on a thread while the cashier logs in
(:mod:`pos_app.store.integrity`). No commit happens before that check passed
(:meth:`pos_app.store.engine.Database.hold_writes_until`). When it fails, the register says so
as a refused start does (stderr and a dialog naming ``pos-app restore``) and exits with 1:
nothing was written to the damaged file.
"""

from __future__ import annotations

import contextlib

from pos_app.store.errors import StoreError, refusal_message
from pos_app.store.integrity import BackgroundCheck
from pos_app.ui.qt import QApplication, QObject, Qt, Signal
from pos_app.ui.refusal import refuse_to_start


class FileCheckWatch(QObject):
    """Emits :attr:`refused` (exit status 1) after telling why, when ``check`` fails."""

    refused = Signal(int)
    _failed = Signal(str)  # from the check's thread to this object's (the GUI's)

    def __init__(self, check: BackgroundCheck, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._failed.connect(self._refuse, Qt.ConnectionType.QueuedConnection)
        check.when_done(self._done)

    def _done(self, error: BaseException | None) -> None:
        if error is None:
            return
        message = (refusal_message(error) if isinstance(error, StoreError)
                   else f"pos-app: the check of the register's database failed: {error}")
        with contextlib.suppress(RuntimeError):  # the GUI is gone already
            self._failed.emit(message)

    def _refuse(self, message: str) -> None:
        for window in QApplication.topLevelWidgets():  # the login or the till: nothing more
            window.hide()                             # is done on this file
        self.refused.emit(refuse_to_start(message))  # stderr, the dialog when one can show
