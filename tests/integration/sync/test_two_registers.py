"""Two registers sell offline (one tag on both), then sync against the real local Worker.

D1 must then hold every sale exactly once, row for row equal to the two local databases, and
the twice-sold tag must show as a conflict on both registers.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pos_app.core.cart import Cart
from pos_app.core.tender import TenderSession
from pos_app.devtools.admin_client import (
    AdminClient,
    dates_around_today,
    demo_catalog_items,
    demo_consignors,
)
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services import checkout
from pos_app.services.catalog import CatalogService, ScanRefusal
from pos_app.services.context import RegisterContext
from pos_app.services.sales import SaleService
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from pos_app.sync.client import CentralClient
from pos_app.sync.service import SyncService

EVENT = "two-registers"
DUPLICATE_TAG = "1003-0001"

pytestmark = pytest.mark.worker


@dataclass
class Register:
    database: Database
    context: RegisterContext
    client: CentralClient

    def sell(self, tags: list[str], card: bool = False) -> str:
        catalog = CatalogService(self.database, self.context)
        cart = Cart(catalog.policy())
        for tag in tags:
            item = catalog.lookup(tag)
            assert not isinstance(item, ScanRefusal), item
            assert isinstance(checkout.add_item(cart, item, datetime.now(UTC)), int)
        totals = cart.totals()
        tenders = TenderSession(totals.total_cents)
        if card:
            tenders.add_card(totals.total_cents // 2, "AUTH-1")
        tenders.add_cash(totals.total_cents + 500)
        sale = SaleService(self.database, self.context, lambda: datetime.now(UTC)).complete(
            cart.lines, tenders.finish(), "cashier", None)
        return sale.id

    def sync(self) -> Any:
        return SyncService(self.database, self.client, self.context.register_id).run_once()

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self.database.unit_of_work() as unit:
            return [tuple(row) for row in unit.connection.exec_driver_sql(sql)]


@pytest.fixture
def registers(local_worker: LocalWorker, tmp_path: Path) -> Iterator[list[Register]]:
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.put_event(EVENT, name="Two registers", **dates_around_today(),
                    tax_rate_bp=825, discount_rules=[
                        {"id": "half", "starts_at": "2026-01-01T08:00:00+00:00",
                         "percent_bp": 5000}])
    admin.upsert_consignors(EVENT, demo_consignors(10, prefix="two-"))
    admin.upsert_items(EVENT, demo_catalog_items(500, consignors=10, prefix="two-"))
    made = []
    for number in (1, 2):
        register_id = f"{EVENT}-reg-{number}"
        token = admin.create_register(EVENT, register_id)
        database = Database.open(tmp_path / f"register-{number}.sqlite3")
        context = configure_register(database, MemoryTokenStore(), register_id=register_id,
                                     event_id=EVENT, name=f"R{number}",
                                     server_url=local_worker.url, token=token)
        register = Register(database, context,
                            CentralClient(local_worker.url, token, register_id, EVENT))
        register.sync()  # pull the catalog while online
        made.append(register)
    admin.close()
    yield made
    for register in made:
        register.client.close()
        register.database.close()


def test_offline_sales_sync_exactly_once_with_conflict_on_both_sides(
    registers: list[Register], local_worker: LocalWorker
) -> None:
    first, second = registers
    assert first.rows("SELECT COUNT(*) FROM items") == [(500,)]
    sold_first = [first.sell([DUPLICATE_TAG, "1001-0002", "1002-0002"]),
                  first.sell(["1004-0003", "1005-0003"], card=True)]
    sold_second = [second.sell(["1006-0004", DUPLICATE_TAG]),
                   second.sell(["1007-0005"])]

    first.sync()
    second.sync()
    first.sync()  # the first register learns of the conflict it won
    second.sync()  # a round with nothing to push changes nothing

    admin = AdminClient(local_worker.url, local_worker.admin_token)
    remote = {table: admin.export(EVENT, table)
              for table in ("sales", "sale_lines", "tenders", "journal", "conflicts")}
    admin.close()
    remote_ids = [row["id"] for row in remote["sales"]]
    assert sorted(remote_ids) == sorted(sold_first + sold_second)
    assert len(set(remote_ids)) == len(remote_ids)
    for register in registers:
        local_sales = register.rows(
            "SELECT id, seq, subtotal_cents, discount_cents, tax_cents, total_cents, item_count"
            " FROM sales ORDER BY id")
        mine = sorted((r["id"], r["seq"], r["subtotal_cents"], r["discount_cents"],
                       r["tax_cents"], r["total_cents"], r["item_count"])
                      for r in remote["sales"] if r["register_id"] == register.context.register_id)
        assert local_sales == mine
        local_lines = register.rows(
            "SELECT sale_id, line_no, item_id, unit_price_cents, discount_cents, price_cents"
            " FROM sale_lines ORDER BY sale_id, line_no")
        own = {sale_id for sale_id, *_ in local_sales}
        remote_lines = sorted((r["sale_id"], r["line_no"], r["item_id"], r["unit_price_cents"],
                               r["discount_cents"], r["price_cents"])
                              for r in remote["sale_lines"] if r["sale_id"] in own)
        assert local_lines == remote_lines
        local_tenders = register.rows(
            "SELECT sale_id, line_no, kind, amount_cents FROM tenders ORDER BY sale_id, line_no")
        assert local_tenders == sorted((r["sale_id"], r["line_no"], r["kind"], r["amount_cents"])
                                       for r in remote["tenders"] if r["sale_id"] in own)
        local_journal = register.rows("SELECT seq, entry_hash FROM journal ORDER BY seq")
        assert local_journal == sorted(
            (r["seq"], r["entry_hash"]) for r in remote["journal"]
            if r["register_id"] == register.context.register_id)
        assert register.rows("SELECT COUNT(*) FROM outbox") == [(0,)]

    twice = [c for c in remote["conflicts"] if c["kind"] == "sold_twice"]
    assert len(twice) == 1
    assert twice[0]["sale_id"] == sold_second[0]
    assert twice[0]["winning_sale_id"] == sold_first[0]
    for register in registers:
        with register.database.unit_of_work() as unit:
            seen = [c for c in unit.conflicts.list() if c.kind == "sold_twice"]
        assert [(c.sale_id, c.winning_sale_id) for c in seen] == [(sold_second[0],
                                                                   sold_first[0])]
    # The second register now sees the tag as sold at the other register.
    refusal = CatalogService(second.database, second.context).lookup(DUPLICATE_TAG)
    assert not isinstance(refusal, ScanRefusal)
    assert refusal.sold_register_id == first.context.register_id
