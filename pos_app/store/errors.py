"""The database conditions a cashier is told about, as opposed to bugs.

Known conditions (disk full, locked, corrupt, read-only) become :class:`StoreError`
subclasses whose ``str()`` is a message for the person at the till; anything else is a bug
and propagates unchanged to the crash report (qutebrowser's ``misc/sql.py`` makes the same
split). SQLite reports these conditions only through the message text of
``sqlite3.OperationalError`` / ``DatabaseError`` (wrapped by SQLAlchemy), so that is what is
matched here.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc


class StoreError(Exception):
    """A known database condition; ``str()`` is a message for the cashier."""


class DiskFull(StoreError):
    """The disk is full (or could not be written): nothing was saved."""


class DatabaseLocked(StoreError):
    """Another program or connection held the database for longer than the busy timeout."""


class DatabaseCorrupt(StoreError):
    """The file is not a database or is damaged."""


class ReadOnlyDatabase(StoreError):
    """The file or its folder cannot be written."""


_NOT_SAVED = "Nothing was saved."
_KNOWN: tuple[tuple[str, type[StoreError], str], ...] = (
    ("database or disk is full", DiskFull,
     f"The disk is full. {_NOT_SAVED} Call the manager to free space."),
    ("disk i/o error", DiskFull,
     f"The disk could not be written. {_NOT_SAVED} Call the manager."),
    ("database is locked", DatabaseLocked,
     f"The database is busy (another program is using it). {_NOT_SAVED} Try again."),
    ("database table is locked", DatabaseLocked,
     f"The database is busy. {_NOT_SAVED} Try again."),
    ("file is not a database", DatabaseCorrupt,
     "The database file is damaged. Call the manager to restore the last backup."),
    ("database disk image is malformed", DatabaseCorrupt,
     "The database file is damaged. Call the manager to restore the last backup."),
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
