"""Telling people about failures: a clear message for known conditions, one crash dialog for bugs.

Known conditions (a full disk, a locked database, a short tender, a wrong PIN) are the
cashier's business and get a plain message. Anything else is a bug: it is logged with its
traceback and shown in a single error dialog (later bugs are appended to the open dialog
rather than stacking dialogs), as Anki and qutebrowser do.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from enum import StrEnum

from pos_app.ui.qt import QMessageBox, QObject, QWidget, Signal, qt_object_alive

log = logging.getLogger(__name__)


class ErrorKind(StrEnum):
    KNOWN = "known"
    BUG = "bug"


@dataclass(frozen=True, slots=True)
class ReportedError:
    kind: ErrorKind
    message: str


class ErrorReporter(QObject):
    """Shows error messages; ``interactive=False`` only records them (tests, headless)."""

    reported = Signal(object)  # ReportedError

    def __init__(self, *, interactive: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interactive = interactive
        self.history: list[ReportedError] = []
        self._crash_box: QMessageBox | None = None

    def known(self, message: str, parent: QWidget | None = None, title: str = "Problem") -> None:
        """A condition the person at the till can act on."""
        log.warning("%s: %s", title, message)
        self._record(ReportedError(ErrorKind.KNOWN, message))
        if self.interactive:
            box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                              QMessageBox.StandardButton.Ok, parent)
            box.setObjectName("knownErrorBox")
            box.open()

    def bug(self, error: BaseException, parent: QWidget | None = None) -> None:
        """An unexpected exception: log it and show it in the one crash dialog."""
        details = "".join(traceback.format_exception(error))
        log.error("Unexpected error\n%s", details)
        self._record(ReportedError(ErrorKind.BUG, f"{type(error).__name__}: {error}"))
        if not self.interactive:
            return
        if self._crash_box is not None and qt_object_alive(self._crash_box):
            self._crash_box.setDetailedText(self._crash_box.detailedText() + "\n" + details)
            return
        self._crash_box = QMessageBox(
            QMessageBox.Icon.Critical, "Unexpected error",
            "Something went wrong inside the register. Sales already completed are safe.\n"
            "Please tell the manager; the details below help fix it.",
            QMessageBox.StandardButton.Ok, parent,
        )
        self._crash_box.setObjectName("crashBox")
        self._crash_box.setDetailedText(details)
        self._crash_box.open()

    def _record(self, reported: ReportedError) -> None:
        self.history.append(reported)
        self.reported.emit(reported)
