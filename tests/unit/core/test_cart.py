"""The open cart: each item once, a line cap, and totals that add up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.cart import (
    DEFAULT_MAX_LINES,
    Cart,
    CartError,
    CartFull,
    CartLine,
    DuplicateInCart,
    Totals,
)
from pos_app.core.money import percent_of
from pos_app.core.pricing import DiscountRule, PricingPolicy


def line(n: int, unit: int = 1_000, discount: int = 0, item_id: str | None = None) -> CartLine:
    return CartLine(item_id or f"item-{n}", f"1042-{n:04d}", 1042, f"Jacket {n}", unit, discount,
                    size="M", category="coats")


def test_empty_cart() -> None:
    cart = Cart()
    assert len(cart) == 0
    assert cart.lines == ()
    assert cart.totals() == Totals(0, 0, 0, 0)
    assert cart.totals().total_cents == 0
    assert cart.max_lines == DEFAULT_MAX_LINES


def test_add_returns_row_index_and_keeps_scan_order() -> None:
    cart = Cart()
    assert cart.add(line(1)) == 0
    assert cart.add(line(2)) == 1
    assert cart.add(line(3)) == 2
    assert [ln.item_id for ln in cart.lines] == ["item-1", "item-2", "item-3"]
    assert cart.contains("item-2")
    assert not cart.contains("item-4")


def test_duplicate_item_is_refused() -> None:
    cart = Cart()
    cart.add(line(1))
    with pytest.raises(DuplicateInCart) as caught:
        cart.add(line(1))
    assert caught.value.tag_code == "1042-0001"
    assert str(caught.value) == "1042-0001 is already in this cart"
    assert isinstance(caught.value, CartError)
    assert len(cart) == 1


def test_duplicate_is_by_item_id_whatever_the_other_fields() -> None:
    cart = Cart()
    cart.add(line(1, unit=1_000))
    with pytest.raises(DuplicateInCart):
        cart.add(line(99, unit=5, item_id="item-1"))
    assert cart.totals().subtotal_cents == 1_000


def test_remove_and_re_add() -> None:
    cart = Cart()
    cart.add(line(1))
    cart.add(line(2))
    removed = cart.remove(0)
    assert removed.item_id == "item-1"
    assert not cart.contains("item-1")
    assert [ln.item_id for ln in cart.lines] == ["item-2"]
    assert cart.add(line(1)) == 1              # allowed again, appended at the end
    assert [ln.item_id for ln in cart.lines] == ["item-2", "item-1"]
    with pytest.raises(DuplicateInCart):
        cart.add(line(2))


def test_remove_out_of_range_changes_nothing() -> None:
    cart = Cart()
    cart.add(line(1))
    with pytest.raises(IndexError):
        cart.remove(5)
    assert cart.contains("item-1") and len(cart) == 1


def test_clear_forgets_lines_and_items() -> None:
    cart = Cart()
    cart.add(line(1))
    cart.add(line(2))
    cart.clear()
    assert len(cart) == 0 and cart.lines == ()
    assert cart.add(line(1)) == 0


def test_lines_is_a_snapshot() -> None:
    cart = Cart()
    cart.add(line(1))
    snapshot = cart.lines
    cart.add(line(2))
    assert len(snapshot) == 1
    assert isinstance(snapshot, tuple)


def test_max_lines() -> None:
    cart = Cart(max_lines=3)
    for n in range(3):
        cart.add(line(n))
    with pytest.raises(CartFull, match="at most 3 items") as caught:
        cart.add(line(99))
    assert isinstance(caught.value, CartError)
    assert len(cart) == 3 and not cart.contains("item-99")
    cart.remove(0)
    assert cart.add(line(99)) == 2


def test_duplicate_is_reported_before_full() -> None:
    cart = Cart(max_lines=1)
    cart.add(line(1))
    with pytest.raises(DuplicateInCart):
        cart.add(line(1))


def test_default_cap() -> None:
    cart = Cart()
    for n in range(DEFAULT_MAX_LINES):
        cart.add(line(n, unit=1))
    with pytest.raises(CartFull):
        cart.add(line(DEFAULT_MAX_LINES))
    assert cart.totals().item_count == DEFAULT_MAX_LINES


def test_totals() -> None:
    cart = Cart(PricingPolicy(tax_rate_bp=825))
    cart.add(line(1, unit=1_000, discount=500))
    cart.add(line(2, unit=2_499))
    cart.add(line(3, unit=1, discount=1))
    totals = cart.totals()
    assert totals == Totals(subtotal_cents=3_500, discount_cents=501, tax_cents=247, item_count=3)
    # 8.25% of 2_999 = 247.4175 -> 247
    assert totals.total_cents == 3_500 - 501 + 247
    assert [ln.price_cents for ln in cart.lines] == [500, 2_499, 0]


def test_totals_follow_removals() -> None:
    cart = Cart(PricingPolicy(tax_rate_bp=1_000))
    cart.add(line(1, unit=1_000))
    cart.add(line(2, unit=500))
    cart.remove(0)
    assert cart.totals() == Totals(500, 0, 50, 1)


# --- fuzz ----------------------------------------------------------------------------------------

START = datetime(2026, 4, 18, 8, 0, tzinfo=UTC)

_rules = st.lists(
    st.builds(
        lambda offset_h, bp, length_h: DiscountRule(
            START + timedelta(hours=offset_h), bp,
            None if length_h is None else START + timedelta(hours=offset_h + length_h)),
        st.integers(0, 48), st.integers(1, 10_000), st.none() | st.integers(1, 24),
    ),
    max_size=4,
)

_ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 30), st.integers(0, 5_000_000), st.booleans()),
        st.tuples(st.just("remove"), st.integers(0, 40)),
    ),
    max_size=40,
)


@settings(max_examples=300)
@given(st.integers(0, 10_000), _rules, st.integers(-2, 80), _ops)
def test_totals_equal_the_sum_of_lines(
    tax_bp: int, rules: list[DiscountRule], at_h: int, ops: list[tuple[object, ...]]
) -> None:
    policy = PricingPolicy.of(tax_bp, rules)
    at = START + timedelta(hours=at_h)
    cart = Cart(policy, max_lines=25)
    for op in ops:
        if op[0] == "add":
            _, n, price, discountable = op
            assert isinstance(n, int) and isinstance(price, int) and isinstance(discountable, bool)
            priced = policy.price(price, discountable, at)
            new = CartLine(f"item-{n}", f"0001-{n:04d}", 1, "x", priced.unit_price_cents,
                           priced.discount_cents)
            before = len(cart)
            try:
                cart.add(new)
            except DuplicateInCart:
                assert any(ln.item_id == new.item_id for ln in cart.lines)
                assert len(cart) == before
            except CartFull:
                assert before == 25
        else:
            index = op[1]
            assert isinstance(index, int)
            if index < len(cart):
                cart.remove(index)

        lines = cart.lines
        totals = cart.totals()
        assert len({ln.item_id for ln in lines}) == len(lines)           # each item once
        assert totals.item_count == len(lines) <= 25
        assert totals.subtotal_cents == sum(ln.unit_price_cents for ln in lines)
        assert totals.discount_cents == sum(ln.discount_cents for ln in lines)
        assert 0 <= totals.discount_cents <= totals.subtotal_cents
        assert totals.tax_cents >= 0
        assert totals.tax_cents == percent_of(sum(ln.price_cents for ln in lines), tax_bp)
        assert totals.total_cents == sum(ln.price_cents for ln in lines) + totals.tax_cents
        assert all(0 <= ln.price_cents <= ln.unit_price_cents for ln in lines)
