"""Push of 10,000 sales and pull of 200,000 items against the local Worker (wrangler dev).

Baselines are the fewest requests and INSERT statements D1's limits allow for the same rows
(100 bound parameters per statement, MAX_STATEMENTS queries per request), computed in the run.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench.gui_child import peak_rss_mb
from bench.harness import Result
from pos_app.devtools.outbox_filler import OutboxFiller

EVENT, REGISTER = "bench-event", "bench-register"


def _seed(worker: Any, items: int) -> str:
    from pos_app.devtools.admin_client import AdminClient, demo_catalog_items, demo_consignors

    admin = AdminClient(worker.url, worker.admin_token)
    admin.put_event(EVENT, name="Bench sale", starts_on="2026-03-01", ends_on="2026-03-03",
                    tax_rate_bp=825)
    admin.upsert_consignors(EVENT, demo_consignors(400))
    admin.upsert_items(EVENT, demo_catalog_items(items))
    token = admin.create_register(EVENT, REGISTER)
    admin.close()
    return token


def _register(worker: Any, token: str, path: Path) -> Any:
    from pos_app.services.setup import MemoryTokenStore, configure_register
    from pos_app.store.engine import Database

    database = Database.open(path)
    configure_register(database, MemoryTokenStore(), register_id=REGISTER, event_id=EVENT,
                       name="Bench", server_url=worker.url, token=token)
    return database


def bench_push(worker: Any, token: str, workdir: Path, sales: int = 10_000,
               lines: int = 10) -> Result:
    from pos_app.sync.batcher import SyncLimits, minimum_requests, minimum_statements
    from pos_app.sync.client import CentralClient
    from pos_app.sync.push import Pusher

    database = _register(worker, token, workdir / "push.sqlite3")
    counts = OutboxFiller(EVENT, REGISTER, lines=lines).fill(database, sales)
    limits = SyncLimits()
    client = CentralClient(worker.url, token, REGISTER, EVENT)
    started = time.perf_counter()
    outcome = Pusher(database, client, limits).push_all()
    seconds = time.perf_counter() - started
    min_requests = minimum_requests(counts, limits)
    min_statements = minimum_statements(counts, limits)
    client.close()
    database.close()
    ratio_requests = outcome.requests / min_requests
    result = Result(f"push {sales:,} sales ({sum(counts.values()):,} rows)", "requests",
                    outcome.requests, outcome.requests, "fewest requests D1's limits allow",
                    min_requests, "<= 1.2x", ratio_requests <= 1.2)
    result.extra = {"wall_s": round(seconds, 1), "statements": outcome.statements,
                    "min_statements": min_statements,
                    "statement_ratio": round(outcome.statements / min_statements, 3),
                    "rows": counts, "pushed": outcome.pushed, "retries": outcome.retries}
    return result


def bench_pull(worker: Any, token: str, workdir: Path, items: int) -> Result:
    from pos_app.sync.client import CentralClient
    from pos_app.sync.pull import Puller

    database = _register(worker, token, workdir / "pull.sqlite3")
    client = CentralClient(worker.url, token, REGISTER, EVENT)
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    outcome = Puller(database, client, REGISTER).pull_catalog()
    seconds = time.perf_counter() - started
    rss_after = peak_rss_mb()
    again = time.perf_counter()
    second = Puller(database, client, REGISTER).pull_catalog()
    second_s = time.perf_counter() - again
    client.close()
    database.close()
    pages_needed = -(-items // 2000)
    result = Result(f"catalog pull, {items:,} items", "requests", outcome.pages, outcome.pages,
                    "fewest pages of 2,000", pages_needed, "all items, then only changes",
                    outcome.items >= items and second.items == 0)
    result.extra = {"wall_s": round(seconds, 1), "peak_rss_mb": round(rss_after),
                    "rss_before_mb": round(rss_before), "second_pull_items": second.items,
                    "second_pull_s": round(second_s, 2)}
    return result


def run(items: int, sales: int) -> list[Result]:
    from pos_app.devtools.local_worker import LocalWorker

    workdir = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    with LocalWorker(workdir / "d1") as worker:
        token = _seed(worker, items)
        return [bench_pull(worker, token, workdir, items),
                bench_push(worker, token, workdir, sales)]
