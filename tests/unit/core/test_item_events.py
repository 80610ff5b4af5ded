"""The item lifecycle's transition table, and that the Worker holds the same one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pos_app.core.item_events import REJECT_REASONS, TRANSITIONS, TransitionError, check_transition
from pos_app.core.items import ItemStatus

S = ItemStatus
WORKER_LIFECYCLE = Path(__file__).parents[3] / "worker" / "src" / "lifecycle.ts"


@pytest.mark.parametrize(("current", "target"), [
    (S.PENDING, S.APPROVED), (S.APPROVED, S.RETURNED), (S.APPROVED, S.DONATED),
    (S.REJECTED, S.APPROVED), (S.REJECTED, S.RETURNED),
])
def test_valid_moves_pass(current: ItemStatus, target: ItemStatus) -> None:
    check_transition("1001-0001", current, target)


@pytest.mark.parametrize(("current", "target", "message"), [
    (S.SOLD, S.RETURNED, "is sold: it cannot become returned"),
    (S.SOLD, S.DONATED, "is sold: it cannot become donated"),
    (S.RETURNED, S.DONATED, "is returned: it cannot become donated"),
    (S.DONATED, S.APPROVED, "is donated: it cannot become approved"),
    (S.PENDING, S.RETURNED, "is pending: it cannot become returned"),
    (S.APPROVED, S.APPROVED, "already approved"),
])
def test_invalid_moves_say_why(current: ItemStatus, target: ItemStatus, message: str) -> None:
    with pytest.raises(TransitionError, match=message):
        check_transition("1001-0001", current, target)


def test_a_rejection_and_only_a_rejection_takes_a_listed_reason() -> None:
    check_transition("1001-0001", S.PENDING, S.REJECTED, REJECT_REASONS[0])
    for reason in (None, "", "ugly"):
        with pytest.raises(TransitionError, match="needs a reason"):
            check_transition("1001-0001", S.PENDING, S.REJECTED, reason)
    with pytest.raises(TransitionError, match="Only a rejection"):
        check_transition("1001-0001", S.PENDING, S.APPROVED, "stained")


def test_the_worker_applies_the_same_table() -> None:
    text = WORKER_LIFECYCLE.read_text(encoding="utf-8")
    block = text[text.index("TRANSITIONS"):]
    block = block[:block.index("};")]
    worker = {
        status: set(re.findall(r'"(\w+)"', targets))
        for status, targets in re.findall(r"(\w+): \[([^\]]*)\]", block)
    }
    assert worker == {s.value: {t.value for t in targets} for s, targets in TRANSITIONS.items()}
