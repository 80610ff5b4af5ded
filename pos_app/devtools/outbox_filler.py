"""Fill a register's outbox with realistic sale bundles, as sale commits would, fast.

Used by the benchmarks, the reliability harnesses and the sync tests to push thousands of
sales without going through the checkout. Sale numbers and the journal chain continue across
calls, so the Worker verifies the chain as it would a real register's. Each sale adds up
with the event's tax rate and prices its items as :func:`demo_catalog_items` does, so the
Worker's arithmetic check and price audit accept it as an honest register's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from pos_app.core.cart import Cart, CartLine
from pos_app.core.ids import new_id
from pos_app.core.journal import GENESIS_HASH, next_entry
from pos_app.core.pricing import PricingPolicy
from pos_app.core.sale import SaleHeader, build_sale, canonical_json, utc_timestamp
from pos_app.core.tender import Tender, TenderKind
from pos_app.core.wire import sale_bundle
from pos_app.devtools.admin_client import demo_price_cents
from pos_app.store import models
from pos_app.store.engine import Database


class OutboxFiller:
    def __init__(self, event: str = "bench-event", register: str = "bench-register",
                 lines: int = 10, tax_rate_bp: int = 0) -> None:
        self.event, self.register, self.lines = event, register, lines
        self.policy = PricingPolicy(tax_rate_bp)
        self.seq, self.previous = 0, GENESIS_HASH
        self.sale_ids: list[str] = []
        self.counts: dict[str, int] = {}

    def fill(self, database: Database, sales: int) -> dict[str, int]:
        """Append ``sales`` sale bundles in one transaction; return row counts per table."""
        rows = [self._bundle_row() for _ in range(sales)]
        with database.unit_of_work() as unit:
            unit.connection.execute(insert(models.outbox), rows)
            unit.commit()
        return self.counts

    def _bundle_row(self) -> dict[str, Any]:
        self.seq += 1
        n, lines = self.seq, self.lines
        cart = Cart(self.policy)
        for k in range(lines):
            index = (n * lines + k) % 200_000
            cart.add(CartLine(f"item-{index + 1}", f"{1001 + k:04d}-{n:04d}", 1001 + k, "Item",
                              demo_price_cents(index)))
        total = cart.totals().total_cents
        header = SaleHeader(new_id(), self.event, self.register, None, "cashier",
                            utc_timestamp())
        sale = build_sale(header, n, cart.lines, [Tender(TenderKind.CASH, total, total, 0)],
                          self.policy)
        entry = next_entry(n, "sale", sale.id, self.previous, sale.canonical_json())
        self.previous = entry.entry_hash
        bundle = sale_bundle(sale, entry)
        for table, table_rows in bundle.items():
            self.counts[table] = self.counts.get(table, 0) + len(table_rows)
        self.sale_ids.append(sale.id)
        return {"kind": "sale", "ref_id": sale.id, "payload": canonical_json(bundle),
                "created_at": header.created_at, "attempts": 0}
