"""Till records sync to the real local Worker: a no sale, a sale with a price override, an
open-price line and a line refund land in D1 row for row as they are on the register, with
their journal entries held to the ledger's rules (an overridden line is no price_mismatch),
and the outbox empties; the open-price line is an unknown_item conflict for the organiser,
and the refunded item is back on sale centrally."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos_app.core.cart import OPEN_PRICE_PREFIX, Cart, open_price_line, override_price
from pos_app.core.tender import TenderSession
from pos_app.core.wire import COLUMNS
from pos_app.devtools.admin_client import AdminClient, demo_catalog_items, demo_consignors
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services import checkout
from pos_app.services.cashiers import CashierService
from pos_app.services.catalog import CatalogService, ScanRefusal
from pos_app.services.context import RegisterContext
from pos_app.services.refunds import RefundService
from pos_app.services.sales import SaleService
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.services.shifts import ShiftService
from pos_app.store.engine import Database
from pos_app.sync.client import CentralClient
from pos_app.sync.service import SyncService

pytestmark = pytest.mark.worker


@dataclass(frozen=True)
class Register:
    event_id: str
    database: Database
    context: RegisterContext
    client: CentralClient

    def local(self, sql: str) -> list[tuple[Any, ...]]:
        with self.database.unit_of_work() as unit:
            return [tuple(row) for row in unit.connection.exec_driver_sql(sql)]


@pytest.fixture
def register(local_worker: LocalWorker, tmp_path: Path) -> Iterator[Register]:
    event_id = f"till-{uuid.uuid4().hex[:12]}"  # a fresh event (and journal) each test
    today = datetime.now(UTC).date()  # the ledger refuses records dated outside the event
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        admin.put_event(event_id, name="Till records", starts_on=str(today - timedelta(days=1)),
                        ends_on=str(today + timedelta(days=1)), tax_rate_bp=825,
                        discount_rules=[])
        admin.upsert_consignors(event_id, demo_consignors(2, prefix=f"{event_id}-"))
        admin.upsert_items(event_id, demo_catalog_items(20, consignors=2, prefix=f"{event_id}-"))
        register_id = f"{event_id}-reg"
        token = admin.create_register(event_id, register_id)
    database = Database.open(tmp_path / "register.sqlite3")
    context = configure_register(database, MemoryTokenStore(), register_id=register_id,
                                 event_id=event_id, name="R1", server_url=local_worker.url,
                                 token=token)
    client = CentralClient(local_worker.url, token, register_id, event_id)
    yield Register(event_id, database, context, client)
    client.close()
    database.close()


def test_a_no_sale_lands_in_d1_row_for_row(register: Register, local_worker: LocalWorker) -> None:
    database, context = register.database, register.context
    cashiers = CashierService(database)
    cashier = cashiers.create("Dana", "2468")
    manager = cashiers.create("Lee", "1357", role="manager")
    shifts = ShiftService(database, context, lambda: datetime.now(UTC))
    shift = shifts.open(cashier.id, 10_000)
    shifts.no_sale(shift.id, cashier.id, manager.id, "change for a $50 bill")
    shifts.no_sale(shift.id, cashier.id, manager.id, "wrong tender keyed")

    outcome = SyncService(database, register.client, context.register_id).run_once()

    assert (outcome.push.pushed, outcome.push.quarantined) == (2, 0)
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        remote = admin.export(register.event_id, "no_sales")
        journal = admin.export(register.event_id, "journal")
        conflicts = admin.export(register.event_id, "conflicts")
    names = COLUMNS["no_sales"]
    local = register.local(f"SELECT {', '.join(names)} FROM no_sales ORDER BY id")
    assert len(local) == 2
    assert sorted(tuple(row[name] for name in names) for row in remote) == local
    local_journal = register.local("SELECT seq, kind, ref_id, entry_hash FROM journal")
    assert sorted((r["seq"], r["kind"], r["ref_id"], r["entry_hash"]) for r in journal) == sorted(
        local_journal)
    assert {kind for _seq, kind, _ref, _hash in local_journal} == {"no_sale"}
    assert conflicts == []
    assert register.local("SELECT COUNT(*) FROM outbox") == [(0,)]


def test_a_price_override_lands_in_d1_row_for_row(
        register: Register, local_worker: LocalWorker) -> None:
    database, context = register.database, register.context
    sync = SyncService(database, register.client, context.register_id)
    sync.run_once()  # the catalog, while online
    manager = CashierService(database).create("Lee", "1357", role="manager")
    catalog = CatalogService(database, context)
    cart = Cart(catalog.policy())
    for tag in ("1001-0001", "1002-0001"):
        item = catalog.lookup(tag)
        assert not isinstance(item, ScanRefusal), item
        assert isinstance(checkout.add_item(cart, item, datetime.now(UTC)), int)
    tag_price = cart.lines[0].unit_price_cents
    cart.replace(0, override_price(cart.lines[0], 99, "torn label", manager.id))
    tenders = TenderSession(cart.totals().total_cents)
    tenders.add_cash(cart.totals().total_cents)
    sale = SaleService(database, context, lambda: datetime.now(UTC)).complete(
        cart.lines, tenders.finish(), "cashier-1", None)

    outcome = sync.run_once()

    assert (outcome.push.pushed, outcome.push.quarantined) == (1, 0)
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        overrides = admin.export(register.event_id, "price_overrides")
        lines = admin.export(register.event_id, "sale_lines")
        journal = admin.export(register.event_id, "journal")
        conflicts = admin.export(register.event_id, "conflicts")
    names = COLUMNS["price_overrides"]
    assert [tuple(r[c] for c in names) for r in overrides] == register.local(
        f"SELECT {', '.join(names)} FROM price_overrides")
    assert (overrides[0]["tag_price_cents"], overrides[0]["price_cents"]) == (tag_price, 99)
    mine = sorted((r["line_no"], r["unit_price_cents"], r["discount_cents"], r["price_cents"])
                  for r in lines if r["sale_id"] == sale.id)
    assert mine == sorted(register.local(
        "SELECT line_no, unit_price_cents, discount_cents, price_cents FROM sale_lines"))
    assert [r["kind"] for r in journal if r["ref_id"] == sale.id] == ["sale"]
    assert conflicts == []  # the overridden line is audited as an override
    assert register.local("SELECT COUNT(*) FROM outbox") == [(0,)]


def test_an_open_price_line_syncs_and_is_listed_as_an_unknown_item(
        register: Register, local_worker: LocalWorker) -> None:
    database, context = register.database, register.context
    sync = SyncService(database, register.client, context.register_id)
    sync.run_once()
    manager = CashierService(database).create("Lee", "1357", role="manager")
    cart = Cart(CatalogService(database, context).policy())
    line_id = uuid.uuid4().hex
    cart.add(open_price_line(line_id, 1002, "blue rain jacket", 600, manager.id))
    tenders = TenderSession(cart.totals().total_cents)
    tenders.add_cash(cart.totals().total_cents)
    sale = SaleService(database, context, lambda: datetime.now(UTC)).complete(
        cart.lines, tenders.finish(), "cashier-1", None)

    outcome = sync.run_once()
    sync.run_once()  # the register hears of the conflict

    assert (outcome.push.pushed, outcome.push.quarantined) == (1, 0)
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        lines = admin.export(register.event_id, "sale_lines")
        conflicts = admin.export(register.event_id, "conflicts")
        overrides = admin.export(register.event_id, "price_overrides")
    assert [(r["item_id"], r["tag_code"], r["consignor_number"], r["price_cents"])
            for r in lines] == [(f"{OPEN_PRICE_PREFIX}{line_id}", "OPEN-1002", 1002, 600)]
    assert [(c["kind"], c["item_id"], c["detail"]) for c in conflicts] == [
        ("unknown_item", f"{OPEN_PRICE_PREFIX}{line_id}", "tag OPEN-1002")]
    assert [(r["tag_price_cents"], r["price_cents"]) for r in overrides] == [(0, 600)]
    with database.unit_of_work() as unit:
        seen = [c for c in unit.conflicts.list() if c.sale_id == sale.id]
    assert [c.kind for c in seen] == ["unknown_item"]


@pytest.mark.parametrize("pushed_apart", [True, False], ids=["sale-first", "same-push"])
def test_a_line_refund_lands_in_d1_and_puts_the_item_back_on_sale(
        register: Register, local_worker: LocalWorker, pushed_apart: bool) -> None:
    database, context = register.database, register.context
    sync = SyncService(database, register.client, context.register_id)
    sync.run_once()
    manager = CashierService(database).create("Lee", "1357", role="manager")
    catalog = CatalogService(database, context)
    cart = Cart(catalog.policy())
    tags = ("1001-0003", "1002-0003")
    for tag in tags:
        item = catalog.lookup(tag)
        assert not isinstance(item, ScanRefusal), item
        assert isinstance(checkout.add_item(cart, item, datetime.now(UTC)), int)
    tenders = TenderSession(cart.totals().total_cents)
    tenders.add_cash(cart.totals().total_cents)
    sale = SaleService(database, context, lambda: datetime.now(UTC)).complete(
        cart.lines, tenders.finish(), "cashier-1", None)
    if pushed_apart:
        sync.run_once()  # the sale on its own first: both items sold centrally
    refund = RefundService(database, context, lambda: datetime.now(UTC)).refund(
        sale.id, 2, cashier_id="cashier-1", manager_id=manager.id, reason="wrong size",
        tender="cash", shift_id=None)

    outcome = sync.run_once()

    assert outcome.push.quarantined == 0
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        remote = admin.export(register.event_id, "refunds")
        items = {r["tag_code"]: r for r in admin.export(register.event_id, "items")
                 if r["tag_code"] in tags}
        conflicts = admin.export(register.event_id, "conflicts")
    names = COLUMNS["refunds"]
    assert [tuple(r[c] for c in names) for r in remote] == register.local(
        f"SELECT {', '.join(names)} FROM refunds")
    assert remote[0]["id"] == refund.id
    assert (items["1002-0003"]["status"], items["1002-0003"]["sold_sale_id"]) == (
        "approved", None)
    assert (items["1001-0003"]["status"], items["1001-0003"]["sold_sale_id"]) == (
        "sold", sale.id)
    assert conflicts == []
    assert register.local("SELECT COUNT(*) FROM outbox") == [(0,)]
