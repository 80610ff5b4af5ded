"""Crash consistency: kill a register process with SIGKILL at random points, many times.

The child completes sales in a loop (and pushes to the local Worker every few sales); after
each sale's ``complete()`` returns it appends the sale id to a log file and fsyncs it, so the
log lists exactly the sales that were *reported* complete. After every kill the harness checks
that each reported sale is in the database with its lines, tenders, journal entry and outbox
entry (unless acknowledged), that the journal chain verifies, and that no sale is partial.
At the end it syncs once more and checks that D1 holds each local sale exactly once.

    python -m reliability.crash --kills 200          # the full run, writes a JSON summary
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EVENT, REGISTER = "crash-event", "crash-register"
ITEMS = 20_000
CONSIGNORS = 200


@dataclass
class CrashReport:
    kills: int = 0
    sales_reported: int = 0
    sales_in_db: int = 0
    lost: int = 0
    partial: int = 0
    journal_breaks: int = 0
    d1_sales: int = 0
    d1_duplicated: int = 0
    d1_missing: int = 0
    problems: list[str] = field(default_factory=list)


def child(db: Path, log: Path, url: str | None, token: str | None, seed: int) -> None:
    """Sell forever (until killed); log each sale id only after complete() returned."""
    from pos_app.core.cart import Cart
    from pos_app.core.tender import TenderSession
    from pos_app.services import checkout
    from pos_app.services.catalog import CatalogService, ScanRefusal
    from pos_app.services.context import load_context
    from pos_app.services.sales import SaleService
    from pos_app.store.engine import Database

    rng = random.Random(seed)
    database = Database.open(db)
    context = load_context(database)
    catalog = CatalogService(database, context)
    sales = SaleService(database, context, lambda: datetime.now(UTC))
    pusher = _pusher(database, url, token)
    policy = catalog.policy()
    log.with_suffix(".ready").touch()
    with log.open("a") as out:
        while True:
            cart = Cart(policy)
            for _ in range(rng.randint(1, 25)):
                item = catalog.lookup(f"{rng.randint(1001, 1000 + CONSIGNORS):04d}-"
                                      f"{rng.randint(1, ITEMS // CONSIGNORS):04d}")
                if not isinstance(item, ScanRefusal) and not cart.contains(item.id):
                    checkout.add_item(cart, item, datetime.now(UTC))
            if not len(cart):
                continue
            totals = cart.totals()
            tender = TenderSession(totals.total_cents)
            tender.add_cash(totals.total_cents + rng.choice([0, 500, 2000]))
            sale = sales.complete(cart.lines, tender.finish(), "crash-cashier", None)
            out.write(sale.id + "\n")
            out.flush()
            os.fsync(out.fileno())
            if pusher is not None and rng.random() < 0.2:
                pusher.push_all()


def _pusher(database: Any, url: str | None, token: str | None) -> Any:
    if not url or not token:
        return None
    from pos_app.sync.batcher import SyncLimits
    from pos_app.sync.client import CentralClient
    from pos_app.sync.push import Pusher

    return Pusher(database, CentralClient(url, token, REGISTER, EVENT), SyncLimits(),
                  max_attempts=1)


def check_database(db: Path, reported: set[str], report: CrashReport) -> None:
    """Every reported sale is whole on disk; no sale is partial; the journal verifies."""
    from pos_app.core.journal import JournalEntry, verify_chain

    with sqlite3.connect(db) as raw:
        stored = dict(raw.execute("SELECT id, item_count FROM sales").fetchall())
        lines = dict(raw.execute("SELECT sale_id, COUNT(*) FROM sale_lines GROUP BY sale_id"))
        tenders = {r[0] for r in raw.execute("SELECT DISTINCT sale_id FROM tenders")}
        journaled = {r[0] for r in raw.execute("SELECT ref_id FROM journal WHERE kind='sale'")}
        entries = [JournalEntry(*r) for r in raw.execute(
            "SELECT seq, kind, ref_id, prev_hash, entry_hash, payload FROM journal ORDER BY seq")]
    report.sales_in_db = len(stored)
    report.lost = len(reported - stored.keys())
    report.partial = sum(1 for sale_id, count in stored.items()
                         if lines.get(sale_id) != count or sale_id not in tenders
                         or sale_id not in journaled)
    broken = verify_chain(entries)
    if broken is not None:
        report.journal_breaks += 1
        report.problems.append(f"journal broken at {broken.seq}: {broken.reason}")


def run(kills: int, workdir: Path, seed: int = 7, with_worker: bool = True) -> CrashReport:
    rng = random.Random(seed)
    report = CrashReport()
    db, log = workdir / "register.sqlite3", workdir / "reported.log"
    worker, token = _start_worker(workdir) if with_worker else (None, None)
    try:
        _prepare_register(db, worker, token)
        log.touch()
        for kill in range(kills):
            process = subprocess.Popen(
                [sys.executable, "-m", "reliability.crash", "--child", "--db", str(db),
                 "--log", str(log), "--seed", str(seed * 1000 + kill),
                 *(["--url", worker.url, "--token", token] if worker and token else [])],
                cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            _wait_ready(log.with_suffix(".ready"), process)
            time.sleep(rng.uniform(0.0, 0.6))
            process.send_signal(signal.SIGKILL)
            process.wait()
            report.kills += 1
            reported = set(log.read_text().split())
            report.sales_reported = len(reported)
            check_database(db, reported, report)
            if report.lost or report.partial:
                report.problems.append(f"after kill {kill}: lost {report.lost}, "
                                       f"partial {report.partial}")
                break
        if worker is not None and token is not None:
            _final_sync_and_compare(db, worker, token, report)
    finally:
        if worker is not None:
            worker.stop()
    return report


def _wait_ready(marker: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    marker.unlink(missing_ok=True)


def _start_worker(workdir: Path) -> tuple[Any, str]:
    from pos_app.devtools.admin_client import AdminClient, dates_around_today, demo_consignors
    from pos_app.devtools.local_worker import LocalWorker

    worker = LocalWorker(workdir / "d1").start()
    admin = AdminClient(worker.url, worker.admin_token)
    admin.put_event(EVENT, name="Crash test", **dates_around_today(),
                    tax_rate_bp=825)
    admin.upsert_consignors(EVENT, demo_consignors(CONSIGNORS))
    admin.upsert_items(EVENT, _items())
    token = admin.create_register(EVENT, REGISTER)
    admin.close()
    return worker, token


def _items() -> list[dict[str, Any]]:
    from pos_app.devtools.admin_client import demo_catalog_items

    return list(demo_catalog_items(ITEMS, consignors=CONSIGNORS))


def _prepare_register(db: Path, worker: Any, token: str | None) -> None:
    from pos_app.services.setup import MemoryTokenStore, configure_register
    from pos_app.store.catalog_pull import upsert_catalog_page
    from pos_app.store.engine import Database

    database = Database.open(db)
    if worker is not None and token is not None:
        configure_register(database, MemoryTokenStore(), register_id=REGISTER, event_id=EVENT,
                           name="Crash", server_url=worker.url, token=token)
        from pos_app.sync.client import CentralClient
        from pos_app.sync.pull import Puller

        client = CentralClient(worker.url, token, REGISTER, EVENT)
        Puller(database, client, REGISTER).pull_catalog()
        client.close()
    else:
        from pos_app.devtools.admin_client import dates_around_today

        event = {"id": EVENT, "name": "Crash test", **dates_around_today(),
                 "location": "", "status": "published",
                 "tax_rate_bp": 825, "change_seq": 1, "discount_rules": []}
        with database.unit_of_work() as unit:
            items = [dict(item, event_id=EVENT) for item in _items()]
            upsert_catalog_page(unit.connection, event, [], items, REGISTER)
            unit.commit()
        configure_register(database, MemoryTokenStore(), register_id=REGISTER, event_id=EVENT,
                           name="Crash", server_url=None, token=None)
    database.close()


def _final_sync_and_compare(db: Path, worker: Any, token: str, report: CrashReport) -> None:
    from pos_app.devtools.admin_client import AdminClient
    from pos_app.store.engine import Database
    from pos_app.sync.batcher import SyncLimits
    from pos_app.sync.client import CentralClient
    from pos_app.sync.push import Pusher

    database = Database.open(db)
    client = CentralClient(worker.url, token, REGISTER, EVENT)
    Pusher(database, client, SyncLimits()).push_all()
    client.close()
    database.close()
    admin = AdminClient(worker.url, worker.admin_token)
    remote = [row["id"] for row in admin.export(EVENT, "sales")]
    admin.close()
    with sqlite3.connect(db) as raw:
        local = {r[0] for r in raw.execute("SELECT id FROM sales")}
        left = raw.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    report.d1_sales = len(remote)
    report.d1_duplicated = len(remote) - len(set(remote))
    report.d1_missing = len(local - set(remote))
    if left:
        report.problems.append(f"{left} outbox entries left after the final sync")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability.crash")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--url")
    parser.add_argument("--token")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--no-worker", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.db, args.log, args.url, args.token, args.seed)
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="crash-"))
    report = run(args.kills, workdir, args.seed, with_worker=not args.no_worker)
    print(json.dumps(asdict(report), indent=2))
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2))
    ok = not (report.lost or report.partial or report.journal_breaks or report.d1_duplicated
              or report.d1_missing or report.problems)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
