"""The audit journal and the outbox: the two append-only logs every recorded fact goes to.

Both are written inside the caller's transaction, next to the rows they describe. A journal
entry hashes the previous entry's hash and its payload (:mod:`pos_app.core.journal`); the
outbox holds the protocol bundle (:mod:`pos_app.core.wire`) the sync module pushes.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from pos_app.core.journal import GENESIS_HASH, ChainBreak, JournalEntry, next_entry, verify_chain
from pos_app.core.sale import canonical_json
from pos_app.core.wire import Bundle
from pos_app.store import models

journal = models.journal
outbox = models.outbox
sales = models.sales
voids = models.voids


# Written on every sale commit, so as driver-level SQL on the Core connection: no statement
# compilation or cache-key work per sale (docs/benchmarks.md, sale commit).
_LAST_ENTRY_SQL = "SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1"
_INSERT_ENTRY_SQL = (
    "INSERT INTO journal (seq, kind, ref_id, prev_hash, entry_hash, payload, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_ENQUEUE_SQL = (
    "INSERT INTO outbox (kind, ref_id, payload, created_at, attempts) VALUES (?, ?, ?, ?, 0)"
)


def append_journal(
    connection: Connection, kind: str, ref_id: str, payload: str, created_at: str
) -> JournalEntry:
    """Append the next entry (seq = last + 1, chained to the last hash)."""
    last = connection.exec_driver_sql(_LAST_ENTRY_SQL).first()
    seq, prev_hash = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS_HASH)
    entry = next_entry(seq, kind, ref_id, prev_hash, payload)
    connection.exec_driver_sql(_INSERT_ENTRY_SQL, (
        entry.seq, kind, ref_id, entry.prev_hash, entry.entry_hash, payload, created_at))
    return entry


def enqueue(connection: Connection, kind: str, ref_id: str, bundle: Bundle, at: str) -> int:
    """Add a bundle to the outbox; return its id (the push ``seq``)."""
    result = connection.exec_driver_sql(_ENQUEUE_SQL, (kind, ref_id, canonical_json(bundle), at))
    return int(result.lastrowid)


def journal_entries(connection: Connection) -> list[JournalEntry]:
    rows = connection.execute(
        select(journal.c.seq, journal.c.kind, journal.c.ref_id, journal.c.prev_hash,
               journal.c.entry_hash, journal.c.payload).order_by(journal.c.seq)
    )
    return [JournalEntry(*row) for row in rows]


def verify_journal(connection: Connection) -> ChainBreak | None:
    """The first break in the chain, or a sale/void with no entry (a deleted tail), or None."""
    entries = journal_entries(connection)
    broken = verify_chain(entries)
    if broken is not None:
        return broken
    next_seq = entries[-1].seq + 1 if entries else 1
    for table, what in ((sales, "sale"), (voids, "void")):
        missing = connection.execute(
            select(table.c.id).where(table.c.id.not_in(select(journal.c.ref_id))).limit(1)
        ).scalar_one_or_none()
        if missing is not None:
            return ChainBreak(next_seq, f"{what} {missing} has no journal entry")
    return None


def journal_count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(journal)).scalar_one())
