"""Bring a register database to the latest Alembic revision, backing it up first.

Runs at start-up. When the file already holds data at an older revision, a copy is taken with
SQLite's online backup API (``<file>.bak-<rev>-<utc time>``) before any migration touches it.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(migrations_dir: Path = MIGRATIONS_DIR) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return config


def head_revision(config: Config | None = None) -> str:
    head = ScriptDirectory.from_config(config or alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(path: Path) -> str | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade_database(path: Path, revision: str = "head") -> Path | None:
    """Upgrade ``path`` to ``revision``; return the backup file made first, if any."""
    config = alembic_config()
    current = current_revision(path)
    target = head_revision(config) if revision == "head" else revision
    if current == target:
        return None
    backup = _backup_before_upgrade(path, current) if current is not None else None
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
    log.info("database %s upgraded from %s to %s", path.name, current, target)
    return backup


def _backup_before_upgrade(path: Path, current: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.bak-{current}-{stamp}")
    source = sqlite3.connect(path)
    target = sqlite3.connect(backup)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    log.info("backed up %s to %s before upgrading", path.name, backup.name)
    return backup
