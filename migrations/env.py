"""Alembic environment for the register database (SQLite, batch mode for ALTERs).

Programmatic use passes an open connection in ``config.attributes["connection"]``
(see pos_app/store/migrate.py); the CLI takes the file with ``-x db=PATH``.
"""

from alembic import context
from sqlalchemy import Connection, create_engine, event

from pos_app.store.models import metadata

config = context.config
target_metadata = metadata


def _url() -> str:
    db = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("db")
    if not db:
        raise SystemExit("Give the database file: alembic -x db=PATH upgrade head")
    return f"sqlite+pysqlite:///{db}"


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, render_as_batch=True, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
