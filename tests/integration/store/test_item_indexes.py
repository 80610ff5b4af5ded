"""The items indexes a first catalog load defers are built again, once, when the file opens."""

import sqlite3
from contextlib import closing
from pathlib import Path

from pos_app.store.engine import Database
from pos_app.store.item_indexes import DEFERRED, drop_deferred_indexes, missing_item_indexes

NAMES = [str(index.name) for index in DEFERRED]


def _sql(path: Path) -> dict[str, str]:
    with closing(sqlite3.connect(path)) as connection:
        return dict(connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'"
        ).fetchall())


def test_an_index_left_dropped_is_built_at_the_next_open_and_only_then(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    database = Database.open(path)
    expected = _sql(path)
    with database.unit_of_work() as unit:
        drop_deferred_indexes(unit.connection)
        unit.commit()
    database.close()  # as a process that died between its first page and its last
    assert NAMES == ["ix_items_event_consignor_item"]
    assert set(NAMES) <= set(expected)
    assert not set(NAMES) & set(_sql(path))

    reopened = Database.open(path)

    assert _sql(path) == expected
    assert reopened.ensure_item_indexes() == []  # idempotent: nothing left to build
    with reopened.unit_of_work() as unit:
        assert missing_item_indexes(unit.connection) == []
    reopened.close()


def test_a_dropped_index_is_restored_by_a_transaction_that_rolls_back(tmp_path: Path) -> None:
    """The first load drops the index inside its first page's transaction: a page that fails
    to apply takes the drop back with it."""
    path = tmp_path / "register.sqlite3"
    database = Database.open(path)
    expected = _sql(path)
    with database.unit_of_work() as unit:
        drop_deferred_indexes(unit.connection)  # never committed
    assert _sql(path) == expected
    database.close()
