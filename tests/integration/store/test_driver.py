"""The sqlite3 connection the sale commit's statements run on (pos_app.store.driver): always
inside the unit's transaction, never in the driver's autocommit mode."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_app.store.driver import driver
from pos_app.store.engine import Database
from pos_app.store.errors import DatabaseLocked


def _keys(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT key FROM sync_state ORDER BY key")]
    finally:
        connection.close()


def test_rows_written_through_the_driver_are_rolled_back_unless_committed(
    database: Database, db_path: Path
) -> None:
    with database.unit_of_work() as unit:
        raw = driver(unit.connection)  # the first statement of the unit: it begins it
        assert unit.connection.in_transaction() and raw.in_transaction
        raw.execute("INSERT INTO sync_state VALUES ('dropped', '1')")
    with database.unit_of_work() as unit:
        driver(unit.connection).execute("INSERT INTO sync_state VALUES ('kept', '2')")
        unit.commit()
    assert _keys(db_path) == ["kept"]


def test_a_durable_unit_holds_the_write_lock_from_its_first_driver_statement(
    database: Database, db_path: Path
) -> None:
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        with database.durable_unit_of_work() as unit:
            driver(unit.connection).execute("SELECT max(seq) FROM sales").fetchone()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released when the unit ended
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_driver_statement_refused_by_a_lock_raises_the_known_condition(
    db_path: Path,
) -> None:
    database = Database.open(db_path, busy_timeout_ms=0)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseLocked), database.unit_of_work() as unit:
            driver(unit.connection).execute("INSERT INTO sync_state VALUES ('late', '1')")
        other.execute("ROLLBACK")
        assert _keys(db_path) == []
    finally:
        other.close()
        database.close()
