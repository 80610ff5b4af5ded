"""The open cart: lines scanned so far, each item at most once, and the running totals.

The cart is the one place that decides "already in this cart": for its lines, and for the
tags scanned whose lookup has not answered yet (reserved), so a double scan is refused at once.
Totals come from the lines and the event's tax rule through :func:`totals_of`, the same
function a completed sale's totals come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from pos_app.core.pricing import PricingPolicy

DEFAULT_MAX_LINES = 500


class CartError(ValueError):
    """A cart operation the cashier must be told about."""


class DuplicateInCart(CartError):
    def __init__(self, tag_code: str) -> None:
        super().__init__(f"{tag_code} is already in this cart")
        self.tag_code = tag_code


class CartFull(CartError):
    pass


@dataclass(frozen=True, slots=True)
class CartLine:
    item_id: str
    tag_code: str
    consignor_number: int
    description: str
    unit_price_cents: int
    discount_cents: int = 0
    size: str = ""
    category: str = ""

    @property
    def price_cents(self) -> int:
        return self.unit_price_cents - self.discount_cents


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    item_count: int

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents - self.discount_cents + self.tax_cents


class PricedLine(Protocol):
    """A line with a price and its discount (a cart line or a completed sale's line)."""

    @property
    def unit_price_cents(self) -> int: ...

    @property
    def discount_cents(self) -> int: ...


def totals_of(lines: Iterable[PricedLine], policy: PricingPolicy) -> Totals:
    """Subtotal and discounts summed over the lines; tax once on the discounted subtotal."""
    subtotal = discount = count = 0
    for line in lines:
        subtotal += line.unit_price_cents
        discount += line.discount_cents
        count += 1
    return Totals(subtotal, discount, policy.tax_on(subtotal - discount), count)


@dataclass
class Cart:
    """Lines in scan order. Each item may be in the cart only once."""

    policy: PricingPolicy = field(default_factory=PricingPolicy)
    max_lines: int = DEFAULT_MAX_LINES
    _lines: list[CartLine] = field(default_factory=list)
    _item_ids: set[str] = field(default_factory=set)
    _tags: set[str] = field(default_factory=set)
    _reserved: set[str] = field(default_factory=set)

    @property
    def lines(self) -> tuple[CartLine, ...]:
        return tuple(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def contains(self, item_id: str) -> bool:
        return item_id in self._item_ids

    def has_tag(self, tag_code: str) -> bool:
        """Whether ``tag_code`` is in a line, or scanned and still being looked up."""
        return tag_code in self._tags or tag_code in self._reserved

    def reserve(self, tag_code: str) -> None:
        """A scanned tag whose lookup is under way: a second scan of it is refused."""
        self._reserved.add(tag_code)

    def release(self, tag_code: str) -> None:
        """The lookup of ``tag_code`` answered (the item was added, or refused)."""
        self._reserved.discard(tag_code)

    @property
    def lookups_pending(self) -> bool:
        return bool(self._reserved)

    def add(self, line: CartLine) -> int:
        """Append ``line`` and return its row index; refuse a second scan of the same item."""
        if line.item_id in self._item_ids:
            raise DuplicateInCart(line.tag_code)
        if len(self._lines) >= self.max_lines:
            raise CartFull(f"A sale holds at most {self.max_lines} items: start a second sale")
        self._lines.append(line)
        self._item_ids.add(line.item_id)
        self._tags.add(line.tag_code)
        self._reserved.discard(line.tag_code)
        return len(self._lines) - 1

    def remove(self, index: int) -> CartLine:
        line = self._lines.pop(index)
        self._item_ids.discard(line.item_id)
        self._tags.discard(line.tag_code)
        return line

    def clear(self) -> None:
        """Empty the cart (after a sale or a hold); lookups still under way stay reserved."""
        self._lines.clear()
        self._item_ids.clear()
        self._tags.clear()

    def totals(self) -> Totals:
        return totals_of(self._lines, self.policy)
