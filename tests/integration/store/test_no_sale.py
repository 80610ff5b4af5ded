"""No sale: the drawer opened without a sale, with a reason and a manager, recorded like a
sale (row, journal entry and outbox bundle in one transaction) and counted in the report."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_helpers import Till

from pos_app.core.wire import COLUMNS
from pos_app.services.shifts import ShiftError, ShiftService


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_a_no_sale_is_recorded_journaled_queued_and_counted(till: Till, db_path: Path) -> None:
    shifts = ShiftService(till.database, till.context, till.clock)
    shift = shifts.open("demo-cashier", 10_000)
    report = shifts.no_sale(shift.id, "demo-cashier", "demo-manager", "  change for a   $50 ")
    assert report.no_sales_count == 1
    assert report.expected_cash_cents == 10_000  # a no sale takes no money in or out

    [row] = _rows(db_path, "SELECT * FROM no_sales")
    values = dict(zip(COLUMNS["no_sales"], row, strict=True))
    assert values["reason"] == "change for a $50"
    assert (values["shift_id"], values["cashier_id"], values["manager_id"]) == (
        shift.id, "demo-cashier", "demo-manager")
    [(kind, ref, payload)] = _rows(db_path, "SELECT kind, ref_id, payload FROM outbox")
    assert (kind, ref) == ("no_sale", values["id"])
    bundle = json.loads(str(payload))
    assert bundle["no_sales"] == [list(row)]
    assert bundle["journal"][0][2:4] == ["no_sale", values["id"]]
    assert _rows(db_path, "SELECT kind, ref_id FROM journal") == [("no_sale", values["id"])]
    with till.database.unit_of_work() as unit:
        assert unit.journal.verify() is None
    closed = shifts.close(shift.id, 10_000)
    assert closed.no_sales_count == 1


@pytest.mark.parametrize(("reason", "error"), [("   ", "Say why"), ("x" * 201, "too long")])
def test_a_no_sale_without_a_fit_reason_writes_nothing(
        till: Till, db_path: Path, reason: str, error: str) -> None:
    shifts = ShiftService(till.database, till.context, till.clock)
    shift = shifts.open("demo-cashier", 0)
    with pytest.raises(ShiftError, match=error):
        shifts.no_sale(shift.id, "demo-cashier", "demo-manager", reason)
    assert _rows(db_path, "SELECT COUNT(*) FROM no_sales") == [(0,)]
    assert _rows(db_path, "SELECT COUNT(*) FROM journal") == [(0,)]
    assert _rows(db_path, "SELECT COUNT(*) FROM outbox") == [(0,)]


def test_a_no_sale_on_a_closed_shift_writes_nothing(till: Till, db_path: Path) -> None:
    shifts = ShiftService(till.database, till.context, till.clock)
    shift = shifts.open("demo-cashier", 0)
    shifts.close(shift.id, 0)
    before = _rows(db_path, "SELECT COUNT(*) FROM journal")
    with pytest.raises(ShiftError, match="already closed"):
        shifts.no_sale(shift.id, "demo-cashier", "demo-manager", "change")
    assert _rows(db_path, "SELECT COUNT(*) FROM no_sales") == [(0,)]
    assert _rows(db_path, "SELECT COUNT(*) FROM journal") == before
