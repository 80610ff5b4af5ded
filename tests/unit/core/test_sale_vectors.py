"""The shared sale arithmetic vectors (tests/vectors/sale_totals.json) through pos_app/core.

worker/test/arithmetic.test.ts runs the same file against the Worker's recomputation, so the
register and the server cannot round differently without one of the two failing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pos_app.core.cart import Cart, CartLine
from pos_app.core.pricing import DiscountRule, PricingPolicy
from pos_app.core.tender import TenderSession

VECTORS = Path(__file__).parents[2] / "vectors" / "sale_totals.json"
CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]
SCANNED_AT = datetime(2026, 11, 22, 12, tzinfo=UTC)


def ring_up(case: dict[str, Any]) -> dict[str, Any]:
    starts = datetime(2026, 11, 22, 8, tzinfo=UTC)
    bp = case["discount_bp"]
    policy = PricingPolicy.of(case["tax_rate_bp"], [DiscountRule(starts, bp)] if bp else [])
    cart = Cart(policy)
    for n, (price, discountable) in enumerate(case["lines"]):
        line = policy.price(price, discountable, SCANNED_AT)
        cart.add(CartLine(f"item-{n}", f"1001-{n:04d}", 1001, "Item",
                          line.unit_price_cents, line.discount_cents))
    totals = cart.totals()
    session = TenderSession(totals.total_cents)
    for kind, cents in case["tenders"]:
        if kind == "cash":
            session.add_cash(cents)
        elif kind == "card":
            session.add_card(cents, "terminal-ref")
        else:
            session.add_other(cents, "")
    return {
        "line_discounts": [line.discount_cents for line in cart.lines],
        "subtotal_cents": totals.subtotal_cents, "discount_cents": totals.discount_cents,
        "tax_cents": totals.tax_cents, "total_cents": totals.total_cents,
        "item_count": totals.item_count,
        "tenders": [[t.kind.value, t.amount_cents, t.given_cents, t.change_cents]
                    for t in session.finish()],
    }


def test_the_vectors_cover_the_rounding_edges() -> None:
    names = " ".join(case["name"] for case in CASES)
    for edge in (".5 cents", "non-discountable", "split tender", "change", "half a cent"):
        assert edge in names


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_core_arithmetic_matches_the_shared_vector(case: dict[str, Any]) -> None:
    assert ring_up(case) == case["expected"]
