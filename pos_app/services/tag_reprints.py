"""Which tags to reprint: a consignor's items, or items by id or tag code (no Qt here).

The records are painted by :mod:`pos_app.ui.labels`. Tag codes typed by a person are read with
:func:`pos_app.core.tags.parse_tag`, so ``1042-17`` finds the tag printed ``1042-0017`` and a
code with a wrong check digit is refused rather than guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import ColumnElement, false, or_, select

from pos_app.core.tags import parse_tag
from pos_app.store import models
from pos_app.store.engine import Database

items = models.items
registers = models.registers


class _TaggedItem(Protocol):
    @property
    def tag_code(self) -> str: ...
    @property
    def consignor_number(self) -> int: ...
    @property
    def item_number(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def size(self) -> str: ...
    @property
    def price_cents(self) -> int: ...
    @property
    def discountable(self) -> bool: ...
    @property
    def donate_if_unsold(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class TagLabel:
    """What one printed tag shows."""

    tag_code: str
    consignor_number: int
    item_number: int
    description: str
    size: str
    price_cents: int
    discountable: bool
    donate_if_unsold: bool

    @classmethod
    def of(cls, item: _TaggedItem) -> TagLabel:
        """The tag of a catalog item (an ``ItemView`` or anything with the same fields)."""
        return cls(item.tag_code, item.consignor_number, item.item_number, item.description,
                   item.size, item.price_cents, item.discountable, item.donate_if_unsold)


def tags_to_reprint(database: Database, *, consignor: int | None = None,
                    item_ids: Sequence[str] = (), tag_codes: Sequence[str] = (),
                    event_id: str | None = None) -> list[TagLabel]:
    """The tags of the matching items of the event, by consignor then item number.

    ``event_id`` defaults to the register's event. Raises ``TagError`` for a malformed code.
    """
    canonical = [parse_tag(code).canonical for code in tag_codes]
    wanted: list[ColumnElement[bool]] = []
    if consignor is not None:
        wanted.append(items.c.consignor_number == consignor)
    if item_ids:
        wanted.append(items.c.id.in_(list(item_ids)))
    if canonical:
        wanted.append(items.c.tag_code.in_(canonical))
    statement = (
        select(items.c.tag_code, items.c.consignor_number, items.c.item_number,
               items.c.description, items.c.size, items.c.price_cents, items.c.discountable,
               items.c.donate_if_unsold)
        .where(or_(false(), *wanted))
        .order_by(items.c.consignor_number, items.c.item_number)
    )
    with database.unit_of_work() as unit:
        event = event_id or unit.connection.execute(
            select(registers.c.event_id)).scalar_one_or_none()
        if event is not None:
            statement = statement.where(items.c.event_id == event)
        rows = unit.connection.execute(statement).all()
    return [TagLabel(str(tag), int(number), int(item), str(text), str(size), int(price),
                     bool(discountable), bool(donate))
            for tag, number, item, text, size, price, discountable, donate in rows]
