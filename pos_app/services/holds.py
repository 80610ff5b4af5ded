"""Held carts: park a shopper's cart (they went to fetch a wallet) and recall it later."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select

from pos_app.core.cart import CartLine
from pos_app.core.ids import new_id
from pos_app.core.sale import utc_timestamp
from pos_app.store import models
from pos_app.store.engine import Database

held = models.table_of(models.HeldCart)


class HoldError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class HeldCartView:
    id: str
    label: str
    created_at: str
    item_count: int
    total_cents: int


class HoldService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._clock = clock

    def hold(self, lines: Sequence[CartLine], cashier_id: str, label: str) -> str:
        if not lines:
            raise HoldError("The cart is empty: nothing to hold")
        hold_id = new_id()
        payload = json.dumps([asdict(line) for line in lines])
        with self._database.durable_unit_of_work() as unit:
            unit.connection.execute(insert(held), [{
                "id": hold_id, "created_at": utc_timestamp(self._clock()),
                "cashier_id": cashier_id, "label": label.strip() or "Held cart",
                "payload": payload,
            }])
            unit.commit()
        return hold_id

    def held_carts(self) -> list[HeldCartView]:
        with self._database.unit_of_work() as unit:
            rows = unit.connection.execute(
                select(held.c.id, held.c.label, held.c.created_at, held.c.payload)
                .order_by(held.c.created_at)
            ).all()
        views = []
        for hold_id, label, created_at, payload in rows:
            lines = _lines(payload)
            views.append(HeldCartView(hold_id, label, created_at, len(lines),
                                      sum(line.price_cents for line in lines)))
        return views

    def recall(self, hold_id: str) -> list[CartLine]:
        with self._database.durable_unit_of_work() as unit:
            payload = unit.connection.execute(
                select(held.c.payload).where(held.c.id == hold_id)
            ).scalar_one_or_none()
            if payload is None:
                raise HoldError("That held cart was already recalled")
            unit.connection.execute(delete(held).where(held.c.id == hold_id))
            unit.commit()
        return _lines(payload)


def _lines(payload: str) -> list[CartLine]:
    return [CartLine(**fields) for fields in json.loads(payload)]
