"""Registers on real SQLite files against the session's local Worker, for the hall's sync tests:
each sells through the real services, syncs with one round and lists its conflicts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos_app.core.cart import Cart
from pos_app.core.tender import TenderSession
from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services import checkout
from pos_app.services.catalog import CatalogService, ScanRefusal
from pos_app.services.context import RegisterContext
from pos_app.services.lifecycle import ItemLifecycleService
from pos_app.services.sales import SaleService
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from pos_app.sync.client import CentralClient
from pos_app.sync.service import SyncService


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Station:
    database: Database
    context: RegisterContext
    client: CentralClient

    @property
    def hall(self) -> ItemLifecycleService:
        return ItemLifecycleService(self.database, self.context, now)

    def item(self, tag: str) -> Any:
        return self.hall.item(tag)

    def sell(self, tag: str) -> str:
        catalog = CatalogService(self.database, self.context)
        cart = Cart(catalog.policy())
        item = catalog.lookup(tag)
        assert not isinstance(item, ScanRefusal), item
        assert isinstance(checkout.add_item(cart, item, now()), int)
        tenders = TenderSession(cart.totals().total_cents)
        tenders.add_cash(cart.totals().total_cents)
        return SaleService(self.database, self.context, now).complete(
            cart.lines, tenders.finish(), "cashier", None).id

    def sync(self) -> Any:
        return SyncService(self.database, self.client, self.context.register_id).run_once()

    def conflicts(self) -> list[tuple[str, str | None]]:
        with self.database.unit_of_work() as unit:
            return [(c.kind, c.item_id) for c in unit.conflicts.list()]


def open_stations[S: Station](
        make: Callable[[Database, RegisterContext, CentralClient], S], worker: LocalWorker,
        admin: AdminClient, event_id: str, folder: Path, *, count: int = 2) -> list[S]:
    """``count`` registers of ``event_id``, each synced once (the catalog and its number)."""
    made = []
    for number in range(1, count + 1):
        register_id = f"{event_id}-reg-{number}"
        token = admin.create_register(event_id, register_id)
        database = Database.open(folder / f"station-{number}.sqlite3")
        context = configure_register(database, MemoryTokenStore(), register_id=register_id,
                                     event_id=event_id, name=f"S{number}",
                                     server_url=worker.url, token=token)
        station = make(database, context,
                       CentralClient(worker.url, token, register_id, event_id))
        station.sync()
        made.append(station)
    return made


def close_stations(stations: list[Station]) -> None:
    for station in stations:
        station.client.close()
        station.database.close()
