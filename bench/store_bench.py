"""Sale commit of a 100-line sale at synchronous=FULL against raw sqlite3 executemany."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import Result, summary, time_calls

LINES = 100


def _demo(path: Path, items: int):  # type: ignore[no-untyped-def]
    from pos_app.services.demo import create_demo_event
    from pos_app.store.engine import Database

    database = Database.open(path)
    return database, create_demo_event(database, items=items)


def bench_sale_commit(items: int = 200_000, repeat: int = 60) -> Result:
    from pos_app.core.cart import Cart
    from pos_app.core.tender import TenderSession
    from pos_app.services import checkout
    from pos_app.services.catalog import CatalogService
    from pos_app.services.sales import SaleService

    workdir = Path(tempfile.mkdtemp(prefix="bench-commit-"))
    database, context = _demo(workdir / "register.sqlite3", items)
    catalog = CatalogService(database, context)
    sales = SaleService(database, context, lambda: datetime.now(UTC))
    policy = catalog.policy()
    sellable = _sellable_items(catalog, LINES * (repeat + 3))
    carts = []
    for start in range(0, len(sellable), LINES):
        cart = Cart(policy)
        for item in sellable[start:start + LINES]:
            checkout.add_item(cart, item, datetime.now(UTC))
        carts.append(cart)
    pending = iter(carts)

    def commit() -> None:
        cart = next(pending)
        totals = cart.totals()
        tender = TenderSession(totals.total_cents)
        tender.add_cash(totals.total_cents)
        sales.complete(cart.lines, totals, tender.finish(), "demo-cashier", None)

    samples = time_calls(commit, repeat)
    baseline = _raw_sqlite_baseline(workdir / "raw.sqlite3", repeat)
    median, p99 = summary(samples)
    base_median, _ = summary(baseline)
    result = Result("sale commit, 100 lines, synchronous=FULL", "ms", median, p99,
                    "raw sqlite3 executemany, same rows, FULL", base_median, "<= 2x", None)
    result.met = result.ratio <= 2.0
    database.close()
    return result


def _sellable_items(catalog: Any, count: int) -> list[Any]:
    """The first ``count`` items of the demo catalog, by consignor and item number."""
    from pos_app.services.catalog import ScanRefusal

    found: list[Any] = []
    for consignor in range(1001, 1401):
        for number in range(1, 1000):
            item = catalog.lookup(f"{consignor:04d}-{number:04d}")
            if isinstance(item, ScanRefusal):
                break
            found.append(item)
            if len(found) == count:
                return found
    return found


def _raw_sqlite_baseline(path: Path, repeat: int) -> list[float]:
    """The same row counts (sale, 100 lines, tender, journal, outbox) written with raw sqlite3."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executescript("""
        PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
        CREATE TABLE sales (id TEXT PRIMARY KEY, register_id TEXT, seq INT, created_at TEXT,
            subtotal INT, discount INT, tax INT, total INT, item_count INT, status TEXT);
        CREATE TABLE lines (sale_id TEXT, line_no INT, item_id TEXT, tag TEXT, consignor INT,
            description TEXT, unit INT, discount INT, price INT, PRIMARY KEY (sale_id, line_no));
        CREATE TABLE tenders (sale_id TEXT, line_no INT, kind TEXT, amount INT);
        CREATE TABLE journal (seq INTEGER PRIMARY KEY, hash TEXT, payload TEXT);
        CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT);
        CREATE TABLE items (id TEXT PRIMARY KEY, status TEXT);
    """)
    connection.executemany("INSERT INTO items VALUES (?, 'approved')",
                           [(f"i{n}",) for n in range(LINES * (repeat + 3))])
    counter = iter(range(1, 10**9))

    def write() -> None:
        n = next(counter)
        sale_id = f"sale-{n}"
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO sales VALUES (?, 'r', ?, 't', 1, 1, 1, 1, 100, 'c')",
                           (sale_id, n))
        connection.executemany(
            "INSERT INTO lines VALUES (?, ?, ?, 'tag', 1001, 'Item', 500, 0, 500)",
            [(sale_id, k, f"i{n * LINES + k}") for k in range(LINES)])
        connection.execute("INSERT INTO tenders VALUES (?, 1, 'cash', 1)", (sale_id,))
        connection.execute("INSERT INTO journal VALUES (?, 'h', ?)", (n, "x" * 6000))
        connection.execute("INSERT INTO outbox (payload) VALUES (?)", ("y" * 12000,))
        connection.executemany("UPDATE items SET status = 'sold' WHERE id = ?",
                               [(f"i{n * LINES + k}",) for k in range(LINES)])
        connection.execute("COMMIT")

    samples = time_calls(write, repeat)
    connection.close()
    return samples
