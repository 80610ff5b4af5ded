"""Sync row layouts: every bundle row has its table's columns, and chunks fit D1's 100 params."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from pos_app.core.cart import CartLine, totals_of
from pos_app.core.journal import GENESIS_HASH, next_entry
from pos_app.core.pricing import PricingPolicy
from pos_app.core.sale import CompletedSale, SaleHeader, SaleVoid, build_sale
from pos_app.core.tender import Tender, TenderKind
from pos_app.core.wire import COLUMNS, TABLE_ORDER, Row, journal_row, sale_bundle, void_bundle

ROOT = Path(__file__).resolve().parents[3]
D1_MAX_PARAMS = 100
D1_MAX_COLUMNS = 100

HEADER = SaleHeader("sale-1", "evt-1", "reg-1", None, "cashier-1", "2026-04-18T13:05:09.123Z")


def _sale(n_lines: int = 3) -> CompletedSale:
    lines = [CartLine(f"item-{n}", f"1042-{n:04d}", 1042, f"thing {n}", 1_000 + n, n)
             for n in range(1, n_lines + 1)]
    policy = PricingPolicy(tax_rate_bp=500)  # 5% of 2_000 = 100 for two lines
    total = totals_of(lines, policy).total_cents
    tenders = [Tender(TenderKind.CARD, 1_000, reference="AUTH-1"),
               Tender(TenderKind.OTHER, 500, reference=None),
               Tender(TenderKind.CASH, total - 1_500, given_cents=total, change_cents=1_500)]
    return build_sale(HEADER, 42, lines, tenders, policy)


def _as_dicts(table: str, rows: Sequence[Sequence[object]]) -> list[dict[str, object]]:
    return [dict(zip(COLUMNS[table], row, strict=True)) for row in rows]


# --- layouts -------------------------------------------------------------------------------------


def test_table_order_covers_exactly_the_tables() -> None:
    assert set(TABLE_ORDER) == set(COLUMNS)
    assert len(TABLE_ORDER) == len(set(TABLE_ORDER))
    assert TABLE_ORDER.index("sales") < TABLE_ORDER.index("sale_lines")   # parents first
    assert TABLE_ORDER.index("sales") < TABLE_ORDER.index("tenders")


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_columns_are_unique_and_within_d1_limits(table: str) -> None:
    columns = COLUMNS[table]
    assert len(columns) == len(set(columns))
    assert 0 < len(columns) <= D1_MAX_COLUMNS
    assert all(re.fullmatch(r"[a-z_]+", c) for c in columns)


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_rows_per_chunk_fit_100_params(table: str) -> None:
    width = len(COLUMNS[table])
    rows_per_chunk = D1_MAX_PARAMS // width
    assert rows_per_chunk >= 1
    assert rows_per_chunk * width <= D1_MAX_PARAMS
    assert (rows_per_chunk + 1) * width > D1_MAX_PARAMS      # and it is the most that fit


def test_rows_per_chunk_match_the_protocol_doc() -> None:
    doc = (ROOT / "docs" / "sync-protocol.md").read_text(encoding="utf-8")
    documented: dict[str, tuple[tuple[str, ...], int]] = {}
    for match in re.finditer(r"^\| (\w+) \| ([a-z_, ]+) \| (\d+) \|$", doc, re.MULTILINE):
        columns = tuple(c.strip() for c in match.group(2).split(","))
        documented[match.group(1)] = (columns, int(match.group(3)))
    assert set(documented) == set(COLUMNS)
    for table, (columns, rows) in documented.items():
        assert columns == COLUMNS[table], table
        assert rows == D1_MAX_PARAMS // len(COLUMNS[table]), table


def test_columns_match_the_worker_schema() -> None:
    schema = ROOT / "worker" / "src" / "schema.ts"
    if not schema.exists():
        pytest.skip("worker/src/schema.ts not present")
    text = schema.read_text(encoding="utf-8")
    for table, columns in COLUMNS.items():
        block = re.search(rf"^\s*{table}: \[(.*?)^\s*\],", text, re.MULTILINE | re.DOTALL)
        assert block is not None, f"{table} missing from schema.ts"
        assert tuple(re.findall(r'c\("(\w+)"', block.group(1))) == columns, table


# --- bundles -------------------------------------------------------------------------------------


def _check_bundle(bundle: Mapping[str, Sequence[Sequence[object]]]) -> None:
    assert set(bundle) <= set(TABLE_ORDER)
    for table, rows in bundle.items():
        for row in rows:
            assert len(row) == len(COLUMNS[table]), table
            assert all(v is None or (isinstance(v, (str, int)) and not isinstance(v, bool))
                       for v in row), row


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
        (1, "card", 1_000, None, 0, "AUTH-1"),
        (2, "other", 500, None, 0, None),
        (3, "cash", 600, 2_100, 1_500, None),
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
