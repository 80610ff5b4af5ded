"""Bring a register database to the latest Alembic revision, backing it up first.

Runs at start-up (:meth:`pos_app.store.engine.Database.open`). When the file already holds a
schema at an older revision, a copy is taken with SQLite's online backup API
(``<file>.bak-<rev>-<utc time>``) before any migration touches it. The migrations run in one
transaction (SQLite DDL is transactional once pysqlite's implicit BEGIN is switched off), so a
failed upgrade leaves the file as it was.

From a shell at the repository root: ``alembic -x db=path/to/register.sqlite3 upgrade head``.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# The newest revision in migrations/versions (a test keeps the two equal). Start-up compares
# the file's stamp with it and imports Alembic (a fifth of the cold start) only to upgrade.
HEAD_REVISION = "0007"


def stamped_revision(path: Path) -> str | None:
    """The file's ``alembic_version``, read with plain sqlite3 (None if there is none)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return None
    return None if row is None else str(row[0])


def alembic_config(migrations_dir: Path = MIGRATIONS_DIR) -> Config:
    """A programmatic Alembic config (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return config


def head_revision(config: Config | None = None) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config or alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(path: Path) -> str | None:
    """The revision stamped in ``path``, or None for a missing, empty or unstamped file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    from alembic.runtime.migration import MigrationContext

    engine = _migration_engine(path)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade_database(path: Path, revision: str = "head") -> Path | None:
    """Upgrade ``path`` to ``revision``; return the backup file made first, if any."""
    if revision == "head" and stamped_revision(path) == HEAD_REVISION:
        return None  # the common start-up: nothing to do, no Alembic import
    from alembic import command

    config = alembic_config()
    current = current_revision(path)
    target = head_revision(config) if revision == "head" else revision
    if current == target:
        return None
    backup = backup_database(path, current) if current is not None else None
    engine = _migration_engine(path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
    log.info("database %s upgraded from %s to %s", path.name, current, target)
    return backup


def backup_database(path: Path, label: str) -> Path:
    """Copy ``path`` with the online backup API to ``<file>.bak-<label>-<utc time>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    backup = path.with_name(f"{path.name}.bak-{label}-{stamp}")
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(backup)) as target:
        source.backup(target)
    log.info("backed up %s to %s before upgrading", path.name, backup.name)
    return backup


def _migration_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    event.listen(engine, "connect", _no_implicit_transactions)
    event.listen(engine, "begin", _begin)
    return engine


def _no_implicit_transactions(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.isolation_level = None


def _begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
