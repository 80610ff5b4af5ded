"""An item entered on the spot at drop-off check-in (issue 13, DESIGN.md "Item lifecycle").

A consignor brings an item the catalog lacks (a tag it does not know, or no tag at all): the
volunteer types its fields and the register creates it as ``approved``, prints its tag, and
pushes it as one ``new_items`` row with its journal entry (kind ``new_item``). The Worker adds
it to the central catalog unless its id or tag is already taken (``tag_taken`` conflict).

Item numbers of untagged items never collide between two offline stations: each register
draws from its own block, ``(BLOCK_BASE + register_number) * BLOCK_SIZE + n`` with ``n`` from 1
to 999 per consignor, where ``register_number`` is the register's place among its event's
registers (1, 2, ...; the catalog pull delivers it). The organiser's catalog numbers items 1 to
9,999, so a block (11,001 and up) never meets them either. See docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pos_app.core.money import MoneyError, parse_money
from pos_app.core.sale import canonical_json
from pos_app.core.tags import TagError, TagKind, consignor_item_code, parse_tag

__all__ = [
    "BLOCK_BASE",
    "BLOCK_SIZE",
    "MAX_REGISTER_NUMBER",
    "NewItem",
    "NewItemDraft",
    "NewItemError",
    "item_block",
    "untagged_code",
]

BLOCK_BASE: Final = 10
BLOCK_SIZE: Final = 1000
#: Six-digit item numbers at most (the tag parser's limit): blocks 11 to 999.
MAX_REGISTER_NUMBER: Final = 999 - BLOCK_BASE
MAX_TEXT: Final = 200


class NewItemError(ValueError):
    """A field of the entry form that cannot make an item; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def item_block(register_number: int) -> range:
    """The item numbers register ``register_number`` gives to untagged items."""
    if not 1 <= register_number <= MAX_REGISTER_NUMBER:
        raise NewItemError("register", f"Register number {register_number} has no item block")
    first = (BLOCK_BASE + register_number) * BLOCK_SIZE
    return range(first + 1, first + BLOCK_SIZE)


@dataclass(frozen=True, slots=True)
class NewItemDraft:
    """What the volunteer typed, unchecked. ``tag`` is the scanned tag, or "" for none."""

    consignor: str
    description: str
    price: str
    size: str = ""
    category: str = ""
    discountable: bool = True
    donate_if_unsold: bool = False
    tag: str = ""

    def consignor_number(self) -> int:
        """The consignor number, from the tag when it carries one, else as typed."""
        tagged = self.tag_code()
        if tagged is not None and tagged.consignor_number is not None:
            typed = self.consignor.strip()
            if typed and typed != str(tagged.consignor_number):
                raise NewItemError("consignor", f"The tag {tagged.canonical} is consignor "
                                   f"{tagged.consignor_number}'s, not {typed}'s")
            return tagged.consignor_number
        text = self.consignor.strip()
        if not text:
            raise NewItemError("consignor", "Enter the consignor number")
        if not text.isdigit() or not 1 <= int(text) <= 999_999:
            raise NewItemError("consignor", f"{text!r} is not a consignor number")
        return int(text)

    def price_cents(self) -> int:
        text = self.price.strip()
        if not text:
            raise NewItemError("price", "Enter the price")
        try:
            cents = parse_money(text)
        except MoneyError as error:
            raise NewItemError("price", str(error)) from error
        if cents == 0:
            raise NewItemError("price", "The price must be more than $0.00")
        return cents

    def tag_code(self) -> _Tag | None:
        if not self.tag.strip():
            return None
        try:
            parsed = parse_tag(self.tag)
        except TagError as error:
            raise NewItemError("tag", str(error)) from error
        return _Tag(parsed.canonical, parsed.consignor_number, parsed.item_number,
                    parsed.kind is TagKind.CONSIGNOR_ITEM)

    def texts(self) -> tuple[str, str, str]:
        """(description, size, category), trimmed; the description is required."""
        description, size, category = (self.description.strip(), self.size.strip(),
                                       self.category.strip())
        if not description:
            raise NewItemError("description", "Enter a description")
        for name, text in (("description", description), ("size", size),
                           ("category", category)):
            if len(text) > MAX_TEXT:
                raise NewItemError(name, f"The {name} is longer than {MAX_TEXT} characters")
        return description, size, category


@dataclass(frozen=True, slots=True)
class _Tag:
    canonical: str
    consignor_number: int | None
    item_number: int | None
    consignor_item: bool


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item entered at this register (protocol table ``new_items``); always approved."""

    id: str
    event_id: str
    register_id: str
    consignor_number: int
    item_number: int
    tag_code: str
    description: str
    category: str
    size: str
    price_cents: int
    discountable: bool
    donate_if_unsold: bool
    cashier_id: str
    created_at: str

    def row(self) -> dict[str, str | int]:
        """The row in the protocol's column order (pos_app/core/protocol_schema.json)."""
        return {
            "id": self.id, "event_id": self.event_id, "register_id": self.register_id,
            "consignor_number": self.consignor_number, "item_number": self.item_number,
            "tag_code": self.tag_code, "description": self.description,
            "category": self.category, "size": self.size, "price_cents": self.price_cents,
            "discountable": int(self.discountable),
            "donate_if_unsold": int(self.donate_if_unsold),
            "cashier_id": self.cashier_id, "created_at": self.created_at,
        }

    def canonical_json(self) -> str:
        """The journal payload (the Worker recomputes it from the row it receives)."""
        return canonical_json(self.row())


def untagged_code(consignor_number: int, item_number: int) -> str:
    """The tag printed for an item that came without one."""
    return consignor_item_code(consignor_number, item_number)
