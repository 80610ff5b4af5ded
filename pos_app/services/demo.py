"""A demo event for trying the register with no server: consignors, items, a discount day.

``create_demo_event(database, items=200_000)`` writes everything in one transaction with Core
executemany (a few seconds for 200k items). Log in with PIN 1234 (cashier) or 9999 (manager).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from pos_app.core.tags import consignor_item_code, gs1_check_digit
from pos_app.services.cashiers import hash_pin
from pos_app.services.context import RegisterContext
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store import models
from pos_app.store.engine import Database

DEMO_EVENT_ID = "demo-event"
DEMO_REGISTER_ID = "demo-register-1"
CASHIER_PIN, MANAGER_PIN = "1234", "9999"

_KINDS = {
    "Girls clothing": ["Floral dress", "Denim jeans", "Striped tee", "Fleece hoodie", "Leggings"],
    "Boys clothing": ["Polo shirt", "Cargo shorts", "Rain jacket", "Khaki pants", "Graphic tee"],
    "Shoes": ["Sneakers", "Rain boots", "Sandals", "Snow boots", "Dress shoes"],
    "Toys": ["Wooden blocks", "Puzzle 100 pc", "Plush bear", "Toy train set", "Board game"],
    "Books": ["Picture book", "Chapter book set", "Board book", "Activity book"],
    "Sports": ["Soccer cleats", "Bike helmet", "Baseball glove", "Shin guards", "Ice skates"],
    "Baby gear": ["Stroller", "High chair", "Baby carrier", "Play mat", "Bouncer"],
}
_SIZES = ["NB", "0-3M", "6M", "12M", "2T", "3T", "4T", "5", "6", "7", "8", "10", "12", "14", ""]
_NAMES = ["Avery", "Jordan", "Morgan", "Riley", "Casey", "Quinn", "Harper", "Rowan", "Sage"]
_SURNAMES = ["Nguyen", "Smith", "Garcia", "Johnson", "Okafor", "Martin", "Kowalski", "Brown"]


def create_demo_event(
    database: Database, items: int = 200_000, seed: int = 2026, today: date | None = None
) -> RegisterContext:
    """Fill ``database`` with the demo event and register; return the register context."""
    rng = random.Random(seed)
    today = today or date.today()
    tz = datetime.now().astimezone().tzinfo
    consignor_count = max(1, min(400, items // 50 or 1))
    with database.unit_of_work() as unit:
        connection = unit.connection
        connection.execute(insert(models.table_of(models.Event)), [{
            "id": DEMO_EVENT_ID, "name": "Spring Kids Consignment Sale (demo)",
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "ends_on": (today + timedelta(days=1)).isoformat(),
            "location": "Community Hall", "status": "published", "tax_rate_bp": 825,
        }])
        connection.execute(insert(models.table_of(models.DiscountRule)), [{
            "id": "demo-half-price", "event_id": DEMO_EVENT_ID,
            "starts_at": datetime.combine(today, time(0, 0), tz).isoformat(),
            "ends_at": None, "percent_bp": 5000,
        }])
        connection.execute(insert(models.table_of(models.Consignor)),
                           [_consignor(rng, number) for number in range(1, consignor_count + 1)])
        connection.execute(insert(models.table_of(models.Item)),
                           list(_items(rng, items, consignor_count)))
        connection.execute(insert(models.table_of(models.Cashier)), [
            {"id": "demo-cashier", "name": "Dana (cashier)", "pin_hash": hash_pin(CASHIER_PIN),
             "role": "cashier", "active": True},
            {"id": "demo-manager", "name": "Lee (manager)", "pin_hash": hash_pin(MANAGER_PIN),
             "role": "manager", "active": True},
        ])
        unit.commit()
    return configure_register(
        database, MemoryTokenStore(), register_id=DEMO_REGISTER_ID, event_id=DEMO_EVENT_ID,
        name="Register 1 (demo)", server_url=None, token=None, is_demo=True,
    )


def _consignor(rng: random.Random, number: int) -> dict[str, Any]:
    name = f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}"
    return {"id": f"demo-consignor-{number}", "event_id": DEMO_EVENT_ID, "number": number + 1000,
            "name": name, "email": f"consignor{number}@example.org", "phone": "",
            "split_bp": rng.choice([6000, 6500, 7000])}


def _items(rng: random.Random, count: int, consignor_count: int) -> Any:
    categories = list(_KINDS)
    for index in range(count):
        consignor = index % consignor_count + 1001
        item_number = index // consignor_count + 1
        category = rng.choice(categories)
        tag = consignor_item_code(consignor, item_number)
        if index % 1000 == 999:  # a few items carry a manufacturer EAN-13 instead
            body = f"20{consignor:05d}{item_number:05d}"[:12]
            tag = body + str(gs1_check_digit(body))
        yield {
            "id": f"demo-item-{index + 1}", "event_id": DEMO_EVENT_ID,
            "consignor_number": consignor, "item_number": item_number, "tag_code": tag,
            "description": rng.choice(_KINDS[category]), "category": category,
            "size": rng.choice(_SIZES), "price_cents": rng.choice(range(100, 6001, 50)),
            "condition": rng.choice(["new", "like_new", "good", "good", "fair"]),
            "discountable": rng.random() < 0.8, "donate_if_unsold": rng.random() < 0.3,
            "status": "approved", "sold_sale_id": None, "sold_register_id": None,
            "change_seq": 0,
        }
