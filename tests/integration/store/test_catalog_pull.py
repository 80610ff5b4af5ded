"""Applying pulled catalog pages: upserts, sold elsewhere, and our own unpushed sales kept."""

from __future__ import annotations

from typing import Any

from store_helpers import Till

from pos_app.services.catalog import CatalogService, ItemView
from pos_app.services.checkout import status_refusal
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.catalog_pull import upsert_catalog_page
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
