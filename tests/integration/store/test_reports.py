"""Organiser reports: by hour, category, consignor (with the split), tender and cashier."""

from datetime import UTC, datetime
from pathlib import Path

from pos_app.core.cart import Cart
from pos_app.core.money import percent_of
from pos_app.core.tender import TenderSession
from pos_app.services import checkout
from pos_app.services.catalog import CatalogService, ScanRefusal
from pos_app.services.demo import create_demo_event
from pos_app.services.reports import ReportService
from pos_app.services.sales import SaleService
from pos_app.store.engine import Database

MOMENT = datetime(2026, 5, 16, 10, 30, tzinfo=UTC)


def _sell(database: Database, catalog: CatalogService, sales: SaleService,
          tags: list[str], card: bool) -> str:
    cart = Cart(catalog.policy())
    for tag in tags:
        item = catalog.lookup(tag)
        assert not isinstance(item, ScanRefusal)
        checkout.add_item(cart, item, MOMENT)
    totals = cart.totals()
    tenders = TenderSession(totals.total_cents)
    if card:
        tenders.add_card(totals.total_cents, "AUTH-9")
    else:
        tenders.add_cash(totals.total_cents)
    return sales.complete(cart.lines, totals, tenders.finish(), "demo-cashier", None).id


def test_reports_exclude_voids_and_split_consignor_shares(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "register.sqlite3")
    context = create_demo_event(database, items=400)
    catalog = CatalogService(database, context)
    sales = SaleService(database, context, lambda: MOMENT)
    _sell(database, catalog, sales, ["1001-0001", "1001-0002", "1002-0001"], card=False)
    _sell(database, catalog, sales, ["1001-0003"], card=True)
    voided = _sell(database, catalog, sales, ["1002-0002"], card=False)
    sales.void(voided, "demo-cashier", "demo-manager", "customer changed their mind")
    reports = ReportService(database)

    hours = reports.by_hour()
    assert [(r.key, r.sales, r.items) for r in hours] == [("2026-05-16T10:00", 2, 4)]
    tender = {r.key: r for r in reports.by_tender()}
    assert set(tender) == {"cash", "card"}
    assert reports.voided().sales == 1
    consignors = {r.number: r for r in reports.by_consignor()}
    first = consignors[1001]
    assert first.items_sold == 3
    assert first.consignor_share_cents == percent_of(first.gross_cents, first.split_bp)
    assert first.consignor_share_cents + first.house_share_cents == first.gross_cents
    assert consignors[1002].items_sold == 1  # the voided item is not counted
    total_gross = sum(r.gross_cents for r in hours)
    assert sum(r.gross_cents for r in consignors.values()) == total_gross
    assert sum(r.gross_cents for r in reports.by_category()) == total_gross
    assert [r.key for r in reports.by_cashier()] == ["Dana (cashier)"]
    database.close()
