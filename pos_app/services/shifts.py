"""Shifts: opening float, cash drops, and the closing count against expected cash (Z report).

Expected cash = opening float + cash tenders (net of change) of the shift's sales that were
not voided - cash drops; over/short = counted - expected. Closing journals the shift and
queues it for the server, in the same durable transaction; so does a no sale (the drawer
opened without a sale, with a reason and the approving manager), which the report counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pos_app.core.ids import new_id
from pos_app.core.money import format_cents, require_cents
from pos_app.core.sale import canonical_json, utc_timestamp
from pos_app.core.wire import COLUMNS, journal_row
from pos_app.services.changes import Changes, changes
from pos_app.services.context import RegisterContext
from pos_app.store import shifts as store_shifts
from pos_app.store.engine import Database
from pos_app.store.shifts import ShiftError, ShiftView, ZReport

__all__ = ["ShiftError", "ShiftService", "ShiftView", "ZReport"]

MAX_REASON = 200


class ShiftService:
    """The cash drawer's shifts on this register."""

    def __init__(
        self, database: Database, context: RegisterContext, clock: Callable[[], datetime]
    ) -> None:
        self._database = database
        self._context = context
        self._clock = clock

    def current(self) -> ShiftView | None:
        """The open shift, if any."""
        with self._database.unit_of_work() as unit:
            return store_shifts.current_shift(unit.connection, self._context.register_id)

    def open(self, cashier_id: str, opening_float_cents: int) -> ShiftView:
        require_cents(opening_float_cents, "Opening float")
        view = ShiftView(new_id(), cashier_id, utc_timestamp(self._clock()),
                         opening_float_cents, None)
        with self._database.durable_unit_of_work() as unit:
            store_shifts.open_shift(unit.connection, view, self._context.event_id,
                                    self._context.register_id)
            unit.commit()
        return view

    def cash_drop(self, shift_id: str, amount_cents: int) -> ZReport:
        """Record cash taken out of the drawer during the shift; return the figures after it.

        A drop cannot take more than the drawer should hold (the expected cash).
        """
        require_cents(amount_cents, "Cash drop")
        if amount_cents == 0:
            raise ShiftError("A cash drop must be more than zero")
        with self._database.durable_unit_of_work() as unit:
            store_shifts.add_cash_drop(unit.connection, new_id(), shift_id, amount_cents,
                                       utc_timestamp(self._clock()))
            report = store_shifts.z_report(unit.connection, shift_id)
            if report.expected_cash_cents < 0:  # not committed: the drop is rolled back
                held = report.expected_cash_cents + amount_cents
                raise ShiftError(f"The drawer should hold only {format_cents(held)}: "
                                 "count it again, or drop less")
            unit.commit()
        return report

    @changes(Changes.OUTBOX)
    def no_sale(self, shift_id: str, cashier_id: str, manager_id: str, reason: str) -> ZReport:
        """Record that the drawer was opened without a sale; return the figures after it."""
        reason = " ".join(reason.split())
        if not reason:
            raise ShiftError("Say why the drawer is opened")
        if len(reason) > MAX_REASON:
            raise ShiftError(f"The reason is too long (at most {MAX_REASON} characters)")
        at = utc_timestamp(self._clock())
        no_sale_id = new_id()
        values: dict[str, Any] = {
            "id": no_sale_id, "event_id": self._context.event_id,
            "register_id": self._context.register_id, "shift_id": shift_id,
            "cashier_id": cashier_id, "manager_id": manager_id, "reason": reason,
            "created_at": at,
        }
        with self._database.durable_unit_of_work() as unit:
            store_shifts.add_no_sale(unit.connection, values)
            entry = unit.journal.append("no_sale", no_sale_id, canonical_json(values), at)
            bundle = {"no_sales": [[values[name] for name in COLUMNS["no_sales"]]],
                      "journal": [journal_row(self._context.register_id, entry)]}
            unit.outbox.enqueue("no_sale", no_sale_id, bundle, at)
            report = store_shifts.z_report(unit.connection, shift_id)
            unit.commit()
        return report

    def z_report(self, shift_id: str) -> ZReport:
        with self._database.unit_of_work() as unit:
            return store_shifts.z_report(unit.connection, shift_id)

    @changes(Changes.OUTBOX)
    def close(self, shift_id: str, counted_cents: int) -> ZReport:
        """Close with the counted cash; the report then has the over/short figure."""
        require_cents(counted_cents, "Counted cash")
        at = utc_timestamp(self._clock())
        with self._database.durable_unit_of_work() as unit:
            closed = store_shifts.close_shift(unit.connection, shift_id, counted_cents, at)
            entry = unit.journal.append("shift", shift_id, canonical_json(closed), at)
            bundle = {"shifts": [list(closed.values())],
                      "journal": [journal_row(str(closed["register_id"]), entry)]}
            unit.outbox.enqueue("shift", shift_id, bundle, at)
            report = store_shifts.z_report(unit.connection, shift_id)
            unit.commit()
        return report
