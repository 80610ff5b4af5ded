"""Price overrides: a line sold at a manager's price, recorded on the line (tag price,
reason, manager) in the sale's own transaction, journal entry and outbox bundle, read back
for reprints, and counted in the shift report."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_helpers import Till

from pos_app.core.cart import OPEN_PRICE_PREFIX, CartError, open_price_line, override_price
from pos_app.core.sale import SaleError
from pos_app.core.wire import COLUMNS
from pos_app.services.shifts import ShiftService


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_an_overridden_line_is_committed_journaled_queued_and_reported(
        till: Till, db_path: Path) -> None:
    shift = ShiftService(till.database, till.context, till.clock).open("demo-cashier", 0)
    cart = till.cart(["1002-0001", "1002-0002"])
    tag_price = cart.lines[1].unit_price_cents
    cart.replace(1, override_price(cart.lines[1], 150, " stain on  the sleeve ", "demo-manager"))
    lines, tenders = till.pay(cart)
    sale = till.sales.complete(lines, tenders, "demo-cashier", shift.id)

    assert sale.lines[1].unit_price_cents == 150 and sale.lines[1].discount_cents == 0
    assert _rows(db_path, "SELECT * FROM price_overrides") == [
        (sale.id, 2, tag_price, 150, "demo-manager", "stain on the sleeve")]
    [(payload,)] = _rows(db_path, "SELECT payload FROM outbox")
    bundle = json.loads(str(payload))
    assert bundle["price_overrides"] == [[sale.id, 2, tag_price, 150, "demo-manager",
                                          "stain on the sleeve"]]
    assert len(bundle["price_overrides"][0]) == len(COLUMNS["price_overrides"])
    [(journal,)] = _rows(db_path, "SELECT payload FROM journal")
    assert json.loads(str(journal))["price_overrides"] == [
        [2, tag_price, "demo-manager", "stain on the sleeve"]]
    with till.database.unit_of_work() as unit:
        assert unit.journal.verify() is None
    record = till.sales.get(sale.id)
    assert record is not None and record.sale.lines[1].tag_price_cents == tag_price
    assert record.sale.lines[0].tag_price_cents is None
    report = ShiftService(till.database, till.context, till.clock).z_report(shift.id)
    assert (report.overrides_count, report.overrides_off_cents) == (1, tag_price - 150)


def test_a_sale_without_overrides_has_no_override_rows(till: Till, db_path: Path) -> None:
    till.sell(["1002-0003"])
    assert _rows(db_path, "SELECT COUNT(*) FROM price_overrides") == [(0,)]
    [(payload,)] = _rows(db_path, "SELECT payload FROM outbox")
    assert "price_overrides" not in json.loads(str(payload))


@pytest.mark.parametrize(("price", "reason", "manager", "error"), [
    (-1, "reason", "m", "zero or more"), (100, "  ", "m", "Say why"),
    (100, "x" * 201, "m", "too long"), (100, "reason", "", "manager")])
def test_a_bad_override_is_refused_and_the_line_unchanged(
        till: Till, price: int, reason: str, manager: str, error: str) -> None:
    cart = till.cart(["1002-0004"])
    before = cart.lines[0]
    with pytest.raises(CartError, match=error):
        override_price(before, price, reason, manager)
    assert cart.lines[0] == before


def test_a_second_override_keeps_the_tag_price(till: Till) -> None:
    line = till.cart(["1002-0005"]).lines[0]
    once = override_price(line, 300, "first", "m")
    twice = override_price(once, 200, "second", "m")
    assert twice.tag_price_cents == line.unit_price_cents
    assert (twice.unit_price_cents, twice.override_reason) == (200, "second")


def test_an_override_without_a_managers_approval_writes_nothing(
        till: Till, db_path: Path) -> None:
    cart = till.cart(["1002-0006"])
    cart.replace(0, override_price(cart.lines[0], 100, "stain", "demo-cashier"))  # no manager
    lines, tenders = till.pay(cart)
    with pytest.raises(SaleError, match="without a manager's approval"):
        till.sales.complete(lines, tenders, "demo-cashier", None)
    for table in ("sales", "price_overrides", "journal", "outbox"):
        assert _rows(db_path, f"SELECT COUNT(*) FROM {table}") == [(0,)]


@pytest.mark.parametrize(("consignor", "description", "price", "error"), [
    (0, "jacket", 100, "consignor"), (1_000_000, "jacket", 100, "consignor"),
    (1004, "  ", 100, "Describe"), (1004, "x" * 101, 100, "too long"),
    (1004, "jacket", 0, "more than zero")])
def test_a_bad_open_price_line_is_refused(
        consignor: int, description: str, price: int, error: str) -> None:
    with pytest.raises(CartError, match=error):
        open_price_line("line-1", consignor, description, price, "demo-manager")


def test_an_open_price_line_sells_with_an_unknown_item_and_the_manager_on_record(
        till: Till, db_path: Path) -> None:
    cart = till.cart(["1002-0006"])
    cart.add(open_price_line("line-1", 1004, " blue  jacket ", 600, "demo-manager"))
    lines, tenders = till.pay(cart)
    sale = till.sales.complete(lines, tenders, "demo-cashier", None)
    assert _rows(db_path, "SELECT item_id, tag_code, consignor_number, description,"
                          " price_cents FROM sale_lines WHERE line_no = 2") == [
        (f"{OPEN_PRICE_PREFIX}line-1", "OPEN-1004", 1004, "blue jacket", 600)]
    assert _rows(db_path, "SELECT tag_price_cents, price_cents, manager_id, reason"
                          " FROM price_overrides") == [
        (0, 600, "demo-manager", "open price: blue jacket")]
    assert sale.total_cents == cart.totals().total_cents
