"""The till's long-lived objects are kept out of Python's cyclic collector (issue 16).

A full collection on the GUI thread walked every object start-up built, ~80,000 of them, and
stalled whatever scan was under way when its turn came. Once the checkout is open, what was
built before it is frozen (``gc.freeze``); shutting the shell down gives it back.
"""

from __future__ import annotations

import gc

from pos_app.services.cashiers import CashierView
from pos_app.services.demo import CASHIER_PIN
from pos_app.ui.bundle import UiServices
from pos_app.ui.main import AppShell
from pos_app.ui.qt import QApplication


def _tracked(obj: object) -> bool:
    """``obj`` is in a generation a collection walks (frozen objects are in none)."""
    return any(tracked is obj for tracked in gc.get_objects())


def test_what_start_up_built_is_out_of_the_collectors_sight_once_the_checkout_opens(
        qapp: QApplication, shell: AppShell, services: UiServices) -> None:
    built_at_start = [object()]
    assert _tracked(built_at_start)
    cashier = services.cashiers.login(CASHIER_PIN)
    assert isinstance(cashier, CashierView)
    shell.open_checkout(cashier, services.shifts.open(cashier.id, 10_000))
    assert not _tracked(built_at_start)
    built_later = [object()]
    assert _tracked(built_later)
    shell.shutdown(qapp)
    assert _tracked(built_at_start)
