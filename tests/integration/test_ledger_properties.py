"""A Hypothesis state machine against the real local Worker: three honest registers ring up,
void, refund lines and sync (in batches, reordered and duplicated), while a thief with a
fourth register's token tries other registers' ids, voids and rows, tampered totals and
forged journal entries, and the honest registers' own tokens send divergent replays. After
every step the D1 ledger holds its invariants (shared DESIGN.md, "The central ledger trusts
no register"):

- every sale's lines and tenders add up to its header;
- every sold item is held by a live sale of the same event that has it on a line, never by
  the sale of a refunded line (a refunded item is back on sale);
- each honest refund is in D1 once, and no line is refunded twice;
- no row of one register was written with another's token;
- every honest sale is in D1 exactly once, with its journal entry;
- the honest registers' queues drain (every honest push is acknowledged).

Bounded (a few examples of 20 steps) so it runs in well under a minute.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.store.outbox import Entry
from tests.integration.ledger_kit import Ledger, Register, open_event, rebind_sale, rehash

pytestmark = [pytest.mark.worker, pytest.mark.slow]
HONEST = 3


class LedgerMachine(RuleBasedStateMachine):
    admin: AdminClient
    http: httpx.Client

    def __init__(self) -> None:
        super().__init__()
        self.ledger: Ledger = open_event(self.admin, self.http, f"prop-{uuid.uuid4().hex[:10]}",
                                         items=12)
        self.items = list(self.ledger.prices.items())
        self.tills = [self.ledger.register(f"{self.ledger.id}-r{n}") for n in range(HONEST)]
        self.thief = self.ledger.register(f"{self.ledger.id}-thief")
        self.queues: list[list[Entry]] = [[] for _ in range(HONEST)]
        self.sent: list[list[list[Entry]]] = [[] for _ in range(HONEST)]
        self.acked: dict[str, tuple[str, str]] = {}  # ref id -> (kind, register that pushed it)
        self.honest_sales: dict[str, int] = {}  # sale id -> register index
        self.honest_hashes: dict[tuple[str, int], str] = {}
        self.voided: set[str] = set()
        self.refunded: dict[tuple[str, int], str] = {}  # (sale id, line no) -> refund id
        self.acked_tail = [0] * HONEST  # highest journal seq of each honest register in D1
        self.forged_at: dict[int, int] = {}  # register -> seq a forgery holds, until reclaimed

    # -- honest registers -------------------------------------------------------------

    @rule(n=st.integers(0, HONEST - 1), picks=st.lists(st.integers(0, 11), min_size=1,
                                                        max_size=3, unique=True))
    def ring_up(self, n: int, picks: list[int]) -> None:
        entry = self.tills[n].sale([self.items[k] for k in picks])
        self.queues[n].append(entry)
        self.honest_sales[entry.ref_id] = n

    @rule(n=st.integers(0, HONEST - 1), data=st.data())
    def void_a_sale(self, n: int, data: st.DataObject) -> None:
        refunded = {sale_id for sale_id, _ in self.refunded}
        own = [s for s, owner in self.honest_sales.items()
               if owner == n and s in self.acked and s not in self.voided | refunded]
        if own:
            sale_id = data.draw(st.sampled_from(own))
            self.queues[n].append(self.tills[n].void(sale_id))
            self.voided.add(sale_id)

    @precondition(lambda self: bool(self.honest_sales))
    @rule(n=st.integers(0, HONEST - 1), data=st.data())
    def refund_a_line(self, n: int, data: st.DataObject) -> None:
        till = self.tills[n]
        lines = [(sale_id, line.line_no) for sale_id, owner in self.honest_sales.items()
                 if owner == n and sale_id not in self.voided  # stored, or queued before
                 for line in till.sales[sale_id].lines
                 if (sale_id, line.line_no) not in self.refunded]
        if lines:
            sale_id, line_no = data.draw(st.sampled_from(lines))
            entry = till.refund(sale_id, line_no)
            self.queues[n].append(entry)
            self.refunded[(sale_id, line_no)] = entry.ref_id

    @rule(n=st.integers(0, HONEST - 1), split=st.booleans(), duplicate=st.booleans())
    def sync(self, n: int, split: bool, duplicate: bool) -> None:
        queue, till = self.queues[n], self.tills[n]
        if not queue:
            return
        middle = len(queue) // 2 if split and len(queue) > 1 else len(queue)
        batches = [b for b in (queue[:middle], queue[middle:]) if b]
        for batch in batches + (batches[-1:] if duplicate else []):
            till.push(*batch)  # asserts 200: an honest push is never refused
            for entry in batch:
                self.acked[entry.ref_id] = (entry.kind, till.id)
                self.acked_tail[n] = max(self.acked_tail[n], entry.seq)
                if self.forged_at.get(n) == entry.seq:
                    del self.forged_at[n]  # the genuine entry took its seq back
                journal = entry.bundle["journal"][0]
                self.honest_hashes[(till.id, int(str(journal[1])))] = str(journal[5])
            self.sent[n].append(batch)
        queue.clear()

    @rule(n=st.integers(0, HONEST - 1), data=st.data())
    def late_retry(self, n: int, data: st.DataObject) -> None:
        """A request retried after a timeout arrives after newer ones: acknowledged, no change."""
        if self.sent[n]:
            self.tills[n].push(*data.draw(st.sampled_from(self.sent[n])))

    @rule(n=st.integers(0, HONEST - 1), data=st.data())
    def divergent_replay(self, n: int, data: st.DataObject) -> None:
        if not self.sent[n]:
            return
        till = self.tills[n]
        batch = data.draw(st.sampled_from(self.sent[n]))
        sales = [e for e in batch if e.kind == "sale"]
        if not sales:
            return

        def another_total(rows: dict[str, list[list[Any]]]) -> None:
            rows["sales"][0][7] += 100
            rows["sales"][0][10] += 100
            rebind_sale(rows)

        response = till.post(till.body(sales[:1], another_total))
        assert response.status_code == 409, response.text
        assert response.json()["error"] == "divergent_replay"

    # -- the thief ------------------------------------------------------------------------

    def _known_sale(self, data: st.DataObject) -> str | None:
        known = [s for s in self.honest_sales if s in self.acked]
        return data.draw(st.sampled_from(known)) if known else None

    def _refused(self, body: dict[str, Any], status: int) -> None:
        response = self.thief.post(body)
        assert response.status_code == status, response.text
        self.thief.forget()

    @rule(data=st.data())
    def steal_a_sale_id(self, data: st.DataObject) -> None:
        target = self._known_sale(data)
        if target is None:
            return

        def squat(rows: dict[str, list[list[Any]]]) -> None:
            for table in ("sales", "sale_lines", "tenders"):
                for row in rows[table]:
                    row[0] = target
            rows["journal"][0][3] = target

        self._refused(self.thief.body([self.thief.sale(self.items[:1])], squat), 403)

    @rule(data=st.data())
    def void_another_registers_sale(self, data: st.DataObject) -> None:
        target = self._known_sale(data)
        if target is not None:
            self._refused(self.thief.body([self.thief.void(target)]), 403)

    @rule(n=st.integers(0, HONEST - 1), table=st.sampled_from(["sales", "journal"]))
    def write_another_registers_rows(self, n: int, table: str) -> None:
        def impersonate(rows: dict[str, list[list[Any]]]) -> None:
            rows[table][0][0 if table == "journal" else 2] = self.tills[n].id

        self._refused(self.thief.body([self.thief.sale(self.items[:1])], impersonate), 403)

    @rule(cents=st.integers(1, 10_000), column=st.sampled_from([7, 8, 9, 10, 11]))
    def tamper_with_totals(self, cents: int, column: int) -> None:
        def tamper(rows: dict[str, list[list[Any]]]) -> None:
            rows["sales"][0][column] += cents
            rebind_sale(rows)

        self._refused(self.thief.body([self.thief.sale(self.items[1:3])], tamper), 400)

    @rule(n=st.integers(0, HONEST - 1))
    def forge_a_journal_entry(self, n: int) -> None:
        honest = self.tills[n]

        def forged_for_honest(rows: dict[str, list[list[Any]]]) -> None:
            rows["journal"][0][0] = honest.id
            rows["journal"][0][1] = honest.seq + 1
            rehash(rows["journal"][0], rows["journal"][0][6])

        self._refused(self.thief.body([self.thief.sale(self.items[2:3])], forged_for_honest),
                      403)

    @rule(n=st.integers(0, HONEST - 1), pick=st.integers(0, 11))
    def forge_with_a_stolen_token(self, n: int, pick: int) -> None:
        """A forged next entry (prev_hash of zeros) with an honest register's own token: kept as
        a chain break until the genuine entry for that seq takes it back, at once here."""
        till = self.tills[n]
        if self.acked_tail[n] == 0 and not self.queues[n]:
            self.ring_up(n, [pick])  # a chain to forge after (genesis would follow on)
        self.sync(n, split=False, duplicate=False)  # the genuine next entry is not sent yet
        tail = self.acked_tail[n]
        thief = Register(self.http, self.ledger.id, till.id, till.token, seq=tail,
                         sale_seq=10_000 + tail)
        entry = thief.sale(self.items[4:5])
        reply = thief.push(entry)
        assert "journal_chain_broken" in [c["kind"] for c in reply["conflicts"]], reply
        self.acked[entry.ref_id] = ("sale", till.id)
        self.forged_at[n] = entry.seq
        self.ring_up(n, [pick])
        self.sync(n, split=False, duplicate=False)  # 200: the genuine entry takes its seq back
        assert n not in self.forged_at

    @rule()
    def forge_own_chain(self) -> None:
        """A forged entry in the thief's own chain is kept, flagged as a chain break."""
        thief = self.thief
        thief.prev_hash = "0" * 64
        entry = thief.sale(self.items[3:4])
        reply = thief.push(entry)
        self.acked[entry.ref_id] = ("sale", thief.id)
        assert reply["acked_seq"] >= entry.seq

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def ledger_holds(self) -> None:
        state = self.ledger.state()
        self._sales_add_up(state)
        self._sold_items_are_held_by_live_sales(state)
        self._rows_were_written_by_their_own_register(state)
        self._honest_sales_are_there_once_with_their_journal(state)
        self._refunds_are_there_once_and_free_their_items(state)

    def _sales_add_up(self, state: dict[str, Any]) -> None:
        lines, units, discounts, prices, paid = (Counter[str]() for _ in range(5))
        for line in state["sale_lines"]:
            lines[line["sale_id"]] += 1
            units[line["sale_id"]] += line["unit_price_cents"]
            discounts[line["sale_id"]] += line["discount_cents"]
            prices[line["sale_id"]] += line["price_cents"]
        for tender in state["tenders"]:
            paid[tender["sale_id"]] += tender["amount_cents"]
        for sale in state["sales"]:
            sid = sale["id"]
            assert (lines[sid], units[sid], discounts[sid], prices[sid]) == (
                sale["item_count"], sale["subtotal_cents"], sale["discount_cents"],
                sale["subtotal_cents"] - sale["discount_cents"]), sale
            assert sale["total_cents"] == (
                sale["subtotal_cents"] - sale["discount_cents"] + sale["tax_cents"]), sale
            assert paid[sid] == sale["total_cents"], sale

    def _sold_items_are_held_by_live_sales(self, state: dict[str, Any]) -> None:
        voided = {v["sale_id"] for v in state["voids"]}
        live = {s["id"] for s in state["sales"]} - voided
        on_lines = {(ln["sale_id"], ln["item_id"]) for ln in state["sale_lines"]}
        for item in state["items"]:
            if item["status"] == "sold":
                assert item["sold_sale_id"] in live, item
                assert (item["sold_sale_id"], item["id"]) in on_lines, item

    def _rows_were_written_by_their_own_register(self, state: dict[str, Any]) -> None:
        for sale in state["sales"]:
            assert self.acked.get(sale["id"]) == ("sale", sale["register_id"]), sale
        for void in state["voids"]:
            assert self.acked.get(void["id"]) == ("void", void["register_id"]), void
        for row in state["journal"]:
            assert self.acked.get(row["ref_id"], ("", ""))[1] == row["register_id"], row

    def _honest_sales_are_there_once_with_their_journal(self, state: dict[str, Any]) -> None:
        counts = Counter(s["id"] for s in state["sales"])
        journal = {(j["register_id"], j["seq"]): j["entry_hash"] for j in state["journal"]}
        for sale_id in self.honest_sales:
            assert counts[sale_id] == (1 if sale_id in self.acked else 0), sale_id
        for key, entry_hash in self.honest_hashes.items():
            assert journal.get(key) == entry_hash, key

    def _refunds_are_there_once_and_free_their_items(self, state: dict[str, Any]) -> None:
        stored = Counter((r["sale_id"], r["line_no"]) for r in state["refunds"])
        assert all(count == 1 for count in stored.values()), stored
        for key, refund_id in self.refunded.items():
            assert stored[key] == (1 if refund_id in self.acked else 0), key
        lines = {(ln["sale_id"], ln["line_no"]): ln["item_id"] for ln in state["sale_lines"]}
        holder = {item["id"]: item["sold_sale_id"] for item in state["items"]}
        for sale_id, line_no in stored:
            assert holder[lines[(sale_id, line_no)]] != sale_id, (sale_id, line_no)

    def teardown(self) -> None:
        for n in range(HONEST):
            self.sync(n, split=False, duplicate=False)
            assert self.queues[n] == []


def test_the_ledger_holds_under_interleaved_attacks(admin: AdminClient,
                                                    local_worker: LocalWorker) -> None:
    with httpx.Client(base_url=local_worker.url, timeout=httpx.Timeout(30.0)) as http:
        LedgerMachine.admin, LedgerMachine.http = admin, http
        run_state_machine_as_test(LedgerMachine, settings=settings(
            max_examples=5, stateful_step_count=20, deadline=None, derandomize=False,
            suppress_health_check=list(HealthCheck)))
