"""Putting a looked-up item into the cart: the checks that need no database.

These run on the GUI thread (microseconds): the tag is parsed and checked against the cart
before the lookup goes to the database, and the looked-up item is checked for its status
before it is priced and added.
"""

from __future__ import annotations

from datetime import datetime

from pos_app.core.cart import Cart, CartFull, CartLine
from pos_app.core.money import format_cents
from pos_app.core.tags import TagCode, TagError, parse_tag
from pos_app.services.catalog import ItemView, ScanRefusal, ScanRefusalKind, refusal_for_tag_error


def precheck(cart: Cart, raw_code: str, tags_in_cart: set[str]) -> TagCode | ScanRefusal:
    """Parse ``raw_code`` and refuse it at once if it is malformed or already in the cart."""
    try:
        tag = parse_tag(raw_code)
    except TagError as error:
        return refusal_for_tag_error(error)
    if tag.canonical in tags_in_cart:
        return ScanRefusal(ScanRefusalKind.IN_CART, f"{tag.canonical} is already in this cart",
                           tag.canonical)
    if len(cart) >= cart.max_lines:
        return ScanRefusal(ScanRefusalKind.CART_FULL,
                           f"A sale holds at most {cart.max_lines} items: pay, then start another")
    return tag


def status_refusal(item: ItemView, register_id: str) -> ScanRefusal | None:
    """Why ``item`` may not be sold as scanned, or None if it may."""
    if item.status == "sold":
        if item.sold_register_id == register_id:
            return ScanRefusal(ScanRefusalKind.SOLD_HERE,
                               f"{item.tag_code} was already sold at this register",
                               item.tag_code, item, overridable=True)
        return ScanRefusal(ScanRefusalKind.SOLD_ELSEWHERE,
                           f"{item.tag_code} was sold at another register",
                           item.tag_code, item, overridable=True)
    if item.status != "approved":
        return ScanRefusal(ScanRefusalKind.NOT_FOR_SALE,
                           f"{item.tag_code} is {item.status}, not for sale", item.tag_code, item)
    return None


def add_item(
    cart: Cart, item: ItemView, at: datetime, register_id: str, *, override: bool = False
) -> int | ScanRefusal:
    """Price ``item`` at ``at`` and append it; return the new row index or the refusal."""
    refusal = status_refusal(item, register_id)
    if refusal is not None and not (override and refusal.overridable):
        return refusal
    if cart.contains(item.id):
        return ScanRefusal(ScanRefusalKind.IN_CART, f"{item.tag_code} is already in this cart",
                           item.tag_code, item)
    price = cart.policy.price(item.price_cents, item.discountable, at)
    line = CartLine(item.id, item.tag_code, item.consignor_number, item.description,
                    price.unit_price_cents, price.discount_cents, item.size, item.category)
    try:
        return cart.add(line)
    except CartFull as error:
        return ScanRefusal(ScanRefusalKind.CART_FULL, str(error), item.tag_code, item)


def describe(item: ItemView) -> str:
    return f"{item.tag_code}  {item.description}  {format_cents(item.price_cents)}"
