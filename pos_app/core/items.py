"""An item's place in its lifecycle (DESIGN.md, "Item lifecycle").

pending (entered) -> approved or rejected at drop-off check-in -> sold at a register (back to
approved on a void or refund) -> an unsold item is returned to its consignor or donated.
"""

from __future__ import annotations

from enum import StrEnum


class ItemStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SOLD = "sold"
    RETURNED = "returned"
    DONATED = "donated"

    @property
    def for_sale(self) -> bool:
        """Only an approved item may be rung up (a sold one only with a manager's override)."""
        return self is ItemStatus.APPROVED
