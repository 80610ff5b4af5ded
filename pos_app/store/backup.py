"""Backups of the register database: SQLite's online backup API, then an integrity check.

``backup`` is safe while the app runs and sells: in WAL mode the copy reads one consistent
snapshot (what was committed when it started) and writers are not blocked. The copy is turned
into a single self-contained file (rollback journal, no ``-wal``/``-shm`` beside it), checked
with ``PRAGMA integrity_check``, flushed to disk, and only then given its final name.

``restore`` runs with the app closed (it refuses a database in use). It checks the source
first, keeps the current file aside as ``<db>.before-restore-<utc time>`` so a restore can be
undone, and swaps the checked copy in with an atomic rename.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pos_app.store.errors import DatabaseCorrupt, DatabaseLocked, classify
from pos_app.store.integrity import Check, check_file

REQUIRED_TABLES = ("alembic_version", "sales", "items", "journal")
_SIDE_FILES = ("-wal", "-shm", "-journal")
_BUSY_TIMEOUT_S = 5.0  # as long as the app waits for a busy database


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why, in plain words."""


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def integrity_problems(path: Path) -> list[str]:
    """What is wrong with ``path`` as a register database (empty when it is sound).

    Runs ``PRAGMA integrity_check`` and checks the register's tables are there.
    """
    if not path.is_file():
        return [f"{path} does not exist"]
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
            tables = {str(name) for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        return [f"not a readable SQLite database ({error})"]
    problems = [str(row[0]) for row in rows if str(row[0]) != "ok"]
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if not problems and missing:
        problems.append(f"not a pos_app register database (no {', '.join(missing)} table)")
    return problems


def backup(db_path: Path, destination: Path) -> Path:
    """Copy ``db_path`` to ``destination`` (a file, or a folder for a dated name); return it.

    Raises :class:`BackupError` when the source is missing, the copy fails (a full disk, say)
    or the copy fails its integrity check; :class:`~pos_app.store.errors.DatabaseCorrupt` or
    :class:`~pos_app.store.errors.DatabaseLocked` (with the path) when the source itself is
    damaged or held by another program. No partial file is left behind.
    """
    if not db_path.is_file():
        raise BackupError(f"There is no database at {db_path}.")
    if destination.is_dir():
        destination = _free_name(destination, f"{db_path.stem}-{_stamp()}", ".sqlite3")
    partial = destination.with_name(destination.name + ".partial")
    try:
        _copy(db_path, partial)
    except (sqlite3.Error, OSError) as error:
        _remove(partial)
        _raise_if_source_refused(error, db_path)
        raise BackupError(f"Could not copy {db_path.name} to {destination.parent}: "
                          f"{_plain(error)}") from error
    problems = integrity_problems(partial)
    if problems:
        _remove(partial)
        check_file(db_path, Check.FULL)  # DatabaseCorrupt when the database itself is damaged
        raise BackupError(f"The copy of {db_path.name} failed its integrity check "
                          f"({problems[0]}) though the database passes it: the destination "
                          "may be faulty.")
    partial.replace(destination)
    _fsync_dir(destination.parent)
    return destination


def restore(source: Path, db_path: Path) -> Path | None:
    """Replace ``db_path`` with the backup ``source``; return where the old file was kept.

    Refuses (with :class:`BackupError`, changing nothing) a source that is missing, damaged or
    not a register database, and a database that the app still has open.
    """
    problems = integrity_problems(source)
    if problems:
        raise BackupError(f"{source.name} is not a sound backup: {problems[0]}. "
                          "Nothing was changed.")
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise BackupError("The backup and the database are the same file.")
    incoming = db_path.with_name(db_path.name + ".restoring")
    try:
        _copy(source, incoming)
    except (sqlite3.Error, OSError) as error:
        _remove(incoming)
        raise BackupError(f"Could not copy {source.name}: {_plain(error)}. "
                          "Nothing was changed.") from error
    try:
        kept = _set_aside(db_path) if db_path.exists() else None
    except BackupError:
        _remove(incoming)
        raise
    incoming.replace(db_path)
    _fsync_dir(db_path.parent)
    return kept


def _set_aside(db_path: Path) -> Path:
    """Keep the current database as ``<db>.before-restore-<time>`` and clear its side files."""
    _refuse_if_in_use(db_path)
    kept = db_path.with_name(f"{db_path.name}.before-restore-{_stamp()}")
    try:
        _copy(db_path, kept)  # includes what is still in the WAL
    except sqlite3.Error:
        _remove(kept)
        for suffix in ("", "-wal"):  # a damaged file: keep its bytes as they are
            if Path(f"{db_path}{suffix}").exists():
                shutil.copy2(f"{db_path}{suffix}", f"{kept}{suffix}")
    for suffix in _SIDE_FILES:
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return kept


def _refuse_if_in_use(db_path: Path) -> None:
    """Raise BackupError if another connection (the running app) has ``db_path`` open.

    Leaving WAL mode needs the only connection to the file; the app re-enables WAL on start.
    """
    try:
        with closing(sqlite3.connect(db_path, timeout=0.5)) as connection:
            connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.OperationalError as error:
        if "locked" in str(error).lower() or "busy" in str(error).lower():
            raise BackupError(f"{db_path.name} is in use: close pos-app on this computer "
                              "first, then restore. Nothing was changed.") from error
    except sqlite3.DatabaseError:
        pass  # a damaged file is not in use by a working app; it is kept byte for byte


def _raise_if_source_refused(error: BaseException, db_path: Path) -> None:
    """Raise the StoreError for a damaged or held source file, if that is what ``error`` is."""
    known = classify(error)
    if isinstance(known, DatabaseCorrupt | DatabaseLocked):
        known.path = db_path
        raise known from error


def _copy(source: Path, target: Path) -> None:
    """Online-backup ``source`` into a fresh single file ``target``, flushed to disk."""
    _remove(target)
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None,
                                 timeout=_BUSY_TIMEOUT_S)) as reader, \
            closing(sqlite3.connect(target)) as writer:
        # Take the read snapshot first: a file held by another program then fails after the
        # busy timeout, where Connection.backup alone would retry for ever.
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        reader.backup(writer)
        reader.execute("COMMIT")
        writer.execute("PRAGMA journal_mode=DELETE").fetchone()
    with _opened(target) as handle:
        os.fsync(handle)


@contextmanager
def _opened(path: Path) -> Iterator[int]:
    handle = os.open(path, os.O_RDONLY)
    try:
        yield handle
    finally:
        os.close(handle)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to flush."""
    if os.name != "posix":
        return
    with _opened(folder) as handle:
        os.fsync(handle)


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    candidate, n = folder / f"{stem}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}{suffix}"
    return candidate


def _remove(path: Path) -> None:
    for suffix in ("", *_SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _plain(error: BaseException) -> str:
    text = str(error)
    lowered = text.lower()
    if "disk is full" in lowered or getattr(error, "errno", None) == 28:
        return "the disk is full"
    if "not a database" in lowered or "malformed" in lowered:
        return "the database file is damaged"
    return text
