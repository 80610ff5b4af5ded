"""Check-in and pick-up offline at two stations, then sync against the real local Worker.

D1 must hold each item's final status and every item event exactly once, and an item
returned at one station but sold at another (both offline) must show as a conflict on both.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from pos_app.core.items import ItemStatus
from pos_app.devtools.admin_client import (
    AdminClient,
    dates_around_today,
    demo_catalog_items,
    demo_consignors,
)
from pos_app.devtools.local_worker import LocalWorker
from tests.integration.sync import stations
from tests.integration.sync.stations import close_stations, open_stations

CONSIGNORS = 4
PENDING_CONSIGNOR = 1001

pytestmark = pytest.mark.worker


@dataclass
class Station(stations.Station):
    admin: AdminClient


@pytest.fixture
def stations(local_worker: LocalWorker, tmp_path: Path) -> Iterator[list[Station]]:
    event = f"lifecycle-{uuid4().hex[:10]}"  # D1 lives for the session: ids of this test only
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.put_event(event, name="Item lifecycle", **dates_around_today())
    admin.upsert_consignors(event, demo_consignors(CONSIGNORS, prefix=f"{event}-"))
    items = [{**item, "status": "pending"} if item["consignor_number"] == PENDING_CONSIGNOR
             else item
             for item in demo_catalog_items(40, consignors=CONSIGNORS, prefix=f"{event}-")]
    admin.upsert_items(event, items)
    made = open_stations(
        lambda database, context, client: Station(database, context, client, admin),
        local_worker, admin, event, tmp_path)
    yield made
    close_stations(made)
    admin.close()


def export(station: Station, table: str) -> list[dict[str, Any]]:
    return station.admin.export(station.context.event_id, table)


def test_two_stations_check_in_offline_and_d1_holds_every_event_once(
    stations: list[Station]
) -> None:
    first, second = stations
    tags = [f"{PENDING_CONSIGNOR}-{n:04d}" for n in range(1, 11)]
    first.hall.approve(tags[0], "cashier")
    first.hall.approve(tags[1], "cashier")
    first.hall.reject(tags[2], "stained", "cashier")
    first.hall.approve(tags[3], "cashier")
    second.hall.approve(tags[3], "cashier")  # the same tag at both stations
    second.hall.reject(tags[4], "recalled", "cashier")
    second.hall.approve(tags[5], "cashier")
    second.hall.return_item(tags[5], "cashier")  # approved, then collected at once

    for station in (first, second, first, second):
        station.sync()

    statuses = {r["tag_code"]: r["status"] for r in export(first, "items")}
    assert [statuses[t] for t in tags[:7]] == [
        "approved", "approved", "rejected", "approved", "rejected", "returned", "pending"]
    events = export(first, "item_events")
    local: list[str] = []
    for station in stations:
        with station.database.unit_of_work() as unit:
            local += [event.id for tag in tags[:6]
                      for event in unit.item_events.for_item(
                          station.hall.item(tag).id)]
    assert sorted(e["id"] for e in events) == sorted(local)
    assert len(events) == 8
    assert [c for s in stations for c in s.conflicts()] == []
    # each station pulled the other's check-ins through the catalog cursor
    assert first.hall.item(tags[4]).status is ItemStatus.REJECTED
    assert second.hall.item(tags[0]).status is ItemStatus.APPROVED


def test_returned_at_one_station_and_sold_at_another_is_a_conflict_on_both(
    stations: list[Station]
) -> None:
    first, second = stations
    tag = "1002-0002"
    returned = first.hall.return_item(tag, "cashier")
    sale_id = second.sell(tag)

    first.sync()
    second.sync()
    first.sync()  # the returning station learns of the sale that came after

    for station in stations:
        assert ("returned_but_sold", returned.item_id) in station.conflicts()
    [conflict] = [c for c in export(first, "conflicts")
                  if c["kind"] == "returned_but_sold"]
    assert (conflict["sale_id"], conflict["winning_sale_id"]) == (returned.id, sale_id)
    [item] = [r for r in export(first, "items") if r["tag_code"] == tag]
    assert (item["status"], item["sold_sale_id"]) == ("returned", None)
    assert [s["id"] for s in export(first, "sales")] == [sale_id]  # the money was taken
