"""Closing pick-up makes a charity run; a later close makes the next; each run's receipt counts
its items by category with their value (real SQLite file, issue 13)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from store_helpers import Clock, Till, tags

from pos_app.core.items import ItemStatus
from pos_app.services.context import RegisterContext
from pos_app.services.donations import DonationService
from pos_app.services.export import report_rows
from pos_app.services.hall_reports import ALL_RUNS
from pos_app.services.lifecycle import ItemLifecycleService, LifecycleError
from pos_app.services.reports import ReportService
from pos_app.store import models
from pos_app.store.engine import Database

LATE = 1001


def _counts(database: Database) -> tuple[int, int, int]:
    with database.engine.connect() as connection:
        return tuple(connection.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (models.charity_runs, models.item_events, models.outbox))


def _by_category(hall: ItemLifecycleService, codes: list[str]) -> dict[str, tuple[int, int]]:
    figures: dict[str, list[int]] = {}
    for code in codes:
        item = hall.item(code)
        figure = figures.setdefault(item.category, [0, 0])
        figure[0] += 1
        figure[1] += item.price_cents
    return {category: (n, value) for category, (n, value) in figures.items()}


def test_two_closes_make_two_runs_each_with_its_own_receipt(
        database: Database, context: RegisterContext, clock: Clock, till: Till) -> None:
    hall = ItemLifecycleService(database, context, clock)
    late = tags(LATE, 1, 2)  # not checked in by the first close: left alone by it
    with database.engine.begin() as connection:
        connection.execute(update(models.items).where(models.items.c.tag_code.in_(late))
                           .values(status="pending"))
    voided = till.sell([tags(LATE, 3, 1)[0]])

    first = hall.close_pickup("demo-manager", "  Goodwill   Eastside ")
    hall.approve(late[0], "demo-cashier")  # a late check-in
    hall.approve(late[1], "demo-cashier")
    hall.return_item(late[1], "demo-cashier")  # ... collected in time
    till.sales.void(voided.id, "demo-cashier", "demo-manager", "wrong bag")  # back unsold
    second = hall.close_pickup("demo-manager", "St. Vincent de Paul")

    assert (first.number, first.charity) == (1, "Goodwill Eastside")
    assert (second.number, second.charity) == (2, "St. Vincent de Paul")
    second_tags = sorted(e.tag_code for e in second.events)
    assert second_tags == sorted([late[0], voided.lines[0].tag_code])
    assert not {e.id for e in first.events} & {e.id for e in second.events}
    assert all(hall.item(code).status is ItemStatus.DONATED for code in second_tags)

    donations = DonationService(database, context)
    runs = donations.runs()
    assert [(r.id, r.number, r.charity, r.manager_name) for r in runs] == [
        (first.id, 1, "Goodwill Eastside", "Lee (manager)"),
        (second.id, 2, "St. Vincent de Paul", "Lee (manager)")]
    for run in (first, second):
        receipt = donations.receipt(run.id)
        codes = [e.tag_code for e in run.events]
        expected = _by_category(hall, codes)
        assert {f.category: (f.items, f.value_cents) for f in receipt.categories} == expected
        assert receipt.items == len(codes)
        assert receipt.value_cents == sum(hall.item(code).price_cents for code in codes)
        assert receipt.event_name and receipt.run.created_at == run.created_at
    with pytest.raises(KeyError):
        donations.receipt("no-such-run")

    _, rows = report_rows(ReportService(database), "donations")  # Ctrl+R and pos-app report
    assert [(r["run"], r["charity"], r["category"], r["items"], r["value_cents"])
            for r in rows[:-1]] == [
        (run.number, run.charity, f.category, f.items, f.value_cents)
        for run in (first, second) for f in donations.receipt(run.id).categories]
    assert rows[-1] == {"run": 0, "charity": ALL_RUNS, "closed_at": "", "closed_by": "",
                        "category": "", "items": len(first.events) + len(second.events),
                        "value_cents": sum(r["value_cents"] for r in rows[:-1])}


def test_a_close_without_a_charity_or_with_nothing_left_records_nothing(
        database: Database, context: RegisterContext, clock: Clock) -> None:
    hall = ItemLifecycleService(database, context, clock)
    before = _counts(database)
    for name, message in (("", "Name the charity"), ("   ", "Name the charity"),
                          ("x" * 121, "longer than 120")):
        with pytest.raises(LifecycleError, match=message):
            hall.close_pickup("demo-manager", name)
    with pytest.raises(LifecycleError, match="needs a manager"):
        hall.close_pickup("demo-cashier", "Goodwill")
    assert _counts(database) == before
    assert hall.item(tags(LATE, 1, 1)[0]).status is ItemStatus.APPROVED

    run = hall.close_pickup("demo-manager", "Goodwill")
    after = _counts(database)
    assert after == (before[0] + 1, before[1] + len(run.events), before[2] + len(run.events))
    with pytest.raises(LifecycleError, match="Nothing is left to donate"):
        hall.close_pickup("demo-manager", "Goodwill")
    assert _counts(database) == after
    assert [r.number for r in DonationService(database, context).runs()] == [1]
