"""The register compares its clock with the server's ``Date`` header at each sync round and
the status board warns the manager past 2 minutes (shared DESIGN.md, "Sequences and clocks
are sane"), against the real local Worker."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.devtools.admin_client import AdminClient, dates_around_today
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from pos_app.sync.client import CentralClient
from pos_app.sync.service import SyncService

EVENT = "clock-event"
pytestmark = pytest.mark.worker


def _round(worker: LocalWorker, tmp_path: Path, name: str,
           clock: Callable[[], datetime]) -> SyncService:
    admin = AdminClient(worker.url, worker.admin_token)
    admin.put_event(EVENT, name="Clock", **dates_around_today())
    token = admin.create_register(EVENT, name)
    admin.close()
    database = Database.open(tmp_path / f"{name}.sqlite3")
    configure_register(database, MemoryTokenStore(), register_id=name, event_id=EVENT,
                       name=name, server_url=worker.url, token=token)
    client = CentralClient(worker.url, token, name, EVENT, clock=clock)
    service = SyncService(database, client, name)
    service.run_once()
    client.close()
    database.close()
    return service


def test_a_register_clock_5_minutes_slow_is_reported(local_worker: LocalWorker,
                                                     tmp_path: Path) -> None:
    slow = _round(local_worker, tmp_path, "clock-slow",
                  lambda: datetime.now(UTC) - timedelta(minutes=5))
    status = slow.board.status
    assert status.clock_off
    assert status.clock_offset_s is not None and 240 <= status.clock_offset_s <= 302


def test_a_register_on_time_is_not(local_worker: LocalWorker, tmp_path: Path) -> None:
    on_time = _round(local_worker, tmp_path, "clock-ok", lambda: datetime.now(UTC))
    status = on_time.board.status
    assert status.clock_offset_s is not None and abs(status.clock_offset_s) < 60
    assert not status.clock_off
