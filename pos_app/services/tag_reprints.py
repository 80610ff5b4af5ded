"""Which tags to reprint: a consignor's items, or items by id or tag code (no Qt here).

The records are painted by :mod:`pos_app.ui.labels` (label sheets, PDF, PNG); :func:`tag_blocks`
gives one tag as document blocks for the receipt printer (an ESC/POS printer prints the
CODE128 itself). Tag codes typed by a person are read with
:func:`pos_app.core.tags.parse_tag`, so ``1042-17`` finds the tag printed ``1042-0017`` and a
code with a wrong check digit is refused rather than guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pos_app.core.money import format_cents
from pos_app.core.tags import parse_tag
from pos_app.services.documents import Align, Barcode, Block, Gap, Text
from pos_app.store import catalog
from pos_app.store.engine import Database

#: What a tag says of its flags: half price on the discount days; given away if not sold.
DISCOUNT_MARK, DONATE_MARK = "DISCOUNT", "DONATE"


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
    with database.unit_of_work() as unit:
        event = event_id or catalog.register_event_id(unit.connection)
        rows = catalog.tags_for(unit.connection, event, consignor=consignor,
                                item_ids=item_ids, tag_codes=canonical)
    return [TagLabel(*row) for row in rows]


def tag_blocks(label: TagLabel) -> list[Block]:
    """One tag for the receipt printer: price, barcode, code, description, size and flags."""
    flags = " ".join(mark for mark, on in ((DISCOUNT_MARK, label.discountable),
                                           (DONATE_MARK, label.donate_if_unsold)) if on)
    return [
        Text(format_cents(label.price_cents), bold=True, point_size=12, align=Align.CENTER),
        Barcode(label.tag_code),
        Text(label.tag_code, bold=True, align=Align.CENTER),
        Text(label.description, align=Align.CENTER),
        Text(" / ".join(part for part in (f"Consignor {label.consignor_number}", label.size,
                                          flags) if part), align=Align.CENTER),
        Gap(),
    ]
