"""One sync round (push, conflicts, pull) and the background worker thread that repeats it.

The worker never blocks its caller: :meth:`SyncWorker.trigger` only sets an event. Failures
become status (offline, last error, auth failure) and a backoff before the next round.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pos_app.core.sale import utc_timestamp
from pos_app.store.engine import Database
from pos_app.sync import outbox, state
from pos_app.sync.backoff import Backoff
from pos_app.sync.batcher import SyncLimits
from pos_app.sync.client import AuthFailed, CentralClient, SyncError
from pos_app.sync.pull import Progress, Puller, PullOutcome
from pos_app.sync.push import Pusher, PushOutcome
from pos_app.sync.status import StatusBoard

log = logging.getLogger(__name__)


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
                pending=outbox.pending_count(unit.connection),
                quarantined=outbox.quarantined_count(unit.connection),
                head_attempts=outbox.head_attempts(unit.connection),
                last_success_at=state.get(unit.connection, state.LAST_SUCCESS, "") or None,
            )

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
            state.put(unit.connection, state.LAST_SUCCESS, now)
            unit.commit()
        self.board.update(uploading=False, online=True, last_error=None, auth_failed=False,
                          clock_offset_s=self.client.clock_offset_s)
        self.refresh_counts()
        return RoundOutcome(pushed, pulled, conflicts)


class SyncWorker:
    """Runs :meth:`SyncService.run_once` every ``interval_s`` and soon after :meth:`trigger`."""

    def __init__(self, service: SyncService, interval_s: float = 15.0,
                 backoff: Backoff | None = None,
                 on_round: Callable[[RoundOutcome], None] | None = None) -> None:
        self._service = service
        self._interval_s = interval_s
        self._backoff = backoff or Backoff(base_s=2.0, cap_s=300.0)
        self._on_round = on_round
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="pos-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def trigger(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
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
        try:
            outcome = self._service.run_once()
        except AuthFailed:
            return 300.0
        except SyncError:
            return self._backoff.next_delay()
        except Exception:
            log.exception("sync round failed unexpectedly")
            return self._backoff.next_delay()
        self._backoff.reset()
        if self._on_round is not None:
            self._on_round(outcome)
        return self._interval_s
