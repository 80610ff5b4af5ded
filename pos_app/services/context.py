"""Who this register is: its id, its event, and where it syncs to."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.store import people
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
    """The register identity stored in ``database``; raise :class:`NotConfigured` if none."""
    with database.unit_of_work() as unit:
        row = people.load_register(unit.connection)
    if row is None:
        raise NotConfigured("This register is not set up yet")
    return RegisterContext(row.id, row.event_id, row.name, row.is_demo, row.server_url)
