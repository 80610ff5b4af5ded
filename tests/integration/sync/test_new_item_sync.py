"""Items entered at check-in offline at two stations, then synced against the real local Worker.

D1 must hold each new item once, as approved; the stations' untagged items never share a
number; the other register pulls the item and can sell it; the settlement counts the sale; a
station that enters a tag another station already pushed sees a ``tag_taken`` conflict.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from pos_app.core.items import ItemStatus
from pos_app.core.new_items import NewItemDraft
from pos_app.devtools.admin_client import (
    AdminClient,
    dates_around_today,
    demo_catalog_items,
    demo_consignors,
)
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.new_items import NewItemService
from tests.integration.sync import stations
from tests.integration.sync.stations import close_stations, now, open_stations

pytestmark = pytest.mark.worker
CONSIGNOR = 1002


@dataclass
class Station(stations.Station):
    def enter(self, **fields: Any) -> Any:
        values: dict[str, Any] = {"consignor": str(CONSIGNOR), "description": "Red wagon",
                                  "price": "24.50", "size": "", "category": "Toys"}
        values.update(fields)
        return NewItemService(self.database, self.context, now).enter(
            NewItemDraft(**values), "cashier")


@pytest.fixture
def event(local_worker: LocalWorker) -> Iterator[tuple[str, AdminClient]]:
    event = f"newitem-{uuid4().hex[:10]}"  # D1 lives for the session: ids of this test only
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.put_event(event, name="New items", **dates_around_today())
    admin.upsert_consignors(event, demo_consignors(3, prefix=f"{event}-"))
    admin.upsert_items(event, demo_catalog_items(12, consignors=3, prefix=f"{event}-"))
    yield event, admin
    admin.close()


@pytest.fixture
def stations(local_worker: LocalWorker, event: tuple[str, AdminClient],
             tmp_path: Path) -> Iterator[list[Station]]:
    event_id, admin = event
    made = open_stations(Station, local_worker, admin, event_id, tmp_path)
    yield made
    close_stations(made)


def test_items_entered_offline_reach_d1_once_and_sell_at_the_other_register(
    stations: list[Station], event: tuple[str, AdminClient]
) -> None:
    first, second = stations
    event_id, admin = event
    mine = [first.enter(), first.enter(description="Blue wagon", discountable=False)]
    theirs = second.enter(description="Kite", price="8")
    assert mine[0].item_number // 1000 != theirs.item_number // 1000  # two blocks
    assert {mine[0].tag_code, mine[1].tag_code}.isdisjoint({theirs.tag_code})

    for station in (first, second, first, first, second):  # replays change nothing
        station.sync()

    entered = {row["id"]: row for row in admin.export(event_id, "new_items")}
    assert sorted(entered) == sorted(item.id for item in (*mine, theirs))
    central = {row["id"]: row for row in admin.export(event_id, "items")}
    for item in (*mine, theirs):
        row = central[item.id]
        assert (row["status"], row["tag_code"], row["price_cents"], row["description"]) == (
            "approved", item.tag_code, item.price_cents, item.description)
    assert central[mine[1].id]["discountable"] in (0, False)
    assert [c for s in stations for c in s.conflicts()] == []

    pulled = second.item(mine[0].tag_code)
    assert (pulled.id, pulled.status, pulled.price_cents) == (
        mine[0].id, ItemStatus.APPROVED, 2450)
    sale_id = second.sell(mine[0].tag_code)
    second.sync()
    first.sync()
    [row] = [r for r in admin.export(event_id, "items") if r["id"] == mine[0].id]
    assert (row["status"], row["sold_sale_id"]) == ("sold", sale_id)
    assert first.item(mine[0].tag_code).status is ItemStatus.SOLD
    assert [c for s in stations for c in s.conflicts()] == []
    [consignor] = [c for c in admin.settlement(event_id)["consignors"]
                   if c["consignor_number"] == CONSIGNOR]
    assert (consignor["items_sold"], consignor["gross_cents"]) == (1, 2450)


def test_a_tag_entered_at_two_stations_offline_is_kept_once_with_tag_taken(
    stations: list[Station], event: tuple[str, AdminClient]
) -> None:
    first, second = stations
    event_id, admin = event
    kept = first.enter(tag="1002-0777")
    refused = second.enter(tag="1002-0777", description="Another wagon")
    first.sync()
    second.sync()

    [row] = [r for r in admin.export(event_id, "items") if r["tag_code"] == "1002-0777"]
    assert (row["id"], row["description"]) == (kept.id, "Red wagon")
    assert {r["id"] for r in admin.export(event_id, "new_items")} == {kept.id, refused.id}
    assert ("tag_taken", refused.id) in second.conflicts()
    with second.database.unit_of_work() as unit:
        assert unit.outbox.read_pending(100)[0] == []  # acknowledged, not stuck
    # the central item took the tag at the refused station too; its own entry stays listed
    assert second.item("1002-0777").id == kept.id
    with second.database.unit_of_work() as unit:
        listed = {i.id: i.tag_code for i in unit.item_events.consignor_items(
            event_id, CONSIGNOR, second.context.register_id)}
    assert listed[refused.id] == f"1002-0777~{refused.id}"
