"""One register database file: engine set-up, migrations at open, and units of work.

Every connection runs in WAL mode with foreign keys on and a busy timeout. Ordinary work uses
``synchronous=NORMAL``; :meth:`Database.durable_unit_of_work` switches the connection to
``synchronous=FULL`` for the transaction that completes a sale, so the sale survives a power
cut the moment success is reported. A unit of work is one pooled Core connection used by the
calling thread only; it rolls back unless committed. Known database conditions (disk full,
locked, corrupt, read-only) surface as :mod:`pos_app.store.errors` exceptions, with the
file's path. Opening an existing file first runs SQLite's quick check on it
(:mod:`pos_app.store.integrity`), so a damaged file is refused before anything reads, migrates
or sells from it; the GUI's start-up instead checks the register's own records first and the
whole file behind the login (:meth:`Database.hold_writes_until`: no commit before it passed).
Nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from pos_app.store.errors import StoreError, classify
from pos_app.store.integrity import BackgroundCheck, Check, check_file

if TYPE_CHECKING:
    from pos_app.store.conflicts import ConflictRepository
    from pos_app.store.item_events import ItemEventsRepository
    from pos_app.store.item_indexes import ItemIndexRepository
    from pos_app.store.journal import JournalRepository
    from pos_app.store.new_items import NewItemsRepository
    from pos_app.store.outbox import OutboxRepository
    from pos_app.store.reports import ReportRepository
    from pos_app.store.sales import SalesRepository
    from pos_app.store.sync_state import SyncStateRepository

BUSY_TIMEOUT_MS = 5_000
_BEGIN_KEY = "pos_app.begin"


class UnitOfWork:
    """A transaction on one connection; rolled back unless :meth:`commit` is called.

    The repositories (``unit.sales``, ``unit.journal``, ``unit.outbox``, ``unit.sync_state``,
    ``unit.conflicts``, ``unit.reports``, ``unit.item_indexes``...) are the owners of their
    tables (the last of the items table's deferrable indexes); each works inside
    this unit's transaction. They are built on first use, so a unit that needs one table
    imports one module.
    """

    def __init__(self, connection: Connection,
                 write_gate: Callable[[], None] | None = None) -> None:
        self.connection = connection
        self.committed = False
        self._write_gate = write_gate

    @cached_property
    def sales(self) -> SalesRepository:
        from pos_app.store.sales import SalesRepository

        return SalesRepository(self.connection)

    @cached_property
    def journal(self) -> JournalRepository:
        from pos_app.store.journal import JournalRepository

        return JournalRepository(self.connection)

    @cached_property
    def outbox(self) -> OutboxRepository:
        from pos_app.store.outbox import OutboxRepository

        return OutboxRepository(self.connection)

    @cached_property
    def sync_state(self) -> SyncStateRepository:
        from pos_app.store.sync_state import SyncStateRepository

        return SyncStateRepository(self.connection)

    @cached_property
    def conflicts(self) -> ConflictRepository:
        from pos_app.store.conflicts import ConflictRepository

        return ConflictRepository(self.connection)

    @cached_property
    def item_events(self) -> ItemEventsRepository:
        from pos_app.store.item_events import ItemEventsRepository

        return ItemEventsRepository(self.connection)

    @cached_property
    def new_items(self) -> NewItemsRepository:
        from pos_app.store.new_items import NewItemsRepository

        return NewItemsRepository(self.connection)

    @cached_property
    def item_indexes(self) -> ItemIndexRepository:
        from pos_app.store.item_indexes import ItemIndexRepository

        return ItemIndexRepository(self.connection)

    @cached_property
    def reports(self) -> ReportRepository:
        from pos_app.store.reports import ReportRepository

        return ReportRepository(self.connection)

    def commit(self) -> None:
        if self._write_gate is not None:
            self._write_gate()  # the file's check still running: wait; damage: raise, roll back
        self.connection.commit()
        self.committed = True

    def close(self) -> None:
        if not self.committed and self.connection.in_transaction():
            self.connection.rollback()


class Database:
    """The SQLite file of one register; cheap to share, but each unit stays on one thread."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.path = path
        self._write_gate: Callable[[], None] | None = None

    @classmethod
    def open(
        cls, path: Path | str, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        check: Check | None = Check.QUICK, writes_wait_for: BackgroundCheck | None = None,
    ) -> Database:
        """Check an existing file, then open it (creating if needed) at the latest revision.

        ``check`` is SQLite's check run first (None skips it): a damaged file raises
        :class:`~pos_app.store.errors.DatabaseCorrupt`. A pending upgrade first copies the
        file to ``<file>.bak-<rev>-<time>``; then any items index an interrupted first catalog
        load left unbuilt is built (:mod:`pos_app.store.item_indexes`). ``writes_wait_for``:
        the file's check still running, which every commit waits for
        (:meth:`hold_writes_until`), that build's included.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if check is not None:
            check_file(path, check, busy_timeout_ms=busy_timeout_ms)
        if migrate:
            from pos_app.store.migrate import upgrade_database

            with translated_errors(path):
                upgrade_database(path)
        database = cls(make_engine(path, busy_timeout_ms), path)
        if writes_wait_for is not None:
            database.hold_writes_until(writes_wait_for)
        if migrate:
            database.ensure_item_indexes()
        return database

    def ensure_item_indexes(self) -> list[str]:
        """Build any items index a first catalog load deferred and did not finish (a process
        that died mid-pull); return the names built. Idempotent: a read when none is missing.
        """
        with self.unit_of_work() as unit:
            built = unit.item_indexes.ensure()
            if built:  # else nothing was written: no commit to wait for
                unit.commit()
        return built

    def close(self) -> None:
        self.engine.dispose()

    def hold_writes_until(self, check: BackgroundCheck) -> None:
        """Make every commit wait for ``check`` (opened with ``check=None`` while it runs) and
        raise its :class:`~pos_app.store.errors.DatabaseCorrupt` instead of committing; reads
        go on meanwhile."""
        def gate() -> None:
            check.result()
            self._write_gate = None  # passed: later units commit without asking

        self._write_gate = gate

    @contextmanager
    def unit_of_work(self, *, immediate: bool = False) -> Iterator[UnitOfWork]:
        """A transaction at ``synchronous=NORMAL``.

        ``immediate=True`` takes the write lock at BEGIN, for read-then-write units that must
        not fail on a lock upgrade.
        """
        with self._unit(durable=False, immediate=immediate) as unit:
            yield unit

    @contextmanager
    def durable_unit_of_work(self) -> Iterator[UnitOfWork]:
        """A write transaction (BEGIN IMMEDIATE) committed at ``synchronous=FULL``."""
        with self._unit(durable=True, immediate=True) as unit:
            yield unit

    @contextmanager
    def _unit(self, *, durable: bool, immediate: bool) -> Iterator[UnitOfWork]:
        with translated_errors(self.path), self.engine.connect() as connection:
            if durable:
                _raw_pragma(connection, "synchronous=FULL")
            if immediate:
                connection.info[_BEGIN_KEY] = "BEGIN IMMEDIATE"
            unit = UnitOfWork(connection, self._write_gate)
            try:
                yield unit
            finally:
                try:
                    unit.close()
                finally:
                    connection.info.pop(_BEGIN_KEY, None)
                    if durable:
                        _raw_pragma(connection, "synchronous=NORMAL")


@contextmanager
def translated_errors(path: Path | None = None) -> Iterator[None]:
    """Turn a known SQLite condition raised inside the block into its StoreError.

    ``path``, the database file the block works on, is set on the error when it has none.
    """
    try:
        yield
    except StoreError as error:
        error.path = error.path or path
        raise
    except Exception as error:
        known = classify(error)
        if known is None:
            raise
        known.path = path
        raise known from error


def make_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine on ``path`` whose connections are configured for the register."""
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=8,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    )

    def configure(dbapi_connection: Any, _record: object) -> None:
        _configure_connection(dbapi_connection, busy_timeout_ms)

    event.listen(engine, "connect", configure)
    event.listen(engine, "begin", _begin)
    return engine


def _configure_connection(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    # SQLAlchemy emits BEGIN itself (see _begin) instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _begin(connection: Connection) -> None:
    # A write unit takes the write lock up front (BEGIN IMMEDIATE), so it waits on
    # busy_timeout instead of failing later when its read lock cannot be upgraded.
    connection.exec_driver_sql(connection.info.get(_BEGIN_KEY, "BEGIN"))


def _raw_pragma(connection: Connection, pragma: str) -> None:
    """Run a PRAGMA outside any transaction, on the DB-API connection itself."""
    driver_connection: Any = connection.connection.driver_connection
    driver_connection.execute(f"PRAGMA {pragma}")
