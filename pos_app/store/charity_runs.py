"""Charity runs: the donations of one close of pick-up, grouped for the charity's receipt.

A run is this register's record (charity name, time, manager, a number per event counted
from 1); ``charity_run_items`` links it to the donation item events it holds, written in the
same transaction as those events. The reads give a run's items by category with their tag
value, and the runs of an event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from pos_app.store import models

runs = models.charity_runs
run_items = models.charity_run_items
item_events = models.item_events
items = models.items
cashiers = models.cashiers


@dataclass(frozen=True, slots=True)
class CharityRunRow:
    id: str
    event_id: str
    register_id: str
    number: int
    charity: str
    manager_id: str
    manager_name: str
    created_at: str


@dataclass(frozen=True, slots=True)
class CategoryFigure:
    """The items of one category in a run, and their tag value."""

    category: str
    items: int
    value_cents: int


def next_number(connection: Connection, event_id: str, register_id: str) -> int:
    """The number the next run of the event at this register gets (1 for the first)."""
    last = connection.execute(
        select(func.max(runs.c.number))
        .where(runs.c.event_id == event_id, runs.c.register_id == register_id)
    ).scalar_one_or_none()
    return int(last or 0) + 1


def add_run(connection: Connection, row: CharityRunRow, event_ids: Sequence[str]) -> None:
    """Insert the run and link its donation events (the caller's transaction)."""
    connection.execute(insert(runs).values(
        id=row.id, event_id=row.event_id, register_id=row.register_id, number=row.number,
        charity=row.charity, manager_id=row.manager_id, created_at=row.created_at))
    connection.execute(insert(run_items),
                       [{"item_event_id": event_id, "run_id": row.id} for event_id in event_ids])


def list_runs(connection: Connection, event_id: str) -> list[CharityRunRow]:
    """The event's runs at this register, oldest first."""
    rows = connection.execute(
        select(runs, func.coalesce(cashiers.c.name, runs.c.manager_id))
        .select_from(runs.outerjoin(cashiers, cashiers.c.id == runs.c.manager_id))
        .where(runs.c.event_id == event_id)
        .order_by(runs.c.register_id, runs.c.number)
    )
    return [CharityRunRow(r[0], r[1], r[2], int(r[3]), r[4], r[5], r[7], r[6]) for r in rows]


def by_category(connection: Connection, run_id: str) -> list[CategoryFigure]:
    """The run's donated items by category (blank category last), with their tag value."""
    category = items.c.category
    rows = connection.execute(
        select(category, func.count(), func.coalesce(func.sum(items.c.price_cents), 0))
        .select_from(run_items.join(item_events, item_events.c.id == run_items.c.item_event_id)
                     .join(items, items.c.id == item_events.c.item_id))
        .where(run_items.c.run_id == run_id)
        .group_by(category)
        .order_by(category == "", category)
    )
    return [CategoryFigure(str(r[0]), int(r[1]), int(r[2])) for r in rows]
