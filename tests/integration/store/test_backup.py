"""Backups while the register writes, the integrity check, and restore with the old file kept."""

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.services.demo import create_demo_event
from pos_app.store.backup import BackupError, backup, integrity_problems, restore
from pos_app.store.engine import Database


def test_backup_while_writing_then_restore(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    database = Database.open(path)
    create_demo_event(database, items=2_000)
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            with database.unit_of_work() as unit:
                unit.connection.exec_driver_sql(
                    "INSERT INTO sync_state (key, value) VALUES (?, ?)",
                    (f"k{n}", datetime.now(UTC).isoformat()))
                unit.commit()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copy = backup(path, tmp_path)
    finally:
        stop.set()
        writer.join()
    assert integrity_problems(copy) == []
    with sqlite3.connect(copy) as raw:
        assert raw.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 2_000
    database.close()

    kept = restore(copy, path)

    assert kept is not None and kept.exists()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 2_000


def test_a_corrupt_backup_is_refused_and_the_database_untouched(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    database = Database.open(path)
    create_demo_event(database, items=100)
    database.close()
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)

    with pytest.raises(BackupError, match="not a sound backup"):
        restore(corrupt, path)
    assert integrity_problems(path) == []
