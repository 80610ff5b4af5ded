"""The sqlite3 connection under a unit of work's Core connection, for the hot statements.

The statements written on every sale commit (the sale, its lines and tenders, the items sold,
the journal entry and the outbox entry, and the reads they need) are run by sqlite3 itself:
Core costs an execution context and a result object per call even for ``exec_driver_sql``,
which for a 100-line sale was a tenth of its Python time (docs/benchmarks.md,
"7. Sale commit"). They still run inside the unit's one transaction, which Core commits or
rolls back.
"""

from __future__ import annotations

import sqlite3
from typing import cast

from sqlalchemy import Connection


def driver(connection: Connection) -> sqlite3.Connection:
    """The DB-API connection under ``connection``, inside the unit's transaction.

    The transaction is begun first if it was not (BEGIN, or BEGIN IMMEDIATE as the unit
    asked, through the engine's ``begin`` hook), so no statement runs in the driver's
    autocommit mode.
    """
    if not connection.in_transaction():
        connection.begin()
    return cast(sqlite3.Connection, connection.connection.driver_connection)
