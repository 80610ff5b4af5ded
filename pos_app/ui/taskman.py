"""Background executors and the trip back to the GUI thread (after Anki's ``aqt/taskman.py``).

Three single-worker lanes keep work ordered and off the GUI thread:

* ``WRITE``: every database write (sales, voids, holds, shifts), one at a time, in order;
* ``READ``: lookups and searches, in scan order, never queued behind a slow commit;
* ``NETWORK``: sync calls, which may take seconds and must never delay a scan.

A finished job's callback is posted to the GUI thread through a queued signal, so callbacks
always run on the thread that owns the widgets. Worker threads never hold the last reference
to anything from the GUI (callbacks stay in a GUI-side table; a finished job's callable is
released on the GUI thread): a Qt object destroyed on a worker thread breaks its timers.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum
from functools import partial
from typing import Any

from pos_app.ui.qt import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

type DoneCallback = Callable[[Future[Any]], None]


class Lane(StrEnum):
    WRITE = "write"
    READ = "read"
    NETWORK = "network"


class TaskManager(QObject):
    """Runs callables on the lanes and calls back on the GUI thread."""

    _job_finished = Signal(int, object)
    idle_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executors = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"pos-{lane.value}")
            for lane in Lane
        }
        self._ids = itertools.count(1)
        self._callbacks: dict[int, DoneCallback] = {}  # GUI thread only
        self._graveyard: list[object] = []  # finished callables, released on the GUI thread
        self._closed = False
        self._job_finished.connect(self._on_job_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def idle(self) -> bool:
        """True when no job is running or waiting for its callback."""
        return not self._callbacks

    def run[T](
        self, lane: Lane, fn: Callable[[], T], on_done: Callable[[Future[T]], None]
    ) -> Future[T]:
        """Run ``fn`` on ``lane``; call ``on_done(future)`` on the GUI thread afterwards."""
        if self._closed:
            raise RuntimeError("the task manager is shut down")
        job = next(self._ids)
        was_idle = self.idle
        self._callbacks[job] = on_done
        if was_idle:
            self.idle_changed.emit(False)
        future = self._executors[lane].submit(self._released_on_gui_thread(fn))
        future.add_done_callback(partial(self._finished_on_worker, job))
        return future

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking jobs; wait for running ones (a sale being committed finishes)."""
        self._closed = True
        for executor in self._executors.values():
            executor.shutdown(wait=wait, cancel_futures=True)

    def _released_on_gui_thread[T](self, fn: Callable[[], T]) -> Callable[[], T]:
        box = [fn]

        def call() -> T:
            work = box.pop()
            try:
                return work()
            finally:
                self._graveyard.append(work)
                del work

        return call

    def _finished_on_worker(self, job: int, future: Future[Any]) -> None:
        self._job_finished.emit(job, future)

    @Slot(int, object)
    def _on_job_finished(self, job: int, future: Future[Any]) -> None:
        self._graveyard.clear()
        callback = self._callbacks.pop(job)
        try:
            callback(future)
        finally:
            if self.idle:
                self.idle_changed.emit(True)
