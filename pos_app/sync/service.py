"""One sync round (push, conflicts, pull), and the one runner that owns every round of an app.

:class:`SyncService` runs a round on the calling thread (``pos-app sync --once`` calls it).
In the app, :class:`SyncRunner` is the only caller: its thread runs a round every
``interval_s``, soon after :meth:`SyncRunner.nudge` (one call after a sale, from any thread,
never blocking), and when :meth:`SyncRunner.sync_now` asks, which waits for that round's own
result. Two rounds never run at once, and the backoff belongs to the runner alone. Failures
become status (offline, last error, auth failure) and a delay before the next round.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from pos_app.core.sale import utc_timestamp
from pos_app.store.conflicts import ConflictView
from pos_app.store.engine import Database
from pos_app.store.outbox import QuarantinedEntry
from pos_app.store.sync_state import LAST_SUCCESS
from pos_app.sync.backoff import Backoff
from pos_app.sync.batcher import SyncLimits
from pos_app.sync.client import AuthFailed, CentralClient, SyncError
from pos_app.sync.pull import Progress, Puller, PullOutcome
from pos_app.sync.push import Pusher, PushOutcome
from pos_app.sync.status import StatusBoard

log = logging.getLogger(__name__)
AUTH_FAILED_DELAY_S = 300.0


@dataclass
class RoundOutcome:
    push: PushOutcome
    pull: PullOutcome
    conflicts: int


class SyncService:
    def __init__(self, database: Database, client: CentralClient, register_id: str,
                 limits: SyncLimits | None = None, board: StatusBoard | None = None) -> None:
        self.database = database
        self.client = client
        self.board = board or StatusBoard()
        self.pusher = Pusher(database, client, limits or SyncLimits())
        self.puller = Puller(database, client, register_id)

    def refresh_counts(self) -> None:
        with self.database.unit_of_work() as unit:
            self.board.update(
                configured=True,
                pending=unit.outbox.pending_count(),
                quarantined=unit.outbox.quarantined_count(),
                head_attempts=unit.outbox.head_attempts(),
                last_success_at=unit.sync_state.get(LAST_SUCCESS, "") or None,
            )

    def conflicts(self) -> list[ConflictView]:
        """What the server reported about this register's records, for the manager."""
        with self.database.unit_of_work() as unit:
            return unit.conflicts.list()

    def quarantined(self) -> list[QuarantinedEntry]:
        """The entries the server refused, held back for the manager."""
        with self.database.unit_of_work() as unit:
            return unit.outbox.list_quarantined()

    def run_once(self, progress: Progress | None = None) -> RoundOutcome:
        """Push everything pending, fetch conflicts, pull the catalog; raise on failure."""
        self.board.update(uploading=True)
        try:
            pushed = self.pusher.push_all()
            conflicts = self.puller.pull_conflicts()
            pulled = self.puller.pull_catalog(progress)
        except SyncError as error:
            self.board.update(uploading=False, online=False, last_error=str(error),
                              auth_failed=isinstance(error, AuthFailed),
                              clock_offset_s=self.client.clock_offset_s)
            self.refresh_counts()
            raise
        now = utc_timestamp()
        with self.database.unit_of_work() as unit:
            unit.sync_state.put(LAST_SUCCESS, now)
            unit.commit()
        self.board.update(uploading=False, online=True, last_error=None, auth_failed=False,
                          clock_offset_s=self.client.clock_offset_s)
        self.refresh_counts()
        return RoundOutcome(pushed, pulled, conflicts)


class SyncRunner:
    """The one thread that runs sync rounds: on a timer, after a nudge, or when asked."""

    def __init__(self, service: SyncService, interval_s: float = 15.0,
                 backoff: Backoff | None = None,
                 on_round: Callable[[RoundOutcome], None] | None = None) -> None:
        self._service = service
        self._interval_s = interval_s
        self._backoff = backoff or Backoff(base_s=2.0, cap_s=300.0)
        self._on_round = on_round
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._waiting: list[Future[RoundOutcome]] = []
        self._thread = threading.Thread(target=self._loop, name="pos-sync", daemon=True)

    @property
    def service(self) -> SyncService:
        return self._service

    def start(self) -> None:
        self._thread.start()

    def nudge(self) -> None:
        """Something was queued: run a round soon. Never blocks; safe from any thread."""
        self._wake.set()

    def sync_now(self, timeout_s: float | None = None) -> RoundOutcome:
        """Ask for a round and wait for ITS result (raises the round's SyncError)."""
        waiter: Future[RoundOutcome] = Future()
        with self._lock:
            if self._stop.is_set():
                raise SyncError("sync is stopped")
            self._waiting.append(waiter)
        self._wake.set()
        return waiter.result(timeout_s)

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            self._stop.set()
            waiting, self._waiting = self._waiting, []
        for waiter in waiting:
            waiter.set_exception(SyncError("sync stopped before the round ran"))
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        delay = 0.0
        while not self._stop.is_set():
            self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                return
            delay = self._round()

    def _round(self) -> float:
        with self._lock:
            waiting, self._waiting = self._waiting, []
        try:
            outcome = self._service.run_once()
        except Exception as error:  # told to every waiter; the loop goes on
            for waiter in waiting:
                waiter.set_exception(error)
            return self._delay_after(error)
        self._backoff.reset()
        for waiter in waiting:
            waiter.set_result(outcome)
        if self._on_round is not None:
            self._on_round(outcome)
        return self._interval_s

    def _delay_after(self, error: Exception) -> float:
        if isinstance(error, AuthFailed):
            return AUTH_FAILED_DELAY_S
        if not isinstance(error, SyncError):
            log.error("sync round failed unexpectedly", exc_info=error)
        return self._backoff.next_delay()
