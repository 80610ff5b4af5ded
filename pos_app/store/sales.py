"""The sales repository: sales, their lines and tenders, and voids, through SQLAlchemy Core.

It only persists and reads: :class:`pos_app.services.sales.SaleService` decides (refuses an
item already sold here, numbers the sale, builds it, journals it and enqueues it) inside one
durable unit of work. The per-register ``seq`` is read as ``max + 1`` inside that (BEGIN
IMMEDIATE) transaction, so it is gap-free: a failed commit does not consume a number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from pos_app.core.cart import Totals
from pos_app.core.refund import LineRefund, RefundError
from pos_app.core.sale import CompletedSale, SaleHeader, SaleLine, SaleVoid
from pos_app.core.tender import Tender, TenderKind
from pos_app.core.wire import COLUMNS
from pos_app.store import models
from pos_app.store.driver import driver

sales = models.sales
sale_lines = models.sale_lines
tenders = models.tenders
voids = models.voids
overrides = models.price_overrides
refunds = models.refunds
items = models.items


@dataclass(frozen=True, slots=True)
class SaleRecord:
    """A sale as stored, and whether it was voided since."""

    sale: CompletedSale
    voided: bool


# Every statement of a sale commit is run by sqlite3 itself (store.driver), inside the
# unit's transaction: compiled Core statements cost compilation and cache-key work per call,
# and even exec_driver_sql an execution context and result object (docs/benchmarks.md).
_LAST_SEQ_SQL = "SELECT max(seq) FROM sales WHERE register_id = ?"
_INSERT_SALE_SQL = (
    "INSERT INTO sales (id, event_id, register_id, seq, shift_id, cashier_id, created_at, "
    "subtotal_cents, discount_cents, tax_cents, total_cents, item_count, status) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_LINES_SQL = (
    "INSERT INTO sale_lines (sale_id, line_no, item_id, tag_code, consignor_number, "
    "description, unit_price_cents, discount_cents, price_cents) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TENDERS_SQL = (
    "INSERT INTO tenders (sale_id, line_no, kind, amount_cents, given_cents, change_cents, "
    "reference) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_MARK_SOLD_SQL = (
    "UPDATE items SET status = 'sold', sold_sale_id = ?, sold_register_id = ? WHERE id = ?"
)
_SOLD_HERE_SQL = (
    "SELECT tag_code FROM items WHERE id IN (SELECT value FROM json_each(?)) "
    "AND status = 'sold' AND sold_register_id = ? LIMIT 1"
)


_RELEASE_ITEMS_SQL = (
    "UPDATE items SET status = 'approved', sold_sale_id = NULL, sold_register_id = NULL "
    "WHERE sold_sale_id = ? AND id IN (SELECT item_id FROM sale_lines WHERE sale_id = ?)"
)


class SalesRepository:
    """Sales, lines, tenders and voids, inside the caller's unit of work (the caller commits)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def first_sold_here(self, item_ids: list[str], register_id: str) -> str | None:
        """The tag of the first of ``item_ids`` this register already sold, or None.

        One bound JSON array instead of an expanding IN list: no statement to compile per
        cart size.
        """
        sold = driver(self._connection).execute(
            _SOLD_HERE_SQL, (json.dumps(item_ids), register_id)).fetchone()
        return None if sold is None else str(sold[0])

    def next_seq(self, register_id: str) -> int:
        """The next gap-free sale number (read inside the committing transaction)."""
        current = driver(self._connection).execute(_LAST_SEQ_SQL, (register_id,)).fetchone()
        return int(current[0] or 0) + 1

    def add(self, sale: CompletedSale) -> None:
        """The sale row, its lines and tenders, and its items marked sold by this register."""
        header, totals = sale.header, sale.totals
        raw = driver(self._connection)
        raw.execute(_INSERT_SALE_SQL, (
            header.id, header.event_id, header.register_id, sale.seq, header.shift_id,
            header.cashier_id, header.created_at, totals.subtotal_cents, totals.discount_cents,
            totals.tax_cents, totals.total_cents, totals.item_count, sale.status))
        raw.executemany(_INSERT_LINES_SQL, [
            (sale.id, line.line_no, line.item_id, line.tag_code, line.consignor_number,
             line.description, line.unit_price_cents, line.discount_cents, line.price_cents)
            for line in sale.lines
        ])
        raw.executemany(_INSERT_TENDERS_SQL, [
            (sale.id, number, tender.kind.value, tender.amount_cents, tender.given_cents,
             tender.change_cents, tender.reference)
            for number, tender in enumerate(sale.tenders, start=1)
        ])
        overridden = [
            {"sale_id": sale.id, "line_no": line.line_no, "tag_price_cents": line.tag_price_cents,
             "price_cents": line.price_cents, "manager_id": line.override_manager_id,
             "reason": line.override_reason} for line in sale.lines if line.overridden]
        if overridden:  # the lines a manager priced by hand, with the tag's price and why
            self._connection.execute(insert(overrides), overridden)
        raw.executemany(_MARK_SOLD_SQL,
                        [(sale.id, header.register_id, line.item_id) for line in sale.lines])

    def register_of(self, sale_id: str) -> str | None:
        """The register that rang up ``sale_id``, or None when no such sale is stored."""
        found = self._connection.execute(
            select(sales.c.register_id).where(sales.c.id == sale_id)
        ).scalar_one_or_none()
        return None if found is None else str(found)

    def add_void(self, void: SaleVoid) -> None:
        """The void record, and the voided sale's items back to ``approved``."""
        self._connection.execute(insert(voids), {
            "id": void.id, "sale_id": void.sale_id, "event_id": void.event_id,
            "register_id": void.register_id, "cashier_id": void.cashier_id,
            "manager_id": void.manager_id, "reason": void.reason,
            "created_at": void.created_at,
        })
        self._connection.exec_driver_sql(_RELEASE_ITEMS_SQL, (void.sale_id, void.sale_id))

    def refundable_item(self, refund: LineRefund) -> str:
        """The item of the line ``refund`` pays back; RefundError if it may not be refunded."""
        if self.register_of(refund.sale_id) != refund.register_id:
            raise RefundError("No such sale on this register")
        if self.is_voided(refund.sale_id):
            raise RefundError("That sale was voided: nothing to refund")
        item_id = self._connection.execute(
            select(sale_lines.c.item_id).where(sale_lines.c.sale_id == refund.sale_id,
                                               sale_lines.c.line_no == refund.line_no)
        ).scalar_one_or_none()
        if item_id is None:
            raise RefundError("That sale has no such line")
        if refund.line_no in self.refunded_lines(refund.sale_id):
            raise RefundError("That item was already refunded")
        return str(item_id)

    def add_refund(self, refund: LineRefund, item_id: str) -> None:
        """The refund record, and its item back on sale."""
        values = {name: getattr(refund, name) for name in COLUMNS["refunds"]}
        self._connection.execute(insert(refunds), values)
        self._connection.execute(
            update(items).where(items.c.id == item_id, items.c.sold_sale_id == refund.sale_id)
            .values(status="approved", sold_sale_id=None, sold_register_id=None))

    def refunded_lines(self, sale_id: str) -> set[int]:
        """The line numbers of ``sale_id`` refunded so far."""
        return {int(n) for n in self._connection.execute(
            select(refunds.c.line_no).where(refunds.c.sale_id == sale_id)).scalars()}

    def is_voided(self, sale_id: str) -> bool:
        found = self._connection.execute(
            select(voids.c.id).where(voids.c.sale_id == sale_id)).first()
        return found is not None

    def get(self, sale_id: str) -> SaleRecord | None:
        row = self._connection.execute(
            select(sales).where(sales.c.id == sale_id)).mappings().first()
        return None if row is None else self._record(row)

    def recent(self, register_id: str, limit: int) -> list[SaleRecord]:
        """This register's latest sales, newest first."""
        rows = self._connection.execute(
            select(sales).where(sales.c.register_id == register_id)
            .order_by(sales.c.seq.desc()).limit(limit)
        ).mappings().all()
        return [self._record(row) for row in rows]

    def id_by_seq(self, register_id: str, seq: int) -> str | None:
        found = self._connection.execute(
            select(sales.c.id).where(sales.c.register_id == register_id, sales.c.seq == seq)
        ).scalar_one_or_none()
        return None if found is None else str(found)

    def _record(self, row: Any) -> SaleRecord:
        header = SaleHeader(row["id"], row["event_id"], row["register_id"], row["shift_id"],
                            row["cashier_id"], row["created_at"])
        overridden = {r.line_no: r for r in self._connection.execute(
            select(overrides).where(overrides.c.sale_id == header.id))}
        lines = tuple(
            SaleLine(r.line_no, r.item_id, r.tag_code, r.consignor_number, r.description,
                     r.unit_price_cents, r.discount_cents,
                     *_override_fields(overridden.get(r.line_no)))
            for r in self._connection.execute(
                select(sale_lines).where(sale_lines.c.sale_id == header.id)
                .order_by(sale_lines.c.line_no)
            )
        )
        paid = tuple(
            Tender(TenderKind(r.kind), r.amount_cents, r.given_cents, r.change_cents,
                   r.reference)
            for r in self._connection.execute(
                select(tenders).where(tenders.c.sale_id == header.id)
                .order_by(tenders.c.line_no)
            )
        )
        totals = Totals(row["subtotal_cents"], row["discount_cents"], row["tax_cents"],
                        row["item_count"])
        sale = CompletedSale(header, row["seq"], lines, paid, totals, row["status"])
        return SaleRecord(sale, self.is_voided(header.id))


def _override_fields(row: Any) -> tuple[int | None, str, str]:
    """A sale line's price override (tag price, reason, manager), or none."""
    if row is None:
        return None, "", ""
    return int(row.tag_price_cents), str(row.reason), str(row.manager_id)
