"""The event's price rules: the discount schedule and tax, applied with one rounding rule.

A discount rule says "from ``starts_at`` (until ``ends_at``, if set), take ``percent_bp`` off
items marked discountable", e.g. half price from Saturday 08:00. When rules overlap, the one
that started last wins, so an organiser can add "75% off from Sunday noon" on top of
"50% off from Saturday". Discounts round per line and tax once on the discounted subtotal,
both through :func:`pos_app.core.money.percent_of`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pos_app.core.money import BASIS_POINTS_PER_WHOLE, percent_of


class PricingError(ValueError):
    """A price rule that cannot be applied (bad percentage, naive datetime, ...)."""


@dataclass(frozen=True, slots=True)
class DiscountRule:
    starts_at: datetime
    percent_bp: int
    ends_at: datetime | None = None

    def __post_init__(self) -> None:
        if not 0 < self.percent_bp <= BASIS_POINTS_PER_WHOLE:
            raise PricingError(f"discount must be 1..10000 bp, got {self.percent_bp}")
        if self.starts_at.tzinfo is None or (
            self.ends_at is not None and self.ends_at.tzinfo is None
        ):
            raise PricingError("discount times must carry a time zone")
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise PricingError("a discount must end after it starts")

    def applies_at(self, at: datetime) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


@dataclass(frozen=True, slots=True)
class LinePrice:
    unit_price_cents: int
    discount_cents: int

    @property
    def price_cents(self) -> int:
        return self.unit_price_cents - self.discount_cents


@dataclass(frozen=True, slots=True)
class PricingPolicy:
    """Tax rate and discount schedule of one event."""

    tax_rate_bp: int = 0
    rules: tuple[DiscountRule, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.tax_rate_bp <= BASIS_POINTS_PER_WHOLE:
            raise PricingError(f"tax rate must be 0..10000 bp, got {self.tax_rate_bp}")

    @classmethod
    def of(cls, tax_rate_bp: int, rules: Iterable[DiscountRule]) -> PricingPolicy:
        return cls(tax_rate_bp, tuple(sorted(rules, key=lambda rule: rule.starts_at)))

    def discount_bp_at(self, at: datetime) -> int:
        """The discount in force at ``at`` for discountable items (0 when none)."""
        if at.tzinfo is None:
            raise PricingError("pricing needs an aware datetime")
        active = [rule for rule in self.rules if rule.applies_at(at)]
        return max(active, key=lambda rule: rule.starts_at).percent_bp if active else 0

    def price(self, price_cents: int, discountable: bool, at: datetime) -> LinePrice:
        """The price of one item scanned at ``at``."""
        if at.tzinfo is None:
            raise PricingError("pricing needs an aware datetime")
        discount_bp = self.discount_bp_at(at) if discountable else 0
        return LinePrice(price_cents, percent_of(price_cents, discount_bp))

    def tax_on(self, taxable_cents: int) -> int:
        return percent_of(taxable_cents, self.tax_rate_bp)
