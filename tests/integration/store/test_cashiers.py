"""Cashiers log in by PIN against scrypt hashes stored in the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_app.services.cashiers import CashierService, CashierView, PinError
from pos_app.services.context import RegisterContext
from pos_app.store.engine import Database


def test_demo_people_and_new_cashiers(
    database: Database, context: RegisterContext, db_path: Path
) -> None:
    service = CashierService(database)
    cashier, manager = service.login("1234"), service.login("9999")
    assert cashier is not None and not cashier.is_manager
    assert manager is not None and manager.is_manager
    assert service.verify_manager("9999") == manager
    assert service.verify_manager("1234") is None
    assert service.login("0000") is None
    assert service.login("abc") is None

    new = service.create("  Sam   Lee ", "4455", "manager")
    assert new.name == "Sam Lee" and service.verify_manager("4455") == new
    assert [c.id for c in service.list()].count(new.id) == 1
    with pytest.raises(PinError, match="taken"):
        service.create("Other", "4455")
    with pytest.raises(PinError):
        service.create("Other", "12", "cashier")
    with pytest.raises(PinError):
        service.create("Other", "5566", "owner")

    with sqlite3.connect(db_path) as connection:
        hashes = [row[0] for row in connection.execute("SELECT pin_hash FROM cashiers")]
    assert all(h.startswith("scrypt$") and "4455" not in h for h in hashes)


def test_as_manager_runs_the_action_only_for_a_manager_pin(
        database: Database, context: RegisterContext) -> None:
    service = CashierService(database)
    approvers: list[str] = []

    def approve(manager: CashierView) -> str:
        approvers.append(manager.id)
        return "done"

    assert service.as_manager("1234", approve) is None  # a cashier's PIN
    assert service.as_manager("0000", approve) is None  # nobody's
    assert approvers == []
    assert service.as_manager("9999", approve) == "done"
    assert approvers == ["demo-manager"]
