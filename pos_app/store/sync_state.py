"""The sync state repository: small key/value facts kept locally (cursors, last success)."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert

from pos_app.store import models

sync_state = models.sync_state

CATALOG_CURSOR = "catalog_cursor"
CONFLICTS_SINCE = "conflicts_since"
LAST_SUCCESS = "last_success_at"
#: The register's place among its event's registers (the catalog pull delivers it).
REGISTER_NUMBER = "register_number"
#: "1" once an item was entered here at check-in: the pull then lets central items take its tags.
ENTERED_ITEMS = "entered_items"


class SyncStateRepository:
    """The sync_state table, inside the caller's unit of work (the caller commits)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, key: str, default: str) -> str:
        value = self._connection.execute(
            select(sync_state.c.value).where(sync_state.c.key == key)
        ).scalar_one_or_none()
        return default if value is None else str(value)

    def put(self, key: str, value: str) -> None:
        statement = insert(sync_state).values(key=key, value=value)
        self._connection.execute(statement.on_conflict_do_update(
            index_elements=["key"], set_={"value": statement.excluded.value}))
