"""Use cases declare what they change; the GUI broadcasts exactly that after success."""

from __future__ import annotations

import pytest

from pos_app.services.changes import Changes, changes, changes_of
from pos_app.services.holds import HoldService
from pos_app.services.sales import SaleService
from pos_app.services.shifts import ShiftService


@pytest.mark.parametrize(("method", "expected"), [
    (SaleService.complete, Changes.OUTBOX),
    (SaleService.void, Changes.OUTBOX),
    (ShiftService.close, Changes.OUTBOX),
    (HoldService.hold, Changes.HOLDS),
    (HoldService.recall, Changes.HOLDS),
    (SaleService.recent, Changes.NONE),
    (ShiftService.z_report, Changes.NONE),
])
def test_each_write_use_case_declares_its_changes(method: object, expected: Changes) -> None:
    assert changes_of(method) is expected  # type: ignore[arg-type]


def test_a_bound_method_carries_the_declaration() -> None:
    class Service:
        @changes(Changes.OUTBOX | Changes.HOLDS)
        def act(self) -> int:
            return 1

    assert changes_of(Service().act) == Changes.OUTBOX | Changes.HOLDS
    assert changes_of(lambda: None) is Changes.NONE
