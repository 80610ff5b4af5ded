"""The conflicts repository: what the server reported (an item sold by two registers, a broken
journal chain, ...), kept locally for the manager's view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert

from pos_app.core.sale import utc_timestamp
from pos_app.store import models

conflicts = models.conflicts
_FIELDS = ("kind", "item_id", "sale_id", "register_id", "winning_sale_id", "winning_register_id")


@dataclass(frozen=True, slots=True)
class ConflictView:
    id: int
    kind: str
    item_id: str | None
    sale_id: str | None
    register_id: str | None
    winning_sale_id: str | None
    winning_register_id: str | None
    received_at: str


class ConflictRepository:
    """The conflicts table, inside the caller's unit of work (the caller commits)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def store(self, rows: Sequence[dict[str, Any]]) -> int:
        """Upsert conflicts by the server's id; return how many were given."""
        clean = [
            {"id": int(row["id"]), "received_at": utc_timestamp(), "acknowledged_at": None,
             **{key: (str(row[key]) if row.get(key) is not None else None) for key in _FIELDS}}
            for row in rows if isinstance(row.get("id"), int) and isinstance(row.get("kind"), str)
        ]
        if clean:
            statement = insert(conflicts)
            self._connection.execute(
                statement.on_conflict_do_nothing(index_elements=["id"]), clean)
        return len(clean)

    def list(self) -> list[ConflictView]:
        rows = self._connection.execute(
            select(conflicts.c.id, *[conflicts.c[f] for f in _FIELDS], conflicts.c.received_at)
            .order_by(conflicts.c.id)
        ).all()
        return [ConflictView(*tuple(row)) for row in rows]
