"""Refunding one line of an earlier sale: an append-only record with its journal entry and
outbox bundle in one transaction, the item back on sale, the shift's cash lowered; once per
line, never for a voided sale, and nothing written when refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_helpers import Till

from pos_app.core.money import share_of
from pos_app.core.refund import RefundError
from pos_app.core.wire import COLUMNS
from pos_app.services.catalog import ItemView
from pos_app.services.refunds import RefundService
from pos_app.services.reports import ReportService
from pos_app.services.shifts import ShiftService


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _refunds(till: Till) -> RefundService:
    return RefundService(till.database, till.context, till.clock)


def test_a_line_refund_is_recorded_returns_the_item_and_lowers_the_cash(
        till: Till, db_path: Path) -> None:
    shifts = ShiftService(till.database, till.context, till.clock)
    shift = shifts.open("demo-cashier", 10_000)
    sale = till.sell(["1005-0001", "1005-0002"], shift_id=shift.id)
    before = shifts.z_report(shift.id).expected_cash_cents
    line = sale.lines[1]
    net = sale.totals.subtotal_cents - sale.totals.discount_cents
    amount = line.price_cents + share_of(sale.totals.tax_cents, line.price_cents, net)

    refund = _refunds(till).refund(sale.id, 2, cashier_id="demo-cashier",
                                   manager_id="demo-manager", reason=" wrong  size ",
                                   tender="cash", shift_id=shift.id)

    assert (refund.amount_cents, refund.reason) == (amount, "wrong size")
    [row] = _rows(db_path, "SELECT * FROM refunds")
    assert dict(zip(COLUMNS["refunds"], row, strict=True))["amount_cents"] == amount
    item = till.catalog.lookup("1005-0002")
    assert isinstance(item, ItemView) and item.status == "approved"
    still_sold = till.catalog.lookup("1005-0001")
    assert isinstance(still_sold, ItemView) and still_sold.status == "sold"
    kind, ref, payload = _rows(db_path, "SELECT kind, ref_id, payload FROM outbox")[-1]
    assert (kind, ref) == ("refund", refund.id)
    bundle = json.loads(str(payload))
    assert bundle["refunds"] == [list(row)] and bundle["journal"][0][2] == "refund"
    with till.database.unit_of_work() as unit:
        assert unit.journal.verify() is None
    report = shifts.z_report(shift.id)
    assert (report.refunds_count, report.refunds_cents) == (1, amount)
    assert report.expected_cash_cents == before - amount
    assert report.sales_count == 1  # the sale stands
    assert _refunds(till).refunded_lines(sale.id) == {2}


def test_a_card_refund_leaves_the_drawer_alone(till: Till) -> None:
    shifts = ShiftService(till.database, till.context, till.clock)
    shift = shifts.open("demo-cashier", 10_000)
    sale = till.sell(["1005-0003"], shift_id=shift.id)
    before = shifts.z_report(shift.id).expected_cash_cents
    _refunds(till).refund(sale.id, 1, cashier_id="demo-cashier", manager_id="demo-manager",
                          reason="broken", tender="card", shift_id=shift.id)
    assert shifts.z_report(shift.id).expected_cash_cents == before


def test_refused_refunds_write_nothing(till: Till, db_path: Path) -> None:
    sale = till.sell(["1005-0004", "1005-0005"])
    voided = till.sell(["1005-0006"])
    till.sales.void(voided.id, "demo-cashier", "demo-manager", "mistake")
    service = _refunds(till)
    service.refund(sale.id, 1, cashier_id="c", manager_id="demo-manager", reason="r",
                   tender="cash", shift_id=None)
    journal = _rows(db_path, "SELECT COUNT(*) FROM journal")
    cases = [((sale.id, 2, "r", "cash", "demo-cashier"), "manager's approval"),
             ((sale.id, 1, "r", "cash"), "already refunded"),
             ((sale.id, 9, "r", "cash"), "no line 9"),
             ((voided.id, 1, "r", "cash"), "voided"),
             (("no-such-sale", 1, "r", "cash"), "No such sale"),
             ((sale.id, 2, "  ", "cash"), "Say why"),
             ((sale.id, 2, "r", "cheque"), "cash or card")]
    for (sale_id, line_no, reason, tender, *manager), error in cases:
        with pytest.raises(RefundError, match=error):
            service.refund(sale_id, line_no, cashier_id="c",
                           manager_id=manager[0] if manager else "demo-manager",
                           reason=reason, tender=tender, shift_id=None)
    assert _rows(db_path, "SELECT COUNT(*) FROM refunds") == [(1,)]
    assert _rows(db_path, "SELECT COUNT(*) FROM journal") == journal
    item = till.catalog.lookup("1005-0005")
    assert isinstance(item, ItemView) and item.status == "sold"


def test_a_refunded_line_leaves_the_consignor_and_category_figures(till: Till) -> None:
    """The consignor is not paid for an item that came back; the sale itself stays as sold."""
    sale = till.sell(["1006-0001", "1007-0001"])
    reports = ReportService(till.database)
    before = {row.number: row for row in reports.by_consignor()}
    assert (before[1006].items_sold, before[1007].items_sold) == (1, 1)

    _refunds(till).refund(sale.id, 2, cashier_id="demo-cashier", manager_id="demo-manager",
                          reason="broken", tender="card", shift_id=None)

    after = {row.number: row for row in reports.by_consignor()}
    assert (after[1006].items_sold, after[1006].gross_cents) == (1, before[1006].gross_cents)
    assert (after[1007].items_sold, after[1007].gross_cents) == (0, 0)
    assert sum(row.items for row in reports.by_category()) == 1
    assert sum(row.items for row in reports.by_hour()) == 1
    assert reports.summary().sales == 1  # the sale stands; the refund is its own record
