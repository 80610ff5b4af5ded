"""Refunding one line of an earlier sale of this register, approved by a manager.

The refund is a new record (the sale is never edited) written with its journal entry and
outbox bundle in one durable transaction; the item goes back on sale here at once, and
centrally when the refund is pushed. The shift's report counts it, and a cash refund lowers
the cash the drawer should hold.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pos_app.core.ids import new_id
from pos_app.core.refund import LineRefund, RefundError, check_tender, clean_reason, refund_amount
from pos_app.core.sale import utc_timestamp
from pos_app.core.wire import refund_bundle
from pos_app.services.changes import Changes, changes
from pos_app.services.context import RegisterContext
from pos_app.store import people
from pos_app.store.engine import Database

__all__ = ["LineRefund", "RefundError", "RefundService"]


class RefundService:
    """Line refunds of this register's sales."""

    def __init__(
        self, database: Database, context: RegisterContext, clock: Callable[[], datetime]
    ) -> None:
        self._database = database
        self._context = context
        self._clock = clock

    def refunded_lines(self, sale_id: str) -> set[int]:
        with self._database.unit_of_work() as unit:
            return unit.sales.refunded_lines(sale_id)

    @changes(Changes.OUTBOX)
    def refund(self, sale_id: str, line_no: int, *, cashier_id: str, manager_id: str,
               reason: str, tender: str, shift_id: str | None) -> LineRefund:
        """Refund one line; return the record after COMMIT (RefundError: nothing written)."""
        reason, tender = clean_reason(reason), check_tender(tender)
        with self._database.durable_unit_of_work() as unit:
            if people.cashier_role(unit.connection, manager_id) != "manager":
                raise RefundError("A refund needs a manager's approval")
            record = unit.sales.get(sale_id)
            if record is None:
                raise RefundError("No such sale on this register")
            refund = LineRefund(
                new_id(), sale_id, line_no, self._context.event_id, self._context.register_id,
                shift_id, cashier_id, manager_id, reason, tender,
                refund_amount(record.sale, line_no), utc_timestamp(self._clock()))
            item_id = unit.sales.refundable_item(refund)
            unit.sales.add_refund(refund, item_id)
            at = refund.created_at
            entry = unit.journal.append("refund", refund.id, refund.canonical_json(), at)
            unit.outbox.enqueue("refund", refund.id, refund_bundle(refund, entry), at)
            unit.commit()
        return refund
