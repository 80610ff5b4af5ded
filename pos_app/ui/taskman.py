"""Background executors and the trip back to the GUI thread (after Anki's ``aqt/taskman.py``).

Three single-worker lanes keep work ordered and off the GUI thread:

* ``WRITE``: every database write (sales, voids, holds, shifts), one at a time, in order;
* ``READ``: lookups and searches, in scan order, never queued behind a slow commit;
* ``NETWORK``: sync calls, which may take seconds and must never delay a scan.

A finished job's callback is posted to the GUI thread through a queued signal, so callbacks
always run on the thread that owns the widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum
from functools import partial
from typing import Any

from pos_app.ui.qt import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class Lane(StrEnum):
    WRITE = "write"
    READ = "read"
    NETWORK = "network"


class TaskManager(QObject):
    """Runs callables on the lanes and calls back on the GUI thread."""

    _deliver = Signal(object, bool)
    idle_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executors = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"pos-{lane.value}")
            for lane in Lane
        }
        self._pending = 0
        self._closed = False
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def idle(self) -> bool:
        """True when no job is running or waiting for its callback."""
        return self._pending == 0

    def run[T](
        self, lane: Lane, fn: Callable[[], T], on_done: Callable[[Future[T]], None]
    ) -> Future[T]:
        """Run ``fn`` on ``lane``; call ``on_done(future)`` on the GUI thread afterwards."""
        if self._closed:
            raise RuntimeError("the task manager is shut down")
        self._set_pending(self._pending + 1)
        future = self._executors[lane].submit(fn)
        future.add_done_callback(lambda done: self._deliver.emit(partial(on_done, done), True))
        return future

    def run_on_main(self, closure: Callable[[], None]) -> None:
        """Call ``closure`` on the GUI thread (safe from any thread)."""
        self._deliver.emit(closure, False)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking jobs; wait for running ones (a sale being committed finishes)."""
        self._closed = True
        for executor in self._executors.values():
            executor.shutdown(wait=wait, cancel_futures=True)

    @Slot(object, bool)
    def _on_deliver(self, closure: Callable[[], Any], tracked: bool) -> None:
        try:
            closure()
        finally:
            if tracked:
                self._set_pending(self._pending - 1)

    def _set_pending(self, value: int) -> None:
        was_idle, self._pending = self._pending == 0, value
        if was_idle != (value == 0):
            self.idle_changed.emit(value == 0)
