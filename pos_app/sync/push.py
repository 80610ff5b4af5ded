"""Push every pending outbox entry: pack, send, acknowledge; isolate and quarantine bad ones.

A transient failure retries the *same* request body with backoff (the server is idempotent,
so a reply lost after the server applied the batch is harmless). A payload the server rejects
is split in halves until the single bad entry is found and quarantined with the server's
reason, so it never blocks the entries behind it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pos_app.store.engine import Database
from pos_app.store.outbox import Entry
from pos_app.sync.backoff import Backoff
from pos_app.sync.batcher import EntryTooLarge, PushRequest, SyncLimits, pack
from pos_app.sync.client import CentralClient, PayloadRejected, Retryable, TooLarge

log = logging.getLogger(__name__)
READ_LIMIT = 5_000


@dataclass
class PushOutcome:
    pushed: int = 0
    requests: int = 0
    statements: int = 0
    retries: int = 0
    quarantined: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)


class Pusher:
    def __init__(self, database: Database, client: CentralClient, limits: SyncLimits,
                 *, max_attempts: int = 6, backoff: Backoff | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._database = database
        self._client = client
        self._limits = limits
        self._max_attempts = max_attempts
        self._backoff = backoff or Backoff()
        self._sleep = sleep

    def push_all(self) -> PushOutcome:
        """Push until the outbox is empty; raises Retryable/AuthFailed when it must stop."""
        outcome = PushOutcome()
        after = 0
        while True:
            with self._database.unit_of_work() as unit:
                entries, more = unit.outbox.read_pending(READ_LIMIT, after)
            if not entries:
                return outcome
            self._push_entries(entries, outcome)
            after = entries[-1].seq
            if not more:
                return outcome

    def _push_entries(self, entries: Sequence[Entry], outcome: PushOutcome) -> None:
        try:
            requests = pack(entries, self._limits, self._client.event_id)
        except EntryTooLarge:
            self._split(entries, outcome, "too large for one request")
            return
        for request in requests:
            try:
                self._send(request, outcome)
            except (PayloadRejected, TooLarge) as error:
                sent = set(request.seqs)
                self._isolate([e for e in entries if e.seq in sent], error, outcome)

    def _isolate(self, entries: Sequence[Entry], error: Exception,
                 outcome: PushOutcome) -> None:
        sale_id = error.sale_id if isinstance(error, PayloadRejected) else None
        culprit = next((e for e in entries if e.ref_id == sale_id), None)
        if culprit is None and len(entries) == 1:
            culprit = entries[0]
        if culprit is not None:
            self._quarantine(culprit, str(error), outcome)
            rest = [e for e in entries if e.seq != culprit.seq]
            if rest:
                self._push_entries(rest, outcome)
            return
        self._split(entries, outcome, str(error))

    def _split(self, entries: Sequence[Entry], outcome: PushOutcome, reason: str) -> None:
        if len(entries) == 1:
            self._quarantine(entries[0], reason, outcome)
            return
        middle = len(entries) // 2
        self._push_entries(entries[:middle], outcome)
        self._push_entries(entries[middle:], outcome)

    def _quarantine(self, entry: Entry, reason: str, outcome: PushOutcome) -> None:
        log.warning("quarantined outbox entry %s (%s %s): %s", entry.seq, entry.kind,
                    entry.ref_id, reason)
        with self._database.unit_of_work() as unit:
            unit.outbox.quarantine(entry.seq, reason)
            unit.commit()
        outcome.quarantined += 1

    def _send(self, request: PushRequest, outcome: PushOutcome) -> None:
        attempt = 0
        while True:
            attempt += 1
            outcome.requests += 1
            try:
                reply = self._client.push(request.body)
                break
            except Retryable as error:
                self._note_failure(request, str(error))
                if attempt >= self._max_attempts:
                    raise
                outcome.retries += 1
                self._sleep(self._backoff.next_delay())
        self._backoff.reset()
        with self._database.unit_of_work() as unit:
            done = unit.outbox.acknowledge(request.seqs, reply.acked_seq)
            unit.conflicts.store(reply.conflicts)
            unit.commit()
        outcome.pushed += done
        outcome.statements += reply.statements
        outcome.conflicts.extend(reply.conflicts)

    def _note_failure(self, request: PushRequest, error: str) -> None:
        log.info("push of entries %s..%s failed: %s", request.first_seq, request.last_seq, error)
        with self._database.unit_of_work() as unit:
            unit.outbox.record_failure(request.seqs, error)
            unit.commit()
