"""The new items repository: items entered on the spot at check-in, written to the catalog.

A new item goes into ``items`` as approved, in the caller's unit (with its journal entry and
outbox bundle), so the register can sell it at once; the pull later brings the central copy of
the same row. The reads serve the entry form: whether a tag is taken, whether the consignor is
known, and the next free number of this register's block for a consignor.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select

from pos_app.core.items import ItemStatus
from pos_app.core.new_items import NewItem
from pos_app.store import models

items = models.items
consignors = models.consignors


class NewItemsRepository:
    """Writes a new item into ``items``; reads what the entry form checks."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, item: NewItem) -> None:
        """Insert ``item`` into the local catalog as approved."""
        self._connection.execute(insert(items).values(
            id=item.id, event_id=item.event_id, consignor_number=item.consignor_number,
            item_number=item.item_number, tag_code=item.tag_code,
            description=item.description, category=item.category, size=item.size,
            price_cents=item.price_cents, discountable=item.discountable,
            donate_if_unsold=item.donate_if_unsold, status=ItemStatus.APPROVED.value,
        ))

    def consignor_known(self, event_id: str, number: int) -> bool:
        return self._connection.execute(
            select(consignors.c.id)
            .where(consignors.c.event_id == event_id, consignors.c.number == number)
        ).first() is not None

    def tag_taken(self, event_id: str, tag_code: str) -> bool:
        return self._connection.execute(
            select(items.c.id).where(items.c.event_id == event_id, items.c.tag_code == tag_code)
        ).first() is not None

    def next_number(self, event_id: str, consignor_number: int, block: range) -> int | None:
        """The consignor's next item number in ``block``, or None when the block is used up."""
        highest = self._connection.execute(
            select(func.max(items.c.item_number)).where(
                items.c.event_id == event_id, items.c.consignor_number == consignor_number,
                items.c.item_number >= block.start, items.c.item_number < block.stop)
        ).scalar_one_or_none()
        following = block.start if highest is None else int(highest) + 1
        return following if following in block else None
