"""Backups of the register database: SQLite's online backup API, then an integrity check.

``backup`` is safe while the app runs (WAL readers do not block it, and the copy is a
consistent snapshot). ``restore`` checks the source first and keeps the current file aside,
so a restore can itself be undone.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why."""


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong with ``path`` (empty when it is sound)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
            connection.execute("SELECT COUNT(*) FROM sales").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def backup(db_path: Path, destination: Path) -> Path:
    """Copy ``db_path`` to ``destination`` (a file, or a folder for a timestamped name)."""
    if not db_path.exists():
        raise BackupError(f"No database at {db_path}")
    if destination.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        destination = destination / f"{db_path.stem}-{stamp}.sqlite3"
    partial = destination.with_name(destination.name + ".partial")
    source = sqlite3.connect(db_path)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    problems = integrity_problems(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check: {problems[0]}")
    partial.replace(destination)
    return destination


def restore(source: Path, db_path: Path) -> Path | None:
    """Replace ``db_path`` with the backup ``source``; return where the old file was kept.

    Run it with the app closed. The source must pass the integrity check first.
    """
    problems = integrity_problems(source)
    if problems:
        raise BackupError(f"{source.name} is not a sound backup: {problems[0]}")
    kept = None
    if db_path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
        try:
            backup(db_path, kept)  # includes what is still in the WAL
        except (BackupError, sqlite3.DatabaseError):
            for suffix in ("", "-wal"):  # a damaged file: keep its bytes as they are
                if Path(f"{db_path}{suffix}").exists():
                    shutil.copy2(f"{db_path}{suffix}", f"{kept}{suffix}")
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    incoming = db_path.with_name(db_path.name + ".restoring")
    shutil.copy2(source, incoming)
    incoming.replace(db_path)
    return kept
