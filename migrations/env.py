"""Alembic environment for the register database (SQLite, batch mode for ALTERs)."""

from alembic import context
from sqlalchemy import create_engine

from pos_app.store.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    if config.attributes.get("connection") is None:
        db = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("db")
        if not db:
            raise SystemExit("Give the database file: alembic -x db=PATH upgrade head")
        return f"sqlite:///{db}"
    return ""


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
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
