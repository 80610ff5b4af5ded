"""The items indexes a first catalog load defers are built again, once, when the file opens;
a tag held twice when the unique one is built is given up by its older holder."""

import logging
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from pos_app.store.catalog_pull import ITEM_COLUMNS, upsert_catalog_page
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
    assert NAMES == ["ix_items_event_consignor_item", "uq_items_event_id_tag_code"]
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


EVENT = {"id": "e", "name": "E", "starts_on": "2026-11-21", "ends_on": "2026-11-22",
         "location": "", "status": "published", "tax_rate_bp": 0, "timezone": "UTC"}
COLUMNS = tuple(name for name in ITEM_COLUMNS if name != "event_id")


def _row(item_id: str, tag: str, change_seq: int) -> list[Any]:
    values = {"id": item_id, "consignor_number": 1001, "item_number": change_seq,
              "tag_code": tag, "description": item_id, "category": "", "size": "",
              "price_cents": 500, "condition": "good", "discountable": 1, "donate_if_unsold": 0,
              "status": "approved", "sold_sale_id": None, "sold_register_id": None,
              "change_seq": change_seq}
    return [values[name] for name in COLUMNS]


def _load_without_indexes(database: Database, pages: list[list[list[Any]]]) -> None:
    """Pages applied as a first load applies them: indexes dropped with the first."""
    for number, rows in enumerate(pages):
        with database.unit_of_work(immediate=True) as unit:
            if number == 0:
                drop_deferred_indexes(unit.connection)
            upsert_catalog_page(unit.connection, EVENT if number == 0 else None, [], [], "r",
                                event_id="e", compact=(COLUMNS, rows))
            unit.commit()


def _tags(path: Path) -> dict[str, str]:
    with closing(sqlite3.connect(path)) as connection:
        return dict(connection.execute("SELECT id, tag_code FROM items").fetchall())


def test_a_tag_held_twice_is_given_up_by_its_older_holder_and_the_index_is_built(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """b took a's tag on the server (change 7); the page with a's own later change (freeing
    it) never came: the build keeps b's tag, a's becomes "<tag>~a", the index exists."""
    path = tmp_path / "register.sqlite3"
    database = Database.open(path)
    expected = _sql(path)
    _load_without_indexes(database, [[_row("a", "T-1", 1), _row("c", "T-3", 3)],
                                     [_row("b", "T-1", 7), _row("d", "T-3", 2)]])
    assert set(NAMES).isdisjoint(_sql(path))  # both held twice: nothing refused them

    with caplog.at_level(logging.WARNING, logger="pos_app.store.item_indexes"):
        built = database.ensure_item_indexes()

    assert built == NAMES
    assert _sql(path) == expected
    assert _tags(path) == {"a": "T-1~a", "b": "T-1", "c": "T-3", "d": "T-3~d"}
    assert "2 items gave up a tag" in caplog.text
    with closing(sqlite3.connect(path)) as connection, pytest.raises(
            sqlite3.IntegrityError, match="tag_code"):
        connection.execute("UPDATE items SET tag_code = 'T-1' WHERE id = 'a'")
    assert _tags(path)["a"] == "T-1~a"
    database.close()


def test_the_older_holder_gets_its_tag_back_with_its_next_pulled_change(
        tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    database = Database.open(path)
    _load_without_indexes(database, [[_row("a", "T-1", 1)], [_row("b", "T-1", 7)]])
    database.close()

    reopened = Database.open(path)  # as after a process that died mid-load
    with reopened.unit_of_work() as unit:
        assert missing_item_indexes(unit.connection) == []
    assert _tags(path) == {"a": "T-1~a", "b": "T-1"}
    with reopened.unit_of_work() as unit:  # the rest of the load: a's change that freed T-1
        upsert_catalog_page(unit.connection, None, [], [], "r", event_id="e",
                            compact=(COLUMNS, [_row("a", "T-9", 8)]))
        unit.commit()
    assert _tags(path) == {"a": "T-9", "b": "T-1"}
    reopened.close()


def test_unique_tags_are_not_touched_when_the_index_is_built(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    database = Database.open(path)
    rows = [_row(f"i{n}", f"T-{n}", n) for n in range(1, 50)]
    _load_without_indexes(database, [rows[:25], rows[25:]])

    assert database.ensure_item_indexes() == NAMES

    assert _tags(path) == {f"i{n}": f"T-{n}" for n in range(1, 50)}
    database.close()
