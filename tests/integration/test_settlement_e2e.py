"""Settlement end to end against the real local Worker (issue 14).

Three registers sell offline (discounts, voids, line refunds, a sold-twice item, an item the
catalog does not know), then sync; a refund pushed later takes its line out again. The
settlement the endpoint answers must equal one computed here, independently, from the
event's D1 rows (the admin export) with pos_app/core/settlement; the conflicts block
"settled" until resolved; payouts are recorded (idempotently, a correction
included) and the balances follow.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from pos_app.core.cart import Cart, CartLine
from pos_app.core.ids import new_id
from pos_app.core.money import percent_of
from pos_app.core.pricing import PricingPolicy
from pos_app.core.refund import LineRefund
from pos_app.core.sale import SaleHeader, build_sale, utc_timestamp
from pos_app.core.settlement import settle_consignor
from pos_app.core.tender import TenderSession
from pos_app.core.wire import COLUMNS, journal_row, sale_bundle
from pos_app.devtools.admin_client import AdminClient, AdminError, dates_around_today
from pos_app.store.outbox import Entry
from tests.integration.ledger_kit import Register

pytestmark = pytest.mark.worker

SPLITS = {1001: 6000, 1002: 5000, 1003: 7000}
CONSIGNOR_FEE = 150
HALF = 5000
type Row = dict[str, Any]


class SellingRegister(Register):
    """A register whose lines carry their own consignor and discount (the kit's do not)."""

    def sell(self, lines: Sequence[tuple[str, int, int, int]]) -> Entry:
        """A cash sale of (item id, consignor, unit price, discount) lines that adds up."""
        cart = Cart(PricingPolicy(self.tax_rate_bp))
        for item_id, consignor, price, discount in lines:
            cart.add(CartLine(item_id, f"T-{item_id}"[-30:], consignor, "Item", price, discount))
        session = TenderSession(cart.totals().total_cents)
        if cart.totals().total_cents:
            session.add_cash(cart.totals().total_cents)
        self._save()
        self.sale_seq += 1
        header = SaleHeader(new_id(), self.event_id, self.id, None, "cashier-1", utc_timestamp())
        sale = build_sale(header, self.sale_seq, cart.lines, session.finish(), cart.policy)
        journal = self._journal("sale", sale.id, sale.canonical_json())
        return Entry(journal.seq, "sale", sale.id, sale_bundle(sale, journal), 0)

    def refund(self, sale: Entry, line_no: int) -> Entry:
        """A cash refund of line ``line_no`` of ``sale`` (no tax here: the line's price)."""
        [price] = [row[7] for row in sale.bundle["sale_lines"] if row[1] == line_no]
        assert isinstance(price, int)
        self._save()
        refund = LineRefund(new_id(), sale.ref_id, line_no, self.event_id, self.id, None,
                            "cashier-1", "manager-1", "wrong size", "cash", price,
                            utc_timestamp())
        journal = self._journal("refund", refund.id, refund.canonical_json())
        bundle = {"refunds": [[getattr(refund, name) for name in COLUMNS["refunds"]]],
                  "journal": [journal_row(self.id, journal)]}
        return Entry(journal.seq, "refund", refund.id, bundle, 0)


def catalog(event_id: str) -> dict[str, tuple[int, int, bool]]:
    """item id -> (consignor, price, discountable): 8 items per consignor."""
    return {f"{event_id}-{c}-{n}": (c, 995 + 250 * n + c % 7, n != 3)
            for c in SPLITS for n in range(8)}


type Catalog = dict[str, tuple[int, int, bool]]
type Line = tuple[str, int, int, int]


def line(items: Catalog, item_id: str, discounted: bool) -> Line:
    consignor, price, discountable = items[item_id]
    discount = percent_of(price, HALF) if discounted and discountable else 0
    return item_id, consignor, price, discount


def expected_settlement(admin: AdminClient, event_id: str) -> dict[int, Row]:
    """The settlement computed from the raw D1 rows, without the Worker's totals."""
    sales = {row["id"]: row for row in admin.export(event_id, "sales")}
    voided = {row["sale_id"] for row in admin.export(event_id, "voids")}
    refunded = {(row["sale_id"], row["line_no"]) for row in admin.export(event_id, "refunds")}
    items = {row["id"]: row for row in admin.export(event_id, "items")}
    consignors = {row["number"]: row for row in admin.export(event_id, "consignors")}
    live_lines: dict[str, list[Row]] = defaultdict(list)
    for row in admin.export(event_id, "sale_lines"):
        if (row["sale_id"] in sales and row["sale_id"] not in voided
                and (row["sale_id"], row["line_no"]) not in refunded):
            live_lines[row["item_id"]].append(row)
    prices: dict[int, list[int]] = defaultdict(list)
    for item_id, lines in live_lines.items():
        item = items.get(item_id)
        if item is None:
            continue  # an unknown item counts once the organiser assigns it
        # A refunded line came back: only a live line (not voided, not refunded) can count.
        # Sold more than once: the one sale that holds the item counts, never both.
        [held] = [r for r in lines if r["sale_id"] == item["sold_sale_id"]]
        prices[item["consignor_number"]].append(held["price_cents"])
    fees: dict[int, int] = defaultdict(int)
    for fee in admin.export(event_id, "item_fees"):
        fees[items[fee["item_id"]]["consignor_number"]] += fee["amount_cents"]
    paid: dict[int, int] = defaultdict(int)
    for payout in admin.export(event_id, "payouts"):
        paid[payout["consignor_number"]] += payout["amount_cents"]
    return {
        number: {"consignor_number": number, "name": consignors[number]["name"],
                 **asdict(settle_consignor(prices[number], consignors[number]["split_bp"],
                                           CONSIGNOR_FEE + fees[number], paid[number]))}
        for number in sorted(set(prices) | set(fees) | set(paid))
    }


def endpoint_settlement(admin: AdminClient, event_id: str) -> dict[int, Row]:
    reply = admin.settlement(event_id)
    rows = {row["consignor_number"]: row for row in reply["consignors"]}
    for key in ("items_sold", "gross_cents", "share_cents", "fees_cents", "paid_cents",
                "balance_cents"):
        assert reply["totals"][key] == sum(row[key] for row in rows.values()), key
    return {n: {k: v for k, v in row.items() if k != "unresolved_conflicts"}
            for n, row in rows.items()}


def open_event(admin: AdminClient, event_id: str) -> Catalog:
    """An event on now, a 50% discount since two hours ago, three consignors and 24 items."""
    rule_start = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rule = {"id": f"{event_id}-half", "starts_at": rule_start, "percent_bp": HALF}
    dates = dates_around_today()
    admin.put_event(event_id, name=event_id, starts_on=dates["starts_on"],
                    ends_on=dates["ends_on"], discount_rules=[rule])
    admin.upsert_consignors(event_id, [{"number": n, "name": f"Consignor {n}", "split_bp": bp}
                                       for n, bp in SPLITS.items()])
    items = catalog(event_id)
    admin.upsert_items(event_id, [
        {"id": item_id, "consignor_number": c, "item_number": k + 1,
         "tag_code": f"T-{item_id}"[-30:], "price_cents": price, "discountable": discountable}
        for k, (item_id, (c, price, discountable)) in enumerate(items.items())])
    return items


def sell_offline(tills: Sequence[SellingRegister], items: Catalog) -> dict[str, list[Entry]]:
    """Each register's outbox: discounts, two voids, two line refunds (each pushed
    with its sale), ids[0] sold by A and C, an unknown item."""
    a, b, c = tills
    ids = list(items)

    def sale(till: SellingRegister, *picks: tuple[int, bool]) -> Entry:
        return till.sell([line(items, ids[k], discounted) for k, discounted in picks])

    ghost = (f"{a.event_id}-ghost", 1002, 777, 0)
    # Built in journal order, one register after the other.
    first_a = [sale(a, (0, False), (1, True), (8, True)), sale(a, (9, False), (16, True))]
    kept = sale(a, (2, True))
    first_b = [sale(b, (3, True), (10, True), (17, False)), sale(b, (11, True)),
               sale(b, (18, False))]
    cancelled = sale(b, (4, False), (12, False))
    return {
        a.id: [*first_a, kept, a.void(kept.ref_id), a.refund(first_a[0], 3)],
        b.id: [*first_b, cancelled, b.void(cancelled.ref_id), sale(b, (4, True)),
               b.refund(first_b[1], 1)],
        c.id: [sale(c, (0, True), (19, True)),
               c.sell([ghost, line(items, ids[20], True), line(items, ids[5], False)])],
    }

def conflicts_by_consignor(admin: AdminClient, event_id: str) -> dict[str, int]:
    """Each open conflict's consignor, from the paged list; the settlement's counts agree."""
    page = admin.conflicts_page(event_id, limit=500)
    assert page["next_after"] is None
    listed = {c["kind"]: c["consignor_number"] for c in page["conflicts"]}
    counts = {row["consignor_number"]: row["unresolved_conflicts"]
              for row in admin.settlement(event_id)["consignors"]}
    assert {n: k for n, k in counts.items() if k} == Counter(listed.values())
    return listed


def pay_every_balance(admin: AdminClient, event_id: str, settled: dict[int, Row]) -> None:
    """One check per positive balance, each sent twice (the second is the same row)."""
    for number, row in settled.items():
        if row["balance_cents"] > 0:
            payout = {"id": str(uuid.uuid4()), "consignor_number": number,
                      "amount_cents": row["balance_cents"], "method": "check",
                      "reference": f"chk {number}"}
            first = admin.record_payout(event_id, payout)
            assert admin.record_payout(event_id, payout) == first


def test_three_registers_sell_offline_sync_and_settle(admin: AdminClient,
                                                      http: httpx.Client) -> None:
    event_id = f"settle-{uuid.uuid4().hex[:10]}"
    items = open_event(admin, event_id)
    tills = [SellingRegister(http, event_id, name, admin.create_register(event_id, name))
             for name in (f"{event_id}-a", f"{event_id}-b", f"{event_id}-c")]
    outbox = sell_offline(tills, items)
    # Sync: A first, so A's sale of the twice-sold item is the one that holds it.
    for till in tills:
        till.push(*outbox[till.id])
    admin.put_fees(event_id, consignor_fee_cents=CONSIGNOR_FEE,
                   item_fees=[{"item_id": list(items)[6], "kind": "pulled", "amount_cents": 200}])

    counted = endpoint_settlement(admin, event_id)
    assert counted == expected_settlement(admin, event_id)
    # A line refunded after it was counted: B's first sale gives back ids[17] (1003, undiscounted).
    b = tills[1]
    b.push(b.refund(outbox[b.id][0], 3))
    after_refund = endpoint_settlement(admin, event_id)
    assert after_refund == expected_settlement(admin, event_id)
    price_17 = items[list(items)[17]][1]
    assert (after_refund[1003]["items_sold"], after_refund[1003]["gross_cents"]) == (
        counted[1003]["items_sold"] - 1, counted[1003]["gross_cents"] - price_17)
    open_conflicts = {row["kind"]: row for row in admin.export(event_id, "conflicts")}
    assert set(open_conflicts) == {"sold_twice", "unknown_item"}
    assert conflicts_by_consignor(admin, event_id) == {"sold_twice": 1001, "unknown_item": 1002}
    with pytest.raises(AdminError) as refused:
        admin.settle(event_id)
    assert (refused.value.status, refused.value.code) == (409, "unresolved_conflicts")

    # The organiser gives the sold-twice item to C's customer and the ghost to consignor 1002.
    before = endpoint_settlement(admin, event_id)
    sold_twice = open_conflicts["sold_twice"]
    admin.resolve(event_id, sold_twice["id"], "pick_winner", winning_sale_id=sold_twice["sale_id"])
    admin.resolve(event_id, open_conflicts["unknown_item"]["id"], "assign", consignor_number=1002)
    assert admin.settle(event_id)["settled_at"]
    settled = endpoint_settlement(admin, event_id)
    assert settled == expected_settlement(admin, event_id)
    assert settled[1002]["gross_cents"] == before[1002]["gross_cents"] + 777
    assert settled[1001]["gross_cents"] < before[1001]["gross_cents"]  # C sold it at half price

    pay_every_balance(admin, event_id, settled)
    paid = {p["consignor_number"]: p for p in admin.export(event_id, "payouts")}
    assert set(paid) == {n for n, row in settled.items() if row["balance_cents"] > 0}
    fix = {"id": str(uuid.uuid4()), "consignor_number": 1003, "amount_cents": -100,
           "method": "check", "reference": "check misprinted", "corrects": paid[1003]["id"]}
    admin.record_payout(event_id, fix)
    after = endpoint_settlement(admin, event_id)
    assert after == expected_settlement(admin, event_id)
    assert {n: row["balance_cents"] for n, row in after.items()} == {1001: 0, 1002: 0, 1003: 100}
