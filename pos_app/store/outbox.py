"""The outbox repository: entries written with each record, read in order, removed once acked.

Like PowerSync's ``ps_crud``: read ``limit + 1`` rows to know whether more remain; an entry
the server rejects as invalid is quarantined (kept, with the reason, for the manager) so it
never blocks the queue behind it. The outbox has one owner, this module: the sale, void and
shift commits enqueue through it, and the sync module reads and acknowledges through it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, delete, func, select, update

from pos_app.core.sale import canonical_json, utc_timestamp
from pos_app.core.wire import Bundle
from pos_app.store import models
from pos_app.store.driver import driver

outbox = models.outbox

# Written on every sale commit, so run by sqlite3 itself (store.driver): no statement
# compilation, execution context or result object per sale.
_ENQUEUE_SQL = (
    "INSERT INTO outbox (kind, ref_id, payload, created_at, attempts) VALUES (?, ?, ?, ?, 0)"
)
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    kind: str
    ref_id: str
    bundle: Bundle
    attempts: int


@dataclass(frozen=True, slots=True)
class QuarantinedEntry:
    seq: int
    kind: str
    ref_id: str
    reason: str
    quarantined_at: str


class OutboxRepository:
    """The outbox table, inside the caller's unit of work (the caller commits)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def enqueue(self, kind: str, ref_id: str, bundle: Bundle, at: str) -> int:
        """Add a bundle; return its id (the push ``seq``)."""
        cursor = driver(self._connection).execute(
            _ENQUEUE_SQL, (kind, ref_id, canonical_json(bundle), at))
        return int(cursor.lastrowid or 0)

    def read_pending(self, limit: int, after_seq: int = 0) -> tuple[list[Entry], bool]:
        """Up to ``limit`` entries after ``after_seq`` in seq order, and whether more remain."""
        rows = self._connection.execute(
            select(outbox.c.id, outbox.c.kind, outbox.c.ref_id, outbox.c.payload,
                   outbox.c.attempts)
            .where(outbox.c.quarantined_at.is_(None), outbox.c.id > after_seq)
            .order_by(outbox.c.id).limit(limit + 1)
        ).all()
        entries = [Entry(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows[:limit]]
        return entries, len(rows) > limit

    def pending_count(self) -> int:
        return self._count(outbox.c.quarantined_at.is_(None))

    def quarantined_count(self) -> int:
        return self._count(outbox.c.quarantined_at.is_not(None))

    def acknowledge(self, sent: Sequence[int], acked_seq: int) -> int:
        """Remove the sent entries the server acknowledged."""
        done = [seq for seq in sent if seq <= acked_seq]
        for start in range(0, len(done), _CHUNK):
            self._connection.execute(
                delete(outbox).where(outbox.c.id.in_(done[start:start + _CHUNK])))
        return len(done)

    def record_failure(self, sent: Sequence[int], error: str) -> None:
        for start in range(0, len(sent), _CHUNK):
            self._connection.execute(
                update(outbox).where(outbox.c.id.in_(sent[start:start + _CHUNK]))
                .values(attempts=outbox.c.attempts + 1, last_error=error[:500])
            )

    def quarantine(self, seq: int, reason: str) -> None:
        self._connection.execute(
            update(outbox).where(outbox.c.id == seq)
            .values(quarantined_at=utc_timestamp(), last_error=reason[:500])
        )

    def release(self, seq: int) -> None:
        """Put a quarantined entry back in the queue (after the cause was fixed)."""
        self._connection.execute(
            update(outbox).where(outbox.c.id == seq).values(quarantined_at=None, attempts=0)
        )

    def list_quarantined(self) -> list[QuarantinedEntry]:
        rows = self._connection.execute(
            select(outbox.c.id, outbox.c.kind, outbox.c.ref_id, outbox.c.last_error,
                   outbox.c.quarantined_at)
            .where(outbox.c.quarantined_at.is_not(None)).order_by(outbox.c.id)
        ).all()
        return [QuarantinedEntry(r[0], r[1], r[2], r[3] or "", r[4]) for r in rows]

    def head_attempts(self) -> int:
        """How often the oldest pending entry has failed (a stuck queue shows here)."""
        value = self._connection.execute(
            select(outbox.c.attempts).where(outbox.c.quarantined_at.is_(None))
            .order_by(outbox.c.id).limit(1)
        ).scalar_one_or_none()
        return int(value or 0)

    def _count(self, condition: ColumnElement[bool]) -> int:
        return int(self._connection.execute(
            select(func.count()).select_from(outbox).where(condition)
        ).scalar_one())
