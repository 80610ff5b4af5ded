"""The database conditions a cashier is told about, as opposed to bugs.

Known conditions (disk full, locked, corrupt, read-only) become :class:`StoreError`
subclasses with a message for the person at the till; anything else is a bug and propagates
unchanged to the crash report (qutebrowser's ``misc/sql.py`` makes the same split).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc


class StoreError(Exception):
    """A known database condition; ``str()`` is a message for the cashier."""


class DiskFull(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


class DatabaseCorrupt(StoreError):
    pass


class ReadOnlyDatabase(StoreError):
    pass


_KNOWN: tuple[tuple[str, type[StoreError], str], ...] = (
    ("database or disk is full", DiskFull,
     "The disk is full: the sale was NOT saved. Call the manager to free space."),
    ("disk i/o error", DiskFull,
     "The disk could not be written: the sale was NOT saved. Call the manager."),
    ("database is locked", DatabaseLocked,
     "The database is busy (another program holds it): the sale was NOT saved. Try again."),
    ("file is not a database", DatabaseCorrupt,
     "The database file is damaged. Call the manager to restore the last backup."),
    ("database disk image is malformed", DatabaseCorrupt,
     "The database file is damaged. Call the manager to restore the last backup."),
    ("readonly database", ReadOnlyDatabase,
     "The database file is read-only: sales cannot be saved. Call the manager."),
    ("unable to open database file", ReadOnlyDatabase,
     "The database file cannot be opened for writing. Call the manager."),
)


def classify(error: BaseException) -> StoreError | None:
    """The known condition behind ``error``, or None if it is not one."""
    original = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    if not isinstance(original, sqlite3.Error | sa_exc.DBAPIError):
        return None
    text = str(original).lower()
    for needle, kind, message in _KNOWN:
        if needle in text:
            return kind(message)
    return None


def translate(error: BaseException) -> BaseException:
    """Return the StoreError for a known condition, else ``error`` itself."""
    known = classify(error)
    if known is not None:
        known.__cause__ = error
        return known
    return error
