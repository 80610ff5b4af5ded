"""Shifts: opening float, cash drops, and the closing count against expected cash (Z report)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from pos_app.core.ids import new_id
from pos_app.core.money import require_cents
from pos_app.core.sale import utc_timestamp
from pos_app.services.context import RegisterContext
from pos_app.store import models
from pos_app.store.engine import Database

shifts = models.table_of(models.Shift)
drops = models.table_of(models.CashDrop)
sales = models.table_of(models.Sale)
tenders = models.table_of(models.Tender)
voids = models.table_of(models.Void)


class ShiftError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ShiftView:
    id: str
    cashier_id: str
    opened_at: str
    opening_float_cents: int
    closed_at: str | None


@dataclass(frozen=True, slots=True)
class ZReport:
    shift_id: str
    opened_at: str
    closed_at: str | None
    sales_count: int
    items_sold: int
    gross_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    by_tender: dict[str, int]
    voids_count: int
    voided_cents: int
    opening_float_cents: int
    cash_drops_cents: int
    expected_cash_cents: int
    counted_cash_cents: int | None

    @property
    def over_short_cents(self) -> int | None:
        if self.counted_cash_cents is None:
            return None
        return self.counted_cash_cents - self.expected_cash_cents


class ShiftService:
    def __init__(
        self, database: Database, context: RegisterContext, clock: Callable[[], datetime]
    ) -> None:
        self._database = database
        self._context = context
        self._clock = clock

    def current(self) -> ShiftView | None:
        with self._database.unit_of_work() as unit:
            row = unit.connection.execute(
                select(shifts.c.id, shifts.c.cashier_id, shifts.c.opened_at,
                       shifts.c.opening_float_cents, shifts.c.closed_at)
                .where(shifts.c.register_id == self._context.register_id,
                       shifts.c.closed_at.is_(None))
                .order_by(shifts.c.opened_at.desc()).limit(1)
            ).first()
        return None if row is None else ShiftView(*row)

    def open(self, cashier_id: str, opening_float_cents: int) -> ShiftView:
        require_cents(opening_float_cents, "Opening float")
        if self.current() is not None:
            raise ShiftError("A shift is already open on this register: close it first")
        view = ShiftView(new_id(), cashier_id, utc_timestamp(self._clock()),
                         opening_float_cents, None)
        with self._database.durable_unit_of_work() as unit:
            unit.connection.execute(insert(shifts), [{
                "id": view.id, "event_id": self._context.event_id,
                "register_id": self._context.register_id, "cashier_id": cashier_id,
                "opened_at": view.opened_at, "opening_float_cents": opening_float_cents,
            }])
            unit.commit()
        return view

    def cash_drop(self, shift_id: str, amount_cents: int) -> None:
        require_cents(amount_cents, "Cash drop")
        with self._database.durable_unit_of_work() as unit:
            unit.connection.execute(insert(drops), [{
                "id": new_id(), "shift_id": shift_id, "amount_cents": amount_cents,
                "created_at": utc_timestamp(self._clock()),
            }])
            unit.commit()

    def z_report(self, shift_id: str) -> ZReport:
        with self._database.unit_of_work() as unit:
            return build_z_report(unit.connection, shift_id)

    def close(self, shift_id: str, counted_cents: int) -> ZReport:
        require_cents(counted_cents, "Counted cash")
        with self._database.durable_unit_of_work() as unit:
            report = build_z_report(unit.connection, shift_id)
            if report.closed_at is not None:
                raise ShiftError("This shift is already closed")
            result = unit.connection.execute(
                update(shifts).where(shifts.c.id == shift_id, shifts.c.closed_at.is_(None))
                .values(closed_at=utc_timestamp(self._clock()), counted_cents=counted_cents,
                        expected_cents=report.expected_cash_cents)
            )
            if result.rowcount != 1:
                raise ShiftError("This shift is already closed")
            closed = build_z_report(unit.connection, shift_id)
            unit.commit()
        return closed


def build_z_report(connection: Connection, shift_id: str) -> ZReport:
    shift = connection.execute(select(shifts).where(shifts.c.id == shift_id)).mappings().first()
    if shift is None:
        raise ShiftError("No such shift")
    voided = select(voids.c.sale_id)
    kept = (sales.c.shift_id == shift_id) & sales.c.id.not_in(voided)
    totals = connection.execute(
        select(func.count(), func.coalesce(func.sum(sales.c.item_count), 0),
               func.coalesce(func.sum(sales.c.subtotal_cents), 0),
               func.coalesce(func.sum(sales.c.discount_cents), 0),
               func.coalesce(func.sum(sales.c.tax_cents), 0),
               func.coalesce(func.sum(sales.c.total_cents), 0)).where(kept)
    ).one()
    by_tender = {
        kind: int(amount) for kind, amount in connection.execute(
            select(tenders.c.kind, func.sum(tenders.c.amount_cents))
            .join(sales, sales.c.id == tenders.c.sale_id).where(kept).group_by(tenders.c.kind)
        )
    }
    voided_count, voided_cents = connection.execute(
        select(func.count(), func.coalesce(func.sum(sales.c.total_cents), 0))
        .where(sales.c.shift_id == shift_id, sales.c.id.in_(voided))
    ).one()
    dropped = connection.execute(
        select(func.coalesce(func.sum(drops.c.amount_cents), 0)).where(drops.c.shift_id == shift_id)
    ).scalar_one()
    expected = shift["opening_float_cents"] + by_tender.get("cash", 0) - int(dropped)
    return ZReport(
        shift_id, shift["opened_at"], shift["closed_at"], int(totals[0]), int(totals[1]),
        int(totals[2]), int(totals[3]), int(totals[4]), int(totals[5]), by_tender,
        int(voided_count), int(voided_cents), shift["opening_float_cents"], int(dropped),
        expected, shift["counted_cents"],
    )
