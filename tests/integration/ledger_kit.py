"""Registers for the ledger-integrity tests: honest outbox entries built by pos_app's own core
(cart arithmetic, canonical sale JSON, journal chain, wire bundles, the sync batcher), and a
way to tamper with one value of a push before it is sent, as a thief or a buggy register would.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from pos_app.core.cart import Cart, CartLine
from pos_app.core.ids import new_id
from pos_app.core.journal import GENESIS_HASH, JournalEntry, next_entry
from pos_app.core.pricing import PricingPolicy
from pos_app.core.refund import LineRefund, refund_amount
from pos_app.core.sale import (
    CompletedSale,
    SaleHeader,
    SaleVoid,
    build_sale,
    canonical_json,
    utc_timestamp,
)
from pos_app.core.tender import TenderSession
from pos_app.core.wire import COLUMNS, refund_bundle, sale_bundle, void_bundle
from pos_app.devtools.admin_client import AdminClient, dates_around_today
from pos_app.store.outbox import Entry
from pos_app.sync.batcher import SyncLimits, pack

type Body = dict[str, Any]
TABLES = ("sales", "sale_lines", "tenders", "voids", "refunds", "journal", "shifts")


@dataclass
class Register:
    """One register's numbering and hash chain; every entry it builds is honest."""

    http: httpx.Client
    event_id: str
    id: str
    token: str
    tax_rate_bp: int = 0
    seq: int = 0
    sale_seq: int = 0
    prev_hash: str = GENESIS_HASH
    saved: list[tuple[int, int, str]] = field(default_factory=list)
    sales: dict[str, CompletedSale] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"}

    def sale(self, items: Sequence[tuple[str, int]], *, discount_cents: int = 0,
             at: str | None = None, cash_given: int | None = None) -> Entry:
        """A sale of ``items`` (id, unit price), paid in cash, that adds up."""
        cart = Cart(PricingPolicy(self.tax_rate_bp))
        for item_id, price in items:
            cart.add(CartLine(item_id, f"T-{item_id}"[-30:], 1001, "Item", price,
                              min(discount_cents, price)))
        totals = cart.totals()
        session = TenderSession(totals.total_cents)
        if totals.total_cents:
            session.add_cash(cash_given or totals.total_cents)
        self._save()
        self.sale_seq += 1
        header = SaleHeader(new_id(), self.event_id, self.id, None, "cashier-1",
                            at or utc_timestamp())
        sale = build_sale(header, self.sale_seq, cart.lines, session.finish(), cart.policy)
        journal = self._journal("sale", sale.id, sale.canonical_json())
        self.sales[sale.id] = sale
        return Entry(journal.seq, "sale", sale.id, sale_bundle(sale, journal), 0)

    def void(self, sale_id: str) -> Entry:
        self._save()
        void = SaleVoid(new_id(), sale_id, self.event_id, self.id, "cashier-1", "manager-1",
                        "changed their mind", utc_timestamp())
        journal = self._journal("void", void.id, void.canonical_json())
        return Entry(journal.seq, "void", void.id, void_bundle(void, journal), 0)

    def refund(self, sale_id: str, line_no: int) -> Entry:
        """Line ``line_no`` of this register's sale ``sale_id`` paid back in cash."""
        self._save()
        refund = LineRefund(new_id(), sale_id, line_no, self.event_id, self.id, None,
                            "cashier-1", "manager-1", "did not fit", "cash",
                            refund_amount(self.sales[sale_id], line_no), utc_timestamp())
        journal = self._journal("refund", refund.id, refund.canonical_json())
        return Entry(journal.seq, "refund", refund.id, refund_bundle(refund, journal), 0)

    def forget(self) -> None:
        """Take back the last entry built (it was refused and will never be sent again)."""
        self.seq, self.sale_seq, self.prev_hash = self.saved.pop()

    def _save(self) -> None:
        self.saved.append((self.seq, self.sale_seq, self.prev_hash))

    def _journal(self, kind: str, ref_id: str, payload: str) -> JournalEntry:
        self.seq += 1
        entry = next_entry(self.seq, kind, ref_id, self.prev_hash, payload)
        self.prev_hash = entry.entry_hash
        return entry

    def body(self, entries: Sequence[Entry],
             tamper: Callable[[dict[str, list[list[Any]]]], None] | None = None) -> Body:
        """The push the sync batcher builds for ``entries``, optionally with rows edited."""
        [request] = pack(entries, SyncLimits(), self.event_id)
        body: Body = json.loads(request.body)
        if tamper is not None:
            rows = {t: [r for c in body["chunks"] if c["table"] == t for r in c["rows"]]
                    for t in TABLES}
            tamper(rows)
            body["chunks"] = [{"table": t, "rows": rows[t][k:k + 100 // len(rows[t][0])]}
                              for t in TABLES if rows[t]
                              for k in range(0, len(rows[t]), 100 // len(rows[t][0]))]
        return body

    def post(self, body: Body) -> httpx.Response:
        return self.http.post(f"/v1/registers/{self.id}/push", json=body, headers=self.auth)

    def push(self, *entries: Entry) -> Body:
        response = self.post(self.body(entries))
        assert response.status_code == 200, response.text
        reply: Body = response.json()
        return reply

    def conflicts(self) -> list[Body]:
        response = self.http.get(f"/v1/registers/{self.id}/conflicts", headers=self.auth)
        assert response.status_code == 200, response.text
        rows: list[Body] = response.json()["conflicts"]
        return rows


def rehash(journal_row: list[Any], payload: str) -> None:
    """Give a journal row another payload with a self-consistent hash (a forgery)."""
    entry = next_entry(journal_row[1], journal_row[2], journal_row[3], journal_row[4], payload)
    journal_row[5], journal_row[6] = entry.entry_hash, payload


def rebind_sale(rows: dict[str, list[list[Any]]]) -> None:
    """Recompute the first sale's journal payload and hash from its (edited) rows, as a thief
    who knows the protocol would, so only the server's own checks can catch the edit."""
    sale = dict(zip(COLUMNS["sales"], rows["sales"][0], strict=True))
    del sale["item_count"]
    mine = [r for r in rows["sale_lines"] if r[0] == sale["id"]]
    paid = [r for r in rows["tenders"] if r[0] == sale["id"]]
    sale["lines"] = [[r[1], r[2], r[3], r[5], r[6]] for r in mine]
    sale["tenders"] = [[r[2], r[3], r[4], r[5]] for r in paid]
    rehash(rows["journal"][0], canonical_json(sale))


@dataclass
class Ledger:
    """One event on the local Worker, its items (id -> price) and the organiser's view."""

    admin: AdminClient
    http: httpx.Client
    id: str
    prices: dict[str, int]

    def register(self, name: str, tax_rate_bp: int = 0) -> Register:
        return Register(self.http, self.id, name, self.admin.create_register(self.id, name),
                        tax_rate_bp)

    def state(self) -> dict[str, Any]:
        """Every table a push writes, for showing that a refused push wrote nothing."""
        tables = ("sales", "sale_lines", "tenders", "voids", "refunds", "journal", "shifts",
                  "conflicts", "items", "register_progress")
        return {table: self.admin.export(self.id, table) for table in tables}


def open_event(admin: AdminClient, http: httpx.Client, event_id: str, items: int = 30,
               **event: Any) -> Ledger:
    admin.put_event(event_id, name=event_id, **{**dates_around_today(), **event})
    prices = {f"{event_id}-i{n}": 500 + n for n in range(items)}
    admin.upsert_items(event_id, [
        {"id": item_id, "consignor_number": 1001, "item_number": n + 1,
         "tag_code": f"1001-{n + 1:04d}", "description": "Item", "price_cents": price,
         "discountable": True}
        for n, (item_id, price) in enumerate(prices.items())])
    return Ledger(admin, http, event_id, prices)


def minutes_from_now(minutes: float) -> str:
    return utc_timestamp(datetime.now(UTC) + timedelta(minutes=minutes))
