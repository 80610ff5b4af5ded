"""The sync state in the status bar: an adapter from the sync module's listeners to a Qt signal.

``pos_app.sync.status.StatusBoard`` calls its listeners on whatever thread updated it (the
sync worker); :class:`SyncStatusAdapter` re-emits each snapshot as a Qt signal, which Qt
queues to the GUI thread. :func:`describe` turns a snapshot into the words and colour shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pos_app.ui.bundle import SyncStatusSource
from pos_app.ui.qt import QHBoxLayout, QLabel, QObject, QWidget, Signal
from pos_app.ui.receipt import local_time
from pos_app.ui.sync_texts import clock_warning


@dataclass(frozen=True, slots=True)
class StatusText:
    text: str
    colour: str
    tooltip: str = ""


def describe(status: Any) -> StatusText:
    """Words for the status bar from a ``SyncStatus`` (or None: sync not set up)."""
    if status is None or not getattr(status, "configured", False):
        return StatusText("Offline register (no sync server)", "#6b7280")
    pending = int(getattr(status, "pending", 0))
    quarantined = int(getattr(status, "quarantined", 0))
    last = getattr(status, "last_success_at", None)
    error = getattr(status, "last_error", None)
    parts = [("Syncing..." if getattr(status, "uploading", False)
              else "Online" if getattr(status, "online", False) else "Offline")]
    parts.append(f"{pending} unsynced" if pending else "all synced")
    parts.append(f"last sync {local_time(last)}" if last else "never synced")
    if quarantined:
        parts.append(f"{quarantined} held back (manager: F11)")
    tooltip = error or ""
    if getattr(status, "auth_failed", False):
        return StatusText("Sync refused: register token rejected (manager)", "#b91c1c", tooltip)
    if getattr(status, "stuck", False):
        parts.append("queue stuck")
    clock_off = bool(getattr(status, "clock_off", False))
    if clock_off:
        parts.append(clock_warning(float(getattr(status, "clock_offset_s", 0.0))))
    colour = ("#b91c1c" if quarantined or clock_off or getattr(status, "stuck", False)
              else "#15803d" if getattr(status, "online", False) else "#b45309")
    if error and not getattr(status, "online", False):
        parts.append(f"error: {error[:60]}")
    return StatusText("  |  ".join(parts), colour, tooltip)


class SyncStatusAdapter(QObject):
    """Re-emits each status of a :class:`SyncStatusSource` on :attr:`status_changed`."""

    status_changed = Signal(object)

    def __init__(self, source: SyncStatusSource | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.latest: Any = None
        self._unsubscribe: Callable[[], None] | None = None
        self.status_changed.connect(self._remember)
        if source is not None:
            self._unsubscribe = source.subscribe(self.status_changed.emit)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _remember(self, status: Any) -> None:
        self.latest = status


class SyncStatusWidget(QWidget):
    """A coloured dot and a line of text, updated from the adapter's signal."""

    def __init__(self, adapter: SyncStatusAdapter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dot = QLabel("\u25cf", self)
        self.label = QLabel("", self)
        self.label.setObjectName("syncStatusLabel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        layout.addStretch(1)
        adapter.status_changed.connect(self.show_status)
        self.show_status(adapter.latest)

    def show_status(self, status: Any) -> None:
        shown = describe(status)
        self.dot.setStyleSheet(f"color: {shown.colour}; font-size: 16pt;")
        self.label.setText(shown.text)
        self.label.setToolTip(shown.tooltip)
