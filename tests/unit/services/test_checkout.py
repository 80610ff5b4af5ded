"""precheck and add_item: the cart checks that need no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pos_app.core.cart import Cart, open_price_line, override_price
from pos_app.core.pricing import DiscountRule, PricingPolicy
from pos_app.core.tags import TagCode, TagKind
from pos_app.services.catalog import ItemView, ScanRefusal, ScanRefusalKind
from pos_app.services.checkout import add_item, describe, precheck, refill

SATURDAY_8AM = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def item(tag: str = "1042-0017", item_id: str = "i-1", **changes: object) -> ItemView:
    view = ItemView(
        id=item_id, tag_code=tag, consignor_number=1042, item_number=17,
        description="Rain boots", category="Shoes", size="7", price_cents=1_999,
        discountable=True, donate_if_unsold=False, status="approved", sold_sale_id=None,
        sold_register_id=None,
    )
    return replace(view, **changes)  # type: ignore[arg-type]


@pytest.fixture
def cart() -> Cart:
    return Cart(policy=PricingPolicy.of(825, [DiscountRule(SATURDAY_8AM, 5_000)]), max_lines=3)


def refusal(result: object) -> ScanRefusalKind:
    assert isinstance(result, ScanRefusal), result
    return result.kind


def test_precheck_parses_and_refuses_malformed_codes(cart: Cart) -> None:
    assert precheck(cart, " 10420017\n") == TagCode(TagKind.CONSIGNOR_ITEM, "1042-0017", 1042, 17)
    assert refusal(precheck(cart, "hello")) is ScanRefusalKind.BAD_FORMAT
    assert refusal(precheck(cart, "4006381333932")) is ScanRefusalKind.BAD_CHECK_DIGIT
    assert isinstance(precheck(cart, "4006381333931"), TagCode)


def test_precheck_refuses_a_tag_already_in_the_cart_and_a_full_cart(cart: Cart) -> None:
    assert add_item(cart, item(), FRIDAY) == 0
    result = precheck(cart, "1042-17")
    assert refusal(result) is ScanRefusalKind.IN_CART
    assert isinstance(result, ScanRefusal) and "1042-0017" in result.message
    add_item(cart, item("1042-0018", "i-2"), FRIDAY)
    add_item(cart, item("1042-0019", "i-3"), FRIDAY)
    assert refusal(precheck(cart, "1042-0020")) is ScanRefusalKind.CART_FULL


def test_add_item_prices_at_the_scan_time(cart: Cart) -> None:
    assert add_item(cart, item(), FRIDAY) == 0
    assert add_item(cart, item("1042-0018", "i-2"), SATURDAY_8AM) == 1
    assert add_item(cart, item("1042-0019", "i-3", discountable=False), SATURDAY_8AM) == 2
    assert [line.discount_cents for line in cart.lines] == [0, 1_000, 0]
    assert "Rain boots" in describe(item())


def test_add_item_refuses_duplicates(cart: Cart) -> None:
    add_item(cart, item(), FRIDAY)
    assert refusal(add_item(cart, item(), FRIDAY)) is ScanRefusalKind.IN_CART
    assert refusal(add_item(cart, item(), FRIDAY, override=True)) is ScanRefusalKind.IN_CART
    assert len(cart) == 1


def test_sold_here_is_refused_even_with_an_override(cart: Cart) -> None:
    sold = item(status="sold", sold_sale_id="s1", sold_register_id="reg-a", sold_here=True)
    result = add_item(cart, sold, FRIDAY)
    assert refusal(result) is ScanRefusalKind.SOLD_HERE
    assert isinstance(result, ScanRefusal) and not result.overridable and result.item == sold
    assert refusal(add_item(cart, sold, FRIDAY, override=True)) is ScanRefusalKind.SOLD_HERE
    assert len(cart) == 0


def test_sold_elsewhere_needs_an_override(cart: Cart) -> None:
    sold = item(status="sold", sold_sale_id="s9", sold_register_id="reg-b")
    result = add_item(cart, sold, FRIDAY)
    assert refusal(result) is ScanRefusalKind.SOLD_ELSEWHERE
    assert isinstance(result, ScanRefusal) and result.overridable
    assert add_item(cart, sold, FRIDAY, override=True) == 0


@pytest.mark.parametrize("status", ["pending", "rejected", "returned", "donated"])
def test_items_not_approved_are_not_for_sale(cart: Cart, status: str) -> None:
    result = add_item(cart, item(status=status), FRIDAY, override=True)
    assert refusal(result) is ScanRefusalKind.NOT_FOR_SALE
    assert isinstance(result, ScanRefusal) and status in result.message


def test_full_cart_is_refused(cart: Cart) -> None:
    for n in range(3):
        add_item(cart, item(f"1042-{n + 1:04d}", f"i-{n}"), FRIDAY)
    assert refusal(add_item(cart, item("1042-0099", "i-99"), FRIDAY)) is ScanRefusalKind.CART_FULL


# --- refill: a recalled cart, as if scanned again --------------------------------------------


def held_cart(*items: ItemView, at: datetime) -> tuple[Cart, list[ItemView]]:
    cart = Cart(policy=PricingPolicy.of(825, [DiscountRule(SATURDAY_8AM, 5_000)]))
    for one in items:
        assert isinstance(add_item(cart, one, at), int)
    return cart, list(items)


def test_refill_prices_a_cart_held_before_the_discount_at_the_recall_time() -> None:
    held, items = held_cart(item(), item("1042-0018", "i-2", discountable=False), at=FRIDAY)
    assert [line.discount_cents for line in held.lines] == [0, 0]
    cart = Cart(policy=held.policy)

    left_out = refill(cart, held.lines, {one.id: one for one in items}, SATURDAY_8AM)

    assert left_out == []
    assert [(line.tag_code, line.discount_cents) for line in cart.lines] == [
        ("1042-0017", 1_000), ("1042-0018", 0)]  # half of 19.99, rounded half up


def test_refill_leaves_out_what_was_sold_withdrawn_or_removed_since_the_hold() -> None:
    kept, sold_there, sold_here, withdrawn, gone = (
        item(f"1042-00{n}", f"i-{n}") for n in range(10, 15))
    held, _ = held_cart(kept, sold_there, sold_here, withdrawn, gone, at=FRIDAY)
    now = {
        kept.id: kept,
        sold_there.id: replace(sold_there, status="sold", sold_register_id="register-9"),
        sold_here.id: replace(sold_here, status="sold", sold_register_id="me", sold_here=True),
        withdrawn.id: replace(withdrawn, status="returned"),
    }
    cart = Cart(policy=held.policy)

    left_out = refill(cart, held.lines, now, FRIDAY)

    assert [line.item_id for line in cart.lines] == [kept.id]
    assert [(r.kind, r.tag_code) for r in left_out] == [
        (ScanRefusalKind.SOLD_ELSEWHERE, "1042-0011"), (ScanRefusalKind.SOLD_HERE, "1042-0012"),
        (ScanRefusalKind.NOT_FOR_SALE, "1042-0013"), (ScanRefusalKind.UNKNOWN_TAG, "1042-0014")]
    assert left_out[-1].message == "1042-0014 is no longer in the catalog"


def test_refill_keeps_what_a_manager_approved_an_override_and_an_open_price_line() -> None:
    held, items = held_cart(item(), item("1042-0018", "i-2"), at=FRIDAY)
    held.replace(0, override_price(held.lines[0], 500, "Torn strap", "manager-1"))
    held.add(open_price_line("line-1", 1042, "Blue scarf", 350, "manager-1"))
    cart = Cart(policy=held.policy)

    left_out = refill(cart, held.lines, {one.id: one for one in items}, SATURDAY_8AM)

    assert left_out == []
    overridden, discounted, open_line = cart.lines
    assert (overridden.unit_price_cents, overridden.discount_cents, overridden.tag_price_cents,
            overridden.override_reason, overridden.override_manager_id) == (
        500, 0, 1_999, "Torn strap", "manager-1")
    assert (discounted.unit_price_cents, discounted.discount_cents) == (1_999, 1_000)
    assert open_line == held.lines[2]


def test_refill_leaves_out_an_overridden_item_sold_since_the_hold() -> None:
    held, items = held_cart(item(), at=FRIDAY)
    held.replace(0, override_price(held.lines[0], 500, "Torn strap", "manager-1"))
    cart = Cart(policy=held.policy)

    left_out = refill(cart, held.lines, {items[0].id: replace(items[0], status="sold",
                                                              sold_register_id="register-9")},
                      FRIDAY)

    assert cart.lines == () and [r.kind for r in left_out] == [ScanRefusalKind.SOLD_ELSEWHERE]
