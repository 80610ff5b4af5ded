"""Held carts: park a shopper's cart (they went to fetch a wallet) and recall it later.

A hold stores the cart lines as JSON; recalling returns them and deletes the hold in one
transaction, so a held cart is recalled at most once.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from pos_app.core.cart import CartLine
from pos_app.core.ids import new_id
from pos_app.core.sale import utc_timestamp
from pos_app.services.changes import Changes, changes
from pos_app.store import people
from pos_app.store.engine import Database

MAX_LABEL_LENGTH = 60


class HoldError(ValueError):
    """A hold that cannot be made or recalled; the message is for the cashier."""


@dataclass(frozen=True, slots=True)
class HeldCartView:
    id: str
    label: str
    created_at: str
    item_count: int
    total_cents: int  # the net: items subtotal minus discounts, before tax
    cashier_id: str = ""
    subtotal_cents: int = 0  # the items' tag prices
    discount_cents: int = 0


class HoldService:
    """Carts parked on this register."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._clock = clock

    @changes(Changes.HOLDS)
    def hold(self, lines: Sequence[CartLine], cashier_id: str, label: str) -> str:
        """Park ``lines``; return the hold's id."""
        if not lines:
            raise HoldError("The cart is empty: nothing to hold")
        row = people.HeldCartRow(
            new_id(), utc_timestamp(self._clock()), cashier_id,
            " ".join(label.split())[:MAX_LABEL_LENGTH] or "Held cart",
            json.dumps([asdict(line) for line in lines], separators=(",", ":")),
        )
        with self._database.unit_of_work(immediate=True) as unit:
            people.insert_hold(unit.connection, row)
            unit.commit()
        return row.id

    def list(self) -> list[HeldCartView]:
        with self._database.unit_of_work() as unit:
            rows = people.list_holds(unit.connection)
        return [_view(row) for row in rows]

    @changes(Changes.HOLDS)
    def recall(self, hold_id: str) -> builtins.list[CartLine]:
        """The held lines; the hold is deleted in the same transaction."""
        with self._database.unit_of_work(immediate=True) as unit:
            payload = people.take_hold(unit.connection, hold_id)
            if payload is None:
                raise HoldError("That held cart was already recalled")
            lines = decode_lines(payload)
            unit.commit()
        return lines


def _view(row: people.HeldCartRow) -> HeldCartView:
    lines = decode_lines(row.payload)
    return HeldCartView(row.id, row.label, row.created_at, len(lines),
                        sum(line.price_cents for line in lines), row.cashier_id,
                        sum(line.unit_price_cents for line in lines),
                        sum(line.discount_cents for line in lines))


def decode_lines(payload: str) -> list[CartLine]:
    return [CartLine(**fields) for fields in json.loads(payload)]
