"""Scan lookups and item search: parse the code, then one indexed Core query.

:meth:`CatalogService.lookup` answers with the item or with a :class:`ScanRefusal` that says
why not (bad format, wrong check digit, unknown tag). Whether a found item may go into the
cart (sold here, sold elsewhere, not for sale) is decided by
:func:`pos_app.services.checkout.add_item`, which needs no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pos_app.core.pricing import PricingPolicy
from pos_app.core.tags import TagCode, TagError, TagErrorKind, parse_tag
from pos_app.services.context import RegisterContext
from pos_app.store import catalog as store_catalog
from pos_app.store.catalog import ItemView
from pos_app.store.engine import Database

__all__ = ["CatalogService", "ItemView", "ScanRefusal", "ScanRefusalKind", "refusal_for_tag_error"]


class ScanRefusalKind(StrEnum):
    BAD_FORMAT = "bad_format"
    BAD_CHECK_DIGIT = "bad_check_digit"
    UNKNOWN_TAG = "unknown_tag"
    IN_CART = "in_cart"
    SOLD_HERE = "sold_here"
    SOLD_ELSEWHERE = "sold_elsewhere"
    NOT_FOR_SALE = "not_for_sale"
    CART_FULL = "cart_full"


@dataclass(frozen=True, slots=True)
class ScanRefusal:
    """Why a scan did not add an item; ``message`` is for the cashier."""

    kind: ScanRefusalKind
    message: str
    tag_code: str | None = None
    item: ItemView | None = None
    overridable: bool = False  # SOLD_ELSEWHERE, with a manager PIN


def refusal_for_tag_error(error: TagError) -> ScanRefusal:
    kind = (ScanRefusalKind.BAD_CHECK_DIGIT if error.kind is TagErrorKind.BAD_CHECK_DIGIT
            else ScanRefusalKind.BAD_FORMAT)
    return ScanRefusal(kind, error.reason)


class CatalogService:
    """The event's catalog as this register sees it."""

    def __init__(self, database: Database, context: RegisterContext) -> None:
        self._database = database
        self._context = context

    def policy(self) -> PricingPolicy:
        """Tax and discount schedule of the event."""
        with self._database.unit_of_work() as unit:
            return store_catalog.pricing_policy(unit.connection, self._context.event_id)

    def lookup(self, code: TagCode | str) -> ItemView | ScanRefusal:
        """The item a tag names; a code already parsed (the checkout's) is not parsed again."""
        if isinstance(code, TagCode):
            tag = code
        else:
            try:
                tag = parse_tag(code)
            except TagError as error:
                return refusal_for_tag_error(error)
        with self._database.unit_of_work() as unit:
            item = store_catalog.find_by_tag(
                unit.connection, self._context.event_id, tag.canonical, self._context.register_id
            )
        if item is None:
            return ScanRefusal(ScanRefusalKind.UNKNOWN_TAG,
                               f"Unknown tag {tag.canonical}: not in this event's catalog",
                               tag.canonical)
        return item

    def current(self, item_ids: Sequence[str]) -> dict[str, ItemView]:
        """The items among ``item_ids`` as the catalog has them now (a recalled cart's, say)."""
        with self._database.unit_of_work() as unit:
            return store_catalog.find_by_ids(unit.connection, self._context.event_id, item_ids,
                                             self._context.register_id)

    def search(self, text: str, limit: int = 50) -> list[ItemView]:
        """Items by consignor number, ``1042-17``, a tag, or words of the description."""
        with self._database.unit_of_work() as unit:
            return store_catalog.search(unit.connection, self._context.event_id, text,
                                        self._context.register_id, limit)

    def event_name(self) -> str:
        """The event's name (its id until the first catalog pull brings the name)."""
        with self._database.unit_of_work() as unit:
            name = store_catalog.event_name(unit.connection, self._context.event_id)
        return name or self._context.event_id

    def catalog_size(self) -> int:
        with self._database.unit_of_work() as unit:
            return store_catalog.count_items(unit.connection, self._context.event_id)
