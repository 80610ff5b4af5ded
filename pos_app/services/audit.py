"""The audit journal check: every sale, void and shift entry chained, none edited or missing."""

from __future__ import annotations

from pos_app.core.journal import ChainBreak
from pos_app.store.engine import Database


def verify_journal(database: Database) -> ChainBreak | None:
    """The first break in the journal's hash chain (or a record without its entry), or None."""
    with database.unit_of_work() as unit:
        return unit.journal.verify()
