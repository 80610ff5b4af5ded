"""Network faults: push a register's outbox through the fault proxy until it drains, then
check that D1 holds every sale exactly once, row for row.

    python -m reliability.network --faults 1000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from pos_app.devtools.outbox_filler import OutboxFiller
from reliability.fault_proxy import FaultProxy, random_schedule

EVENT, REGISTER = "net-event", "net-register"


@dataclass
class NetworkReport:
    faults: int = 0
    by_fault: dict[str, int] = field(default_factory=dict)
    requests_forwarded: int = 0
    rounds: int = 0
    sales_local: int = 0
    d1_sales: int = 0
    duplicated: int = 0
    lost: int = 0
    lines_mismatched: int = 0
    outbox_left: int = 0
    seconds: float = 0.0
    aborted: str = ""


def _seed_register(worker: Any, workdir: Path, sales: int,
                   filler: OutboxFiller) -> tuple[Path, str]:
    from pos_app.devtools.admin_client import (
        AdminClient,
        dates_around_today,
        demo_catalog_items,
        demo_consignors,
    )
    from pos_app.services.setup import MemoryTokenStore, configure_register
    from pos_app.store.engine import Database

    admin = AdminClient(worker.url, worker.admin_token)
    admin.put_event(EVENT, name="Faults", **dates_around_today())
    admin.upsert_consignors(EVENT, demo_consignors(50))
    admin.upsert_items(EVENT, demo_catalog_items(5_000, consignors=50))
    token = admin.create_register(EVENT, REGISTER)
    admin.close()
    path = workdir / "register.sqlite3"
    database = Database.open(path)
    configure_register(database, MemoryTokenStore(), register_id=REGISTER, event_id=EVENT,
                       name="Faults", server_url=worker.url, token=token)
    filler.fill(database, sales)
    database.close()
    return path, token


def run(target_faults: int, workdir: Path, *, seed: int = 3, sales: int = 600,
        rate: float = 0.5, max_rounds: int = 20_000, max_seconds: float = 3_600) -> NetworkReport:
    from pos_app.devtools.admin_client import AdminClient
    from pos_app.devtools.local_worker import LocalWorker
    from pos_app.store.engine import Database
    from pos_app.sync.backoff import Backoff
    from pos_app.sync.batcher import SyncLimits
    from pos_app.sync.client import CentralClient, SyncError
    from pos_app.sync.push import Pusher

    report = NetworkReport()
    started = time.perf_counter()
    with LocalWorker(workdir / "d1") as worker:
        filler = OutboxFiller(EVENT, REGISTER, lines=5)
        path, token = _seed_register(worker, workdir, sales, filler)
        schedule = random_schedule(rate, seed)
        with FaultProxy(worker.url, schedule) as proxy:
            database = Database.open(path)
            # Long enough for any honest reply on a slow machine; the proxy's delay fault holds the
            # reply until this client gives up, so the fault does not depend on the machine.
            timeout = httpx.Timeout(connect=5.0, read=3.0, write=5.0, pool=5.0)
            client = CentralClient(proxy.url, token, REGISTER, EVENT, timeout=timeout)
            pusher = Pusher(database, client, SyncLimits(max_statements=50), max_attempts=3,
                            backoff=Backoff(base_s=0.001, cap_s=0.01))
            deadline = time.monotonic() + max_seconds
            while report.rounds < max_rounds:
                if time.monotonic() > deadline or not _alive(worker):
                    report.aborted = "time limit" if _alive(worker) else "the Worker stopped"
                    break
                report.rounds += 1
                with contextlib.suppress(SyncError):  # the proxy's faults; retried next round
                    pusher.push_all()
                if _outbox_left(path) == 0:
                    if proxy.total_faults >= target_faults:
                        break
                    filler.fill(database, sales)
            report.faults = proxy.total_faults
            report.by_fault = dict(proxy.injected)
            report.requests_forwarded = proxy.forwarded
            client.close()
            database.close()
        _compare(path, AdminClient(worker.url, worker.admin_token), filler.sale_ids, report)
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def _alive(worker: Any) -> bool:
    try:
        return httpx.get(f"{worker.url}/v1/health", timeout=5.0).status_code == 200
    except httpx.HTTPError:
        return False


def _outbox_left(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        return int(raw.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])


def _compare(path: Path, admin: Any, sold: list[str], report: NetworkReport) -> None:
    """D1 holds each generated sale exactly once, each with all its lines."""
    remote_sales = admin.export(EVENT, "sales")
    remote_lines = admin.export(EVENT, "sale_lines")
    admin.close()
    report.outbox_left = _outbox_left(path)
    ids = [row["id"] for row in remote_sales]
    lines: dict[str, int] = {}
    for row in remote_lines:
        lines[row["sale_id"]] = lines.get(row["sale_id"], 0) + 1
    report.sales_local = len(sold)
    report.d1_sales = len(ids)
    report.duplicated = len(ids) - len(set(ids))
    report.lost = len(set(sold) - set(ids))
    report.lines_mismatched = sum(1 for row in remote_sales
                                  if lines.get(row["id"]) != row["item_count"])


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability.network")
    parser.add_argument("--faults", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report = run(args.faults, Path(tempfile.mkdtemp(prefix="netfaults-")), seed=args.seed)
    print(json.dumps(asdict(report), indent=2))
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2))
    ok = not (report.duplicated or report.lost or report.lines_mismatched or report.outbox_left
              or report.aborted)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
