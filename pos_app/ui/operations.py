"""Background operations with callbacks, after Anki's ``aqt/operations``.

    Operation.call(parent, services.sales.complete, lines, tenders, cashier_id, shift_id)
        .success(on_paid).failure(on_not_paid).run()

The callable runs on one of the :class:`~pos_app.ui.taskman.TaskManager` lanes (database
writes by default); ``success`` and ``failure`` run on the GUI thread afterwards. A failure
nobody handles is reported: a known condition (a :class:`StoreError`, a domain error with a
message for the cashier) as a plain message, anything else through the crash dialog. On
success the :class:`Changes` the service method declared (``@changes``) are broadcast on
:attr:`OperationRunner.changed`, so each view refreshes only what changed.

The runner is found through the parent chain (any ancestor with an ``operation_runner``
attribute), so no module-level global is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Self

from pos_app.core.cart import CartError
from pos_app.core.money import MoneyError
from pos_app.core.pricing import PricingError
from pos_app.core.sale import SaleError
from pos_app.core.tags import TagError
from pos_app.core.tender import TenderError
from pos_app.services.cashiers import PinError
from pos_app.services.changes import Changes, changes_of
from pos_app.services.context import NotConfigured
from pos_app.services.holds import HoldError
from pos_app.services.setup import NoKeyring
from pos_app.services.shifts import ShiftError
from pos_app.store.errors import StoreError
from pos_app.sync.errors import SyncError
from pos_app.ui.errors import ErrorReporter
from pos_app.ui.qt import QObject, QWidget, Signal, qt_object_alive
from pos_app.ui.taskman import Lane, TaskManager

log = logging.getLogger(__name__)

#: Exceptions whose message is meant for the person at the till, not a bug.
KNOWN_ERRORS: tuple[type[BaseException], ...] = (
    StoreError, CartError, TenderError, SaleError, MoneyError, TagError, PricingError,
    HoldError, ShiftError, PinError, NotConfigured, NoKeyring, SyncError, TimeoutError,
    ConnectionError,
)


def is_known_error(error: BaseException) -> bool:
    return isinstance(error, KNOWN_ERRORS)


class OperationRunner(QObject):
    """Owns the lanes, the error reporter and the one ``changed`` signal."""

    changed = Signal(object)  # Changes

    def __init__(
        self, tasks: TaskManager, errors: ErrorReporter, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.errors = errors

    def notify(self, changes: Changes) -> None:
        """Tell every view what an operation changed (nothing is sent for NONE)."""
        if changes:
            self.changed.emit(changes)

    def report(self, error: BaseException, parent: QObject | None = None) -> None:
        """Route an unhandled failure: known conditions to a message, bugs to the crash dialog."""
        widget = parent if isinstance(parent, QWidget) and qt_object_alive(parent) else None
        if is_known_error(error):
            self.errors.known(str(error), widget)
        else:
            self.errors.bug(error, widget)


def find_runner(obj: QObject | None) -> OperationRunner:
    """The runner of ``obj`` or of its nearest ancestor that has one."""
    while obj is not None:
        runner = getattr(obj, "operation_runner", None)
        if isinstance(runner, OperationRunner):
            return runner
        obj = obj.parent()
    raise RuntimeError("no OperationRunner among this object's ancestors")


class Operation[T]:
    """One background call with GUI-thread callbacks; build it, then :meth:`run` it once."""

    def __init__(
        self,
        parent: QObject,
        fn: Callable[[], T],
        *,
        lane: Lane = Lane.WRITE,
        changes: Changes = Changes.NONE,
    ) -> None:
        self._parent = parent
        self._fn = fn
        self._lane = lane
        self._changes = changes
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None

    @classmethod
    def call[**P, R](cls, parent: QObject, method: Callable[P, R], *args: P.args,
                     **kwargs: P.kwargs) -> Operation[R]:
        """A write use case on the write lane, broadcasting the changes ``method`` declares."""
        return Operation(parent, lambda: method(*args, **kwargs), changes=changes_of(method))

    def success(self, callback: Callable[[T], Any]) -> Self:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Self:
        self._failure = callback
        return self

    def run(self) -> Future[T]:
        runner = find_runner(self._parent)
        return runner.tasks.run(self._lane, self._fn, lambda done: self._finish(runner, done))

    def _finish(self, runner: OperationRunner, done: Future[T]) -> None:
        if done.cancelled():
            return
        if not qt_object_alive(self._parent):
            log.info("result of %s dropped: its window is gone", self._fn)
            if done.exception() is not None:
                runner.report(done.exception() or RuntimeError())
            return
        error = done.exception()
        if error is not None:
            if self._failure is not None:
                self._failure(error)
            else:
                runner.report(error, self._parent)
            return
        runner.notify(self._changes)
        if self._success is not None:
            self._success(done.result())
