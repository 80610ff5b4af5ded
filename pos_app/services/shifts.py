"""Shifts: opening float, cash drops, and the closing count against expected cash (Z report).

Expected cash = opening float + cash tenders (net of change) of the shift's sales that were
not voided - cash drops; over/short = counted - expected. Closing journals the shift and
queues it for the server, in the same durable transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pos_app.core.ids import new_id
from pos_app.core.money import format_cents, require_cents
from pos_app.core.sale import canonical_json, utc_timestamp
from pos_app.core.wire import journal_row
from pos_app.services.changes import Changes, changes
from pos_app.services.context import RegisterContext
from pos_app.store import shifts as store_shifts
from pos_app.store.engine import Database
from pos_app.store.shifts import ShiftError, ShiftView, ZReport

__all__ = ["ShiftError", "ShiftService", "ShiftView", "ZReport"]


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
