"""Alembic: the migrations build exactly models.py; upgrades back the file up first."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from pos_app.store.engine import Database
from pos_app.store.migrate import current_revision, head_revision, upgrade_database
from pos_app.store.models import metadata

REPO = Path(__file__).resolve().parents[3]


def schema_diff(path: Path) -> list[object]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return list(compare_metadata(MigrationContext.configure(connection), metadata))
    finally:
        engine.dispose()


def tables(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(row[0]) for row in rows}
    finally:
        connection.close()


def test_migrations_create_exactly_the_models(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    assert upgrade_database(path) is None  # a new file: nothing to back up
    assert current_revision(path) == head_revision()
    assert schema_diff(path) == []
    assert set(metadata.tables) <= tables(path)


def test_alembic_cli_upgrades_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite3"
    path.touch()
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-x", f"db={path}", "upgrade", "head"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert current_revision(path) == head_revision()
    assert schema_diff(path) == []


def test_upgrade_from_the_previous_revision_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    upgrade_database(path, "0001")
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO sync_state VALUES ('cursor', '5:abc')")
    connection.commit()
    connection.close()

    database = Database.open(path)
    database.close()

    backups = sorted(tmp_path.glob("old.sqlite3.bak-0001-*"))
    assert len(backups) == 1
    assert current_revision(backups[0]) == "0001"
    assert current_revision(path) == head_revision()
    for copy in (path, backups[0]):
        connection = sqlite3.connect(copy)
        assert connection.execute("SELECT value FROM sync_state").fetchall() == [("5:abc",)]
        connection.close()
    connection = sqlite3.connect(path)
    indexes = {row[1] for row in connection.execute("PRAGMA index_list(sales)")}
    connection.close()
    assert "ix_sales_created_at" in indexes

    Database.open(path).close()  # already at head: no second backup
    assert len(list(tmp_path.glob("old.sqlite3.bak-*"))) == 1


def test_head_revision_constant_matches_the_migrations() -> None:
    from pos_app.store.migrate import HEAD_REVISION, head_revision

    assert head_revision() == HEAD_REVISION
