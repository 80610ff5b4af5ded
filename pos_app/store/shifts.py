"""Shifts, cash drops and the Z report, through SQLAlchemy Core.

Expected cash = opening float + cash tendered (net of change) in the shift's sales that were
not voided - cash drops - cash refunds; over/short = counted - expected. The shift service
journals a closed shift and queues it for the server (which inserts shift rows with
``INSERT OR IGNORE``, so a shift is pushed once, when it is complete). A no sale (the drawer
opened without a sale, with a reason and a manager) is persisted here and counted in the
report; the service journals it. Refunds are counted here (store/sales.py persists them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from pos_app.core.cart import OPEN_PRICE_PREFIX
from pos_app.core.wire import COLUMNS
from pos_app.store import models

shifts = models.shifts
drops = models.cash_drops
refunds = models.refunds
overrides = models.price_overrides
lines = models.sale_lines
no_sales = models.no_sales
sales = models.sales
tenders = models.tenders
voids = models.voids


class ShiftError(ValueError):
    """A shift operation the manager must be told about."""


@dataclass(frozen=True, slots=True)
class ShiftView:
    id: str
    cashier_id: str
    opened_at: str
    opening_float_cents: int
    closed_at: str | None


@dataclass(frozen=True, slots=True)
class ZReport:
    """The end-of-shift figures (a closed shift's report also has the count)."""

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
    no_sales_count: int = 0  # times the drawer was opened without a sale
    overrides_count: int = 0  # lines sold at a manager's price (sales not voided)
    overrides_off_cents: int = 0  # what those prices took off the tags' (negative: added)
    open_price_count: int = 0  # lines sold without a readable tag, at a manager's price
    open_price_cents: int = 0
    refunds_count: int = 0  # single lines of earlier sales paid back in this shift
    refunds_cents: int = 0  # what they paid back (the cash part lowers the expected cash)

    @property
    def over_short_cents(self) -> int | None:
        """Counted minus expected: positive is over, negative is short."""
        if self.counted_cash_cents is None:
            return None
        return self.counted_cash_cents - self.expected_cash_cents


_VIEW_COLUMNS = (shifts.c.id, shifts.c.cashier_id, shifts.c.opened_at,
                 shifts.c.opening_float_cents, shifts.c.closed_at)


def open_shift(connection: Connection, view: ShiftView, event_id: str, register_id: str) -> None:
    if current_shift(connection, register_id) is not None:
        raise ShiftError("A shift is already open on this register: close it first")
    connection.execute(insert(shifts), {
        "id": view.id, "event_id": event_id, "register_id": register_id,
        "cashier_id": view.cashier_id, "opened_at": view.opened_at,
        "opening_float_cents": view.opening_float_cents,
    })


def current_shift(connection: Connection, register_id: str) -> ShiftView | None:
    row = connection.execute(
        select(*_VIEW_COLUMNS)
        .where(shifts.c.register_id == register_id, shifts.c.closed_at.is_(None))
        .order_by(shifts.c.opened_at.desc()).limit(1)
    ).first()
    return None if row is None else ShiftView(*row)


def add_cash_drop(
    connection: Connection, drop_id: str, shift_id: str, amount_cents: int, at: str
) -> None:
    _open_shift_row(connection, shift_id)
    connection.execute(insert(drops), {
        "id": drop_id, "shift_id": shift_id, "amount_cents": amount_cents, "created_at": at,
    })


def add_no_sale(connection: Connection, values: dict[str, Any]) -> None:
    """Persist a no sale (``values`` by the ``no_sales`` wire columns) on an open shift."""
    _open_shift_row(connection, str(values["shift_id"]))
    connection.execute(insert(no_sales), values)


def close_shift(
    connection: Connection, shift_id: str, counted_cents: int, at: str
) -> dict[str, Any]:
    """Close the shift with the counted cash; return the closed row in wire column order."""
    _open_shift_row(connection, shift_id)
    expected = z_report(connection, shift_id).expected_cash_cents
    connection.execute(
        update(shifts).where(shifts.c.id == shift_id)
        .values(closed_at=at, counted_cents=counted_cents, expected_cents=expected)
    )
    row = connection.execute(
        select(*(shifts.c[name] for name in COLUMNS["shifts"])).where(shifts.c.id == shift_id)
    ).one()
    return dict(zip(COLUMNS["shifts"], row, strict=True))


def _open_shift_row(connection: Connection, shift_id: str) -> Any:
    row = connection.execute(select(shifts.c.closed_at).where(shifts.c.id == shift_id)).first()
    if row is None:
        raise ShiftError("No such shift")
    if row[0] is not None:
        raise ShiftError("This shift is already closed")
    return row


def z_report(connection: Connection, shift_id: str) -> ZReport:
    shift = connection.execute(select(shifts).where(shifts.c.id == shift_id)).mappings().first()
    if shift is None:
        raise ShiftError("No such shift")
    voided = select(voids.c.sale_id)
    kept = (sales.c.shift_id == shift_id) & sales.c.id.not_in(voided)
    count, items_sold, gross, discount, tax, total = connection.execute(
        select(func.count(), *(func.coalesce(func.sum(column), 0) for column in (
            sales.c.item_count, sales.c.subtotal_cents, sales.c.discount_cents,
            sales.c.tax_cents, sales.c.total_cents)))
        .where(kept)
    ).one()
    by_tender = {
        str(kind): int(amount) for kind, amount in connection.execute(
            select(tenders.c.kind, func.sum(tenders.c.amount_cents))
            .join(sales, sales.c.id == tenders.c.sale_id).where(kept)
            .group_by(tenders.c.kind).order_by(tenders.c.kind)
        )
    }
    voided_count, voided_cents = connection.execute(
        select(func.count(), func.coalesce(func.sum(sales.c.total_cents), 0))
        .where(sales.c.shift_id == shift_id, sales.c.id.in_(voided))
    ).one()
    dropped = int(connection.execute(
        select(func.coalesce(func.sum(drops.c.amount_cents), 0))
        .where(drops.c.shift_id == shift_id)
    ).scalar_one())
    opening = int(shift["opening_float_cents"])
    opened_without_sale = int(connection.execute(
        select(func.count()).select_from(no_sales).where(no_sales.c.shift_id == shift_id)
    ).scalar_one())
    open_line = lines.c.item_id.startswith(OPEN_PRICE_PREFIX, autoescape=True)
    overridden, off = connection.execute(
        select(func.count(), func.coalesce(
            func.sum(overrides.c.tag_price_cents - overrides.c.price_cents), 0))
        .join(sales, sales.c.id == overrides.c.sale_id)
        .join(lines, (lines.c.sale_id == overrides.c.sale_id)
              & (lines.c.line_no == overrides.c.line_no))
        .where(kept, ~open_line)
    ).one()
    open_count, open_cents = connection.execute(
        select(func.count(), func.coalesce(func.sum(lines.c.price_cents), 0))
        .join(sales, sales.c.id == lines.c.sale_id).where(kept, open_line)
    ).one()
    refunded, refunded_cents, refunded_cash = connection.execute(
        select(func.count(), func.coalesce(func.sum(refunds.c.amount_cents), 0),
               func.coalesce(func.sum(refunds.c.amount_cents).filter(
                   refunds.c.tender == "cash"), 0))
        .where(refunds.c.shift_id == shift_id)
    ).one()
    return ZReport(
        shift_id, shift["opened_at"], shift["closed_at"], int(count), int(items_sold),
        int(gross), int(discount), int(tax), int(total), by_tender, int(voided_count),
        int(voided_cents), opening, dropped,
        opening + by_tender.get("cash", 0) - dropped - int(refunded_cash),
        shift["counted_cents"], opened_without_sale, int(overridden), int(off),
        int(open_count), int(open_cents), int(refunded), int(refunded_cents),
    )
