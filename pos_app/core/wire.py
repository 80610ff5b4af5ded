"""Row layouts of the sync protocol (docs/sync-protocol.md): each record as table rows.

An outbox entry is a bundle ``{table: [row, ...]}`` built here, written in the same local
transaction as the sale, and later packed into multi-row INSERT chunks by the sync batcher.
"""

from __future__ import annotations

from typing import Final

from pos_app.core.item_events import ItemEvent
from pos_app.core.journal import JournalEntry
from pos_app.core.new_items import NewItem
from pos_app.core.protocol import SCHEMA
from pos_app.core.refund import LineRefund
from pos_app.core.sale import CompletedSale, SaleVoid

type Value = str | int | None
type Row = list[Value]
type Bundle = dict[str, list[Row]]

# The column order of each table and the order its chunks run in, from the protocol schema
# file (pos_app/core/protocol_schema.json). The row builders below put their values in this
# order; tests/unit/core/test_wire.py checks each value against its column's kind.
COLUMNS: Final[dict[str, tuple[str, ...]]] = {t.name: t.column_names for t in SCHEMA.tables}
TABLE_ORDER: Final[tuple[str, ...]] = tuple(t.name for t in SCHEMA.tables)


def sale_bundle(sale: CompletedSale, journal: JournalEntry) -> Bundle:
    header, totals = sale.header, sale.totals
    return {
        "sales": [[
            header.id, header.event_id, header.register_id, sale.seq, header.shift_id,
            header.cashier_id, header.created_at, totals.subtotal_cents, totals.discount_cents,
            totals.tax_cents, totals.total_cents, totals.item_count, sale.status,
        ]],
        "sale_lines": [
            [header.id, ln.line_no, ln.item_id, ln.tag_code, ln.consignor_number,
             ln.unit_price_cents, ln.discount_cents, ln.price_cents]
            for ln in sale.lines
        ],
        "tenders": [
            [header.id, n, t.kind.value, t.amount_cents, t.given_cents, t.change_cents,
             t.reference]
            for n, t in enumerate(sale.tenders, start=1)
        ],
        **price_override_rows(sale),
        "journal": [journal_row(header.register_id, journal)],
    }


def price_override_rows(sale: CompletedSale) -> Bundle:
    """The sale's overridden lines, as ``price_overrides`` rows (nothing when there are none)."""
    rows: list[Row] = [[sale.id, ln.line_no, ln.tag_price_cents, ln.price_cents,
                        ln.override_manager_id, ln.override_reason]
                       for ln in sale.lines if ln.overridden]
    return {"price_overrides": rows} if rows else {}


def void_bundle(void: SaleVoid, journal: JournalEntry) -> Bundle:
    return {
        "voids": [[
            void.id, void.sale_id, void.event_id, void.register_id, void.cashier_id,
            void.manager_id, void.reason, void.created_at,
        ]],
        "journal": [journal_row(void.register_id, journal)],
    }


def refund_bundle(refund: LineRefund, journal: JournalEntry) -> Bundle:
    return {
        "refunds": [[getattr(refund, name) for name in COLUMNS["refunds"]]],
        "journal": [journal_row(refund.register_id, journal)],
    }


def item_event_bundle(event: ItemEvent, journal: JournalEntry) -> Bundle:
    return {
        "item_events": [list(event.row().values())],
        "journal": [journal_row(event.register_id, journal)],
    }


def journal_row(register_id: str, entry: JournalEntry) -> Row:
    return [register_id, entry.seq, entry.kind, entry.ref_id, entry.prev_hash,
            entry.entry_hash, entry.payload]


def new_item_bundle(item: NewItem, journal: JournalEntry) -> Bundle:
    return {
        "new_items": [list(item.row().values())],
        "journal": [journal_row(item.register_id, journal)],
    }
