"""Putting a scanned item into the cart: the checks that need no database.

These run on the GUI thread in microseconds. :func:`precheck` refuses a malformed code or one
already in the cart before any lookup; :func:`add_item` refuses an item that may not be sold
(sold here, sold elsewhere, not for sale, already in the cart), prices it at the scan time
and appends it. Selling an item another register sold needs ``override=True`` (a manager
PIN); an item this register sold already, or one not approved for sale, is never added.
:func:`refill` puts a recalled cart back the same way, as if each item were scanned again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from pos_app.core.cart import (
    OPEN_PRICE_PREFIX,
    Cart,
    CartFull,
    CartLine,
    DuplicateInCart,
    override_price,
)
from pos_app.core.items import ItemStatus
from pos_app.core.money import format_cents
from pos_app.core.tags import TagCode, TagError, parse_tag
from pos_app.services.catalog import ItemView, ScanRefusal, ScanRefusalKind, refusal_for_tag_error


def precheck(cart: Cart, raw_code: str) -> TagCode | ScanRefusal:
    """Parse ``raw_code``; refuse it at once if malformed, already in the cart, or cart full."""
    try:
        tag = parse_tag(raw_code)
    except TagError as error:
        return refusal_for_tag_error(error)
    if cart.has_tag(tag.canonical):
        return ScanRefusal(ScanRefusalKind.IN_CART,
                           f"{tag.canonical} is already in this cart", tag.canonical)
    if len(cart) >= cart.max_lines:
        return ScanRefusal(ScanRefusalKind.CART_FULL,
                           f"A sale holds at most {cart.max_lines} items: pay, then start another",
                           tag.canonical)
    return tag


# What the cashier is told about an item the hall's lifecycle took off the floor (issue 13).
_NOT_FOR_SALE: dict[ItemStatus, str] = {
    ItemStatus.RETURNED: "{} was returned to its consignor at pick-up: not for sale",
    ItemStatus.DONATED: "{} was donated at the close of pick-up: not for sale",
    ItemStatus.REJECTED: "{} was rejected at check-in: not for sale",
    ItemStatus.PENDING: "{} is pending: never checked in, not for sale",
}


def status_refusal(item: ItemView) -> ScanRefusal | None:
    """Why ``item`` may not be sold as scanned, or None if it may."""
    status = ItemStatus(item.status)
    if status is ItemStatus.SOLD and item.sold_here:
        return ScanRefusal(ScanRefusalKind.SOLD_HERE,
                           f"{item.tag_code} was already sold at this register",
                           item.tag_code, item)
    if status is ItemStatus.SOLD:
        return ScanRefusal(ScanRefusalKind.SOLD_ELSEWHERE,
                           f"{item.tag_code} was sold at another register: manager override?",
                           item.tag_code, item, overridable=True)
    if not status.for_sale:
        return ScanRefusal(ScanRefusalKind.NOT_FOR_SALE, _NOT_FOR_SALE.get(
            status, "{} is {}, not for sale").format(item.tag_code, item.status),
            item.tag_code, item)
    return None


def add_item(
    cart: Cart, item: ItemView, at: datetime, *, override: bool = False
) -> int | ScanRefusal:
    """Price ``item`` at ``at`` and append it; return the new row index or the refusal.

    "Already in the cart" is the cart's own decision (:meth:`Cart.add` refuses the item).
    """
    refusal = status_refusal(item)
    if refusal is not None and not (override and refusal.overridable):
        return refusal
    price = cart.policy.price(item.price_cents, item.discountable, at)
    line = CartLine(item.id, item.tag_code, item.consignor_number, item.description,
                    price.unit_price_cents, price.discount_cents, item.size, item.category)
    try:
        return cart.add(line)
    except CartFull as error:
        return ScanRefusal(ScanRefusalKind.CART_FULL, str(error), item.tag_code, item)
    except DuplicateInCart as error:
        return ScanRefusal(ScanRefusalKind.IN_CART, str(error), item.tag_code, item)


def refill(cart: Cart, held: Sequence[CartLine], current: Mapping[str, ItemView],
           at: datetime) -> list[ScanRefusal]:
    """Put a recalled cart's lines into ``cart`` as if each were scanned again at ``at``.

    ``current`` holds the items as the catalog has them now. Each line is priced with the
    rules in force at ``at`` (a cart held before a discount started gets it), and an item
    sold since the hold (here, or at another register), withdrawn, or gone from the catalog
    is left out. What a manager approved comes back as approved: an open-price line (no
    catalog item) as it was, and a price override on top of the item's price now, with its
    reason and manager. Returns why each left-out line was refused, in cart order.
    """
    left_out: list[ScanRefusal] = []
    for line in held:
        if line.item_id.startswith(OPEN_PRICE_PREFIX):
            cart.add(line)
            continue
        item = current.get(line.item_id)
        if item is None:
            left_out.append(ScanRefusal(ScanRefusalKind.UNKNOWN_TAG,
                                        f"{line.tag_code} is no longer in the catalog",
                                        line.tag_code))
            continue
        row = add_item(cart, item, at)
        if isinstance(row, ScanRefusal):
            left_out.append(row)
        elif line.overridden:
            cart.replace(row, override_price(cart.lines[row], line.unit_price_cents,
                                             line.override_reason, line.override_manager_id))
    return left_out


def describe(item: ItemView) -> str:
    """One line for the cashier: tag, description, price."""
    return f"{item.tag_code}  {item.description}  {format_cents(item.price_cents)}"
