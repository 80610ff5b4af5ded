"""The item events repository: check-in, pick-up and donation records, and the item's status.

An event row is append-only; writing one moves the item's local status in the same statement
batch, guarded by the status the event starts from (a concurrent change raises
:class:`StaleItemStatus` and the caller's unit rolls back). The reads serve the check-in and
pick-up screens and the till's consignor lookup: a consignor's items and their progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from pos_app.core.item_events import ItemEvent
from pos_app.core.items import ItemStatus
from pos_app.store import models
from pos_app.store.catalog import ItemView, item_view

items = models.items
item_events = models.item_events
consignors = models.consignors

_ITEM_COLUMNS = (
    items.c.id, items.c.tag_code, items.c.consignor_number, items.c.item_number,
    items.c.description, items.c.category, items.c.size, items.c.price_cents,
    items.c.discountable, items.c.donate_if_unsold, items.c.status, items.c.sold_sale_id,
    items.c.sold_register_id,
)


class StaleItemStatus(Exception):
    """The item's status changed since it was read: nothing was written."""


@dataclass(frozen=True, slots=True)
class ConsignorProgress:
    """Where a consignor's items stand (check-in and pick-up screens)."""

    consignor_number: int
    name: str | None
    expected: int
    by_status: dict[ItemStatus, int]

    def count(self, status: ItemStatus) -> int:
        return self.by_status.get(status, 0)

    @property
    def checked_in(self) -> int:
        """Items seen at drop-off: every item no longer pending."""
        return self.expected - self.count(ItemStatus.PENDING)


class ItemEventsRepository:
    """The item_events table and the status column it drives, in the caller's unit."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, event: ItemEvent) -> None:
        """Insert the event and move the item from ``from_status`` to ``to_status``."""
        moved = self._connection.execute(
            update(items)
            .where(items.c.id == event.item_id, items.c.status == event.from_status.value)
            .values(status=event.to_status.value)
        )
        if moved.rowcount != 1:
            raise StaleItemStatus(f"{event.tag_code} is no longer {event.from_status}")
        self._connection.execute(insert(item_events).values(**event.row()))

    def for_item(self, item_id: str) -> list[ItemEvent]:
        """The item's events, oldest first."""
        rows = self._connection.execute(
            select(item_events).where(item_events.c.item_id == item_id)
            .order_by(item_events.c.created_at, item_events.c.id)
        ).mappings()
        return [_event(row) for row in rows]

    def consignor_items(
        self, event_id: str, consignor_number: int, register_id: str
    ) -> list[ItemView]:
        """The consignor's items by item number."""
        rows = self._connection.execute(
            select(*_ITEM_COLUMNS)
            .where(items.c.event_id == event_id, items.c.consignor_number == consignor_number)
            .order_by(items.c.item_number)
        )
        return [item_view(row, register_id) for row in rows]

    def progress(self, event_id: str, consignor_number: int) -> ConsignorProgress:
        """The consignor's item counts by status (one grouped query) and name."""
        rows = self._connection.execute(
            select(items.c.status, func.count())
            .where(items.c.event_id == event_id, items.c.consignor_number == consignor_number)
            .group_by(items.c.status)
        )
        by_status = {ItemStatus(row[0]): int(row[1]) for row in rows}
        name = self._connection.execute(
            select(consignors.c.name)
            .where(consignors.c.event_id == event_id, consignors.c.number == consignor_number)
        ).scalar_one_or_none()
        return ConsignorProgress(consignor_number, name, sum(by_status.values()), by_status)

    def figures_by_consignor(self, event_id: str) -> list[tuple[int, str | None, str, int, int]]:
        """(consignor, name, status, items, value in cents) for every status of every consignor."""
        rows = self._connection.execute(
            select(items.c.consignor_number, consignors.c.name, items.c.status, func.count(),
                   func.coalesce(func.sum(items.c.price_cents), 0))
            .select_from(items.outerjoin(consignors, (consignors.c.event_id == items.c.event_id)
                                         & (consignors.c.number == items.c.consignor_number)))
            .where(items.c.event_id == event_id)
            .group_by(items.c.consignor_number, consignors.c.name, items.c.status)
            .order_by(items.c.consignor_number)
        )
        return [(int(r[0]), r[1], str(r[2]), int(r[3]), int(r[4])) for r in rows]

    def rejections_by_consignor(self, event_id: str
                                ) -> list[tuple[int, str | None, str | None, int, int]]:
        """(consignor, name, reason, items, value in cents) of the items still rejected.

        The reason is the one of the item's latest rejection recorded here (None when the
        rejection came from another register by the catalog pull, without its event).
        """
        latest = (select(item_events.c.reason)
                  .where(item_events.c.item_id == items.c.id,
                         item_events.c.to_status == ItemStatus.REJECTED.value)
                  .order_by(item_events.c.created_at.desc(), item_events.c.id.desc())
                  .limit(1).scalar_subquery().label("reason"))
        rows = self._connection.execute(
            select(items.c.consignor_number, consignors.c.name, latest, func.count(),
                   func.coalesce(func.sum(items.c.price_cents), 0))
            .select_from(items.outerjoin(consignors, (consignors.c.event_id == items.c.event_id)
                                         & (consignors.c.number == items.c.consignor_number)))
            .where(items.c.event_id == event_id, items.c.status == ItemStatus.REJECTED.value)
            .group_by(items.c.consignor_number, consignors.c.name, latest)
            .order_by(items.c.consignor_number, latest)
        )
        return [(int(r[0]), r[1], r[2], int(r[3]), int(r[4])) for r in rows]

    def unsold(self, event_id: str, register_id: str) -> list[ItemView]:
        """Every approved item of the event nobody bought or collected (closing pick-up)."""
        rows = self._connection.execute(
            select(*_ITEM_COLUMNS)
            .where(items.c.event_id == event_id, items.c.status == ItemStatus.APPROVED.value)
            .order_by(items.c.consignor_number, items.c.item_number)
        )
        return [item_view(row, register_id) for row in rows]


def _event(row: Any) -> ItemEvent:
    return ItemEvent(row["id"], row["event_id"], row["register_id"], row["item_id"],
                     row["tag_code"], ItemStatus(row["from_status"]),
                     ItemStatus(row["to_status"]), row["reason"], row["cashier_id"],
                     row["created_at"])
