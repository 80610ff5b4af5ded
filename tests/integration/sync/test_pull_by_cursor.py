"""Catalog pull by cursor from the real Worker: progress, pages, then only the changes.

The server counts the remaining items (a COUNT over every item after the cursor) only for a
pull's first page; the progress bar keeps that figure.
"""

from pathlib import Path

import pytest

from pos_app.devtools.admin_client import AdminClient, demo_catalog_items, demo_consignors
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from pos_app.sync.client import CatalogPage, CentralClient
from pos_app.sync.pull import Puller

EVENT, REGISTER = "pull-event", "pull-register"
ITEMS = 6_000

pytestmark = pytest.mark.worker


def test_full_pull_with_progress_then_only_changes(local_worker: LocalWorker,
                                                    tmp_path: Path) -> None:
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.put_event(EVENT, name="Pull", starts_on="2026-03-01", ends_on="2026-03-02")
    admin.upsert_consignors(EVENT, demo_consignors(40, prefix="pull-"))
    admin.upsert_items(EVENT, demo_catalog_items(ITEMS, consignors=40, prefix="pull-"))
    token = admin.create_register(EVENT, REGISTER)
    database = Database.open(tmp_path / "register.sqlite3")
    configure_register(database, MemoryTokenStore(), register_id=REGISTER, event_id=EVENT,
                       name="Pull", server_url=local_worker.url, token=token)
    client = CentralClient(local_worker.url, token, REGISTER, EVENT)
    progress: list[tuple[int, int]] = []
    counted: list[int | None] = []
    fetch_page = client.catalog

    def recording_catalog(since: str, limit: int, *, count: bool = True) -> CatalogPage:
        page = fetch_page(since, limit, count=count)
        counted.append(page.total_remaining)
        return page

    client.catalog = recording_catalog  # type: ignore[method-assign]

    first = Puller(database, client, REGISTER, page_size=1_000).pull_catalog(
        lambda done, total: progress.append((done, total)))

    assert first.items == ITEMS
    assert first.pages == 6
    assert progress == [(done, ITEMS) for done in range(1_000, ITEMS + 1, 1_000)]
    assert counted == [ITEMS, None, None, None, None, None]
    with database.unit_of_work() as unit:
        count = unit.connection.exec_driver_sql("SELECT COUNT(*) FROM items").scalar_one()
    assert count == ITEMS

    changed = [dict(item, description="Relabelled") for item in
               list(demo_catalog_items(ITEMS, consignors=40, prefix="pull-"))[100:103]]
    admin.upsert_items(EVENT, changed)
    second = Puller(database, client, REGISTER, page_size=1_000).pull_catalog()
    third = Puller(database, client, REGISTER, page_size=1_000).pull_catalog()

    assert (second.items, second.pages) == (3, 1)
    assert (third.items, third.pages) == (0, 1)
    with database.unit_of_work() as unit:
        relabelled = unit.connection.exec_driver_sql(
            "SELECT COUNT(*) FROM items WHERE description = 'Relabelled'").scalar_one()
    assert relabelled == 3
    client.close()
    admin.close()
    database.close()
