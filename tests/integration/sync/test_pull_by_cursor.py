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
from pos_app.store.sync_state import CATALOG_CURSOR
from pos_app.sync.client import CatalogPage, CentralClient, Retryable
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


def test_a_page_that_fails_to_arrive_stops_the_pull_after_the_pages_before_it(
        local_worker: LocalWorker, tmp_path: Path) -> None:
    """The next page is fetched while the current one is applied: a failed fetch still
    leaves every earlier page applied with its cursor, and the next pull resumes there."""
    event, register = "pull-fail-event", "pull-fail-register"
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.put_event(event, name="Pull", starts_on="2026-03-01", ends_on="2026-03-02")
    admin.upsert_consignors(event, demo_consignors(40, prefix="pf-"))
    admin.upsert_items(event, demo_catalog_items(5_000, consignors=40, prefix="pf-"))
    token = admin.create_register(event, register)
    database = Database.open(tmp_path / "register.sqlite3")
    configure_register(database, MemoryTokenStore(), register_id=register, event_id=event,
                       name="Pull", server_url=local_worker.url, token=token)
    client = CentralClient(local_worker.url, token, register, event)
    fetch_page = client.catalog
    calls: list[str] = []
    applied: list[int] = []

    def failing_third_page(since: str, limit: int, *, count: bool = True) -> CatalogPage:
        calls.append(since)
        if len(calls) == 3:
            raise Retryable("Network error (ConnectError)")
        return fetch_page(since, limit, count=count)

    client.catalog = failing_third_page  # type: ignore[method-assign]
    with pytest.raises(Retryable):
        Puller(database, client, register, page_size=1_000).pull_catalog(
            lambda done, _total: applied.append(done))

    assert applied == [1_000, 2_000]
    with database.unit_of_work() as unit:
        count = unit.connection.exec_driver_sql("SELECT COUNT(*) FROM items").scalar_one()
        cursor = unit.sync_state.get(CATALOG_CURSOR, "0:")
    assert count == 2_000
    assert cursor == calls[2]  # the cursor of the page that never came

    client.catalog = fetch_page  # type: ignore[method-assign]
    resumed = Puller(database, client, register, page_size=1_000).pull_catalog()

    assert (resumed.items, resumed.pages) == (3_000, 3)
    with database.unit_of_work() as unit:
        count = unit.connection.exec_driver_sql("SELECT COUNT(*) FROM items").scalar_one()
    assert count == 5_000
    client.close()
    admin.close()
    database.close()
