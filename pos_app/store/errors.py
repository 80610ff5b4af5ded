"""The database conditions a cashier is told about, as opposed to bugs.

Known conditions (disk full, locked, corrupt, read-only) become :class:`StoreError`
subclasses whose ``str()`` is a message for the person at the till; anything else is a bug
and propagates unchanged to the crash report (qutebrowser's ``misc/sql.py`` makes the same
split). SQLite reports these conditions only through the message text of
``sqlite3.OperationalError`` / ``DatabaseError`` (wrapped by SQLAlchemy), so that is what is
matched here.

:func:`refusal_message` is what a person starting ``pos-app`` (the GUI or a command) reads
when the file itself is refused: the condition, the file, and the way back (``pos-app
restore`` for a damaged file).
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from sqlalchemy import exc as sa_exc


class StoreError(Exception):
    """A known database condition; ``str()`` is a message for the cashier."""

    #: The database file, when the code that raised it knew which.
    path: Path | None = None


class DiskFull(StoreError):
    """The disk is full (or could not be written): nothing was saved."""


class DatabaseLocked(StoreError):
    """Another program or connection held the database for longer than the busy timeout."""


class DatabaseCorrupt(StoreError):
    """The file is not a database or is damaged."""

    #: What SQLite's integrity check reported, when that is how the damage was found.
    findings: tuple[str, ...] = ()


class ReadOnlyDatabase(StoreError):
    """The file or its folder cannot be written."""


_NOT_SAVED = "Nothing was saved."
_DAMAGED = "The database file is damaged. Call the manager to restore the last backup."
_KNOWN: tuple[tuple[str, type[StoreError], str], ...] = (
    ("database or disk is full", DiskFull,
     f"The disk is full. {_NOT_SAVED} Call the manager to free space."),
    ("disk i/o error", DiskFull,
     f"The disk could not be written. {_NOT_SAVED} Call the manager."),
    ("database is locked", DatabaseLocked,
     f"The database is busy (another program is using it). {_NOT_SAVED} Try again."),
    ("database table is locked", DatabaseLocked,
     f"The database is busy. {_NOT_SAVED} Try again."),
    ("file is not a database", DatabaseCorrupt, _DAMAGED),
    ("database disk image is malformed", DatabaseCorrupt, _DAMAGED),
    # pos_app writes only valid UTF-8: bytes that do not decode were changed on the disk.
    ("could not decode to utf-8", DatabaseCorrupt, _DAMAGED),
    ("readonly database", ReadOnlyDatabase,
     f"The database file is read-only. {_NOT_SAVED} Call the manager."),
    ("unable to open database file", ReadOnlyDatabase,
     "The database file cannot be opened for writing. Call the manager."),
)


def classify(error: BaseException) -> StoreError | None:
    """The known condition behind ``error`` (a fresh StoreError), or None for anything else."""
    original: BaseException = error
    if isinstance(error, sa_exc.DBAPIError) and isinstance(error.orig, BaseException):
        original = error.orig
    if not isinstance(original, sqlite3.Error):
        return None
    text = str(original).lower()
    for needle, kind, message in _KNOWN:
        if needle in text:
            known = kind(message)
            known.__cause__ = error
            return known
    return None


def translate(error: BaseException) -> StoreError:
    """Return the StoreError for a known condition; re-raise ``error`` itself otherwise.

    Use as ``except DBAPIError as error: raise translate(error) from error``.
    """
    known = classify(error)
    if known is None:
        raise error
    return known


def corrupt(findings: tuple[str, ...] = ()) -> DatabaseCorrupt:
    """The damaged-file condition, for a check that found the damage itself."""
    error = DatabaseCorrupt(_DAMAGED)
    error.findings = findings
    return error


def refusal_message(error: StoreError, path: Path | None = None) -> str:
    """Why ``pos-app`` will not work on the database file, and what to do about it.

    ``path`` defaults to the error's own; a damaged file's message names ``pos-app restore``
    and where the backups are.
    """
    where = path or error.path
    lines = [f"pos-app: {error}", f"Database: {where or 'this register database'}"]
    if isinstance(error, DatabaseCorrupt):
        if error.findings:
            more = len(error.findings) - 1
            lines.append(f"SQLite's check found: {error.findings[0]}"
                         + (f" (and {more} more)" if more else ""))
        target = shlex.quote(str(where)) if where else "DATABASE"
        lines.append(f"To recover, restore the last backup: pos-app restore BACKUP_FILE "
                     f"--db {target}")
        if where is not None:
            lines.append(f"(backups: the files made by `pos-app backup`, by default in "
                         f"{where.parent / 'backups'}, and {where.name}.bak-* beside it)")
    elif isinstance(error, DatabaseLocked):
        lines.append("Close the other program that has it open (another pos-app?), "
                     "then try again.")
    return "\n".join(lines)
