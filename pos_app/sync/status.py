"""What the status bar shows about sync, with listeners (the GUI adapts them to a Qt signal)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

STUCK_AFTER_ATTEMPTS = 5
CLOCK_WARNING_S = 120  # warn the manager when the register's clock is off by more than this


@dataclass(frozen=True, slots=True)
class SyncStatus:
    configured: bool = False
    online: bool = False
    uploading: bool = False
    pending: int = 0
    quarantined: int = 0
    last_success_at: str | None = None
    last_error: str | None = None
    auth_failed: bool = False
    head_attempts: int = 0
    pull_progress: tuple[int, int] | None = None
    clock_offset_s: float | None = None  # server's Date minus the register's clock, last sync

    @property
    def stuck(self) -> bool:
        return self.head_attempts >= STUCK_AFTER_ATTEMPTS

    @property
    def clock_off(self) -> bool:
        """The register's clock differs from the server's by more than 2 minutes."""
        return self.clock_offset_s is not None and abs(self.clock_offset_s) > CLOCK_WARNING_S


Listener = Callable[[SyncStatus], None]


class StatusBoard:
    """Thread-safe holder of the latest status; listeners run on the updating thread."""

    def __init__(self, initial: SyncStatus | None = None) -> None:
        self._lock = threading.Lock()
        self._status = initial or SyncStatus()
        self._listeners: list[Listener] = []

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def snapshot(self) -> SyncStatus:
        return self.status

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every new status (now, too); return the unsubscriber."""
        with self._lock:
            self._listeners.append(listener)
        listener(self.status)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def update(self, **changes: object) -> SyncStatus:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            status, listeners = self._status, list(self._listeners)
        for listener in listeners:
            listener(status)
        return status
