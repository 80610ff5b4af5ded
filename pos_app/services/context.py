"""Who this register is: its id, its event, and where it syncs to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from pos_app.store import models
from pos_app.store.engine import Database


@dataclass(frozen=True, slots=True)
class RegisterContext:
    register_id: str
    event_id: str
    register_name: str
    is_demo: bool
    server_url: str | None


class NotConfigured(Exception):
    """The database has no register identity yet: run set-up (or the demo)."""


def load_context(database: Database) -> RegisterContext:
    registers = models.table_of(models.Register)
    with database.unit_of_work() as unit:
        row = unit.connection.execute(select(registers)).mappings().first()
    if row is None:
        raise NotConfigured("This register is not set up yet")
    return RegisterContext(row["id"], row["event_id"], row["name"], bool(row["is_demo"]),
                           row["server_url"])
