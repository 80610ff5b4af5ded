"""Fill a register's outbox with realistic sale bundles, as sale commits would, fast.

Used by the benchmarks, the reliability harnesses and the sync tests to push thousands of
sales without going through the checkout. Sale numbers and the journal chain continue across
calls, so the Worker verifies the chain as it would a real register's. Each sale adds up
with the event's tax rate and prices its items as :func:`demo_catalog_items` does, so the
Worker's arithmetic check and price audit accept it as an honest register's.

Which items the lines sell: by default, ids by sale number (modulo 200,000) with tags of
their own, for tests that seed no catalog (every register then sells the same ids). Given
``first_item``, sale ``n``'s line ``k`` sells demo item ``first_item + (n - 1) * lines + k``
exactly as :func:`~pos_app.devtools.admin_client.demo_catalog_items` seeds it (id, tag,
consignor, description, price): an event seeded with those items finds every line, each
item sold once, as at a real event. Give registers disjoint ranges and none sells
another's item.
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
                 lines: int = 10, tax_rate_bp: int = 0, *, first_item: int | None = None,
                 consignors: int = 400, prefix: str = "") -> None:
        if first_item is not None and first_item < 0:
            raise ValueError(f"first_item must be >= 0, got {first_item}")
        if consignors < 1:
            raise ValueError(f"consignors must be >= 1, got {consignors}")
        self.event, self.register, self.lines = event, register, lines
        self.first_item, self.consignors, self.prefix = first_item, consignors, prefix
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
            cart.add(self._line(n, k))
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

    def _line(self, n: int, k: int) -> CartLine:
        """Line ``k`` of sale ``n``: a demo catalog item (``first_item`` set) or a made-up one."""
        if self.first_item is None:
            index = (n * self.lines + k) % 200_000
            return CartLine(f"item-{index + 1}", f"{1001 + k:04d}-{n:04d}", 1001 + k, "Item",
                            demo_price_cents(index))
        index = self.first_item + (n - 1) * self.lines + k
        consignor = index % self.consignors + 1001
        number = index // self.consignors + 1
        return CartLine(f"{self.prefix}item-{index + 1}", f"{consignor:04d}-{number:04d}",
                        consignor, f"Item {index + 1}", demo_price_cents(index))
