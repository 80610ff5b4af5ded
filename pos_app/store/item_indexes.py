"""The items table's secondary indexes during a register's first catalog load.

A first full pull (no items yet, cursor at its start) loads up to a million rows. Inserting
them one by one into every B-tree costs SQLite most of the pull's CPU; building an index
once after the last page (one sort) costs far less. So the first pull drops the *deferrable*
indexes inside its first page's transaction and :func:`ensure_item_indexes` builds them after
its last page. Only the plain (non-unique) indexes of :data:`pos_app.store.models.items` are
deferred: the primary key and the ``(event_id, tag_code)`` UNIQUE constraint are part of the
table (SQLite cannot drop them) and keep rejecting bad rows during the load.

The DDL comes from the SQLAlchemy model (one definition, the one Alembic compares). The
build is idempotent; :meth:`pos_app.store.engine.Database.open` runs it too, so a process
that died mid-pull leaves a file that has every index again the next time it opens.
"""

from __future__ import annotations

from sqlalchemy import Connection, Index, select
from sqlalchemy.schema import CreateIndex, DropIndex

from pos_app.store import models

#: The items indexes a first load builds after its last page.
DEFERRED: tuple[Index, ...] = tuple(
    sorted((index for index in models.items.indexes if not index.unique),
           key=lambda index: str(index.name)))


def items_empty(connection: Connection) -> bool:
    """True when no item is stored yet (any event): the only state a first load starts from."""
    return connection.execute(select(models.items.c.id).limit(1)).first() is None


def drop_deferred_indexes(connection: Connection) -> None:
    """Drop the deferrable items indexes (in the caller's transaction)."""
    for index in DEFERRED:
        connection.execute(DropIndex(index, if_exists=True))


def missing_item_indexes(connection: Connection) -> list[str]:
    """The names of the deferrable items indexes the file does not have."""
    present = set(connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'"
    ).scalars())
    return [str(index.name) for index in DEFERRED if index.name not in present]


def ensure_item_indexes(connection: Connection) -> list[str]:
    """Create any missing deferrable items index (caller commits); return the names built."""
    missing = missing_item_indexes(connection)
    for index in DEFERRED:
        if index.name in missing:
            connection.execute(CreateIndex(index, if_not_exists=True))
    return missing


class ItemIndexRepository:
    """The deferrable items indexes, in a unit of work's transaction (``unit.item_indexes``)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def items_empty(self) -> bool:
        return items_empty(self._connection)

    def defer(self) -> None:
        """Drop the deferrable indexes for a first load (they commit with the unit)."""
        drop_deferred_indexes(self._connection)

    def ensure(self) -> list[str]:
        """Build any missing deferrable index (the unit commits); the names built."""
        return ensure_item_indexes(self._connection)
