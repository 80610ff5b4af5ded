"""Writing and reading sales and voids through SQLAlchemy Core.

:func:`commit_sale` and :func:`commit_void` run inside the caller's durable unit of work: the
sale rows (driver-level SQL, one executemany per table), the next journal entry, the outbox
bundle and the item status change all go in one transaction, so after a crash either all of
them exist or none do. The per-register ``seq`` is read as ``max + 1`` inside that (BEGIN
IMMEDIATE) transaction, so it is gap-free: a failed commit does not consume a number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update

from pos_app.core.cart import CartLine, Totals
from pos_app.core.sale import CompletedSale, SaleError, SaleHeader, SaleLine, SaleVoid, build_sale
from pos_app.core.tender import Tender, TenderKind
from pos_app.core.wire import sale_bundle, void_bundle
from pos_app.store import models
from pos_app.store.journal import append_journal, enqueue, verify_journal

__all__ = [
    "AlreadySoldHere", "SaleRecord", "VoidError", "commit_sale", "commit_void", "get_sale",
    "recent_sales", "verify_journal",
]

sales = models.sales
sale_lines = models.sale_lines
tenders = models.tenders
voids = models.voids
items = models.items


class AlreadySoldHere(SaleError):
    """An item in the sale was already sold by this register (and not voided)."""


class VoidError(SaleError):
    """A void that cannot be recorded (unknown sale, already voided)."""


@dataclass(frozen=True, slots=True)
class SaleRecord:
    """A sale as stored, and whether it was voided since."""

    sale: CompletedSale
    voided: bool


# Every statement of a sale commit runs as driver-level SQL (plain execute / executemany on
# Core's connection): for a 100-line sale this is less than half the time of compiled Core
# statements, whose compilation and cache-key work is per call (docs/benchmarks.md).
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


def commit_sale(
    connection: Connection,
    header: SaleHeader,
    lines: Sequence[CartLine],
    totals: Totals,
    paid: Sequence[Tender],
) -> CompletedSale:
    """Record a paid sale with its journal entry and outbox bundle (the caller commits)."""
    refuse_items_sold_here(connection, [line.item_id for line in lines], header.register_id)
    sale = build_sale(header, next_sale_seq(connection, header.register_id), lines, totals, paid)
    insert_sale_row(connection, sale)
    insert_sale_lines(connection, sale)
    insert_tenders(connection, sale)
    entry = append_journal(connection, "sale", sale.id, sale.canonical_json(), header.created_at)
    enqueue(connection, "sale", sale.id, sale_bundle(sale, entry), header.created_at)
    connection.exec_driver_sql(_MARK_SOLD_SQL, [
        (sale.id, header.register_id, line.item_id) for line in sale.lines
    ])
    return sale


_SOLD_HERE_SQL = (
    "SELECT tag_code FROM items WHERE id IN (SELECT value FROM json_each(?)) "
    "AND status = 'sold' AND sold_register_id = ? LIMIT 1"
)


def refuse_items_sold_here(connection: Connection, item_ids: list[str], register_id: str) -> None:
    """Raise :class:`AlreadySoldHere` if this register already sold one of ``item_ids``.

    One bound JSON array instead of an expanding IN list: no statement to compile per cart size.
    """
    sold = connection.exec_driver_sql(
        _SOLD_HERE_SQL, (json.dumps(item_ids), register_id)
    ).scalar_one_or_none()
    if sold is not None:
        raise AlreadySoldHere(f"{sold} was already sold at this register")


def next_sale_seq(connection: Connection, register_id: str) -> int:
    """The next gap-free sale number (read inside the committing transaction)."""
    current = connection.exec_driver_sql(_LAST_SEQ_SQL, (register_id,)).scalar_one()
    return int(current or 0) + 1


def insert_sale_row(connection: Connection, sale: CompletedSale) -> None:
    header, totals = sale.header, sale.totals
    connection.exec_driver_sql(_INSERT_SALE_SQL, (
        header.id, header.event_id, header.register_id, sale.seq, header.shift_id,
        header.cashier_id, header.created_at, totals.subtotal_cents, totals.discount_cents,
        totals.tax_cents, totals.total_cents, totals.item_count, sale.status))


def insert_sale_lines(connection: Connection, sale: CompletedSale) -> None:
    connection.exec_driver_sql(_INSERT_LINES_SQL, [
        (sale.id, line.line_no, line.item_id, line.tag_code, line.consignor_number,
         line.description, line.unit_price_cents, line.discount_cents, line.price_cents)
        for line in sale.lines
    ])


def insert_tenders(connection: Connection, sale: CompletedSale) -> None:
    connection.exec_driver_sql(_INSERT_TENDERS_SQL, [
        (sale.id, number, tender.kind.value, tender.amount_cents, tender.given_cents,
         tender.change_cents, tender.reference)
        for number, tender in enumerate(sale.tenders, start=1)
    ])


def commit_void(connection: Connection, void: SaleVoid) -> SaleVoid:
    """Record a void of a sale of this register (the caller commits); once per sale."""
    register = connection.execute(
        select(sales.c.register_id).where(sales.c.id == void.sale_id)
    ).scalar_one_or_none()
    if register is None:
        raise VoidError("No such sale on this register")
    if is_voided(connection, void.sale_id):
        raise VoidError("This sale was already voided")
    connection.execute(insert(voids), {
        "id": void.id, "sale_id": void.sale_id, "event_id": void.event_id,
        "register_id": void.register_id, "cashier_id": void.cashier_id,
        "manager_id": void.manager_id, "reason": void.reason, "created_at": void.created_at,
    })
    entry = append_journal(connection, "void", void.id, void.canonical_json(), void.created_at)
    enqueue(connection, "void", void.id, void_bundle(void, entry), void.created_at)
    sold_items = select(sale_lines.c.item_id).where(sale_lines.c.sale_id == void.sale_id)
    connection.execute(
        update(items)
        .where(and_(items.c.id.in_(sold_items), items.c.sold_sale_id == void.sale_id))
        .values(status="approved", sold_sale_id=None, sold_register_id=None)
    )
    return void


def get_sale(connection: Connection, sale_id: str) -> SaleRecord | None:
    row = connection.execute(select(sales).where(sales.c.id == sale_id)).mappings().first()
    return None if row is None else _record(connection, row)


def _record(connection: Connection, row: Any) -> SaleRecord:
    header = SaleHeader(row["id"], row["event_id"], row["register_id"], row["shift_id"],
                        row["cashier_id"], row["created_at"])
    lines = tuple(
        SaleLine(r.line_no, r.item_id, r.tag_code, r.consignor_number, r.description,
                 r.unit_price_cents, r.discount_cents)
        for r in connection.execute(
            select(sale_lines).where(sale_lines.c.sale_id == header.id)
            .order_by(sale_lines.c.line_no)
        )
    )
    paid = tuple(
        Tender(TenderKind(r.kind), r.amount_cents, r.given_cents, r.change_cents, r.reference)
        for r in connection.execute(
            select(tenders).where(tenders.c.sale_id == header.id).order_by(tenders.c.line_no)
        )
    )
    totals = Totals(row["subtotal_cents"], row["discount_cents"], row["tax_cents"],
                    row["item_count"])
    sale = CompletedSale(header, row["seq"], lines, paid, totals, row["status"])
    return SaleRecord(sale, is_voided(connection, header.id))


def is_voided(connection: Connection, sale_id: str) -> bool:
    found = connection.execute(select(voids.c.id).where(voids.c.sale_id == sale_id)).first()
    return found is not None


def recent_sales(connection: Connection, register_id: str, limit: int) -> list[SaleRecord]:
    rows = connection.execute(
        select(sales).where(sales.c.register_id == register_id)
        .order_by(sales.c.seq.desc()).limit(limit)
    ).mappings().all()
    return [_record(connection, row) for row in rows]


def find_sale_id_by_seq(connection: Connection, register_id: str, seq: int) -> str | None:
    found = connection.execute(
        select(sales.c.id).where(sales.c.register_id == register_id, sales.c.seq == seq)
    ).scalar_one_or_none()
    return None if found is None else str(found)
