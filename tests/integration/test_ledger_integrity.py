"""The central ledger trusts no register (shared DESIGN.md, issue 11), end to end against the
real local Worker: each attack a stolen token or a buggy register could try gets the answer
DESIGN.md gives, and a refused push writes nothing. Pushes are built by pos_app's own core and
sync batcher (tests/integration/ledger_kit.py), then one value is tampered with.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from pos_app.core.cart import Cart
from pos_app.core.sale import canonical_json
from pos_app.core.tender import TenderSession
from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.devtools.outbox_filler import OutboxFiller
from pos_app.services import checkout
from pos_app.services.catalog import CatalogService, ScanRefusal
from pos_app.services.sales import SaleService
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.services.shifts import ShiftService
from pos_app.store import people
from pos_app.store.engine import Database
from pos_app.sync.batcher import SyncLimits
from pos_app.sync.client import CentralClient
from pos_app.sync.push import Pusher
from pos_app.sync.service import SyncService
from tests.integration.ledger_kit import (
    Body,
    Ledger,
    Register,
    minutes_from_now,
    open_event,
    rehash,
)

pytestmark = pytest.mark.worker


@pytest.fixture
def ledger(admin: AdminClient, http: httpx.Client) -> Ledger:
    return open_event(admin, http, f"led-{uuid.uuid4().hex[:10]}")


def refused(ledger: Ledger, till: Register, body: Body, status: int) -> Body:
    """Post ``body``, expect ``status`` and nothing of the push written."""
    before = ledger.state()
    response = till.post(body)
    assert response.status_code == status, response.text
    assert ledger.state() == before
    till.forget()
    reply: Body = response.json()
    return reply


def divergent(ledger: Ledger, till: Register, body: Body, *, recorded: int = 1) -> Body:
    """Post ``body``, expect 409 divergent_replay and only its conflict row written (one per
    id: a second divergent replay of the same id is refused without a second row)."""
    before = ledger.state()
    response = till.post(body)
    assert response.status_code == 409, response.text
    reply: Body = response.json()
    assert reply["error"] == "divergent_replay"
    after = ledger.state()
    assert [c["kind"] for c in after["conflicts"][len(before["conflicts"]):]] == [
        "divergent_replay"] * recorded
    assert {**after, "conflicts": before["conflicts"]} == before
    return reply


def items(ledger: Ledger, *numbers: int) -> list[tuple[str, int]]:
    ids = list(ledger.prices)
    return [(ids[n], ledger.prices[ids[n]]) for n in numbers]


def test_a_register_cannot_void_another_registers_sale(ledger: Ledger) -> None:
    a, b = ledger.register(f"{ledger.id}-a"), ledger.register(f"{ledger.id}-b")
    theirs = b.sale(items(ledger, 0))
    b.push(theirs)
    error = refused(ledger, a, a.body([a.void(theirs.ref_id)]), 403)
    assert (error["error"], error["field"]) == ("forbidden", "chunks[0].rows[0][1]")
    nowhere = refused(ledger, a, a.body([a.void("no-such-sale")]), 403)
    assert "does not exist" in nowhere["message"]
    item = next(i for i in ledger.state()["items"] if i["id"] == items(ledger, 0)[0][0])
    assert (item["status"], item["sold_sale_id"]) == ("sold", theirs.ref_id)


def test_a_register_cannot_add_lines_or_tenders_to_another_registers_sale(
        ledger: Ledger) -> None:
    a, b = ledger.register(f"{ledger.id}-a"), ledger.register(f"{ledger.id}-b")
    theirs = b.sale(items(ledger, 1))
    b.push(theirs)

    def graft(rows: dict[str, list[list[Any]]]) -> None:
        for table in ("sales", "sale_lines", "tenders"):
            rows[table][0][0] = theirs.ref_id
        rows["sale_lines"][0][1] = 2
        rows["journal"][0][3] = theirs.ref_id

    error = refused(ledger, a, a.body([a.sale(items(ledger, 2))], graft), 403)
    assert error["sale_id"] == theirs.ref_id
    assert len(ledger.admin.export(ledger.id, "sale_lines")) == 1


def test_sales_that_do_not_add_up_are_refused_with_the_field(ledger: Ledger) -> None:
    till = ledger.register(f"{ledger.id}-a")

    def header_total_of_3_cents(rows: dict[str, list[list[Any]]]) -> None:
        rows["sales"][0][10] = 3

    error = refused(ledger, till, till.body([till.sale(items(ledger, 3))],
                                            header_total_of_3_cents), 400)
    assert (error["error"], error["field"]) == ("invalid", "chunks[0].rows[0][10]")

    def short_change(rows: dict[str, list[list[Any]]]) -> None:
        rows["tenders"][0][5] -= 1

    error = refused(ledger, till, till.body([till.sale(items(ledger, 3), cash_given=10_000)],
                                            short_change), 400)
    assert error["field"] == "chunks[2].rows[0][4]"
    assert till.push(till.sale(items(ledger, 3), cash_given=10_000))["conflicts"] == []


def test_a_line_priced_off_the_catalog_is_kept_with_a_price_mismatch(ledger: Ledger) -> None:
    till = ledger.register(f"{ledger.id}-a")
    [(item_id, price)] = items(ledger, 4)
    sale = till.sale([(item_id, 1)])
    [conflict] = till.push(sale)["conflicts"]
    assert {k: conflict[k] for k in ("kind", "item_id", "sale_id", "expected_cents",
                                     "actual_cents")} == {
        "kind": "price_mismatch", "item_id": item_id, "sale_id": sale.ref_id,
        "expected_cents": price, "actual_cents": 1}
    assert [s["id"] for s in ledger.admin.export(ledger.id, "sales")] == [sale.ref_id]


def test_a_discount_off_the_schedule_is_kept_with_a_discount_mismatch(
        admin: AdminClient, http: httpx.Client) -> None:
    ledger = open_event(admin, http, f"led-{uuid.uuid4().hex[:10]}", discount_rules=[
        {"id": f"half-{uuid.uuid4().hex[:6]}", "starts_at": minutes_from_now(-60),
         "percent_bp": 5000}])
    till = ledger.register(f"{ledger.id}-a")
    [(half, price)], [(full, full_price)] = items(ledger, 5), items(ledger, 6)
    assert till.push(till.sale([(half, price)], discount_cents=price // 2 + price % 2))[
        "conflicts"] == []
    [conflict] = till.push(till.sale([(full, full_price)], discount_cents=500))["conflicts"]
    assert (conflict["kind"], conflict["item_id"], conflict["expected_cents"],
            conflict["actual_cents"]) == ("discount_mismatch", full, (full_price + 1) // 2, 500)


def test_a_replay_with_other_content_is_refused_and_recorded(ledger: Ledger) -> None:
    till = ledger.register(f"{ledger.id}-a")
    sale = till.sale(items(ledger, 7))
    first = till.push(sale)
    assert till.push(sale) == first  # the same content: acknowledged as before

    def another_total(rows: dict[str, list[list[Any]]]) -> None:
        rows["sales"][0][7] = rows["sales"][0][10] = 99_999

    reply = divergent(ledger, till, till.body([sale], another_total))
    assert reply["sale_id"] == sale.ref_id
    [extra] = items(ledger, 8)

    def extra_line(rows: dict[str, list[list[Any]]]) -> None:
        rows["sale_lines"].append([sale.ref_id, 2, extra[0], "T-x", 1001, extra[1], 0, extra[1]])

    divergent(ledger, till, till.body([sale], extra_line), recorded=0)
    assert len(ledger.admin.export(ledger.id, "sale_lines")) == 1
    assert "divergent_replay" in [c["kind"] for c in till.conflicts()]


def test_journal_entry_1_resent_with_another_payload_is_refused(ledger: Ledger) -> None:
    till = ledger.register(f"{ledger.id}-a")
    sale = till.sale(items(ledger, 9))
    till.push(sale)

    def other_payload(rows: dict[str, list[list[Any]]]) -> None:
        rehash(rows["journal"][0], canonical_json({"edited": True}))

    divergent(ledger, till, till.body([sale], other_payload))
    unbound = refused(ledger, till, till.body([till.sale(items(ledger, 10))], other_payload), 400)
    assert "does not describe" in unbound["message"]


def test_a_sale_without_its_journal_entry_is_refused(ledger: Ledger) -> None:
    till = ledger.register(f"{ledger.id}-a")

    def drop_journal(rows: dict[str, list[list[Any]]]) -> None:
        rows["journal"].clear()

    error = refused(ledger, till, till.body([till.sale(items(ledger, 11))], drop_journal), 400)
    assert "without its journal entry" in error["message"]


def test_sequence_jumps_and_impossible_dates_are_refused(ledger: Ledger) -> None:
    till = ledger.register(f"{ledger.id}-a")
    jump = {**till.body([till.sale(items(ledger, 12))]), "last_seq": 2**53 - 1}
    assert refused(ledger, till, jump, 400)["field"] == "last_seq"
    dated = till.body([till.sale(items(ledger, 12), at="9999-12-31T23:59:59.000Z")])
    assert refused(ledger, till, dated, 400)["field"] == "chunks[0].rows[0][6]"
    bogus = till.body([till.sale(items(ledger, 12))])
    bogus["chunks"][0]["rows"][0][6] = "2026-13-45T99:00:00.000Z"
    assert refused(ledger, till, bogus, 400)["field"] == "chunks[0].rows[0][6]"
    assert till.push(till.sale(items(ledger, 12)))["acked_seq"] == 1


def test_a_sale_stamped_ahead_of_the_server_is_kept_with_clock_skew(ledger: Ledger) -> None:
    till = ledger.register(f"{ledger.id}-a")
    ahead = till.sale(items(ledger, 13), at=minutes_from_now(30))
    [conflict] = till.push(ahead)["conflicts"]
    assert (conflict["kind"], conflict["sale_id"]) == ("clock_skew", ahead.ref_id)
    assert till.push(till.sale(items(ledger, 14), at=minutes_from_now(2)))["conflicts"] == []


def test_a_forged_entry_never_displaces_the_genuine_one_and_the_queue_drains(
        ledger: Ledger, local_worker: LocalWorker, tmp_path: Path) -> None:
    register_id = f"{ledger.id}-honest"
    honest = ledger.register(register_id)
    database = Database.open(tmp_path / "honest.sqlite3")
    configure_register(database, MemoryTokenStore(), register_id=register_id,
                       event_id=ledger.id, name="Honest", server_url=local_worker.url,
                       token=honest.token)
    OutboxFiller(ledger.id, register_id, lines=2).fill(database, 4)
    client = CentralClient(local_worker.url, honest.token, register_id, ledger.id)
    pusher = Pusher(database, client, SyncLimits())
    with database.unit_of_work() as unit:
        queued, _ = unit.outbox.read_pending(10)
    local = [(e.seq, e.bundle["journal"][0][5]) for e in queued]
    reply = client.push(json.dumps(honest.body(queued[:1])).encode())
    assert reply.acked_seq == 1
    # A thief with the same token forges entry 2 from genesis (self-consistent hash).
    honest.seq, honest.sale_seq = 1, 1
    forged = honest.sale(items(ledger, 15))
    assert [c["kind"] for c in honest.push(forged)["conflicts"]] == ["journal_chain_broken"]

    outcome = pusher.push_all()

    # Entry 1 is resent (its ack was never stored locally); the genuine entry 2 follows on from
    # entry 1, so it takes its seq back and nothing is quarantined.
    assert (outcome.pushed, outcome.quarantined) == (4, 0)
    with database.unit_of_work() as unit:
        assert unit.outbox.pending_count() == 0
    assert [c["kind"] for c in outcome.conflicts if c["sale_id"] == forged.ref_id] == [
        "divergent_replay"]
    journal = ledger.admin.export(ledger.id, "journal")
    assert [(row["seq"], row["entry_hash"]) for row in journal] == local
    [kept] = ledger.admin.export(ledger.id, "journal_forks")
    assert (kept["seq"], kept["ref_id"]) == (2, forged.ref_id)
    assert "journal_chain_broken" not in [c["kind"] for c in outcome.conflicts]
    client.close()
    database.close()


def test_an_honest_register_syncs_sales_a_void_and_a_shift_unrefused(
        admin: AdminClient, http: httpx.Client, local_worker: LocalWorker,
        tmp_path: Path) -> None:
    ledger = open_event(admin, http, f"led-{uuid.uuid4().hex[:10]}", tax_rate_bp=825,
                        discount_rules=[{"id": f"half-{uuid.uuid4().hex[:6]}",
                                         "starts_at": minutes_from_now(-60),
                                         "percent_bp": 5000}])
    register_id = f"{ledger.id}-real"
    token = admin.create_register(ledger.id, register_id)
    database = Database.open(tmp_path / "real.sqlite3")
    context = configure_register(database, MemoryTokenStore(), register_id=register_id,
                                 event_id=ledger.id, name="Real", server_url=local_worker.url,
                                 token=token)
    client = CentralClient(local_worker.url, token, register_id, ledger.id)
    service = SyncService(database, client, register_id)
    service.run_once()  # the catalog, prices and discount schedule
    with database.unit_of_work() as unit:
        for cashier, role in (("cashier-1", "cashier"), ("manager-1", "manager")):
            people.insert_cashier(unit.connection, people.CashierRow(cashier, cashier, role, "x"))
        unit.commit()
    catalog = CatalogService(database, context)
    shifts = ShiftService(database, context, lambda: datetime.now(UTC))
    sales = SaleService(database, context, lambda: datetime.now(UTC))
    shift = shifts.open("cashier-1", 10_000)

    def sell(tags: list[str], card: bool) -> str:
        cart = Cart(catalog.policy())
        for tag in tags:
            item = catalog.lookup(tag)
            assert not isinstance(item, ScanRefusal), item
            checkout.add_item(cart, item, datetime.now(UTC))
        totals = cart.totals()
        tenders = TenderSession(totals.total_cents)
        if card:
            tenders.add_card(totals.total_cents // 3, "AUTH-1")
        tenders.add_cash(totals.total_cents + 437)
        return sales.complete(cart.lines, tenders.finish(), "cashier-1", shift.id).id

    sold = [sell(["1001-0001", "1001-0002", "1001-0003"], card=True),
            sell(["1001-0004"], card=False), sell(["1001-0005", "1001-0006"], card=False)]
    sales.void(sold[1], "cashier-1", "manager-1", "changed their mind")
    shifts.close(shift.id, 12_000)

    outcome = service.run_once()

    assert (outcome.push.pushed, outcome.push.quarantined) == (5, 0)
    state = ledger.state()
    assert sorted(s["id"] for s in state["sales"]) == sorted(sold)
    assert [len(state[t]) for t in ("voids", "shifts", "journal")] == [1, 1, 5]
    assert state["conflicts"] == []
    client.close()
    database.close()
