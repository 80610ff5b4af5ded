"""Catalog queries through SQLAlchemy Core: the scan lookup (one indexed query), search,
the event's price rules, and applying a page of catalog changes pulled from central.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.core.pricing import DiscountRule, PricingPolicy
from pos_app.store import models

items = models.table_of(models.Item)
consignors = models.table_of(models.Consignor)
events = models.table_of(models.Event)
discount_rules = models.table_of(models.DiscountRule)


@dataclass(frozen=True, slots=True)
class ItemRow:
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
    status: str
    sold_sale_id: str | None
    sold_register_id: str | None


_ITEM_COLUMNS = [getattr(items.c, name) for name in ItemRow.__slots__]


def _row(row: Any) -> ItemRow:
    return ItemRow(*row)


def find_by_tag(connection: Connection, event_id: str, tag_code: str) -> ItemRow | None:
    """The item with ``tag_code`` in ``event_id``: one lookup on the (event_id, tag_code) index."""
    statement = select(*_ITEM_COLUMNS).where(
        items.c.event_id == event_id, items.c.tag_code == tag_code
    )
    row = connection.execute(statement).first()
    return None if row is None else _row(row)


def search(connection: Connection, event_id: str, text: str, limit: int = 50) -> list[ItemRow]:
    """Items by consignor number, ``consignor-item``, or words of the description."""
    text = text.strip()
    where = [items.c.event_id == event_id]
    if "-" in text and all(part.isdigit() for part in text.split("-", 1)):
        consignor, item = (int(part) for part in text.split("-", 1))
        where += [items.c.consignor_number == consignor, items.c.item_number == item]
    elif text.isdigit():
        where.append(or_(items.c.consignor_number == int(text), items.c.tag_code == text))
    else:
        where += [items.c.description.like(f"%{word}%") for word in text.split() if word]
    statement = (
        select(*_ITEM_COLUMNS).where(*where)
        .order_by(items.c.consignor_number, items.c.item_number).limit(limit)
    )
    return [_row(row) for row in connection.execute(statement)]


def count_items(connection: Connection, event_id: str) -> int:
    statement = select(func.count()).select_from(items).where(items.c.event_id == event_id)
    return int(connection.execute(statement).scalar_one())


def pricing_policy(connection: Connection, event_id: str) -> PricingPolicy:
    tax = connection.execute(
        select(events.c.tax_rate_bp).where(events.c.id == event_id)
    ).scalar_one_or_none()
    rules = connection.execute(
        select(discount_rules.c.starts_at, discount_rules.c.ends_at, discount_rules.c.percent_bp)
        .where(discount_rules.c.event_id == event_id)
    ).all()
    return PricingPolicy.of(
        tax or 0,
        (
            DiscountRule(
                datetime.fromisoformat(starts),
                percent,
                datetime.fromisoformat(ends) if ends else None,
            )
            for starts, ends, percent in rules
        ),
    )


def upsert_catalog_page(
    connection: Connection,
    event: Mapping[str, Any] | None,
    consignor_rows: Sequence[Mapping[str, Any]],
    item_rows: Sequence[Mapping[str, Any]],
    register_id: str,
) -> int:
    """Apply one pulled page (in the caller's transaction); return the items written.

    An item sold by another register keeps ``status='sold'`` with that register's id, so the
    scan is flagged as *sold elsewhere*. Items this register sold stay as recorded here.
    """
    if event is not None:
        _upsert_event(connection, event)
    if consignor_rows:
        _upsert(connection, consignors, [_consignor(row) for row in consignor_rows],
                ["event_id", "number"])
    if item_rows:
        _upsert(connection, items, [_item(row) for row in item_rows], ["id"],
                keep_local_sale_of=register_id)
    return len(item_rows)


def _upsert_event(connection: Connection, event: Mapping[str, Any]) -> None:
    row = {key: event[key] for key in ("id", "name", "starts_on", "ends_on", "location",
                                       "status", "tax_rate_bp", "change_seq")}
    row["timezone"] = event.get("timezone", "UTC")
    _upsert(connection, events, [row], ["id"])
    connection.execute(discount_rules.delete().where(discount_rules.c.event_id == event["id"]))
    rules = [
        {"id": r["id"], "event_id": event["id"], "starts_at": r["starts_at"],
         "ends_at": r.get("ends_at"), "percent_bp": r["percent_bp"]}
        for r in event.get("discount_rules", [])
    ]
    if rules:
        connection.execute(insert(discount_rules), rules)


def _consignor(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "event_id": row["event_id"], "number": row["number"],
        "name": row["name"], "email": row.get("email") or "", "phone": row.get("phone") or "",
        "split_bp": row["split_bp"], "change_seq": row.get("change_seq", 0),
    }


def _item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "event_id": row["event_id"],
        "consignor_number": row["consignor_number"], "item_number": row["item_number"],
        "tag_code": row["tag_code"], "description": row["description"],
        "category": row.get("category") or "", "size": row.get("size") or "",
        "price_cents": row["price_cents"], "condition": row.get("condition") or "good",
        "discountable": bool(row["discountable"]),
        "donate_if_unsold": bool(row.get("donate_if_unsold", False)),
        "status": row["status"], "sold_sale_id": row.get("sold_sale_id"),
        "sold_register_id": row.get("sold_register_id"),
        "change_seq": row.get("change_seq", 0),
    }


def _upsert(
    connection: Connection,
    table: Any,
    rows: list[dict[str, Any]],
    keys: list[str],
    keep_local_sale_of: str | None = None,
) -> None:
    statement = sqlite_insert(table)
    updates = {name: statement.excluded[name] for name in rows[0] if name not in keys}
    where = None
    if keep_local_sale_of is not None:
        # A row that does not know of a sale this register made (not pushed yet) must not
        # undo it; a row saying another register sold it wins (the conflict is recorded).
        where = or_(
            table.c.sold_register_id.is_(None),
            table.c.sold_register_id != keep_local_sale_of,
            statement.excluded.sold_register_id.is_not(None),
        )
    connection.execute(
        statement.on_conflict_do_update(index_elements=keys, set_=updates, where=where), rows
    )
