"""Voids, held carts and shifts (Z report with over/short) on a real file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_helpers import Till

from pos_app.core.wire import COLUMNS
from pos_app.services.catalog import ItemView
from pos_app.services.holds import HoldError, HoldService
from pos_app.services.sales import VoidError
from pos_app.services.shifts import ShiftError, ShiftService
from pos_app.store.engine import Database


def outbox(path: Path) -> list[tuple[str, str, dict[str, list[list[object]]]]]:
    connection = sqlite3.connect(path)
    rows = connection.execute("SELECT kind, ref_id, payload FROM outbox ORDER BY id").fetchall()
    connection.close()
    return [(kind, ref, json.loads(payload)) for kind, ref, payload in rows]


def test_void_returns_items_and_is_journaled_once(till: Till, db_path: Path) -> None:
    sale = till.sell(["1001-0001", "1001-0002"])
    void = till.sales.void(sale.id, "demo-cashier", "demo-manager", "  customer changed mind ")
    assert void.reason == "customer changed mind"

    record = till.sales.get(sale.id)
    assert record is not None and record.voided
    item = till.catalog.lookup("1001-0001")
    assert isinstance(item, ItemView) and item.status == "approved" and not item.sold_here
    kinds = [(kind, ref) for kind, ref, _ in outbox(db_path)]
    assert kinds == [("sale", sale.id), ("void", void.id)]
    bundle = outbox(db_path)[1][2]
    assert bundle["voids"][0][:2] == [void.id, sale.id]
    assert len(bundle["voids"][0]) == len(COLUMNS["voids"])
    with till.database.unit_of_work() as unit:
        assert unit.journal.verify() is None

    with pytest.raises(VoidError, match="already voided"):
        till.sales.void(sale.id, "demo-cashier", "demo-manager", "again")
    assert till.sell(["1001-0001"]).seq == 2  # sellable again


def test_void_needs_a_manager_a_reason_and_a_known_sale(till: Till) -> None:
    sale = till.sell(["1002-0001"])
    with pytest.raises(VoidError, match="manager"):
        till.sales.void(sale.id, "demo-cashier", "demo-cashier", "oops")
    with pytest.raises(VoidError, match="why"):
        till.sales.void(sale.id, "demo-cashier", "demo-manager", "   ")
    with pytest.raises(VoidError, match="No such sale"):
        till.sales.void("nope", "demo-cashier", "demo-manager", "oops")
    record = till.sales.get(sale.id)
    assert record is not None and not record.voided


def test_hold_list_and_recall_once(till: Till) -> None:
    holds = HoldService(till.database, till.clock)
    cart = till.cart(["1003-0001", "1003-0002"])
    hold_id = holds.hold(cart.lines, "demo-cashier", "  blue coat  lady ")
    (view,) = holds.list()
    assert (view.id, view.label, view.item_count) == (hold_id, "blue coat lady", 2)
    assert view.total_cents == sum(line.price_cents for line in cart.lines)
    assert holds.recall(hold_id) == list(cart.lines)
    assert holds.list() == []
    with pytest.raises(HoldError):
        holds.recall(hold_id)
    with pytest.raises(HoldError):
        holds.hold([], "demo-cashier", "empty")


def test_shift_z_report_with_over_short(till: Till, db_path: Path) -> None:
    shifts = ShiftService(till.database, till.context, till.clock)
    assert shifts.current() is None
    shift = shifts.open("demo-cashier", 10_000)
    assert shifts.current() == shift
    with pytest.raises(ShiftError, match="already open"):
        shifts.open("demo-cashier", 5_000)

    cash_sale = till.sell(["1004-0001", "1004-0002"], shift_id=shift.id, extra_cash=300)
    card_sale = till.sell(["1004-0003"], shift_id=shift.id, card_cents=700)
    voided = till.sell(["1004-0004"], shift_id=shift.id)
    till.sales.void(voided.id, "demo-cashier", "demo-manager", "wrong item")
    shifts.cash_drop(shift.id, 2_000)

    report = shifts.z_report(shift.id)
    card_cash = card_sale.total_cents - 700
    assert report.sales_count == 2 and report.items_sold == 3
    assert report.total_cents == cash_sale.total_cents + card_sale.total_cents
    assert report.gross_cents - report.discount_cents + report.tax_cents == report.total_cents
    assert report.by_tender == {"card": 700, "cash": cash_sale.total_cents + card_cash}
    assert (report.voids_count, report.voided_cents) == (1, voided.total_cents)
    expected = 10_000 + cash_sale.total_cents + card_cash - 2_000
    assert report.expected_cash_cents == expected
    assert report.over_short_cents is None

    closed = shifts.close(shift.id, expected - 150)
    assert closed.closed_at is not None
    assert closed.counted_cash_cents == expected - 150
    assert closed.over_short_cents == -150
    assert shifts.current() is None
    with pytest.raises(ShiftError, match="already closed"):
        shifts.close(shift.id, 0)
    with pytest.raises(ShiftError, match="already closed"):
        shifts.cash_drop(shift.id, 100)

    kind, ref, bundle = outbox(db_path)[-1]
    assert (kind, ref) == ("shift", shift.id)
    row = dict(zip(COLUMNS["shifts"], bundle["shifts"][0], strict=True))
    assert row["counted_cents"] == expected - 150 and row["expected_cents"] == expected
    assert bundle["journal"][0][2] == "shift"
    with till.database.unit_of_work() as unit:
        assert unit.journal.verify() is None


def test_shift_rejects_bad_amounts(database: Database, till: Till) -> None:
    shifts = ShiftService(database, till.context, till.clock)
    with pytest.raises(ValueError):
        shifts.open("demo-cashier", -1)
    shift = shifts.open("demo-cashier", 0)
    with pytest.raises(ShiftError):
        shifts.cash_drop(shift.id, 0)
    with pytest.raises(ShiftError, match="No such shift"):
        shifts.z_report("missing")


def test_a_cash_drop_cannot_take_more_than_the_drawer_holds(database: Database,
                                                             till: Till) -> None:
    shifts = ShiftService(database, till.context, till.clock)
    shift = shifts.open("demo-cashier", 5_000)
    sale = till.sell(["1004-0005"], shift_id=shift.id)
    in_drawer = 5_000 + sale.total_cents

    after = shifts.cash_drop(shift.id, 4_000)

    assert (after.cash_drops_cents, after.expected_cash_cents) == (4_000, in_drawer - 4_000)
    with pytest.raises(ShiftError, match=r"should hold only \$"):
        shifts.cash_drop(shift.id, in_drawer - 4_000 + 1)
    assert shifts.z_report(shift.id) == after  # the refused drop left nothing behind
    assert shifts.cash_drop(shift.id, in_drawer - 4_000).expected_cash_cents == 0
