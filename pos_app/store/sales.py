"""Writing and reading sales, voids and the audit journal through SQLAlchemy Core.

:func:`commit_sale` and :func:`commit_void` run inside the caller's durable unit of work:
the sale rows, the next journal entry, the outbox bundle and the item status change all go in
one transaction, so after a crash either all of them exist or none do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, insert, select, update

from pos_app.core.cart import CartLine, Totals
from pos_app.core.journal import GENESIS_HASH, ChainBreak, JournalEntry, next_entry, verify_chain
from pos_app.core.sale import (
    CompletedSale,
    SaleError,
    SaleHeader,
    SaleLine,
    SaleVoid,
    build_sale,
    canonical_json,
)
from pos_app.core.tender import Tender, TenderKind
from pos_app.core.wire import sale_bundle, void_bundle
from pos_app.store import models

sales = models.table_of(models.Sale)
sale_lines = models.table_of(models.SaleLine)
tenders = models.table_of(models.Tender)
voids = models.table_of(models.Void)
journal = models.table_of(models.JournalEntry)
outbox = models.table_of(models.OutboxEntry)
items = models.table_of(models.Item)


@dataclass(frozen=True, slots=True)
class SaleRecord:
    sale: CompletedSale
    voided: bool


def commit_sale(
    connection: Connection,
    header: SaleHeader,
    lines: Sequence[CartLine],
    totals: Totals,
    paid: Sequence[Tender],
) -> CompletedSale:
    """Record a paid sale with its journal entry and outbox bundle (caller commits)."""
    seq = next_sale_seq(connection, header.register_id)
    sale = build_sale(header, seq, lines, totals, paid)
    connection.execute(insert(sales), [_sale_row(sale)])
    connection.execute(insert(sale_lines), [_line_row(sale.id, line) for line in sale.lines])
    connection.execute(insert(tenders), [
        {"sale_id": sale.id, "line_no": n, "kind": t.kind.value, "amount_cents": t.amount_cents,
         "given_cents": t.given_cents, "change_cents": t.change_cents, "reference": t.reference}
        for n, t in enumerate(sale.tenders, start=1)
    ])
    entry = append_journal(connection, "sale", sale.id, sale.canonical_json(), header.created_at)
    _enqueue(connection, "sale", sale.id, canonical_json(sale_bundle(sale, entry)),
             header.created_at)
    connection.execute(
        update(items).where(items.c.id == bindparam("item"))
        .values(status="sold", sold_sale_id=sale.id, sold_register_id=header.register_id),
        [{"item": line.item_id} for line in sale.lines],
    )
    return sale


def commit_void(connection: Connection, void: SaleVoid) -> SaleVoid:
    """Record a void of a completed sale (caller commits); a sale is voided at most once."""
    if get_sale(connection, void.sale_id) is None:
        raise SaleError("No such sale on this register")
    if is_voided(connection, void.sale_id):
        raise SaleError("This sale was already voided")
    connection.execute(insert(voids), [{
        "id": void.id, "sale_id": void.sale_id, "event_id": void.event_id,
        "register_id": void.register_id, "cashier_id": void.cashier_id,
        "manager_id": void.manager_id, "reason": void.reason, "created_at": void.created_at,
    }])
    entry = append_journal(connection, "void", void.id, void.canonical_json(), void.created_at)
    _enqueue(connection, "void", void.id, canonical_json(void_bundle(void, entry)),
             void.created_at)
    connection.execute(
        update(items).where(items.c.sold_sale_id == void.sale_id)
        .values(status="approved", sold_sale_id=None, sold_register_id=None)
    )
    return void


def next_sale_seq(connection: Connection, register_id: str) -> int:
    """The next gap-free sale number (read inside the committing transaction)."""
    current = connection.execute(
        select(func.max(sales.c.seq)).where(sales.c.register_id == register_id)
    ).scalar_one()
    return int(current or 0) + 1


def append_journal(
    connection: Connection, kind: str, ref_id: str, payload: str, created_at: str
) -> JournalEntry:
    last = connection.execute(
        select(journal.c.seq, journal.c.entry_hash).order_by(journal.c.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    entry = next_entry(seq, kind, ref_id, prev_hash, payload)
    connection.execute(insert(journal), [{
        "seq": entry.seq, "kind": kind, "ref_id": ref_id, "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash, "payload": payload, "created_at": created_at,
    }])
    return entry


def journal_entries(connection: Connection) -> list[JournalEntry]:
    rows = connection.execute(
        select(journal.c.seq, journal.c.kind, journal.c.ref_id, journal.c.prev_hash,
               journal.c.entry_hash, journal.c.payload).order_by(journal.c.seq)
    )
    return [JournalEntry(*row) for row in rows]


def verify_journal(connection: Connection) -> ChainBreak | None:
    return verify_chain(journal_entries(connection))


def get_sale(connection: Connection, sale_id: str) -> SaleRecord | None:
    row = connection.execute(select(sales).where(sales.c.id == sale_id)).mappings().first()
    if row is None:
        return None
    header = SaleHeader(row["id"], row["event_id"], row["register_id"], row["shift_id"],
                        row["cashier_id"], row["created_at"])
    lines = tuple(
        SaleLine(r.line_no, r.item_id, r.tag_code, r.consignor_number, r.description,
                 r.unit_price_cents, r.discount_cents)
        for r in connection.execute(
            select(sale_lines).where(sale_lines.c.sale_id == sale_id).order_by(sale_lines.c.line_no)
        )
    )
    paid = tuple(
        Tender(TenderKind(r.kind), r.amount_cents, r.given_cents, r.change_cents, r.reference)
        for r in connection.execute(
            select(tenders).where(tenders.c.sale_id == sale_id).order_by(tenders.c.line_no)
        )
    )
    totals = Totals(row["subtotal_cents"], row["discount_cents"], row["tax_cents"],
                    row["item_count"])
    sale = CompletedSale(header, row["seq"], lines, paid, totals, row["status"])
    return SaleRecord(sale, is_voided(connection, sale_id))


def is_voided(connection: Connection, sale_id: str) -> bool:
    found = connection.execute(select(voids.c.id).where(voids.c.sale_id == sale_id)).first()
    return found is not None


def recent_sale_ids(connection: Connection, register_id: str, limit: int) -> list[str]:
    rows = connection.execute(
        select(sales.c.id).where(sales.c.register_id == register_id)
        .order_by(sales.c.seq.desc()).limit(limit)
    )
    return [row[0] for row in rows]


def find_sale_id_by_seq(connection: Connection, register_id: str, seq: int) -> str | None:
    return connection.execute(
        select(sales.c.id).where(sales.c.register_id == register_id, sales.c.seq == seq)
    ).scalar_one_or_none()


def _enqueue(connection: Connection, kind: str, ref_id: str, payload: str, at: str) -> None:
    connection.execute(insert(outbox), [
        {"kind": kind, "ref_id": ref_id, "payload": payload, "created_at": at, "attempts": 0}
    ])


def _sale_row(sale: CompletedSale) -> dict[str, object]:
    h, t = sale.header, sale.totals
    return {
        "id": h.id, "event_id": h.event_id, "register_id": h.register_id, "seq": sale.seq,
        "shift_id": h.shift_id, "cashier_id": h.cashier_id, "created_at": h.created_at,
        "subtotal_cents": t.subtotal_cents, "discount_cents": t.discount_cents,
        "tax_cents": t.tax_cents, "total_cents": t.total_cents, "item_count": t.item_count,
        "status": sale.status,
    }


def _line_row(sale_id: str, line: SaleLine) -> dict[str, object]:
    return {
        "sale_id": sale_id, "line_no": line.line_no, "item_id": line.item_id,
        "tag_code": line.tag_code, "consignor_number": line.consignor_number,
        "description": line.description, "unit_price_cents": line.unit_price_cents,
        "discount_cents": line.discount_cents, "price_cents": line.price_cents,
    }
