"""The hall's figures with their values, rejections by reason, and their place in the reports."""

from __future__ import annotations

from sqlalchemy import update
from store_helpers import Clock, Till, tags

from pos_app.core.item_events import REJECT_REASONS
from pos_app.services.context import RegisterContext
from pos_app.services.export import ALL_REPORTS, REPORT_KINDS, report_rows
from pos_app.services.hall_reports import (
    ALL_CONSIGNORS,
    REASON_NOT_HERE,
    HallReportService,
    RejectionRow,
)
from pos_app.services.lifecycle import ItemLifecycleService
from pos_app.services.reports import ReportService
from pos_app.store import models
from pos_app.store.engine import Database

CONSIGNOR = 1001
ELSEWHERE = 1002


def _set_status(database: Database, status: str, *codes: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(update(models.items).where(models.items.c.tag_code.in_(codes))
                           .values(status=status))


def _prices(hall: ItemLifecycleService, *codes: str) -> int:
    return sum(hall.item(code).price_cents for code in codes)


def test_every_figure_carries_the_value_of_its_items(
        database: Database, context: RegisterContext, clock: Clock, till: Till) -> None:
    hall = ItemLifecycleService(database, context, clock)
    mine = tags(CONSIGNOR, 1, 50)
    _set_status(database, "pending", *mine)
    approved, rejected, sold, returned, left = mine[:3], mine[3:5], mine[5], mine[6], mine[7]
    for code in [*approved, sold, returned, left]:
        hall.approve(code, "demo-cashier")
    for code in rejected:
        hall.reject(code, "stained", "demo-cashier")
    till.sell([sold])
    hall.return_item(returned, "demo-cashier")
    run = hall.close_pickup("demo-manager", "Goodwill")
    donated = [e.tag_code for e in run.events if e.tag_code.startswith(f"{CONSIGNOR}-")]

    row = next(r for r in HallReportService(database, context).by_consignor()
               if r.consignor_number == CONSIGNOR)
    assert row.expected_value_cents == _prices(hall, *mine)
    assert row.checked_in_value_cents == _prices(hall, *approved, *rejected, sold, returned,
                                                 left)
    assert (row.rejected, row.rejected_value_cents) == (2, _prices(hall, *rejected))
    assert (row.sold, row.sold_value_cents) == (1, _prices(hall, sold))
    assert (row.returned, row.returned_value_cents) == (1, _prices(hall, returned))
    assert sorted(donated) == sorted([*approved, left])
    assert (row.donated, row.donated_value_cents) == (4, _prices(hall, *donated))
    # still missing: the rejected items nobody collected
    assert (row.missing, row.missing_value_cents) == (2, _prices(hall, *rejected))


def test_rejections_are_split_by_their_latest_reason_and_totalled_for_the_event(
        database: Database, context: RegisterContext, clock: Clock) -> None:
    hall = ItemLifecycleService(database, context, clock)
    first, second, third = tags(CONSIGNOR, 1, 3)
    _set_status(database, "pending", first, second, third)
    hall.reject(first, "stained", "demo-cashier")
    hall.reject(second, "stained", "demo-cashier")
    hall.reject(third, "recalled", "demo-cashier")
    hall.approve(third, "demo-cashier")  # a corrected check-in, then rejected again
    hall.reject(third, "wrong tag", "demo-cashier")
    pulled = tags(ELSEWHERE, 4, 1)[0]  # rejected at another register, known by the pull only
    _set_status(database, "rejected", pulled)

    rows = HallReportService(database, context).rejections()

    per_consignor = [(r.consignor_number, r.reason, r.items, r.value_cents)
                     for r in rows if r.consignor_number]
    assert sorted(per_consignor) == sorted([
        (CONSIGNOR, "stained", 2, _prices(hall, first, second)),
        (CONSIGNOR, "wrong tag", 1, _prices(hall, third)),
        (ELSEWHERE, REASON_NOT_HERE, 1, _prices(hall, pulled)),
    ])
    totals = {r.reason: r for r in rows if r.consignor_number == 0}
    assert list(totals) == [*REJECT_REASONS, REASON_NOT_HERE]  # every reason, even at zero
    assert {r.name for r in totals.values()} == {ALL_CONSIGNORS}
    assert (totals["stained"].items, totals["recalled"].items,
            totals["wrong tag"].items, totals[REASON_NOT_HERE].items) == (2, 0, 1, 1)
    assert sum(r.value_cents for r in totals.values()) == _prices(hall, first, second, third,
                                                                  pulled)


def test_the_hall_figures_are_reports_of_the_same_event(
        database: Database, context: RegisterContext, clock: Clock) -> None:
    hall = ItemLifecycleService(database, context, clock)
    code = tags(CONSIGNOR, 1, 1)[0]
    _set_status(database, "pending", code)
    hall.reject(code, "recalled", "demo-cashier")
    assert {"hall", "rejections"} <= set(REPORT_KINDS) <= set(ALL_REPORTS)

    service = ReportService(database)  # the register's event, as the CLI and Ctrl+R use it
    columns, records = report_rows(service, "hall")
    direct = HallReportService(database, context)
    assert columns[:3] == ["consignor_number", "name", "expected"]
    assert [r["rejected"] for r in records] == [r.rejected for r in direct.by_consignor()]
    assert records[-1]["consignor_number"] == 0 and records[-1]["rejected"] == 1
    _, rejections = report_rows(service, "rejections")
    assert [RejectionRow(**r) for r in rejections] == direct.rejections()

    _, other = report_rows(ReportService(database, event_id="no-such-event"), "hall")
    assert [(r["name"], r["expected"]) for r in other] == [(ALL_CONSIGNORS, 0)]
