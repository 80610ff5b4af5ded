"""An item's status changes at the hall as append-only events (DESIGN.md, "Item lifecycle").

Drop-off check-in approves or rejects a pending item (a rejection names a reason from
:data:`REJECT_REASONS`), pick-up returns an unsold item to its consignor, and closing pick-up
donates what was left. ``sold`` is not reached by an event: a sale (and a void) move an item
in and out of it. :data:`TRANSITIONS` is the one table of what may follow what; the Worker
holds the same table (worker/src/lifecycle.ts) and applies an event only where it is valid
from the item's central state. An event is never edited: a correction is a new event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pos_app.core.items import ItemStatus
from pos_app.core.sale import canonical_json

__all__ = [
    "REJECT_REASONS",
    "TRANSITIONS",
    "ItemEvent",
    "TransitionError",
    "check_transition",
]

S = ItemStatus

#: Where each status may go by an item event (a sale and a void are not item events).
TRANSITIONS: Final[dict[ItemStatus, frozenset[ItemStatus]]] = {
    S.PENDING: frozenset({S.APPROVED, S.REJECTED}),
    # A volunteer may correct a check-in; an approved item left unsold goes back or is donated.
    S.APPROVED: frozenset({S.REJECTED, S.RETURNED, S.DONATED}),
    S.REJECTED: frozenset({S.APPROVED, S.RETURNED}),
    S.SOLD: frozenset(),
    S.RETURNED: frozenset(),
    S.DONATED: frozenset(),
}

#: The short list a check-in volunteer picks a rejection reason from.
REJECT_REASONS: Final[tuple[str, ...]] = (
    "stained", "recalled", "missing piece", "not in season", "wrong tag",
)


class TransitionError(ValueError):
    """A status change that the lifecycle does not allow; the message says why."""


def check_transition(tag_code: str, current: ItemStatus, target: ItemStatus,
                     reason: str | None = None) -> None:
    """Raise TransitionError unless ``current -> target`` is a valid event with its reason."""
    if target is S.REJECTED and reason not in REJECT_REASONS:
        raise TransitionError(f"A rejection needs a reason: one of {', '.join(REJECT_REASONS)}")
    if target is not S.REJECTED and reason is not None:
        raise TransitionError("Only a rejection takes a reason")
    if target is current:
        raise TransitionError(f"{tag_code} is already {current}")
    if target not in TRANSITIONS[current]:
        raise TransitionError(f"{tag_code} is {current}: it cannot become {target}")


@dataclass(frozen=True, slots=True)
class ItemEvent:
    """One status change of one item, as recorded by a register (protocol table item_events)."""

    id: str
    event_id: str
    register_id: str
    item_id: str
    tag_code: str
    from_status: ItemStatus
    to_status: ItemStatus
    reason: str | None
    cashier_id: str
    created_at: str

    def row(self) -> dict[str, str | None]:
        """The row in the protocol's column order (pos_app/core/protocol_schema.json)."""
        return {
            "id": self.id, "event_id": self.event_id, "register_id": self.register_id,
            "item_id": self.item_id, "tag_code": self.tag_code,
            "from_status": self.from_status.value, "to_status": self.to_status.value,
            "reason": self.reason, "cashier_id": self.cashier_id, "created_at": self.created_at,
        }

    def canonical_json(self) -> str:
        """The journal payload (the Worker recomputes it from the row it receives)."""
        return canonical_json(self.row())
