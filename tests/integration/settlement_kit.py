"""An event to settle on the real local Worker, for the settlement service and screen tests.

Four consignors (1004 sells nothing), three items each for 1001-1003; register A sells five
items, register B sells 1001's first item again (a sold-twice conflict on consignor 1001), and
the event charges each consignor a fee. Each call makes a new event, so tests share nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from pos_app.devtools.admin_client import AdminClient, dates_around_today
from tests.integration.test_settlement_e2e import SellingRegister

SPLITS = {1001: 6000, 1002: 5000, 1003: 7000, 1004: 6500}
FEE = 100


@dataclass(frozen=True)
class Seeded:
    event_id: str
    prices: dict[str, tuple[int, int]]  # item id -> (consignor, price)


def seed_event(admin: AdminClient, http: httpx.Client, *, conflict: bool = True) -> Seeded:
    event_id = f"stl-{uuid.uuid4().hex[:10]}"
    admin.put_event(event_id, name=f"Spring sale {event_id}", **dates_around_today())
    admin.upsert_consignors(event_id, [{"number": n, "name": f"Consignor {n}", "split_bp": bp}
                                       for n, bp in SPLITS.items()])
    prices = {f"{event_id}-{c}-{k}": (c, 1000 + 250 * k + c % 10)
              for c in (1001, 1002, 1003) for k in range(3)}
    admin.upsert_items(event_id, [
        {"id": item, "consignor_number": c, "item_number": n + 1, "tag_code": f"{c}-{n:04d}",
         "description": f"Item {n} of {c}", "price_cents": price}
        for n, (item, (c, price)) in enumerate(prices.items())])
    ids = list(prices)
    till_a = SellingRegister(http, event_id, f"{event_id}-a",
                             admin.create_register(event_id, f"{event_id}-a"))
    till_a.push(till_a.sell([(ids[k], *prices[ids[k]], 0) for k in (0, 1, 3)]),
                till_a.sell([(ids[k], *prices[ids[k]], 0) for k in (6, 7)]))
    if conflict:
        till_b = SellingRegister(http, event_id, f"{event_id}-b",
                                 admin.create_register(event_id, f"{event_id}-b"))
        till_b.push(till_b.sell([(ids[0], *prices[ids[0]], 0)]))
    admin.put_fees(event_id, consignor_fee_cents=FEE)
    return Seeded(event_id, prices)


def add_conflicts(admin: AdminClient, http: httpx.Client, seeded: Seeded) -> None:
    """A third register sells an item the catalog does not know (900 cents, consignor 1002)
    and 1002's unsold second item for 500 cents more than its tag: an unknown_item and a
    price_mismatch conflict, with the seeded sold-twice on 1001."""
    event_id = seeded.event_id
    item = f"{event_id}-1002-1"
    consignor, price = seeded.prices[item]
    till = SellingRegister(http, event_id, f"{event_id}-c",
                           admin.create_register(event_id, f"{event_id}-c"))
    till.push(till.sell([(f"{event_id}-ghost", 1002, 900, 0), (item, consignor, price + 500, 0)]))
