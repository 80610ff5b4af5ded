"""One consignor's settlement figures, the same arithmetic as the Worker's settlement.

Shared DESIGN.md, "Settlement and payouts": the share is the consignor's gross times their
split, rounded half up ONCE on the total (``money.percent_of``), never per line; the balance is
share - fees - payouts; a balance is payable when it is positive and at least the event's
minimum payout. tests/vectors/settlement.json holds the cases both sides are checked against.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pos_app.core.money import percent_of


@dataclass(frozen=True, slots=True)
class ConsignorSettlement:
    """What one consignor is owed, in cents."""

    items_sold: int
    gross_cents: int
    split_bp: int
    share_cents: int
    fees_cents: int
    paid_cents: int
    balance_cents: int
    payable_cents: int


def settle_consignor(
    line_prices: Iterable[int],
    split_bp: int,
    fees_cents: int = 0,
    paid_cents: int = 0,
    min_payout_cents: int = 0,
) -> ConsignorSettlement:
    """Settle one consignor from the prices of the lines that count in their gross."""
    prices = list(line_prices)
    gross = sum(prices)
    share = percent_of(gross, split_bp)
    balance = share - fees_cents - paid_cents
    payable = balance if balance > 0 and balance >= min_payout_cents else 0
    return ConsignorSettlement(
        len(prices), gross, split_bp, share, fees_cents, paid_cents, balance, payable
    )
