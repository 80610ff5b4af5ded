"""The benchmark's realistic push workload against the real local Worker: registers filled with
disjoint ranges of a seeded demo catalog push without a single conflict and sell each item
once; a register selling a range already sold gets a sold_twice conflict for every line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pos_app.devtools.admin_client import (
    AdminClient,
    dates_around_today,
    demo_catalog_items,
    demo_consignors,
)
from pos_app.devtools.local_worker import LocalWorker
from pos_app.devtools.outbox_filler import OutboxFiller
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from pos_app.sync.batcher import SyncLimits
from pos_app.sync.client import CentralClient
from pos_app.sync.push import Pusher, PushOutcome

EVENT, PREFIX, TAX_BP = "filler-catalog", "filler-", 825
ITEMS = 600

pytestmark = pytest.mark.worker


def _push(worker: LocalWorker, admin: AdminClient, folder: Path, register: str, *,
          first_item: int, sales: int) -> PushOutcome:
    token = admin.create_register(EVENT, register)
    database = Database.open(folder / f"{register}.sqlite3")
    configure_register(database, MemoryTokenStore(), register_id=register, event_id=EVENT,
                       name=register, server_url=worker.url, token=token)
    OutboxFiller(EVENT, register, tax_rate_bp=TAX_BP, first_item=first_item,
                 prefix=PREFIX).fill(database, sales)
    client = CentralClient(worker.url, token, register, EVENT)
    try:
        return Pusher(database, client, SyncLimits()).push_all()
    finally:
        client.close()
        database.close()


def test_disjoint_ranges_sell_each_item_once_and_a_sold_range_conflicts_on_every_line(
        local_worker: LocalWorker, admin: AdminClient, tmp_path: Path) -> None:
    dates = dates_around_today()
    admin.put_event(EVENT, name="Filler catalog", starts_on=dates["starts_on"],
                    ends_on=dates["ends_on"], tax_rate_bp=TAX_BP)
    admin.upsert_consignors(EVENT, demo_consignors(400, prefix=PREFIX))
    admin.upsert_items(EVENT, demo_catalog_items(ITEMS, prefix=PREFIX))

    # 20 sales of 10 lines: items 0..199 and 200..399; then 100..199 again
    first = _push(local_worker, admin, tmp_path, "filler-a", first_item=0, sales=20)
    second = _push(local_worker, admin, tmp_path, "filler-b", first_item=200, sales=20)
    again = _push(local_worker, admin, tmp_path, "filler-c", first_item=100, sales=10)

    assert (first.pushed, first.conflicts) == (20, [])
    assert (second.pushed, second.conflicts) == (20, [])
    items: dict[str, dict[str, Any]] = {
        row["id"]: row for row in admin.export(EVENT, "items")}
    sold = {item_id: row["sold_register_id"] for item_id, row in items.items()
            if row["status"] == "sold"}
    assert sold == {f"{PREFIX}item-{k + 1}": "filler-a" if k < 200 else "filler-b"
                    for k in range(400)}
    assert again.pushed == 10
    assert sorted((c["kind"], c["item_id"], c["winning_register_id"]) for c in again.conflicts) \
        == sorted(("sold_twice", f"{PREFIX}item-{k + 1}", "filler-a") for k in range(100, 200))
