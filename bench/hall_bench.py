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

from bench.harness import Result, summary, time_calls

SCANS = 300


def bench_check_in(items: int = 200_000, scans: int = SCANS) -> Result:
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
    consignors = range(1001, 1001 + (scans + 10) // 40 + 1)
    tags = [f"{c:04d}-{n:04d}" for c in consignors for n in range(1, 41)]
    with sqlite3.connect(database.path) as raw:  # those items wait for drop-off check-in
        raw.executemany("UPDATE items SET status = 'pending' WHERE tag_code = ?",
                        [(tag,) for tag in tags])
    pending = iter(tags)

    hall_scans = iter(tags)
    check_in = time_calls(lambda: hall.approve(next(hall_scans), "demo-cashier"), scans)
    # then the till's scan of the same (now approved) items: lookup and add to a cart
    carts = [Cart(catalog.policy())]

    def till_scan() -> None:
        item = catalog.lookup(next(pending))
        if len(carts[-1]) >= 100:
            carts.append(Cart(catalog.policy()))
        checkout.add_item(carts[-1], item, datetime.now(UTC))  # type: ignore[arg-type]

    till = time_calls(till_scan, scans)
    median, p99 = summary(check_in)
    till_median, till_p99 = summary(till)
    result = Result(f"check-in scan to confirmed, {items:,} items", "ms", median, p99,
                    "checkout scan (lookup + add), same run", till_median, "p99 <= 100 ms",
                    None, {"checkout_p99_ms": round(till_p99, 3), "scans": scans})
    result.met = p99 <= 100.0
    database.close()
    shutil.rmtree(workdir, ignore_errors=True)
    return result
