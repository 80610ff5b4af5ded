"""Migration 0004 (issue 13) keeps every item and cashier row and lets the new values in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_app.store.migrate import current_revision, upgrade_database


def test_upgrade_keeps_rows_and_accepts_donated_and_volunteer(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    upgrade_database(path, "0002")
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO events (id, name, starts_on, ends_on, location, timezone, status,"
                   " tax_rate_bp, change_seq) VALUES ('e', 'E', '2026-11-21', '2026-11-22', '',"
                   " 'UTC', 'published', 0, 0)")
        db.execute("INSERT INTO items VALUES ('i1', 'e', 1001, 1, '1001-0001', 'Coat', '', '',"
                   " 500, 'good', 1, 0, 'sold', 's1', 'r1', 3)")
        db.execute("INSERT INTO cashiers VALUES ('c1', 'Dana', 'hash', 'manager', 1)")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("UPDATE items SET status = 'donated'")
    upgrade_database(path, "0004")
    assert current_revision(path) == "0004"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT * FROM items").fetchall() == [
            ("i1", "e", 1001, 1, "1001-0001", "Coat", "", "", 500, "good", 1, 0, "sold", "s1",
             "r1", 3)]
        assert db.execute("SELECT * FROM cashiers").fetchall() == [
            ("c1", "Dana", "hash", "manager", 1)]
        db.execute("UPDATE items SET status = 'donated'")
        db.execute("INSERT INTO cashiers VALUES ('v1', 'Val', 'hash', 'volunteer', 1)")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("UPDATE items SET status = 'lost'")
