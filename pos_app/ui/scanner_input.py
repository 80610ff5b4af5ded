"""Scanner input wherever the focus is: an application-wide key filter around ScanDetector.

A keyboard-wedge scanner types like a keyboard, so every printable keystroke sent to any of
our widgets goes through :class:`pos_app.core.scanner.ScanDetector` first. A burst that ends
in the suffix fast enough is a scan and is emitted on :attr:`ScannerInput.scanned` (it never
reaches the focused text field); keys a person typed are replayed, in order and to the widget
they were meant for, as soon as the detector releases them (a timer calls ``tick``).

Time comes from the key events' own timestamps when the window system sets them (X11 does),
so keys that queued up while the GUI thread was busy (a receipt printing) still measure as
the fast burst they were; events without one (test events carry 0) fall back to an injectable
monotonic clock (seconds). The timer that releases held keys as typing waits one more round
once they are overdue and then syncs with the window system (``QGuiApplication.sync``), so
key events still queued behind a busy GUI thread, or not yet read from the X server, come in
first and keep a scan whole.
Modifier keys alone (Shift pressed and released around each upper-case letter or ``$``)
neither count as keys nor release what is held: codes with Shift pass whole.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from pos_app.core.scanner import Scan, ScanAction, ScanDetector, ScannerConfig, Typed
from pos_app.ui.qt import (
    QApplication,
    QEvent,
    QGuiApplication,
    QKeyEvent,
    QObject,
    Qt,
    QTimer,
    QWidget,
    Signal,
    qt_object_alive,
)

TICK_INTERVAL_MS = 10
_PASS_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                   | Qt.KeyboardModifier.MetaModifier)
_MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt,
                            Qt.Key.Key_AltGr, Qt.Key.Key_Meta, Qt.Key.Key_CapsLock,
                            Qt.Key.Key_NumLock, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R})


@dataclass(frozen=True, slots=True)
class HeldKey:
    """A keystroke held back while it might still be part of a scan."""

    target: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScannerInput(QObject):
    """Install with :meth:`install`; connect to :attr:`scanned`."""

    scanned = Signal(str)

    def __init__(
        self,
        config: ScannerConfig | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.detector = ScanDetector(config or ScannerConfig())
        self._clock = clock
        self._held: deque[HeldKey] = deque()
        self._replaying = False
        self._event_offset = 0.0  # clock() minus the last key event's own time, in seconds
        self._overdue = False  # the last tick found the held keys overdue
        self._syncing = False
        self.enabled = True
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_INTERVAL_MS)
        self._timer.timeout.connect(self.tick)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QApplication) -> None:
        app.removeEventFilter(self)
        self._timer.stop()

    @property
    def config(self) -> ScannerConfig:
        return self.detector.config

    def configure(self, config: ScannerConfig) -> None:
        """Use ``config`` from the next keystroke on (keys held back now are released)."""
        self.flush()
        self.detector = ScanDetector(config)

    def tick(self) -> None:
        """Release held keys as typing once the gap shows they are not a scan.

        The first tick that finds them overdue only notes it: the next one releases them,
        unless a key came in between (key events that waited behind a busy GUI thread).
        """
        now = self._clock() - self._event_offset
        if not self.detector.tick_due(now):
            self._overdue = False
            return
        if not self._overdue:
            self._overdue = True
            return
        self._sync_window_system()  # keys still queued come in now (and clear _overdue)
        now = self._clock() - self._event_offset
        if not self._overdue or not self.detector.tick_due(now):
            return
        self._overdue = False
        self._apply(self.detector.tick(now))

    def _sync_window_system(self) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            QGuiApplication.sync()
        finally:
            self._syncing = False

    def flush(self) -> None:
        """Release everything held now (before a key that is not text, or on focus change)."""
        self._apply(self.detector.tick(math.inf))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self._replaying or not self.enabled or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget) or not isinstance(event, QKeyEvent):
            return False
        if event.key() in _MODIFIER_KEYS:
            return False  # Shift before an upper-case letter: part of the scan, not a gap
        if not self._is_scanner_key(event):
            if self._held:
                self.flush()
            return False
        text = self._text_of(event)
        self._held.append(HeldKey(watched, event.key(), event.modifiers(), text))
        self._overdue = False
        self._apply(self.detector.key(text, self._key_time(event)))
        return True

    def _key_time(self, event: QKeyEvent) -> float:
        """When the key was pressed: the event's own time if it has one, else the clock."""
        now = self._clock()
        stamp = event.timestamp()
        self._event_offset = now - stamp / 1000 if stamp else 0.0
        return now - self._event_offset

    def _is_scanner_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & _PASS_MODIFIERS:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return True
        if event.key() == Qt.Key.Key_Tab:
            return self.config.suffix == "\t"
        text = event.text()
        return len(text) == 1 and text.isprintable()

    def _text_of(self, event: QKeyEvent) -> str:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return "\r"
        if event.key() == Qt.Key.Key_Tab:
            return "\t"
        return event.text()

    def _apply(self, actions: list[ScanAction]) -> None:
        for action in actions:
            if isinstance(action, Scan):
                self._held.clear()
                self.scanned.emit(action.code)
            elif isinstance(action, Typed):
                self._replay(action.text)
        if self._held:
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()

    def _replay(self, text: str) -> None:
        remaining = len(text)
        while remaining > 0 and self._held:
            held = self._held.popleft()
            remaining -= len(held.text)
            self._send(held)

    def _send(self, held: HeldKey) -> None:
        target = held.target if qt_object_alive(held.target) else QApplication.focusWidget()
        if target is None:
            return
        self._replaying = True
        try:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    target, QKeyEvent(kind, held.key, held.modifiers, held.text))
        finally:
            self._replaying = False
