"""The open cart: lines scanned so far, each item at most once, and the running totals.

The cart is the one place that decides "already in this cart": for its lines, and for the
tags scanned whose lookup has not answered yet (reserved), so a double scan is refused at once.
Totals come from the lines and the event's tax rule through :func:`totals_of`, the same
function a completed sale's totals come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
    tag_price_cents: int | None = None  # set when a manager overrode the price: the tag's
    override_reason: str = ""
    override_manager_id: str = ""

    @property
    def price_cents(self) -> int:
        return self.unit_price_cents - self.discount_cents

    @property
    def overridden(self) -> bool:
        return self.tag_price_cents is not None


MAX_OVERRIDE_REASON = 200
MAX_DESCRIPTION = 100
#: An open-price line's item id starts so: no catalog item has it, so the central database
#: lists the line as an ``unknown_item`` conflict for the organiser to assign.
OPEN_PRICE_PREFIX = "open-"


def open_price_line(line_id: str, consignor_number: int, description: str, price_cents: int,
                    manager_id: str) -> CartLine:
    """A line for an item whose tag is missing or unreadable, at a manager's price.

    It carries the consignor's number and the description; the manager's approval is recorded
    as a price override from a tag price of zero (the tag is unknown)."""
    description = " ".join(description.split())
    if isinstance(consignor_number, bool) or not 0 < consignor_number <= 999_999:
        raise CartError("Type the consignor's number from the item (1 to 999999)")
    if not description:
        raise CartError("Describe the item")
    if len(description) > MAX_DESCRIPTION:
        raise CartError(f"The description is too long (at most {MAX_DESCRIPTION} characters)")
    if isinstance(price_cents, bool) or not isinstance(price_cents, int) or price_cents <= 0:
        raise CartError("The price must be more than zero")
    line = CartLine(f"{OPEN_PRICE_PREFIX}{line_id}", f"OPEN-{consignor_number}",
                    consignor_number, description, 0)
    return override_price(line, price_cents, f"open price: {description}", manager_id)


def override_price(line: CartLine, price_cents: int, reason: str, manager_id: str) -> CartLine:
    """``line`` sold at ``price_cents`` (no discount on top), with the reason and the manager.

    The tag's price is kept (the first one, if the line was overridden before)."""
    reason = " ".join(reason.split())
    if isinstance(price_cents, bool) or not isinstance(price_cents, int) or price_cents < 0:
        raise CartError("The new price must be zero or more")
    if not reason:
        raise CartError("Say why the price is changed")
    if len(reason) > MAX_OVERRIDE_REASON:
        raise CartError(f"The reason is too long (at most {MAX_OVERRIDE_REASON} characters)")
    if not manager_id:
        raise CartError("A manager approves a price override")
    tag_price = line.tag_price_cents if line.overridden else line.unit_price_cents
    return replace(line, unit_price_cents=price_cents, discount_cents=0,
                   tag_price_cents=tag_price, override_reason=reason,
                   override_manager_id=manager_id)


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

    def replace(self, index: int, line: CartLine) -> None:
        """Put ``line`` (the same item, priced again) in place of row ``index``."""
        if self._lines[index].item_id != line.item_id:
            raise CartError("A line can only be replaced by the same item")
        self._lines[index] = line

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
