"""One register database file: engine set-up, migrations at open, and units of work.

Every connection runs in WAL mode with foreign keys on and a busy timeout. Ordinary work uses
``synchronous=NORMAL``; :meth:`Database.durable_unit_of_work` switches the connection to
``synchronous=FULL`` for the transaction that completes a sale, so the sale survives a power
cut the moment success is reported. A unit of work is one connection (and optionally one ORM
session bound to it) on the calling thread; it rolls back unless committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from pos_app.store.errors import translate

BUSY_TIMEOUT_MS = 5_000


class UnitOfWork:
    """A transaction on one connection; roll back unless :meth:`commit` is called."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._session: Session | None = None
        self.committed = False

    @property
    def session(self) -> Session:
        """An ORM session sharing this unit's connection and transaction (cold paths only)."""
        if self._session is None:
            self._session = Session(bind=self.connection, join_transaction_mode="create_savepoint")
        return self._session

    def commit(self) -> None:
        if self._session is not None:
            self._session.flush()
        self.connection.commit()
        self.committed = True


class Database:
    """The SQLite file of one register."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.path = path

    @classmethod
    def open(cls, path: Path, *, migrate: bool = True) -> Database:
        """Open (creating if needed) and bring the schema to the latest revision."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if migrate:
            from pos_app.store.migrate import upgrade_database

            upgrade_database(path)
        return cls(make_engine(path), path)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        with self._unit(durable=False) as unit:
            yield unit

    @contextmanager
    def durable_unit_of_work(self) -> Iterator[UnitOfWork]:
        with self._unit(durable=True) as unit:
            yield unit

    @contextmanager
    def _unit(self, *, durable: bool) -> Iterator[UnitOfWork]:
        try:
            with self.engine.connect() as connection:
                if durable:
                    _raw_pragma(connection, "synchronous=FULL")
                    connection.info["begin"] = "BEGIN IMMEDIATE"
                unit = UnitOfWork(connection)
                try:
                    yield unit
                finally:
                    if unit._session is not None:
                        unit._session.close()
                    if not unit.committed:
                        connection.rollback()
                    if durable:
                        connection.info.pop("begin", None)
                        _raw_pragma(connection, "synchronous=NORMAL")
        except Exception as error:
            translated = translate(error)
            if translated is error:
                raise
            raise translated from error


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=8,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_connection(dbapi_connection: Any, _record: object) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _begin_immediate) instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    # A durable unit writes at once: take the write lock up front (BEGIN IMMEDIATE) so it
    # waits on busy_timeout instead of failing when upgrading a read lock.
    connection.exec_driver_sql(connection.info.get("begin", "BEGIN"))


def _raw_pragma(connection: Connection, pragma: str) -> None:
    """Run a PRAGMA outside any transaction, on the DB-API connection itself."""
    driver_connection: Any = connection.connection.driver_connection
    driver_connection.execute(f"PRAGMA {pragma}")
