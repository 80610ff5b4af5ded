"""SQLite's own check of the register file, before anything sells from it or reports on it.

:meth:`pos_app.store.engine.Database.open` runs :attr:`Check.QUICK` (``PRAGMA quick_check``:
every page and b-tree of the file, without matching each index against its table) before the
migrations and the first unit of work; ``pos-app verify`` runs :attr:`Check.FULL`
(``PRAGMA integrity_check``, index contents and UNIQUE constraints too). A damaged file raises
:class:`~pos_app.store.errors.DatabaseCorrupt` (its ``path`` set), a file another program
holds past the busy timeout :class:`~pos_app.store.errors.DatabaseLocked`; SQLite's own
findings go to the log for whoever restores the file.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing
from enum import StrEnum
from pathlib import Path

from pos_app.store.errors import StoreError, classify, corrupt

log = logging.getLogger(__name__)

#: How many of SQLite's findings one check reports (the first ones name the damage).
MAX_FINDINGS = 20


class Check(StrEnum):
    """Which of SQLite's checks to run (the value is the PRAGMA)."""

    QUICK = "quick_check"
    FULL = "integrity_check"


def check_file(path: Path, check: Check = Check.QUICK, *, busy_timeout_ms: int = 5_000) -> None:
    """Raise a :class:`StoreError` when ``path`` is damaged or held; a missing file passes.

    The check reads the committed state, the ``-wal`` file included, through its own
    connection, which waits up to ``busy_timeout_ms`` for a program holding the file.
    """
    if not path.is_file():
        return
    try:
        findings = _findings(path, check, busy_timeout_ms)
    except sqlite3.Error as error:
        known = classify(error)
        if known is None:
            raise
        raise _with_path(known, path) from error
    except UnicodeDecodeError as error:  # SQLite's error message quotes a damaged schema
        finding = error.object.decode("utf-8", "replace") if isinstance(
            error.object, bytes) else str(error)
        raise _with_path(corrupt((finding,)), path) from error
    if findings:
        log.info("%s of %s found damage:\n%s", check.value, path, "\n".join(findings))
        raise _with_path(corrupt(tuple(findings)), path)


class BackgroundCheck:
    """:func:`check_file` on a thread of its own, started at once; :meth:`result` waits.

    SQLite runs the check without holding Python's GIL, so the GUI's start-up can import its
    modules meanwhile instead of waiting for the check first.
    """

    def __init__(self, path: Path, check: Check = Check.QUICK, *,
                 busy_timeout_ms: int = 5_000) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path, check, busy_timeout_ms),
                                        name="integrity-check", daemon=True)
        self._thread.start()

    def _run(self, path: Path, check: Check, busy_timeout_ms: int) -> None:
        try:
            check_file(path, check, busy_timeout_ms=busy_timeout_ms)
        except BaseException as error:  # handed to the thread that calls result()
            self._error = error

    def result(self) -> None:
        """Wait for the check; raise what :func:`check_file` raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error


def _findings(path: Path, check: Check, busy_timeout_ms: int) -> list[str]:
    """SQLite's findings, one per line; empty when the check says ``ok``."""
    with closing(sqlite3.connect(path, timeout=busy_timeout_ms / 1000,
                                 isolation_level=None)) as connection:
        # A finding can quote the damaged bytes, which need not be UTF-8.
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        rows = connection.execute(f"PRAGMA {check.value}({MAX_FINDINGS})").fetchall()
    lines = [line for (text,) in rows for line in str(text).splitlines()
             if not line.startswith("*** in database")]
    return [] if lines == ["ok"] else lines


def _with_path(error: StoreError, path: Path) -> StoreError:
    error.path = path
    return error

