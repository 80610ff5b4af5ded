"""Check-in, pick-up and donation on a real SQLite file: event, status, journal and outbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from store_helpers import Clock, Till, tags

from pos_app.core.items import ItemStatus
from pos_app.core.wire import Bundle
from pos_app.services.catalog import ItemView, ScanRefusal
from pos_app.services.checkout import status_refusal
from pos_app.services.context import RegisterContext
from pos_app.services.hall_reports import HallReportService
from pos_app.services.lifecycle import ItemLifecycleService, LifecycleError
from pos_app.store import models
from pos_app.store.engine import Database

CONSIGNOR = 1001


def set_pending(database: Database, consignor: int) -> None:
    with database.engine.begin() as connection:
        connection.execute(update(models.items)
                           .where(models.items.c.consignor_number == consignor)
                           .values(status="pending"))


@pytest.fixture
def hall(database: Database, context: RegisterContext, clock: Clock) -> ItemLifecycleService:
    set_pending(database, CONSIGNOR)
    return ItemLifecycleService(database, context, clock)


def outbox_bundles(database: Database) -> list[tuple[str, str, Bundle]]:
    with database.unit_of_work() as unit:
        entries, _ = unit.outbox.read_pending(1000)
    return [(e.kind, e.ref_id, e.bundle) for e in entries]


def test_approve_writes_event_status_journal_and_outbox_together(
    hall: ItemLifecycleService, database: Database
) -> None:
    tag = tags(CONSIGNOR, 1, 1)[0]
    event = hall.approve(tag, "demo-cashier")

    assert (event.from_status, event.to_status) == (ItemStatus.PENDING, ItemStatus.APPROVED)
    assert hall.item(tag).status is ItemStatus.APPROVED
    assert hall.history(tag) == [event]
    with database.unit_of_work() as unit:
        journal = unit.journal.entries()
        assert unit.journal.verify() is None
    assert (journal[-1].kind, journal[-1].ref_id) == ("item", event.id)
    assert journal[-1].payload == event.canonical_json()
    [(kind, ref, bundle)] = outbox_bundles(database)
    assert (kind, ref) == ("item", event.id)
    assert bundle["item_events"] == [list(event.row().values())]
    assert bundle["journal"][0][1:4] == [journal[-1].seq, "item", event.id]


def test_reject_needs_a_reason_from_the_list(hall: ItemLifecycleService,
                                            database: Database) -> None:
    tag = tags(CONSIGNOR, 2, 1)[0]
    with pytest.raises(LifecycleError, match="needs a reason: one of stained"):
        hall.reject(tag, "ugly", "demo-cashier")
    assert hall.item(tag).status is ItemStatus.PENDING
    assert outbox_bundles(database) == []

    event = hall.reject(tag, "stained", "demo-cashier")
    assert (event.to_status, event.reason) == (ItemStatus.REJECTED, "stained")
    assert hall.item(tag).status is ItemStatus.REJECTED


def test_bad_scans_change_nothing(hall: ItemLifecycleService, database: Database) -> None:
    with pytest.raises(LifecycleError, match="Unknown tag format"):
        hall.approve("hello", "demo-cashier")
    with pytest.raises(LifecycleError, match="not in this event's catalog"):
        hall.approve("9999-0001", "demo-cashier")
    tag = tags(CONSIGNOR, 3, 1)[0]
    hall.approve(tag, "demo-cashier")
    with pytest.raises(LifecycleError, match="already approved"):
        hall.approve(tag, "demo-cashier")
    with pytest.raises(LifecycleError, match="pending: it cannot become returned"):
        hall.return_item(tags(CONSIGNOR, 4, 1)[0], "demo-cashier")
    assert len(outbox_bundles(database)) == 1
    with database.unit_of_work() as unit:
        assert len(unit.journal.entries()) == 1


def test_a_sold_item_is_never_returned(till: Till, context: RegisterContext, clock: Clock,
                                       database: Database) -> None:
    hall = ItemLifecycleService(database, context, clock)
    tag = tags(1002, 1, 1)[0]
    till.sell([tag])
    with pytest.raises(LifecycleError, match="was sold: it cannot be returned"):
        hall.return_item(tag, "demo-cashier")
    assert hall.item(tag).status is ItemStatus.SOLD


def test_returned_item_is_refused_at_the_till_with_a_clear_message(
    till: Till, context: RegisterContext, clock: Clock, database: Database
) -> None:
    hall = ItemLifecycleService(database, context, clock)
    tag = tags(1002, 2, 1)[0]
    hall.return_item(tag, "demo-cashier")
    item = till.catalog.lookup(tag)
    assert isinstance(item, ItemView)
    refusal = status_refusal(item)
    assert isinstance(refusal, ScanRefusal)
    assert refusal.message == f"{tag} was returned to its consignor at pick-up: not for sale"


def test_consignor_progress_and_pickup_lists(hall: ItemLifecycleService, till: Till) -> None:
    first, second, third = tags(CONSIGNOR, 1, 3)
    hall.approve(first, "demo-cashier")
    hall.approve(second, "demo-cashier")
    hall.reject(third, "recalled", "demo-cashier")
    till.sell([first])

    found = hall.consignor(CONSIGNOR)
    progress = found.progress
    assert progress.expected == len(found.items) > 3
    assert progress.checked_in == 3
    assert progress.count(ItemStatus.REJECTED) == 1
    assert [i.tag_code for i in found.with_status(ItemStatus.SOLD)] == [first]
    assert [i.tag_code for i in found.with_status(ItemStatus.APPROVED)] == [second]
    with pytest.raises(LifecycleError, match="No consignor 4242"):
        hall.consignor(4242)


def test_close_pickup_donates_what_is_left_and_needs_a_manager(
    hall: ItemLifecycleService, database: Database
) -> None:
    kept, collected = tags(CONSIGNOR, 1, 2)
    hall.approve(kept, "demo-cashier")
    hall.approve(collected, "demo-cashier")
    hall.return_item(collected, "demo-cashier")
    before = len(outbox_bundles(database))
    with pytest.raises(LifecycleError, match="needs a manager"):
        hall.close_pickup("demo-cashier", "Goodwill")
    assert len(outbox_bundles(database)) == before

    donated = hall.close_pickup("demo-manager", "Goodwill").events
    assert kept in {e.tag_code for e in donated}
    assert collected not in {e.tag_code for e in donated}
    assert all(e.to_status is ItemStatus.DONATED for e in donated)
    assert hall.item(kept).status is ItemStatus.DONATED
    assert hall.item(collected).status is ItemStatus.RETURNED
    assert len(outbox_bundles(database)) == before + len(donated)
    with database.unit_of_work() as unit:
        assert unit.journal.verify() is None
    with pytest.raises(LifecycleError, match="Nothing is left to donate"):
        hall.close_pickup("demo-manager", "Goodwill")
    assert len(outbox_bundles(database)) == before + len(donated)


def test_hall_report_per_consignor_and_event_with_csv(
    hall: ItemLifecycleService, till: Till, database: Database, context: RegisterContext,
    tmp_path: Path,
) -> None:
    first, second, third, fourth = tags(CONSIGNOR, 1, 4)
    hall.approve(first, "demo-cashier")
    hall.approve(second, "demo-cashier")
    hall.reject(third, "wrong tag", "demo-cashier")
    hall.approve(fourth, "demo-cashier")
    till.sell([first])
    hall.return_item(second, "demo-cashier")
    donated = hall.close_pickup("demo-manager", "Goodwill").events
    reports = HallReportService(database, context)

    rows = reports.by_consignor()
    mine = next(r for r in rows if r.consignor_number == CONSIGNOR)
    assert (mine.expected, mine.checked_in, mine.rejected, mine.sold, mine.returned,
            mine.donated, mine.missing) == (50, 4, 1, 1, 1, 1, 1)
    assert mine.donated_value_cents == hall.item(fourth).price_cents
    total = rows[-1]
    assert (total.consignor_number, total.name) == (0, "All consignors")
    assert total.donated == len(donated)
    assert total.expected == sum(r.expected for r in rows[:-1])
    assert total.donated_value_cents == sum(r.donated_value_cents for r in rows[:-1])

    path = reports.write_csv(tmp_path / "hall.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("consignor_number,name,expected,checked_in,rejected,sold,returned,"
                        "donated,missing,expected_value_cents,checked_in_value_cents,"
                        "rejected_value_cents,sold_value_cents,returned_value_cents,"
                        "donated_value_cents,missing_value_cents,expected_value,"
                        "checked_in_value,rejected_value,sold_value,returned_value,"
                        "donated_value,missing_value")
    assert len(lines) == len(rows) + 1
    assert lines[-1].startswith("0,All consignors,")
