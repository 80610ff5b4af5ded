"""The items table's secondary indexes during a register's first catalog load.

A first full pull (no items yet, cursor at its start) loads up to a million rows. Inserting
them one by one into every B-tree costs SQLite most of the pull's CPU; building an index
once after the last page (one sort) costs far less. So the first pull drops the *deferrable*
indexes inside its first page's transaction and :func:`ensure_item_indexes` builds them after
its last page. Deferred: every index of :data:`pos_app.store.models.items` (the plain one and
the tag's unique index, migration 0007); only the primary key is part of the table.

While the unique index is missing a duplicate tag is not refused, and one can be there for a
while: pages come in ``change_seq`` order, so an item that took a tag from another arrives
before the other's later change that freed it. A complete load ends with central's tags,
unique; a load cut short may not. So the unique index is built under a savepoint and, if a
tag is held twice, the holder with the older ``change_seq`` (then the smaller id) gives it up
as ``<tag>~<id>`` (as a check-in item gives way to a central one, catalog_pull.py); its next
pulled change puts its real tag back. The index is then built: the file is never left
without it, and the renamed rows are logged.

The DDL comes from the SQLAlchemy model (one definition, the one Alembic compares). The
build is idempotent; :meth:`pos_app.store.engine.Database.open` runs it too, so a process
that died mid-pull leaves a file that has every index again the next time it opens.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Index, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex, DropIndex

from pos_app.store import models

log = logging.getLogger(__name__)

#: The items indexes a first load builds after its last page (the plain ones first).
DEFERRED: tuple[Index, ...] = tuple(
    sorted(models.items.indexes, key=lambda index: (bool(index.unique), str(index.name))))

#: The one form of an item giving up its tag, here and in the pull's give-way (catalog_pull.py):
#: "<tag>~<id>" (unique, as ids are, with the tag still readable).
GIVE_UP_TAGS_SQL = "UPDATE items SET tag_code = tag_code || '~' || id"

# Every holder of a tag held twice but the one with the newest change (then the largest id).
_GIVE_UP_DUPLICATE_TAGS_SQL = GIVE_UP_TAGS_SQL + """
WHERE id IN (SELECT id FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY event_id, tag_code
                                  ORDER BY change_seq DESC, id DESC) AS place
    FROM items) WHERE place > 1)
"""


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
    """Create any missing deferrable items index (caller commits); return the names built.

    A tag held twice is given up by its older holder first (module docstring)."""
    missing = missing_item_indexes(connection)
    for index in DEFERRED:
        if index.name in missing:
            _create(connection, index)
    return missing


def _create(connection: Connection, index: Index) -> None:
    if not index.unique:
        connection.execute(CreateIndex(index, if_not_exists=True))
        return
    try:
        with connection.begin_nested():
            connection.execute(CreateIndex(index, if_not_exists=True))
        return
    except IntegrityError:
        pass  # the savepoint took the failed build back; the caller's transaction goes on
    renamed = connection.exec_driver_sql(_GIVE_UP_DUPLICATE_TAGS_SQL).rowcount
    log.warning("%d items gave up a tag another item of their event holds with a newer "
                "change (now <tag>~<id>) so that %s could be built", renamed, index.name)
    connection.execute(CreateIndex(index, if_not_exists=True))


class ItemIndexRepository:
    """The deferrable items indexes, in a unit of work's transaction (``unit.item_indexes``)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def items_empty(self) -> bool:
        return items_empty(self._connection)

    def missing(self) -> list[str]:
        """The names of the deferrable indexes the file does not have (a first load's)."""
        return missing_item_indexes(self._connection)

    def defer(self) -> None:
        """Drop the deferrable indexes for a first load (they commit with the unit)."""
        drop_deferred_indexes(self._connection)

    def ensure(self) -> list[str]:
        """Build any missing deferrable index (the unit commits); the names built."""
        return ensure_item_indexes(self._connection)
