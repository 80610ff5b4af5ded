"""Apply one page of catalog changes pulled from central (docs/sync-protocol.md, Pull).

:func:`upsert_catalog_page` runs in the caller's transaction (the sync module commits it
together with the new cursor), with one Core executemany per table. An item another register
sold becomes *sold elsewhere* here (``status='sold'`` with that register's id). A sale this
register made but has not pushed yet is never undone by a page that does not know of it,
and an item whose sale was voided here goes back to ``approved`` even if the page still
shows the voided sale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, case, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.store import models

items = models.items
consignors = models.consignors
events = models.events
discount_rules = models.discount_rules
registers = models.registers
sale_lines = models.sale_lines
voids = models.voids

_EVENT_FIELDS = ("id", "name", "starts_on", "ends_on", "location", "status", "tax_rate_bp")


class CatalogPageError(ValueError):
    """A pulled page this register cannot apply (no event to attach it to)."""


def upsert_catalog_page(
    connection: Connection,
    event: Mapping[str, Any] | None,
    consignor_rows: Sequence[Mapping[str, Any]],
    item_rows: Sequence[Mapping[str, Any]],
    register_id: str,
    *,
    event_id: str | None = None,
) -> int:
    """Upsert a pulled page (caller commits); return the number of items written.

    Rows without an ``event_id`` (the protocol omits it) belong to ``event_id``, else to
    ``event["id"]``, else to this register's event.
    """
    if event is not None:
        _upsert_event(connection, event)
    if not consignor_rows and not item_rows:
        return 0
    owner = event_id or (str(event["id"]) if event is not None else None)
    if owner is None and any(
        not row.get("event_id") for row in (*consignor_rows, *item_rows)
    ):  # read only when needed: a read before the first write risks a busy snapshot
        owner = _register_event(connection, register_id)
    if consignor_rows:
        _upsert_consignors(connection, [_consignor(row, owner) for row in consignor_rows])
    if item_rows:
        _upsert_items(connection, [_item(row, owner) for row in item_rows], register_id)
        _reopen_voided(connection)
    return len(item_rows)


def _register_event(connection: Connection, register_id: str) -> str:
    found = connection.execute(
        select(registers.c.event_id).where(registers.c.id == register_id)
    ).scalar_one_or_none()
    if found is None:
        raise CatalogPageError(f"register {register_id} is not set up with an event")
    return str(found)


def _upsert_event(connection: Connection, event: Mapping[str, Any]) -> None:
    row: dict[str, Any] = {key: event[key] for key in _EVENT_FIELDS if key in event}
    row["change_seq"] = int(event.get("change_seq") or 0)
    if event.get("timezone"):
        row["timezone"] = event["timezone"]
    statement = sqlite_insert(events)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["id"],
            set_={name: statement.excluded[name] for name in row if name != "id"},
        ),
        [row],
    )
    if "discount_rules" not in event:
        return
    connection.execute(delete(discount_rules).where(discount_rules.c.event_id == event["id"]))
    rules = [
        {"id": rule["id"], "event_id": event["id"], "starts_at": rule["starts_at"],
         "ends_at": rule.get("ends_at"), "percent_bp": rule["percent_bp"]}
        for rule in event["discount_rules"]
    ]
    if rules:
        connection.execute(insert(discount_rules), rules)


def _consignor(row: Mapping[str, Any], event_id: str | None) -> dict[str, Any]:
    return {
        "id": row["id"], "event_id": row.get("event_id") or event_id, "number": row["number"],
        "name": row["name"], "email": row.get("email") or "", "phone": row.get("phone") or "",
        "split_bp": row.get("split_bp", 6500), "change_seq": row.get("change_seq") or 0,
    }


def _item(row: Mapping[str, Any], event_id: str | None) -> dict[str, Any]:
    return {
        "id": row["id"], "event_id": row.get("event_id") or event_id,
        "consignor_number": row["consignor_number"], "item_number": row["item_number"],
        "tag_code": row["tag_code"], "description": row["description"],
        "category": row.get("category") or "", "size": row.get("size") or "",
        "price_cents": row["price_cents"], "condition": row.get("condition") or "good",
        "discountable": bool(row.get("discountable", True)),
        "donate_if_unsold": bool(row.get("donate_if_unsold", False)),
        "status": row.get("status") or "approved", "sold_sale_id": row.get("sold_sale_id"),
        "sold_register_id": row.get("sold_register_id"),
        "change_seq": row.get("change_seq") or 0,
    }


def _upsert_consignors(connection: Connection, rows: list[dict[str, Any]]) -> None:
    statement = sqlite_insert(consignors)
    keys = ("event_id", "number")
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: statement.excluded[name] for name in rows[0] if name not in keys},
        ),
        rows,
    )


def _upsert_items(connection: Connection, rows: list[dict[str, Any]], register_id: str) -> None:
    statement = sqlite_insert(items)
    excluded = statement.excluded
    # Our own sale not yet known to the server: keep it, take every other field.
    keep_ours = and_(items.c.sold_register_id == register_id, excluded.sold_register_id.is_(None))
    updates: dict[str, Any] = {
        name: excluded[name] for name in rows[0] if name not in ("id", "event_id")
    }
    for name in ("status", "sold_sale_id", "sold_register_id"):
        updates[name] = case((keep_ours, items.c[name]), else_=excluded[name])
    connection.execute(
        statement.on_conflict_do_update(index_elements=["id"], set_=updates), rows
    )


def _reopen_voided(connection: Connection) -> None:
    voided_items = (
        select(sale_lines.c.item_id)
        .join(voids, voids.c.sale_id == sale_lines.c.sale_id)
    )
    connection.execute(
        update(items)
        .where(items.c.id.in_(voided_items), items.c.sold_sale_id.in_(select(voids.c.sale_id)))
        .values(status="approved", sold_sale_id=None, sold_register_id=None)
    )
