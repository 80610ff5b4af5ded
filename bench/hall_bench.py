"""Check-in scanning rate (issue 13): scan to confirmed, against the checkout scan, same run.

A check-in scan is confirmed once its event, the item's status, the journal entry and the
outbox entry are committed at synchronous=FULL (:meth:`ItemLifecycleService.approve`). The
checkout scan it is set against is the till's scan path without the GUI: the indexed lookup
and the cart's add (``CatalogService.lookup`` + ``checkout.add_item``), on the same
200,000-item catalog in the same run. The check-in scan writes to disk and the till's does
not, so the target only bounds the scans a volunteer can make: at least 10 per second at p99.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import RUNS, Result, from_runs, interleaved

SCANS = 300


def bench_check_in(items: int = 200_000, scans: int = SCANS, runs: int = RUNS) -> Result:
    """Check-in scans interleaved scan by scan with the till's, ``runs`` times."""
    from pos_app.core.cart import Cart
    from pos_app.services import checkout
    from pos_app.services.catalog import CatalogService
    from pos_app.services.demo import create_demo_event
    from pos_app.services.lifecycle import ItemLifecycleService
    from pos_app.store.engine import Database

    workdir = Path(tempfile.mkdtemp(prefix="bench-hall-"))
    database = Database.open(workdir / "register.sqlite3")
    context = create_demo_event(database, items=items)
    hall = ItemLifecycleService(database, context, lambda: datetime.now(UTC))
    catalog = CatalogService(database, context)
    needed = (scans + 3) * runs  # interleaved() warms up with 3 calls of each
    consignors = range(1001, 1001 + needed // 40 + 2)
    tags = [f"{c:04d}-{n:04d}" for c in consignors for n in range(1, 41)]
    with sqlite3.connect(database.path) as raw:  # those items wait for drop-off check-in
        raw.executemany("UPDATE items SET status = 'pending' WHERE tag_code = ?",
                        [(tag,) for tag in tags])
    hall_scans = iter(tags)
    pending = iter(tags)  # the till scans each item after the hall has approved it
    carts = [Cart(catalog.policy())]

    def check_in() -> None:
        hall.approve(next(hall_scans), "demo-cashier")

    def till_scan() -> None:
        item = catalog.lookup(next(pending))
        if len(carts[-1]) >= 100:
            carts.append(Cart(catalog.policy()))
        checkout.add_item(carts[-1], item, datetime.now(UTC))  # type: ignore[arg-type]

    pairs = [interleaved(check_in, till_scan, scans) for _ in range(runs)]
    result = from_runs(f"check-in scan to confirmed, {items:,} items", "ms", pairs,
                       "checkout scan (lookup + add), same run", "p99 <= 100 ms")
    result.met = result.p99 is not None and result.p99 <= 100.0
    result.extra = {"scans": scans}
    database.close()
    shutil.rmtree(workdir, ignore_errors=True)
    return result
