"""Sync row layouts: every bundle row has its table's columns, each value of its column's kind.

The columns and kinds come from the protocol schema file (pos_app/core/protocol_schema.json):
these tests check that the row builders put each value where the file says.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

import pytest

from pos_app.core.cart import CartLine, totals_of
from pos_app.core.journal import GENESIS_HASH, next_entry
from pos_app.core.pricing import PricingPolicy
from pos_app.core.protocol import SCHEMA, Column
from pos_app.core.sale import CompletedSale, SaleHeader, SaleVoid, build_sale
from pos_app.core.tender import Tender, TenderKind
from pos_app.core.wire import COLUMNS, TABLE_ORDER, Row, journal_row, sale_bundle, void_bundle

D1_MAX_PARAMS = SCHEMA.limits.max_params

HEADER = SaleHeader("sale-1", "evt-1", "reg-1", None, "cashier-1", "2026-04-18T13:05:09.123Z")


def _sale(n_lines: int = 3) -> CompletedSale:
    lines = [CartLine(f"item-{n}", f"1042-{n:04d}", 1042, f"thing {n}", 1_000 + n, n)
             for n in range(1, n_lines + 1)]
    policy = PricingPolicy(tax_rate_bp=500)  # 5% of 2_000 = 100 for two lines
    total = totals_of(lines, policy).total_cents
    tenders = [Tender(TenderKind.CARD, 300, reference="AUTH-1"),
               Tender(TenderKind.OTHER, 200, reference=None),
               Tender(TenderKind.CASH, total - 500, given_cents=total, change_cents=500)]
    return build_sale(HEADER, 42, lines, tenders, policy)


def _as_dicts(table: str, rows: Sequence[Sequence[object]]) -> list[dict[str, object]]:
    return [dict(zip(COLUMNS[table], row, strict=True)) for row in rows]


# --- bundles -------------------------------------------------------------------------------------


def _fits(column: Column, value: object) -> bool:
    """Whether the Worker would take ``value`` for ``column``: the kind's rule from the file."""
    if value is None:
        return column.nullable
    kind = SCHEMA.kinds[column.kind]
    if kind.type == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)
                and (kind.min or 0) <= value <= (kind.max if kind.max is not None else value))
    if not isinstance(value, str):
        return False
    return ((kind.pattern is None or re.fullmatch(kind.pattern, value) is not None)
            and (kind.max_length is None or len(value) <= kind.max_length)
            and (not kind.calendar or _is_date(value))
            and (column.one_of is None or value in column.one_of))


def _is_date(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_bundle(bundle: Mapping[str, Sequence[Sequence[object]]]) -> None:
    """Every row has its table's width and each value fits its column's kind (the file)."""
    assert set(bundle) <= set(TABLE_ORDER)
    for table, rows in bundle.items():
        columns = SCHEMA.table(table).columns
        for row in rows:
            assert len(row) == len(columns), table
            bad = [(c.name, v) for c, v in zip(columns, row, strict=True) if not _fits(c, v)]
            assert bad == [], (table, bad)


def test_the_kind_check_refuses_what_the_worker_refuses() -> None:
    # The check above is what makes the bundle tests meaningful: it must be able to fail.
    sales = {c.name: c for c in SCHEMA.table("sales").columns}
    assert not _fits(sales["id"], None)
    assert _fits(sales["shift_id"], None)
    assert not _fits(sales["seq"], "42") and not _fits(sales["seq"], True)
    assert not _fits(sales["total_cents"], -1)
    assert not _fits(sales["total_cents"], SCHEMA.kinds["cents"].max + 1)  # type: ignore[operator]
    assert not _fits(sales["status"], "voided")
    assert not _fits(sales["created_at"], "2026-13-01T10:00:00.000Z")
    assert not _fits(sales["created_at"], "2026-04-18 13:05:09")
    assert not _fits(sales["id"], "sale 1")
    assert not _fits(SCHEMA.table("journal").columns[4], "A" * 64)


def test_a_bundle_with_values_in_the_wrong_place_fails_the_check() -> None:
    sale = _sale(1)
    bundle = sale_bundle(sale, next_entry(7, "sale", sale.id, GENESIS_HASH, sale.canonical_json()))
    row = bundle["sales"][0]
    row[3], row[6] = row[6], row[3]                      # seq and created_at swapped
    with pytest.raises(AssertionError):
        _check_bundle(bundle)


@pytest.mark.parametrize("n_lines", [1, 3, 40])
def test_sale_bundle_rows_match_columns(n_lines: int) -> None:
    sale = _sale(n_lines)
    entry = next_entry(7, "sale", sale.id, GENESIS_HASH, sale.canonical_json())
    bundle = sale_bundle(sale, entry)
    assert set(bundle) == {"sales", "sale_lines", "tenders", "journal"}
    _check_bundle(bundle)
    assert len(bundle["sales"]) == 1
    assert len(bundle["sale_lines"]) == n_lines
    assert len(bundle["tenders"]) == 3
    assert len(bundle["journal"]) == 1


def test_sale_bundle_values_are_in_their_columns() -> None:
    sale = _sale(2)
    entry = next_entry(7, "sale", sale.id, GENESIS_HASH, sale.canonical_json())
    bundle = sale_bundle(sale, entry)
    [row] = _as_dicts("sales", bundle["sales"])
    assert row == {
        "id": "sale-1", "event_id": "evt-1", "register_id": "reg-1", "seq": 42, "shift_id": None,
        "cashier_id": "cashier-1", "created_at": "2026-04-18T13:05:09.123Z",
        "subtotal_cents": 2_003, "discount_cents": 3, "tax_cents": 100, "total_cents": 2_100,
        "item_count": 2, "status": "completed",
    }
    lines = _as_dicts("sale_lines", bundle["sale_lines"])
    assert lines[1] == {
        "sale_id": "sale-1", "line_no": 2, "item_id": "item-2", "tag_code": "1042-0002",
        "consignor_number": 1042, "unit_price_cents": 1_002, "discount_cents": 2,
        "price_cents": 1_000,
    }
    tenders = _as_dicts("tenders", bundle["tenders"])
    assert [(t["line_no"], t["kind"], t["amount_cents"], t["given_cents"], t["change_cents"],
             t["reference"]) for t in tenders] == [
        (1, "card", 300, None, 0, "AUTH-1"),
        (2, "other", 200, None, 0, None),
        (3, "cash", 1_600, 2_100, 500, None),
    ]
    [journal] = _as_dicts("journal", bundle["journal"])
    assert journal == {
        "register_id": "reg-1", "seq": 7, "kind": "sale", "ref_id": "sale-1",
        "prev_hash": GENESIS_HASH, "entry_hash": entry.entry_hash,
        "payload": sale.canonical_json(),
    }


def test_void_bundle_rows_match_columns() -> None:
    void = SaleVoid("void-1", "sale-1", "evt-1", "reg-1", "cashier-1", "mgr-1",
                    "customer changed their mind — ça arrive", "2026-04-18T13:06:00.000Z")
    entry = next_entry(8, "void", void.id, "a" * 64, void.canonical_json())
    bundle = void_bundle(void, entry)
    assert set(bundle) == {"voids", "journal"}
    _check_bundle(bundle)
    [row] = _as_dicts("voids", bundle["voids"])
    assert row == {
        "id": "void-1", "sale_id": "sale-1", "event_id": "evt-1", "register_id": "reg-1",
        "cashier_id": "cashier-1", "manager_id": "mgr-1",
        "reason": "customer changed their mind — ça arrive",
        "created_at": "2026-04-18T13:06:00.000Z",
    }
    [journal] = _as_dicts("journal", bundle["journal"])
    assert journal["kind"] == "void" and journal["seq"] == 8 and journal["ref_id"] == "void-1"


def test_journal_row_matches_columns() -> None:
    entry = next_entry(1, "shift", "shift-1", GENESIS_HASH, "{}")
    row = journal_row("reg-9", entry)
    assert len(row) == len(COLUMNS["journal"])
    assert _as_dicts("journal", [row]) == [{
        "register_id": "reg-9", "seq": 1, "kind": "shift", "ref_id": "shift-1",
        "prev_hash": GENESIS_HASH, "entry_hash": entry.entry_hash, "payload": "{}",
    }]


def test_many_sales_pack_into_chunks_under_100_params() -> None:
    # What the batcher does with these rows: concatenate per table, cut at floor(100 / width).
    rows: dict[str, list[Row]] = {table: [] for table in TABLE_ORDER}
    for n in range(25):
        sale = _sale(1 + n % 7)
        entry = next_entry(n + 1, "sale", sale.id, GENESIS_HASH, sale.canonical_json())
        for table, table_rows in sale_bundle(sale, entry).items():
            rows[table].extend(table_rows)
    for table, table_rows in rows.items():
        width = len(COLUMNS[table])
        per_chunk = D1_MAX_PARAMS // width
        chunks = [table_rows[i:i + per_chunk] for i in range(0, len(table_rows), per_chunk)]
        assert sum(len(chunk) for chunk in chunks) == len(table_rows)
        for chunk in chunks:
            assert sum(len(row) for row in chunk) <= D1_MAX_PARAMS
