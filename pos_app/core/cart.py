"""The open cart: lines scanned so far, each item at most once, and the running totals."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
class Cart:
    """Lines in scan order. Each item may be in the cart only once."""

    policy: PricingPolicy = field(default_factory=PricingPolicy)
    max_lines: int = DEFAULT_MAX_LINES
    _lines: list[CartLine] = field(default_factory=list)
    _item_ids: set[str] = field(default_factory=set)

    @property
    def lines(self) -> tuple[CartLine, ...]:
        return tuple(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def contains(self, item_id: str) -> bool:
        return item_id in self._item_ids

    def add(self, line: CartLine) -> int:
        """Append ``line`` and return its row index; refuse a second scan of the same item."""
        if line.item_id in self._item_ids:
            raise DuplicateInCart(line.tag_code)
        if len(self._lines) >= self.max_lines:
            raise CartFull(f"A sale holds at most {self.max_lines} items: start a second sale")
        self._lines.append(line)
        self._item_ids.add(line.item_id)
        return len(self._lines) - 1

    def remove(self, index: int) -> CartLine:
        line = self._lines.pop(index)
        self._item_ids.discard(line.item_id)
        return line

    def clear(self) -> None:
        self._lines.clear()
        self._item_ids.clear()

    def totals(self) -> Totals:
        subtotal = sum(line.unit_price_cents for line in self._lines)
        discount = sum(line.discount_cents for line in self._lines)
        tax = self.policy.tax_on(subtotal - discount)
        return Totals(subtotal, discount, tax, len(self._lines))
