"""Applying pulled catalog pages: upserts, sold elsewhere, and our own unpushed sales kept."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from store_helpers import Till

from pos_app.services.catalog import CatalogService, ItemView
from pos_app.services.checkout import status_refusal
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.catalog_pull import CatalogPageError, upsert_catalog_page
from pos_app.store.engine import Database

EVENT = {
    "id": "evt-1", "name": "Fall sale", "starts_on": "2026-11-20", "ends_on": "2026-11-21",
    "location": "Gym", "status": "published", "tax_rate_bp": 700, "change_seq": 3,
    "discount_rules": [{"id": "r1", "starts_at": "2026-11-21T08:00:00", "ends_at": None,
                        "percent_bp": 5000}],
}


def item(number: int, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": f"item-{number}", "consignor_number": 42, "item_number": number,
        "tag_code": f"0042-{number:04d}", "description": f"Thing {number}", "category": "Toys",
        "size": "", "price_cents": 1000 + number, "condition": "good", "discountable": 1,
        "donate_if_unsold": 0, "status": "approved", "sold_sale_id": None,
        "sold_register_id": None, "change_seq": number,
    }
    row.update(changes)
    return row


def apply(database: Database, event: dict[str, Any] | None, items: list[dict[str, Any]],
          register_id: str = "reg-a") -> int:
    with database.unit_of_work(immediate=True) as unit:
        written = upsert_catalog_page(
            unit.connection, event,
            [{"id": "c42", "number": 42, "name": "Pat", "email": None, "phone": None,
              "split_bp": 6500, "change_seq": 1}],
            items, register_id,
        )
        unit.commit()
    return written


def apply_compact(database: Database, items: list[dict[str, Any]], register_id: str = "reg-a",
                  columns: list[str] | None = None) -> int:
    """The same items as a compact page: the columns once (any order, no event_id), rows of
    values, flags as 0/1, as the Worker sends them with ``format=rows``."""
    names = columns or [name for name in item(0) if name != "event_id"]
    rows = [[int(row[name]) if isinstance(row[name], bool) else row[name] for name in names]
            for row in items]
    with database.unit_of_work(immediate=True) as unit:
        written = upsert_catalog_page(unit.connection, None, [], [], register_id,
                                      event_id="evt-1", compact=(names, rows))
        unit.commit()
    return written


def _items_table(database: Database) -> list[tuple[Any, ...]]:
    with database.unit_of_work() as unit:
        return list(unit.connection.exec_driver_sql("SELECT * FROM items ORDER BY id").all())


def test_a_compact_page_writes_what_the_same_page_as_objects_writes(
        database: Database, tmp_path: Path) -> None:
    other = Database.open(tmp_path / "compact.sqlite3")
    for db in (database, other):
        configure_register(db, MemoryTokenStore(), register_id="reg-a", event_id="evt-1",
                           name="Till A", server_url=None, token=None)
        apply(db, EVENT, [])  # the event and its consignor
    first = [item(n, discountable=n % 2 == 0, donate_if_unsold=n % 3 == 0) for n in range(1, 9)]
    later = [item(2, price_cents=5, change_seq=20, category="Books", size="M"),
             item(3, status="sold", sold_sale_id="s-b", sold_register_id="reg-b", change_seq=21)]
    columns = [name for name in item(0) if name != "event_id"]
    random.Random(3).shuffle(columns)  # the server names the order

    assert apply(database, None, first) == 8 and apply(database, None, later) == 2
    assert apply_compact(other, first, columns=columns) == 8
    assert apply_compact(other, later, columns=columns) == 2

    assert _items_table(other) == _items_table(database)
    sold = CatalogService(other, configure_register(
        other, MemoryTokenStore(), register_id="reg-a", event_id="evt-1", name="Till A",
        server_url=None, token=None)).lookup("0042-0003")
    assert isinstance(sold, ItemView) and sold.status == "sold" and not sold.sold_here
    other.close()


@pytest.mark.parametrize("columns", [
    ["id", "tag_code", "price_cents"],  # columns missing: the update would keep stale values
    [*(name for name in item(0) if name not in ("event_id", "size")), "event_id"],
    [*(name for name in item(0) if name not in ("event_id", "size")), "size; DROP TABLE items"],
])
def test_a_compact_page_without_exactly_the_item_columns_is_refused_whole(
        database: Database, columns: list[str]) -> None:
    configure_register(database, MemoryTokenStore(), register_id="reg-a", event_id="evt-1",
                       name="Till A", server_url=None, token=None)
    apply(database, EVENT, [item(1)])
    before = _items_table(database)
    rows = [[1] * len(columns)]
    with database.unit_of_work(immediate=True) as unit, pytest.raises(CatalogPageError):
        upsert_catalog_page(unit.connection, None, [], [], "reg-a", event_id="evt-1",
                            compact=(columns, rows))
    assert _items_table(database) == before


def test_pages_are_upserted_and_sold_elsewhere_is_flagged(database: Database) -> None:
    context = configure_register(database, MemoryTokenStore(), register_id="reg-a",
                                 event_id="evt-1", name="Till A", server_url=None, token=None)
    catalog = CatalogService(database, context)
    assert catalog.event_name() == "evt-1"  # placeholder until the first pull
    assert apply(database, EVENT, [item(1), item(2), item(3)]) == 3
    assert catalog.event_name() == "Fall sale"
    assert catalog.catalog_size() == 3
    assert catalog.policy().tax_rate_bp == 700

    # a later page, without the event, changes a price and reports a sale at register B
    apply(database, None, [item(1, price_cents=555, change_seq=9),
                           item(2, status="sold", sold_sale_id="s-b", sold_register_id="reg-b")])
    first, second = catalog.lookup("0042-0001"), catalog.lookup("0042-0002")
    assert isinstance(first, ItemView) and first.price_cents == 555
    assert isinstance(second, ItemView) and second.status == "sold" and not second.sold_here
    refusal = status_refusal(second)
    assert refusal is not None and refusal.kind == "sold_elsewhere" and refusal.overridable


def test_our_unpushed_sale_survives_a_stale_page_and_a_void_reopens(till: Till) -> None:
    sale = till.sell(["1001-0001"])
    stale = {
        "id": "demo-item-0000001", "consignor_number": 1001, "item_number": 1,
        "tag_code": "1001-0001", "description": "Renamed", "price_cents": 4321,
        "discountable": 1, "status": "approved", "sold_sale_id": None,
        "sold_register_id": None, "change_seq": 10,
    }
    apply(till.database, None, [stale], register_id=till.context.register_id)
    found = till.catalog.lookup("1001-0001")
    assert isinstance(found, ItemView)
    assert (found.description, found.status, found.sold_here) == ("Renamed", "sold", True)
    with till.database.unit_of_work(immediate=True) as unit:  # the same page, compact
        names = [name for name in item(0) if name != "event_id"]
        compact = {**item(0), **stale, "description": "Renamed again"}
        upsert_catalog_page(unit.connection, None, [], [], till.context.register_id,
                            compact=(names, [[compact[name] for name in names]]))
        unit.commit()
    found = till.catalog.lookup("1001-0001")
    assert isinstance(found, ItemView)
    assert (found.description, found.status, found.sold_here) == ("Renamed again", "sold", True)

    till.sales.void(sale.id, "demo-cashier", "demo-manager", "test")
    echoed = dict(stale, status="sold", sold_sale_id=sale.id,
                  sold_register_id=till.context.register_id)
    apply(till.database, None, [echoed], register_id=till.context.register_id)
    reopened = till.catalog.lookup("1001-0001")
    assert isinstance(reopened, ItemView) and reopened.status == "approved"


def test_an_unpushed_return_survives_a_stale_page_until_it_is_pushed(till: Till) -> None:
    from pos_app.services.lifecycle import ItemLifecycleService

    hall = ItemLifecycleService(till.database, till.context, till.clock)
    returned = hall.return_item("1001-0002", "demo-cashier")
    stale = {
        "id": returned.item_id, "consignor_number": 1001, "item_number": 2,
        "tag_code": "1001-0002", "description": "Renamed", "price_cents": 999,
        "discountable": 1, "status": "approved", "sold_sale_id": None,
        "sold_register_id": None, "change_seq": 11,
    }
    apply(till.database, None, [stale], register_id=till.context.register_id)
    item = hall.item("1001-0002")
    assert (item.description, item.status) == ("Renamed", "returned")

    with till.database.unit_of_work() as unit:  # the server acknowledged the return
        [entry], _ = unit.outbox.read_pending(10)
        unit.outbox.acknowledge([entry.seq], entry.seq)
        unit.commit()
    apply(till.database, None, [dict(stale, status="donated", change_seq=12)],
          register_id=till.context.register_id)
    assert hall.item("1001-0002").status == "donated"  # the server's word, once pushed
