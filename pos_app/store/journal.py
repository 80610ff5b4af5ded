"""The audit journal repository: the hash-chained, append-only log every recorded fact goes to.

An entry is written inside the caller's transaction, next to the rows it describes; it hashes
the previous entry's hash and its payload (:mod:`pos_app.core.journal`). The journal has one
owner, this module; the services decide what is journaled.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from pos_app.core.journal import GENESIS_HASH, ChainBreak, JournalEntry, next_entry, verify_chain
from pos_app.store import models
from pos_app.store.driver import driver

journal = models.journal
sales = models.sales
voids = models.voids

# Written on every sale commit, so run by sqlite3 itself (store.driver): no statement
# compilation, execution context or result object per sale (docs/benchmarks.md, sale commit).
_LAST_ENTRY_SQL = "SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1"
_INSERT_ENTRY_SQL = (
    "INSERT INTO journal (seq, kind, ref_id, prev_hash, entry_hash, payload, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class JournalRepository:
    """The journal table, inside the caller's unit of work (the caller commits)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def append(self, kind: str, ref_id: str, payload: str, created_at: str) -> JournalEntry:
        """Append the next entry (seq = last + 1, chained to the last hash)."""
        raw = driver(self._connection)
        last = raw.execute(_LAST_ENTRY_SQL).fetchone()
        seq, prev_hash = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS_HASH)
        entry = next_entry(seq, kind, ref_id, prev_hash, payload)
        raw.execute(_INSERT_ENTRY_SQL, (
            entry.seq, kind, ref_id, entry.prev_hash, entry.entry_hash, payload, created_at))
        return entry

    def entries(self) -> list[JournalEntry]:
        rows = self._connection.execute(
            select(journal.c.seq, journal.c.kind, journal.c.ref_id, journal.c.prev_hash,
                   journal.c.entry_hash, journal.c.payload).order_by(journal.c.seq)
        )
        return [JournalEntry(*row) for row in rows]

    def verify(self) -> ChainBreak | None:
        """The first break in the chain, a sale/void with no entry (a deleted tail), or None."""
        entries = self.entries()
        broken = verify_chain(entries)
        if broken is not None:
            return broken
        next_seq = entries[-1].seq + 1 if entries else 1
        for table, what in ((sales, "sale"), (voids, "void")):
            missing = self._connection.execute(
                select(table.c.id).where(table.c.id.not_in(select(journal.c.ref_id))).limit(1)
            ).scalar_one_or_none()
            if missing is not None:
                return ChainBreak(next_seq, f"{what} {missing} has no journal entry")
        return None
