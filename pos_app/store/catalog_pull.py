"""Apply one page of catalog changes pulled from central (docs/sync-protocol.md, Pull).

:func:`upsert_catalog_page` runs in the caller's transaction (the sync module commits it
together with the new cursor), with one executemany per table (the items as driver-level SQL
on the Core connection). An item another register sold becomes *sold elsewhere* here
(``status='sold'`` with that register's id). A sale this register made but has not pushed
yet is never undone by a page that does not know of it, and an item whose sale was voided
here goes back to ``approved`` even if the page still shows the voided sale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.store import models
from pos_app.store.item_indexes import GIVE_UP_TAGS_SQL

items = models.items
consignors = models.consignors
events = models.events
discount_rules = models.discount_rules
registers = models.registers
sale_lines = models.sale_lines
voids = models.voids

PULL_CACHE_KIB = 32_768
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
    compact: tuple[Sequence[str], Sequence[Sequence[Any]]] | None = None,
    give_way: bool = False,
) -> int:
    """Upsert a pulled page (caller commits); return the number of items written.

    Rows without an ``event_id`` (the protocol omits it) belong to ``event_id``, else to
    ``event["id"]``, else to this register's event. ``compact`` is a compact page's items:
    its column names (every item column but ``event_id``, in any order) and rows of values.
    ``give_way``: an item stored here that holds the tag of a pulled item gives it up (one more
    statement per page, on the tag index): an item entered here at check-in, or a pulled item
    whose later change that freed the tag has not arrived yet.
    """
    columns, values = compact if compact is not None else ((), ())
    if compact is not None and (len(columns) != len(ITEM_COLUMNS) - 1
                                or set(columns) != set(ITEM_COLUMNS) - {"event_id"}):
        raise CatalogPageError(f"a compact page needs every item column but event_id: {columns}")
    if event is not None:
        _upsert_event(connection, event)
    if not consignor_rows and not item_rows and not values:
        return 0
    if len(item_rows) + len(values) > 1:
        # The three item indexes of a large catalog outgrow SQLite's default 2 MB page cache
        # and every page then re-reads the leaves it updates: the apply time of a page grew
        # with the table (cProfile and timing of a 400,000-item pull). Per connection.
        connection.exec_driver_sql(f"PRAGMA cache_size=-{PULL_CACHE_KIB}")
    owner = event_id or (str(event["id"]) if event is not None else None)
    if owner is None and (values or any(
        not row.get("event_id") for row in (*consignor_rows, *item_rows)
    )):  # read only when needed: a read before the first write risks a busy snapshot
        owner = _register_event(connection, register_id)
    if consignor_rows:
        _upsert_consignors(connection, [_consignor(row, owner) for row in consignor_rows])
    if item_rows:
        rows = [_item(row, owner) for row in item_rows]
        if give_way:
            _give_way(connection, [(row[1], row[4], row[0]) for row in rows])
        _upsert_items(connection, rows, register_id)
    if values:
        if give_way:
            tag, key = columns.index("tag_code"), columns.index("id")
            _give_way(connection, [(owner, row[tag], row[key]) for row in values])
        ours = (register_id,) * len(_SALE_COLUMNS)
        connection.exec_driver_sql(_upsert_sql(("event_id", *columns)),
                                   [(owner, *row, *ours) for row in values])
    if item_rows or values:
        _reopen_voided(connection)
        _keep_unpushed_item_events(connection)
    return len(item_rows) + len(values)


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


ITEM_COLUMNS = (
    "id", "event_id", "consignor_number", "item_number", "tag_code", "description", "category",
    "size", "price_cents", "condition", "discountable", "donate_if_unsold", "status",
    "sold_sale_id", "sold_register_id", "change_seq",
)
_SALE_COLUMNS = ("status", "sold_sale_id", "sold_register_id")


def _item(row: Mapping[str, Any], event_id: str | None) -> tuple[Any, ...]:
    """A pulled item as the values of :data:`ITEM_COLUMNS`, defaults filled in."""
    return (
        row["id"], row.get("event_id") or event_id, row["consignor_number"],
        row["item_number"], row["tag_code"], row["description"], row.get("category") or "",
        row.get("size") or "", row["price_cents"], row.get("condition") or "good",
        bool(row.get("discountable", True)), bool(row.get("donate_if_unsold", False)),
        row.get("status") or "approved", row.get("sold_sale_id"), row.get("sold_register_id"),
        row.get("change_seq") or 0,
    )


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


@cache
def _upsert_sql(columns: tuple[str, ...] = ITEM_COLUMNS) -> str:
    """The item upsert, as driver-level SQL: the 16 columns (in ``columns``' order), then this
    register's id three times (once per sale column; qmark parameters cannot be numbered
    with a sequence).

    Our own sale not yet known to the server (the page has no sold register where we have
    ours) is kept; every other field is taken. Up to 10,000 rows a page go through one
    executemany: compiled Core spent as long building the parameters as SQLite spent writing
    (cProfile of a 40,000-item pull).
    """
    names = ", ".join(columns)
    values = ", ".join("?" for _ in columns)
    keep_ours = "items.sold_register_id = ? AND excluded.sold_register_id IS NULL"
    updates = [
        f"{name} = CASE WHEN {keep_ours} THEN items.{name} ELSE excluded.{name} END"
        if name in _SALE_COLUMNS else f"{name} = excluded.{name}"
        for name in columns if name not in ("id", "event_id")
    ]
    return (f"INSERT INTO items ({names}) VALUES ({values}) "
            f"ON CONFLICT (id) DO UPDATE SET {', '.join(updates)}")


# An item stored here whose tag the central catalog gave to another item gives the tag up:
# one entered here at check-in (the Worker recorded `tag_taken`), or an earlier pulled item
# that gave the tag away on the server in a change still to come (pages are in change_seq
# order; that change puts its real tag back). The pulled item takes the tag, and the local one
# keeps its row (its events and sales) under "<tag>~<id>". One statement per page.
_GIVE_WAY_SQL = GIVE_UP_TAGS_SQL + """
WHERE id IN (SELECT i.id FROM json_each(?) AS p
             JOIN items i ON i.event_id = json_extract(p.value, '$[0]')
                         AND i.tag_code = json_extract(p.value, '$[1]')
             WHERE i.id != json_extract(p.value, '$[2]'))
"""


def _give_way(connection: Connection, pulled: list[tuple[Any, Any, Any]]) -> None:
    """``pulled``: (event id, tag, item id) of each item of the page."""
    connection.exec_driver_sql(_GIVE_WAY_SQL, (json.dumps(pulled),))


def _upsert_items(connection: Connection, rows: list[tuple[Any, ...]], register_id: str) -> None:
    ours = (register_id,) * len(_SALE_COLUMNS)
    connection.exec_driver_sql(_upsert_sql(), [(*row, *ours) for row in rows])


# An item event still in the outbox (check-in, return, donation the server has not applied
# yet) keeps the status it gave the item: a page read before it was pushed must not undo it.
_KEEP_UNPUSHED_ITEM_EVENTS_SQL = """
UPDATE items SET status = (
    SELECT e.to_status FROM item_events e
    WHERE e.item_id = items.id AND e.id IN (SELECT ref_id FROM outbox WHERE kind = 'item')
    ORDER BY e.created_at DESC, e.id DESC LIMIT 1)
WHERE id IN (SELECT e.item_id FROM item_events e
             WHERE e.id IN (SELECT ref_id FROM outbox WHERE kind = 'item'))
  AND status != 'sold'
"""


def _keep_unpushed_item_events(connection: Connection) -> None:
    connection.exec_driver_sql(_KEEP_UNPUSHED_ITEM_EVENTS_SQL)


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
