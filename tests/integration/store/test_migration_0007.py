"""Migration 0007 (issue 16): the tag's UNIQUE constraint becomes a separate unique index, on a
real file of revision 0006 with items; every row kept, a duplicate tag still refused."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from pos_app.store.migrate import current_revision, upgrade_database

ROWS = [(f"i{n}", "e", 1001, n, f"1001-{n:04d}", f"Item {n}", "", "", 100 * n, "good", 1, 0,
         "approved", None, None, n) for n in range(1, 301)]


def _file_at_0006(path: Path) -> None:
    upgrade_database(path, "0006")
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO events (id, name, starts_on, ends_on, location, timezone, status,"
                   " tax_rate_bp, change_seq) VALUES ('e', 'E', '2026-11-21', '2026-11-22', '',"
                   " 'UTC', 'published', 0, 0)")
        db.executemany(f"INSERT INTO items VALUES ({', '.join('?' * 16)})", ROWS)


def _items_indexes(path: Path) -> dict[str, tuple[int, str]]:
    """The items indexes: name -> (unique, origin: 'c' CREATE INDEX, 'u' table constraint)."""
    with closing(sqlite3.connect(path)) as db:
        return {row[1]: (row[2], row[3]) for row in db.execute("PRAGMA index_list('items')")}


def test_upgrade_keeps_the_items_and_the_tag_stays_unique_as_an_index(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    _file_at_0006(path)
    before = _items_indexes(path)
    assert ("sqlite_autoindex_items_2", (1, "u")) in before.items()  # the table constraint

    upgrade_database(path, "0007")

    assert current_revision(path) == "0007"
    after = _items_indexes(path)
    assert after["uq_items_event_id_tag_code"] == (1, "c")  # droppable: CREATE UNIQUE INDEX
    assert after["ix_items_event_consignor_item"] == (0, "c")
    assert not any(origin == "u" for _unique, origin in after.values())
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT * FROM items ORDER BY change_seq").fetchall() == ROWS
        with pytest.raises(sqlite3.IntegrityError, match="tag_code"):
            db.execute("INSERT INTO items VALUES ('dup', 'e', 1002, 1, '1001-0007', 'Dup', '',"
                       " '', 100, 'good', 1, 0, 'approved', NULL, NULL, 999)")
        with pytest.raises(sqlite3.IntegrityError, match="tag_code"):
            db.execute("UPDATE items SET tag_code = '1001-0001' WHERE id = 'i2'")
        assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == len(ROWS)
        plan = " ".join(str(row) for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM items WHERE event_id = 'e' AND tag_code = 'x'"))
    assert "uq_items_event_id_tag_code" in plan  # the scan lookup uses it


def test_downgrade_puts_the_table_constraint_back_with_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    _file_at_0006(path)
    upgrade_database(path, "0007")
    from alembic import command

    from pos_app.store.migrate import _migration_engine, alembic_config

    config = alembic_config()
    engine = _migration_engine(path)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    engine.dispose()

    assert current_revision(path) == "0006"
    assert ("sqlite_autoindex_items_2", (1, "u")) in _items_indexes(path).items()
    assert "uq_items_event_id_tag_code" not in _items_indexes(path)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT * FROM items ORDER BY change_seq").fetchall() == ROWS
