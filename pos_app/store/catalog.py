"""Catalog queries through SQLAlchemy Core: the scan lookup, search, and the price rules.

The scan lookup is one query on the ``(event_id, tag_code)`` unique index. Items come back as
:class:`ItemView`, a plain frozen record seen from one register (``sold_here`` says whether
this register sold it). Applying pulled catalog pages lives in :mod:`pos_app.store.catalog_pull`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    column,
    false,
    func,
    or_,
    select,
)

from pos_app.core.items import ItemStatus
from pos_app.core.pricing import DiscountRule, PricingPolicy
from pos_app.core.tags import TagError, TagKind, parse_tag
from pos_app.store import models
from pos_app.store.driver import driver

items = models.items
events = models.events
discount_rules = models.discount_rules

SEARCH_LIMIT_MAX = 500


@dataclass(frozen=True, slots=True)
class ItemView:
    """One catalog item as this register sees it."""

    id: str
    tag_code: str
    consignor_number: int
    item_number: int
    description: str
    category: str
    size: str
    price_cents: int
    discountable: bool
    donate_if_unsold: bool
    status: ItemStatus
    sold_sale_id: str | None
    sold_register_id: str | None
    sold_here: bool = False


_COLUMNS = (
    items.c.id, items.c.tag_code, items.c.consignor_number, items.c.item_number,
    items.c.description, items.c.category, items.c.size, items.c.price_cents,
    items.c.discountable, items.c.donate_if_unsold, items.c.status, items.c.sold_sale_id,
    items.c.sold_register_id,
)
_BY_TAG: Select[Any] = select(*_COLUMNS).where(
    items.c.event_id == bindparam("event_id"), items.c.tag_code == bindparam("tag_code")
)


def item_view(row: Sequence[Any], register_id: str) -> ItemView:
    """An :class:`ItemView` from a row of the lookup columns."""
    status = ItemStatus(row[10])
    return ItemView(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], bool(row[8]),
        bool(row[9]), status, row[11], row[12],
        status is ItemStatus.SOLD and row[12] is not None and row[12] == register_id,
    )


def find_by_tag(
    connection: Connection, event_id: str, tag_code: str, register_id: str
) -> ItemView | None:
    """The item with canonical ``tag_code`` in ``event_id``: one indexed query."""
    row = connection.execute(_BY_TAG, {"event_id": event_id, "tag_code": tag_code}).first()
    return None if row is None else item_view(row, register_id)


_BY_IDS: Select[Any] = select(*_COLUMNS).where(
    items.c.event_id == bindparam("event_id"),
    items.c.id.in_(select(column("value")).select_from(func.json_each(bindparam("ids")))),
)


def find_by_ids(
    connection: Connection, event_id: str, item_ids: Sequence[str], register_id: str
) -> dict[str, ItemView]:
    """The items of ``event_id`` among ``item_ids``, by id: one query, one bound JSON array."""
    rows = connection.execute(_BY_IDS, {"event_id": event_id, "ids": json.dumps(list(item_ids))})
    return {str(row[0]): item_view(row, register_id) for row in rows}


def lookup_statement() -> Select[Any]:
    """The statement :func:`find_by_tag` runs (for EXPLAIN QUERY PLAN in tests)."""
    return _BY_TAG


def search(
    connection: Connection, event_id: str, text: str, register_id: str, limit: int = 50
) -> list[ItemView]:
    """Items by tag, ``consignor-item`` (``1042-17``), consignor number, or description words."""
    words = text.split()
    if not words:
        return []
    statement = (
        select(*_COLUMNS)
        .where(items.c.event_id == event_id, _search_condition(text.strip(), words))
        .order_by(items.c.consignor_number, items.c.item_number)
        .limit(max(1, min(limit, SEARCH_LIMIT_MAX)))
    )
    return [item_view(row, register_id) for row in connection.execute(statement)]


def _search_condition(text: str, words: list[str]) -> ColumnElement[bool]:
    try:
        tag = parse_tag(text)
    except TagError:
        tag = None
    if tag is not None and tag.kind is TagKind.CONSIGNOR_ITEM:
        return (items.c.consignor_number == tag.consignor_number) & (
            items.c.item_number == tag.item_number
        )
    if tag is not None:
        return items.c.tag_code == tag.canonical
    if text.isdigit() and len(text) <= 6:
        return or_(items.c.consignor_number == int(text), items.c.tag_code == text)
    conditions = [items.c.description.like(f"%{_escape_like(word)}%", escape="\\")
                  for word in words]
    return and_(*conditions)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def event_name(connection: Connection, event_id: str) -> str | None:
    name = connection.execute(
        select(events.c.name).where(events.c.id == event_id)
    ).scalar_one_or_none()
    return None if name is None else str(name)


def count_items(connection: Connection, event_id: str) -> int:
    statement = select(func.count()).select_from(items).where(items.c.event_id == event_id)
    return int(connection.execute(statement).scalar_one())


def pricing_policy(connection: Connection, event_id: str) -> PricingPolicy:
    """The event's tax rate and discount schedule (no tax, no discounts if it is unknown)."""
    event = connection.execute(
        select(events.c.tax_rate_bp, events.c.timezone).where(events.c.id == event_id)
    ).first()
    tax, zone = (event[0], event_zone(event[1])) if event is not None else (0, None)
    rules = connection.execute(
        select(discount_rules.c.starts_at, discount_rules.c.ends_at, discount_rules.c.percent_bp)
        .where(discount_rules.c.event_id == event_id)
    ).all()
    return PricingPolicy.of(
        tax,
        (
            DiscountRule(_aware(starts, zone), percent, _aware(ends, zone) if ends else None)
            for starts, ends, percent in rules
        ),
    )


_TAX_RATE_SQL = "SELECT tax_rate_bp FROM events WHERE id = ?"


def tax_policy(connection: Connection, event_id: str) -> PricingPolicy:
    """The event's tax rule alone (what a sale's totals need; its lines carry their discounts).

    Read on every sale commit, so by sqlite3 itself (:mod:`pos_app.store.driver`).
    """
    row = driver(connection).execute(_TAX_RATE_SQL, (event_id,)).fetchone()
    return PricingPolicy(int(row[0] or 0) if row else 0)


def _aware(text: str, zone: tzinfo | None) -> datetime:
    """A rule time; one written without an offset is wall-clock time at the event."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()


def event_zone(name: str | None) -> tzinfo | None:
    """The time zone an event names (IANA), or None when it names none known here."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def register_event_id(connection: Connection) -> str | None:
    """The event of the register set up in this file, or None before set-up."""
    found = connection.execute(select(models.registers.c.event_id)).scalar_one_or_none()
    return None if found is None else str(found)


def tags_for(
    connection: Connection, event_id: str | None, *, consignor: int | None,
    item_ids: Sequence[str], tag_codes: Sequence[str],
) -> list[tuple[str, int, int, str, str, int, bool, bool]]:
    """Tag fields of the items matching any criterion, by consignor then item number.

    Each row: tag code, consignor number, item number, description, size, price, discountable,
    donate-if-unsold. ``event_id`` None reads every event.
    """
    wanted: list[ColumnElement[bool]] = []
    if consignor is not None:
        wanted.append(items.c.consignor_number == consignor)
    if item_ids:
        wanted.append(items.c.id.in_(list(item_ids)))
    if tag_codes:
        wanted.append(items.c.tag_code.in_(list(tag_codes)))
    statement = (
        select(items.c.tag_code, items.c.consignor_number, items.c.item_number,
               items.c.description, items.c.size, items.c.price_cents, items.c.discountable,
               items.c.donate_if_unsold)
        .where(or_(false(), *wanted))
        .order_by(items.c.consignor_number, items.c.item_number)
    )
    if event_id is not None:
        statement = statement.where(items.c.event_id == event_id)
    return [(str(tag), int(number), int(item), str(text), str(size), int(price),
             bool(discountable), bool(donate))
            for tag, number, item, text, size, price, discountable, donate
            in connection.execute(statement)]
