"""Known database conditions reach the cashier as StoreErrors; nothing is half-written."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from store_helpers import EVENT_DAY, Clock, Till, tags

from pos_app.services.context import RegisterContext
from pos_app.services.demo import create_demo_event
from pos_app.store.engine import Database
from pos_app.store.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DiskFull,
    ReadOnlyDatabase,
    StoreError,
    translate,
)


def write_something(database: Database) -> None:
    with database.unit_of_work() as unit:
        unit.connection.execute(text("INSERT INTO sync_state VALUES ('k', 'v')"))
        unit.commit()


@contextmanager
def read_only(path: Path) -> Iterator[str]:
    """Make ``path`` read-only for this process: chmod, or chattr +i as root, else query_only."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield "chmod"
        finally:
            path.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    if chattr and subprocess.run([chattr, "+i", str(path)], capture_output=True,
                                 check=False).returncode == 0:
        try:
            yield "chattr"
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
        return
    yield "query_only"


def test_read_only_file_is_reported(db_path: Path) -> None:
    Database.open(db_path).close()
    with read_only(db_path) as how:
        database = Database.open(db_path)
        if how == "query_only":
            def query_only(dbapi_connection: Any, _record: object) -> None:
                dbapi_connection.execute("PRAGMA query_only=ON")

            event.listen(database.engine, "connect", query_only)
        try:
            with pytest.raises(ReadOnlyDatabase) as raised:
                write_something(database)
        finally:
            database.close()
    assert "read-only" in str(raised.value) or "cannot be opened" in str(raised.value)


def test_garbage_file_is_reported_as_corrupt(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database at all " * 200)
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        Database.open(db_path)


def test_locked_database_is_reported_after_the_busy_timeout(db_path: Path) -> None:
    Database.open(db_path).close()
    database = Database.open(db_path, busy_timeout_ms=150)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked, match="busy"):
            write_something(database)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    write_something(database)  # fine once the other writer is gone
    database.close()


def test_full_disk_during_a_sale_is_reported_and_nothing_is_kept(db_path: Path) -> None:
    database = Database.open(db_path)
    context: RegisterContext = create_demo_event(database, items=600, seed=3, today=EVENT_DAY)
    till = Till(database, context, Clock())
    cart = till.cart([tag for c in (1001, 1002, 1003) for tag in tags(c, 1, 50)])
    lines, tenders = till.pay(cart)
    with sqlite3.connect(db_path) as probe:
        pages = int(probe.execute("PRAGMA page_count").fetchone()[0])

    def nearly_full(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 1}")

    database.engine.dispose()
    event.listen(database.engine, "connect", nearly_full)
    with pytest.raises(DiskFull, match="disk is full"):
        till.sales.complete(lines, tenders, "demo-cashier", None)
    event.remove(database.engine, "connect", nearly_full)
    database.close()
    with sqlite3.connect(db_path) as check:
        assert check.execute("SELECT count(*) FROM sales").fetchone() == (0,)
        assert check.execute("SELECT count(*) FROM outbox").fetchone() == (0,)


def test_translate_maps_known_messages_and_re_raises_the_rest() -> None:
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    assert isinstance(translate(locked), DatabaseLocked)
    assert isinstance(translate(sqlite3.OperationalError("database or disk is full")), DiskFull)
    assert isinstance(translate(sqlite3.DatabaseError("file is not a database")),
                      DatabaseCorrupt)
    assert isinstance(
        translate(sqlite3.OperationalError("attempt to write a readonly database")),
        ReadOnlyDatabase,
    )
    other = sqlite3.OperationalError("no such table: nope")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        translate(other)
    with pytest.raises(ValueError, match="bug"):
        translate(ValueError("bug"))
    assert issubclass(DiskFull, StoreError)
