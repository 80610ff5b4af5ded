"""The outbox: entries written with each sale, read in order, removed only once acknowledged.

Like PowerSync's ``ps_crud``: read ``limit + 1`` rows to know whether more remain; an entry
the server rejects as invalid is quarantined (kept, with the reason, for the manager) so it
never blocks the queue behind it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select, update

from pos_app.core.sale import utc_timestamp
from pos_app.core.wire import Bundle
from pos_app.store import models

outbox = models.outbox


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


def read_pending(
    connection: Connection, limit: int, after_seq: int = 0
) -> tuple[list[Entry], bool]:
    """Up to ``limit`` entries after ``after_seq`` in seq order, and whether more remain."""
    rows = connection.execute(
        select(outbox.c.id, outbox.c.kind, outbox.c.ref_id, outbox.c.payload, outbox.c.attempts)
        .where(outbox.c.quarantined_at.is_(None), outbox.c.id > after_seq)
        .order_by(outbox.c.id).limit(limit + 1)
    ).all()
    entries = [Entry(row[0], row[1], row[2], json.loads(row[3]), row[4]) for row in rows[:limit]]
    return entries, len(rows) > limit


def pending_count(connection: Connection) -> int:
    return int(connection.execute(
        select(func.count()).select_from(outbox).where(outbox.c.quarantined_at.is_(None))
    ).scalar_one())


def quarantined_count(connection: Connection) -> int:
    return int(connection.execute(
        select(func.count()).select_from(outbox).where(outbox.c.quarantined_at.is_not(None))
    ).scalar_one())


def acknowledge(connection: Connection, sent: Sequence[int], acked_seq: int) -> int:
    """Remove the sent entries the server acknowledged (caller commits)."""
    done = [seq for seq in sent if seq <= acked_seq]
    for start in range(0, len(done), 500):
        connection.execute(delete(outbox).where(outbox.c.id.in_(done[start:start + 500])))
    return len(done)


def record_failure(connection: Connection, sent: Sequence[int], error: str) -> None:
    for start in range(0, len(sent), 500):
        connection.execute(
            update(outbox).where(outbox.c.id.in_(sent[start:start + 500]))
            .values(attempts=outbox.c.attempts + 1, last_error=error[:500])
        )


def quarantine(connection: Connection, seq: int, reason: str) -> None:
    connection.execute(
        update(outbox).where(outbox.c.id == seq)
        .values(quarantined_at=utc_timestamp(), last_error=reason[:500])
    )


def release(connection: Connection, seq: int) -> None:
    """Put a quarantined entry back in the queue (after the cause was fixed)."""
    connection.execute(
        update(outbox).where(outbox.c.id == seq).values(quarantined_at=None, attempts=0)
    )


def list_quarantined(connection: Connection) -> list[QuarantinedEntry]:
    rows = connection.execute(
        select(outbox.c.id, outbox.c.kind, outbox.c.ref_id, outbox.c.last_error,
               outbox.c.quarantined_at)
        .where(outbox.c.quarantined_at.is_not(None)).order_by(outbox.c.id)
    ).all()
    return [QuarantinedEntry(r[0], r[1], r[2], r[3] or "", r[4]) for r in rows]


def head_attempts(connection: Connection) -> int:
    """How often the oldest pending entry has failed (a stuck queue shows here)."""
    value = connection.execute(
        select(outbox.c.attempts).where(outbox.c.quarantined_at.is_(None))
        .order_by(outbox.c.id).limit(1)
    ).scalar_one_or_none()
    return int(value or 0)
