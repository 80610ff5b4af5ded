"""SQLite's own check of the register file, before anything sells from it or reports on it.

:meth:`pos_app.store.engine.Database.open` runs :attr:`Check.QUICK` (``PRAGMA quick_check``:
every page and b-tree of the file, without matching each index against its table) before the
migrations and the first unit of work; ``pos-app verify`` runs :attr:`Check.FULL`
(``PRAGMA integrity_check``, index contents and UNIQUE constraints too). A damaged file raises
:class:`~pos_app.store.errors.DatabaseCorrupt` (its ``path`` set), a file another program
holds past the busy timeout :class:`~pos_app.store.errors.DatabaseLocked`; SQLite's own
findings go to the log for whoever restores the file.

The GUI's start-up splits the check in two, because at a big event the catalog is most of the
file (1,000,000 items: about 190 MB, seconds to check): ``skip_catalog=True`` checks the
register's own records (every table but :data:`CATALOG_TABLES`, with their indexes) before
anything reads the file; the whole file is then checked on a :class:`BackgroundCheck` while
the cashier logs in, and every commit waits for it
(:meth:`pos_app.store.engine.Database.hold_writes_until`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from enum import StrEnum
from pathlib import Path

from pos_app.store.errors import StoreError, classify, corrupt

log = logging.getLogger(__name__)

#: How many of SQLite's findings one check reports (the first ones name the damage).
MAX_FINDINGS = 20
#: The register's copy of central's catalog (pulled again from central when lost).
CATALOG_TABLES = frozenset({"items"})


class Check(StrEnum):
    """Which of SQLite's checks to run (the value is the PRAGMA)."""

    QUICK = "quick_check"
    FULL = "integrity_check"


def check_file(path: Path, check: Check = Check.QUICK, *, busy_timeout_ms: int = 5_000,
               skip_catalog: bool = False) -> None:
    """Raise a :class:`StoreError` when ``path`` is damaged or held; a missing file passes.

    The check reads the committed state, the ``-wal`` file included, through its own
    connection, which waits up to ``busy_timeout_ms`` for a program holding the file.
    ``skip_catalog``: check the schema and every table but :data:`CATALOG_TABLES`, each with
    its indexes (not the free pages: the whole-file check does those).
    """
    if not path.is_file():
        return
    try:
        findings = _findings(path, check, busy_timeout_ms, skip_catalog)
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
                 busy_timeout_ms: int = 5_000, skip_catalog: bool = False) -> None:
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._done = False
        self._callbacks: list[Callable[[BaseException | None], None]] = []
        self._thread = threading.Thread(
            target=self._run, args=(path, check, busy_timeout_ms, skip_catalog),
            name="integrity-check", daemon=True)
        self._thread.start()

    def _run(self, path: Path, check: Check, busy_timeout_ms: int, skip_catalog: bool) -> None:
        try:
            check_file(path, check, busy_timeout_ms=busy_timeout_ms, skip_catalog=skip_catalog)
        except BaseException as error:  # handed to the thread that calls result()
            self._error = error
        with self._lock:
            self._done = True
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self._error)

    def result(self) -> None:
        """Wait for the check; raise what :func:`check_file` raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def when_done(self, callback: Callable[[BaseException | None], None]) -> None:
        """Call ``callback`` with the check's error (None: it passed) once it is done: at
        once on this thread if it is, else on the check's thread."""
        with self._lock:
            if not self._done:
                self._callbacks.append(callback)
                return
        callback(self._error)


def _findings(path: Path, check: Check, busy_timeout_ms: int, skip_catalog: bool) -> list[str]:
    """SQLite's findings, one per line; empty when the check says ``ok``."""
    with closing(sqlite3.connect(path, timeout=busy_timeout_ms / 1000,
                                 isolation_level=None)) as connection:
        # A finding can quote the damaged bytes, which need not be UTF-8.
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        if not skip_catalog:
            rows = connection.execute(f"PRAGMA {check.value}({MAX_FINDINGS})").fetchall()
        else:  # PRAGMA quick_check(TABLE): that table and its indexes, and the schema
            tables = [name for (name,) in connection.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
                if name not in CATALOG_TABLES]
            rows = [row for name in tables for row in connection.execute(
                f"PRAGMA {check.value}('{name.replace(chr(39), chr(39) * 2)}')")]
    lines = [line for (text,) in rows for line in str(text).splitlines()
             if not line.startswith("*** in database") and line != "ok"]
    return lines[:MAX_FINDINGS]


def _with_path(error: StoreError, path: Path) -> StoreError:
    error.path = path
    return error

