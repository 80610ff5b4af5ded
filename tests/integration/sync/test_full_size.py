"""The issue's full sizes against the real Worker: a push of 10,000 sales and a pull of
200,000 items (about a minute together; the benchmark reports the same figures)."""

from pathlib import Path

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
from pos_app.sync.batcher import SyncLimits, minimum_requests, minimum_statements
from pos_app.sync.client import CentralClient
from pos_app.sync.pull import Puller
from pos_app.sync.push import Pusher

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def _register(worker: LocalWorker, tmp_path: Path, event: str, register: str,
              items: int) -> tuple[Database, CentralClient]:
    admin = AdminClient(worker.url, worker.admin_token)
    admin.put_event(event, name=event, **dates_around_today())
    admin.upsert_consignors(event, demo_consignors(400, prefix=f"{event}-"))
    if items:
        admin.upsert_items(event, demo_catalog_items(items, prefix=f"{event}-"))
    token = admin.create_register(event, register)
    admin.close()
    database = Database.open(tmp_path / f"{register}.sqlite3")
    configure_register(database, MemoryTokenStore(), register_id=register, event_id=event,
                       name=register, server_url=worker.url, token=token)
    return database, CentralClient(worker.url, token, register, event)


def test_push_of_10000_sales_uses_the_fewest_requests(local_worker: LocalWorker,
                                                      tmp_path: Path) -> None:
    database, client = _register(local_worker, tmp_path, "full-push", "full-push-reg", 0)
    counts = OutboxFiller("full-push", "full-push-reg", lines=10).fill(database, 10_000)
    limits = SyncLimits()

    outcome = Pusher(database, client, limits).push_all()

    assert outcome.pushed == 10_000
    assert outcome.requests <= 1.2 * minimum_requests(counts, limits)
    assert outcome.statements <= 1.2 * minimum_statements(counts, limits)
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    assert len(admin.export("full-push", "sales")) == 10_000
    assert len(admin.export("full-push", "sale_lines")) == 100_000
    admin.close()
    client.close()
    database.close()


def test_pull_of_200000_items_reports_progress_then_only_changes(
        local_worker: LocalWorker, tmp_path: Path) -> None:
    database, client = _register(local_worker, tmp_path, "full-pull", "full-pull-reg",
                                 200_000)
    progress: list[tuple[int, int]] = []

    first = Puller(database, client, "full-pull-reg").pull_catalog(
        lambda done, total: progress.append((done, total)))
    second = Puller(database, client, "full-pull-reg").pull_catalog()

    assert first.items == 200_000
    assert progress[-1] == (200_000, 200_000)
    assert len(progress) == first.pages
    assert second.items == 0
    with database.unit_of_work() as unit:
        stored = unit.connection.exec_driver_sql("SELECT COUNT(*) FROM items").scalar_one()
    assert stored == 200_000
    client.close()
    database.close()
