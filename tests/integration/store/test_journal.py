"""The audit journal's hash chain verifies, and an edited or deleted entry is detected."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from store_helpers import Till

from pos_app.core.journal import ChainBreak
from pos_app.store.engine import Database


def run(path: Path, statement: str) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def verify(database: Database) -> ChainBreak | None:
    with database.unit_of_work() as unit:
        return unit.journal.verify()


def sell_four(till: Till) -> None:
    for tag in ("1001-0001", "1001-0002", "1001-0003", "1001-0004"):
        till.sell([tag])


def test_an_intact_journal_verifies(till: Till, database: Database) -> None:
    assert verify(database) is None
    sell_four(till)
    assert verify(database) is None


def test_an_edited_entry_is_detected(till: Till, database: Database, db_path: Path) -> None:
    sell_four(till)
    run(db_path, "UPDATE journal SET payload = replace(payload, '\"total_cents\":', "
                 "'\"total_cents\":1') WHERE seq = 2")
    broken = verify(database)
    assert broken is not None
    assert (broken.seq, broken.reason) == (2, "payload or hash was edited")


def test_a_deleted_entry_is_detected(till: Till, database: Database, db_path: Path) -> None:
    sell_four(till)
    run(db_path, "DELETE FROM journal WHERE seq = 3")
    broken = verify(database)
    assert broken is not None
    assert broken.seq == 3
    assert "missing" in broken.reason


def test_a_deleted_last_entry_is_detected_from_its_sale(
    till: Till, database: Database, db_path: Path
) -> None:
    sell_four(till)
    run(db_path, "DELETE FROM journal WHERE seq = 4")
    broken = verify(database)
    assert broken is not None
    assert "has no journal entry" in broken.reason
