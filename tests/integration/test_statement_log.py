"""The push benchmark's statement log: the local Worker sends every push's statements to the
collector (pos_app/devtools/statement_log.py), not to its console, before the push's reply; the
collector refuses what is not a record and keeps nothing of it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest

from pos_app.devtools.admin_client import (
    AdminClient,
    dates_around_today,
    demo_catalog_items,
    demo_consignors,
)
from pos_app.devtools.local_worker import LocalWorker, node_available
from pos_app.devtools.outbox_filler import OutboxFiller
from pos_app.devtools.statement_log import StatementCollector
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from pos_app.sync.batcher import SyncLimits
from pos_app.sync.client import CentralClient
from pos_app.sync.push import Pusher

EVENT, REGISTER = "statement-log-event", "statement-log-register"


@pytest.mark.worker
def test_each_push_sends_its_statements_to_the_collector_not_the_console(
        tmp_path: Path) -> None:
    if not node_available():
        pytest.skip("Node.js/npx is not installed: the Worker tests need Node.js 20+")
    with LocalWorker(tmp_path / "d1", log_statements=True) as worker:
        assert worker.statements is not None
        collector = worker.statements
        with AdminClient(worker.url, worker.admin_token) as admin:
            admin.put_event(EVENT, name="Statement log", **dates_around_today(),
                            tax_rate_bp=825)
            admin.upsert_consignors(EVENT, demo_consignors(400))
            admin.upsert_items(EVENT, demo_catalog_items(2000))
            token = admin.create_register(EVENT, REGISTER)
        database = Database.open(tmp_path / "register.sqlite3")
        configure_register(database, MemoryTokenStore(), register_id=REGISTER, event_id=EVENT,
                           name="R", server_url=worker.url, token=token)
        OutboxFiller(EVENT, REGISTER, tax_rate_bp=825).fill(database, 120)
        client = CentralClient(worker.url, token, REGISTER, EVENT)
        # small requests: several pushes, each its own record
        outcome = Pusher(database, client, SyncLimits(max_statements=100)).push_all()
        records = collector.take(expected=outcome.requests)  # each comes just after its reply
        client.close()
        database.close()
        console = worker.log_path.read_text(errors="replace")

    assert outcome.pushed > 0 and outcome.retries == 0
    assert outcome.requests > 1 and len(records) == outcome.requests
    assert {record["register"] for record in records} == {REGISTER}
    orders = [record["order"] for record in records]  # one register: sent in D1's order
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    for record in records:
        assert record["reads"][0][1] == ["redacted"]  # the token read
        assert any(sql.startswith("INSERT") for sql, _params in record["batch"])
    assert token not in json.dumps(records)
    assert '"batch"' not in console  # nothing of it went through the console
    assert worker.statements is None  # the collector closed with the Worker


def test_the_collector_refuses_what_is_not_a_record_and_keeps_nothing() -> None:
    collector = StatementCollector()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{collector.port}") as http:
            refused = [http.post("/", content=b"{not json"),
                       http.post("/", json={"register": "r", "reads": []}),
                       http.post("/", json=["register", "reads", "batch"]),
                       http.post("/", content=b"")]
            assert [reply.status_code for reply in refused] == [400, 400, 400, 400]
            assert "not a record" in refused[1].text
            assert collector.take() == []
            record = {"register": "r", "reads": [["SELECT 1", []]], "batch": []}
            assert http.post("/", json=record).status_code == 204
        assert collector.take() == [record]
        assert collector.take() == []
    finally:
        collector.close()


def test_take_waits_for_records_still_on_their_way_and_returns_fewer_when_they_never_come(
        ) -> None:
    collector = StatementCollector()
    record = {"register": "r", "reads": [], "batch": [["INSERT INTO t VALUES (1)", []]]}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{collector.port}") as http:
            sender = threading.Thread(target=lambda: http.post("/", json=record))
            sender.start()  # the Worker sends a push's record just after its reply
            assert collector.take(expected=1, timeout=60) == [record]
            sender.join()
            assert http.post("/", json=record).status_code == 204
        assert collector.take(expected=2, timeout=0) == [record]  # one never came: counted
    finally:
        collector.close()
