"""A demo event for trying the register with no server: consignors, items, a discount day.

``create_demo_event(database, items=200_000)`` writes the event (8.25 % tax, half price on
discountable items from 08:00 on the event's last day, which is today), ~400 consignors, the
items (canonical ``CCCC-IIII`` tags, plus one in a thousand with a manufacturer EAN-13), the
demo register and two people, in ONE transaction with Core executemany (a few seconds for
200k items). Log in with PIN 1234 (cashier) or 9999 (manager).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pos_app.core.items import ItemStatus
from pos_app.core.tags import consignor_item_code, gs1_check_digit
from pos_app.services.cashiers import hash_pin
from pos_app.services.context import RegisterContext
from pos_app.store import catalog_seed, people
from pos_app.store.engine import Database

DEMO_EVENT_ID = "demo-event"
DEMO_REGISTER_ID = "demo-register-1"
CASHIER_PIN, MANAGER_PIN = "1234", "9999"
TAX_RATE_BP, DISCOUNT_BP = 825, 5000
MAX_CONSIGNORS, FIRST_CONSIGNOR = 400, 1001
EAN_EVERY = 1000

_KINDS = {
    "Girls clothing": ("Floral dress", "Denim jeans", "Striped tee", "Fleece hoodie", "Leggings"),
    "Boys clothing": ("Polo shirt", "Cargo shorts", "Rain jacket", "Khaki pants", "Graphic tee"),
    "Shoes": ("Sneakers", "Rain boots", "Sandals", "Snow boots", "Dress shoes"),
    "Toys": ("Wooden blocks", "Puzzle 100 pc", "Plush bear", "Toy train set", "Board game"),
    "Books": ("Picture book", "Chapter book set", "Board book", "Activity book"),
    "Sports": ("Soccer cleats", "Bike helmet", "Baseball glove", "Shin guards", "Ice skates"),
    "Baby gear": ("Stroller", "High chair", "Baby carrier", "Play mat", "Bouncer"),
}
_PRODUCTS = [(category, name) for category, names in _KINDS.items() for name in names]
_SIZES = ("NB", "0-3M", "6M", "12M", "2T", "3T", "4T", "5", "6", "7", "8", "10", "12", "14", "")
_CONDITIONS = ("new", "like_new", "good", "good", "fair")
_PRICES = tuple(range(100, 6001, 50))
_NAMES = ("Avery", "Jordan", "Morgan", "Riley", "Casey", "Quinn", "Harper", "Rowan", "Sage")
_SURNAMES = ("Nguyen", "Smith", "Garcia", "Johnson", "Okafor", "Martin", "Kowalski", "Brown")


def create_demo_event(
    database: Database, items: int = 200_000, seed: int = 2026, today: date | None = None,
    zone: str | None = None,
) -> RegisterContext:
    """Fill an empty ``database`` with the demo event and register; return its context.

    ``zone`` is the event's IANA time zone (its discount day starts at 08:00 there); without
    one the event keeps the machine's local time, as a demo on the organiser's own machine.
    """
    rng = random.Random(seed)
    today = today or date.today()
    consignor_count = max(1, min(MAX_CONSIGNORS, items // 50))
    register = people.RegisterRow(DEMO_REGISTER_ID, DEMO_EVENT_ID, "Register 1 (demo)",
                                  None, True)
    with database.unit_of_work(immediate=True) as unit:
        connection = unit.connection
        catalog_seed.add_event(connection, _event(today, zone), [_discount(today, zone)])
        catalog_seed.add_consignors(
            connection, [_consignor(rng, FIRST_CONSIGNOR + n) for n in range(consignor_count)])
        catalog_seed.add_items(connection, _items(rng, items, consignor_count))
        for cashier in _people():
            people.insert_cashier(connection, cashier)
        people.replace_register(connection, register)
        unit.commit()
    return RegisterContext(register.id, register.event_id, register.name, True, None)


def _event(today: date, zone: str | None) -> dict[str, Any]:
    return {**({"timezone": zone} if zone else {}),
        "id": DEMO_EVENT_ID, "name": "Spring Kids Consignment Sale (demo)",
        "starts_on": (today - timedelta(days=1)).isoformat(), "ends_on": today.isoformat(),
        "location": "Community Hall", "status": "published", "tax_rate_bp": TAX_RATE_BP,
    }


def _discount(today: date, zone: str | None) -> dict[str, Any]:
    local = ZoneInfo(zone) if zone else datetime.now().astimezone().tzinfo
    return {
        "id": "demo-half-price", "event_id": DEMO_EVENT_ID,
        "starts_at": datetime.combine(today, time(8, 0), local).isoformat(),
        "ends_at": None, "percent_bp": DISCOUNT_BP,
    }


def _consignor(rng: random.Random, number: int) -> dict[str, Any]:
    return {
        "id": f"demo-consignor-{number}", "event_id": DEMO_EVENT_ID, "number": number,
        "name": f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}",
        "email": f"consignor{number}@example.org", "phone": "",
        "split_bp": rng.choice((6000, 6500, 7000)),
    }


def _items(rng: random.Random, count: int, consignor_count: int) -> list[dict[str, Any]]:
    """Items in consignor-then-item order, so every index is appended to in order."""
    per_consignor, extra = divmod(count, consignor_count)
    rows: list[dict[str, Any]] = []
    for offset in range(consignor_count):
        consignor = FIRST_CONSIGNOR + offset
        for item_number in range(1, per_consignor + (offset < extra) + 1):
            rows.append(_item(rng, len(rows) + 1, consignor, item_number))
    return rows


def _item(rng: random.Random, index: int, consignor: int, item_number: int) -> dict[str, Any]:
    category, description = rng.choice(_PRODUCTS)
    tag = consignor_item_code(consignor, item_number)
    if index % EAN_EVERY == 0:  # a few items carry a manufacturer EAN-13 instead
        body = f"20{index:010d}"
        tag = body + str(gs1_check_digit(body))
    return {
        "id": f"demo-item-{index:07d}", "event_id": DEMO_EVENT_ID,
        "consignor_number": consignor, "item_number": item_number, "tag_code": tag,
        "description": description, "category": category, "size": rng.choice(_SIZES),
        "price_cents": rng.choice(_PRICES), "condition": rng.choice(_CONDITIONS),
        "discountable": rng.random() < 0.8, "donate_if_unsold": rng.random() < 0.3,
        "status": ItemStatus.APPROVED.value, "sold_sale_id": None, "sold_register_id": None,
        "change_seq": 0,
    }


def _people() -> list[people.CashierRow]:
    return [
        people.CashierRow("demo-cashier", "Dana (cashier)", "cashier", hash_pin(CASHIER_PIN)),
        people.CashierRow("demo-manager", "Lee (manager)", "manager", hash_pin(MANAGER_PIN)),
    ]
