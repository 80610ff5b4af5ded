"""Sale commit of a 100-line sale at synchronous=FULL against raw sqlite3 executemany,
interleaved commit by commit, in several runs."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import RUNS, Result, from_runs, interleaved

LINES = 100


def _demo(path: Path, items: int):  # type: ignore[no-untyped-def]
    from pos_app.services.demo import create_demo_event
    from pos_app.store.engine import Database

    database = Database.open(path)
    return database, create_demo_event(database, items=items)


def bench_sale_commit(items: int = 200_000, repeat: int = 60, runs: int = RUNS) -> Result:
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
    sellable = _sellable_items(catalog, LINES * ((repeat + 3) * runs + 1))
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
        sales.complete(cart.lines, tender.finish(), "demo-cashier", None)

    commit()  # one sale first: the baseline copies its journal and outbox sizes
    write = _raw_sqlite_baseline(workdir / "register.sqlite3", list(carts))
    samples = [interleaved(commit, write, repeat) for _ in range(runs)]
    result = from_runs("sale commit, 100 lines, synchronous=FULL", "ms", samples,
                       "raw sqlite3, same rows and schema, FULL", "<= 2x")
    result.met = result.ratio <= 2.0
    database.close()
    shutil.rmtree(workdir, ignore_errors=True)
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


def _raw_sqlite_baseline(template: Path, carts: list[Any]) -> Callable[[], None]:
    """The same rows, into the same schema (a copy of the register file), with raw sqlite3:
    the sale, its lines, tenders, a journal entry and an outbox entry of the real sizes, and
    the items marked sold, in one transaction at synchronous=FULL."""
    path = template.with_name("raw-baseline.sqlite3")
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    source.backup(target)
    source.close()
    journal_size, outbox_size = target.execute(
        "SELECT length(j.payload), length(o.payload) FROM journal j, outbox o LIMIT 1").fetchone()
    target.close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
    pending = iter(carts)
    counter = iter(range(1, 10**9))

    def write() -> None:
        lines = next(pending).lines
        n = next(counter)
        sale_id = f"raw-{n}"
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO sales (id, event_id, register_id, seq, shift_id, cashier_id, created_at,"
            " subtotal_cents, discount_cents, tax_cents, total_cents, item_count, status)"
            " VALUES (?, 'e', 'raw', ?, NULL, 'c', 't', 1, 1, 1, 1, 100, 'completed')",
            (sale_id, n))
        connection.executemany(
            "INSERT INTO sale_lines (sale_id, line_no, item_id, tag_code, consignor_number,"
            " description, unit_price_cents, discount_cents, price_cents)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(sale_id, k, ln.item_id, ln.tag_code, ln.consignor_number, ln.description,
              ln.unit_price_cents, ln.discount_cents, ln.price_cents)
             for k, ln in enumerate(lines, start=1)])
        connection.execute("INSERT INTO tenders (sale_id, line_no, kind, amount_cents, "
                           "given_cents, change_cents, reference) "
                           "VALUES (?, 1, 'cash', 1, 1, 0, NULL)", (sale_id,))
        connection.execute("INSERT INTO journal (seq, kind, ref_id, prev_hash, entry_hash, "
                           "payload, created_at) VALUES (?, 'sale', ?, 'p', 'h', ?, 't')",
                           (1_000_000 + n, sale_id, "x" * journal_size))
        connection.execute("INSERT INTO outbox (kind, ref_id, payload, created_at, attempts) "
                           "VALUES ('sale', ?, ?, 't', 0)", (sale_id, "y" * outbox_size))
        connection.executemany(
            "UPDATE items SET status = 'sold', sold_sale_id = ?, sold_register_id = 'raw' "
            "WHERE id = ?", [(sale_id, ln.item_id) for ln in lines])
        connection.execute("COMMIT")

    return write
