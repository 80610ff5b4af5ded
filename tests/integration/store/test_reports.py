"""Organiser reports on a real SQLite file, after sales made through the services.

Every figure is recomputed here from the sales the services returned and the items table, then
compared with each report; the CSV files are read back and compared with the reports.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from store_helpers import Clock, Till

from pos_app.core.money import format_cents, percent_of
from pos_app.core.sale import CompletedSale
from pos_app.services.context import RegisterContext
from pos_app.services.demo import DEMO_REGISTER_ID
from pos_app.services.export import ALL_REPORTS, export_all, report_rows, write_csv
from pos_app.services.reports import UNKNOWN_CONSIGNOR, ReportService, hour_key
from pos_app.store.engine import Database

BEFORE_DISCOUNT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
DISCOUNT_DAY = datetime(2026, 11, 22, 16, 40, tzinfo=UTC)  # after 08:00 on the 21st anywhere


def _tags(path: Path, consignor: int, first: int, count: int) -> list[str]:
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT tag_code FROM items WHERE consignor_number = ? "
                           "ORDER BY item_number LIMIT ? OFFSET ?",
                           (consignor, count, first)).fetchall()
    return [tag for (tag,) in rows]


class Scenario:
    """Six sales on two days by two cashiers, cash, card and split tenders, one voided."""

    def __init__(self, till: Till, clock: Clock, db_path: Path) -> None:
        self.kept: list[CompletedSale] = []
        clock.now = BEFORE_DISCOUNT
        self.kept.append(till.sell(_tags(db_path, 1001, 0, 3)))
        self.kept.append(till.sell(_tags(db_path, 1002, 0, 2), card_cents=700))
        self.voided = till.sell(_tags(db_path, 1001, 3, 2))  # rung up by Dana, voided by Lee
        till.sales.void(self.voided.id, "demo-cashier", "demo-manager", "wrong items")
        till.cashier_id = "demo-manager"
        self.kept.append(till.sell(_tags(db_path, 1003, 0, 1), extra_cash=2_000))
        clock.now = DISCOUNT_DAY
        till.cashier_id = "demo-cashier"
        self.kept.append(till.sell(_tags(db_path, 1001, 5, 4)))
        self.kept.append(till.sell(_tags(db_path, 1004, 0, 2), card_cents=1))
        assert any(line.discount_cents for sale in self.kept for line in sale.lines)


@pytest.fixture
def scenario(till: Till, clock: Clock, db_path: Path) -> Scenario:
    return Scenario(till, clock, db_path)


def _lines(scenario: Scenario) -> list[tuple[CompletedSale, object]]:
    return [(sale, line) for sale in scenario.kept for line in sale.lines]


def _items(db_path: Path) -> dict[str, tuple[str, int, str, int, str]]:
    with sqlite3.connect(db_path) as raw:
        rows = raw.execute("SELECT id, category, consignor_number, status, donate_if_unsold, "
                           "COALESCE(sold_register_id, '') FROM items").fetchall()
    return {row[0]: row[1:] for row in rows}


def test_hour_category_cashier_tender_and_summary(
        scenario: Scenario, database: Database, db_path: Path) -> None:
    reports = ReportService(database, zone=UTC)
    items = _items(db_path)
    expected_hours: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    expected_categories: dict[str, list[object]] = defaultdict(lambda: [set(), 0, 0, 0])
    for sale, line in _lines(scenario):
        hour = expected_hours[hour_key(sale.header.created_at, UTC)]
        category = expected_categories[items[line.item_id][0] or "(none)"]  # type: ignore[attr-defined]
        for bucket in (hour, category):
            bucket[1] += 1  # type: ignore[operator]
            bucket[2] += line.price_cents  # type: ignore[attr-defined,operator]
            bucket[3] += line.discount_cents  # type: ignore[attr-defined,operator]
        category[0].add(sale.header.id)  # type: ignore[union-attr]
    for sale in scenario.kept:
        expected_hours[hour_key(sale.header.created_at, UTC)][0] += 1

    assert [(r.key, r.sales, r.items, r.gross_cents, r.discount_cents)
            for r in reports.by_hour()] == [
        (key, *values) for key, values in sorted(expected_hours.items())]
    assert [r.key for r in reports.by_hour()] == ["2026-11-20 15:00", "2026-11-22 16:00"]
    assert [(r.key, r.sales, r.items, r.gross_cents, r.discount_cents)
            for r in reports.by_category()] == [
        (key, len(v[0]), v[1], v[2], v[3])  # type: ignore[arg-type]
        for key, v in sorted(expected_categories.items())]

    cashiers = {r.key: r for r in reports.by_cashier()}
    assert set(cashiers) == {"Dana (cashier)", "Lee (manager)"}
    lee = cashiers["Lee (manager)"]
    assert (lee.sales, lee.items, lee.gross_cents) == (
        1, 1, sum(line.price_cents for line in scenario.kept[2].lines))

    amounts: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for sale in scenario.kept:
        for tender in sale.tenders:
            amounts[tender.kind] += tender.amount_cents
            counts[tender.kind] += 1
    tenders = {r.kind: r for r in reports.by_tender()}
    assert {k: r.amount_cents for k, r in tenders.items()} == dict(amounts)
    assert {k: r.tenders for k, r in tenders.items()} == dict(counts)
    assert tenders["card"].sales == 2 and tenders["cash"].sales == 5
    total = sum(sale.totals.total_cents for sale in scenario.kept)
    assert sum(amounts.values()) == total  # cash is counted net of the change given

    summary = reports.summary()
    assert summary.sales == len(scenario.kept)
    assert summary.items == sum(len(sale.lines) for sale in scenario.kept)
    assert summary.total_cents == total
    assert summary.discount_cents == sum(s.totals.discount_cents for s in scenario.kept)
    assert summary.tax_cents == sum(s.totals.tax_cents for s in scenario.kept)
    assert summary.subtotal_cents - summary.discount_cents == sum(
        r.gross_cents for r in reports.by_hour())
    assert (summary.voided_sales, summary.voided_total_cents) == (
        1, scenario.voided.totals.total_cents)


def test_voided_sales_are_listed_apart(scenario: Scenario, database: Database) -> None:
    [voided] = ReportService(database).voided()

    assert (voided.sale_id, voided.seq, voided.items) == (
        scenario.voided.header.id, scenario.voided.seq, 2)
    assert voided.total_cents == scenario.voided.totals.total_cents
    assert (voided.cashier, voided.manager, voided.reason) == (
        "Dana (cashier)", "Lee (manager)", "wrong items")
    voided_ids = {line.item_id for line in scenario.voided.lines}
    kept_ids = {line.item_id for sale in scenario.kept for line in sale.lines}
    assert not voided_ids & kept_ids


def test_consignor_split_unsold_and_sold_elsewhere(
        scenario: Scenario, database: Database, db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE items SET status = 'sold', sold_register_id = 'other-register' "
                    "WHERE id = (SELECT id FROM items WHERE consignor_number = 1005 "
                    "ORDER BY item_number LIMIT 1)")
        raw.execute("UPDATE items SET status = 'rejected' WHERE id = (SELECT id FROM items "
                    "WHERE consignor_number = 1005 ORDER BY item_number LIMIT 1 OFFSET 1)")
        splits = dict(raw.execute("SELECT number, split_bp FROM consignors").fetchall())
    items = _items(db_path)
    sold: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for _sale, line in _lines(scenario):
        sold[line.consignor_number][0] += 1  # type: ignore[attr-defined]
        sold[line.consignor_number][1] += line.price_cents  # type: ignore[attr-defined]
    unsold: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _category, number, status, donate, register in items.values():
        if status in ("pending", "approved"):
            unsold[number][0 if donate else 1] += 1
        elif status == "sold" and register != DEMO_REGISTER_ID:
            unsold[number][2] += 1

    rows = {r.number: r for r in ReportService(database).by_consignor()}

    assert set(rows) == set(splits)  # every consignor, sold something or not
    for number, row in rows.items():
        count, gross = sold.get(number, [0, 0])
        share = percent_of(gross, splits[number])
        assert (row.items_sold, row.gross_cents, row.split_bp) == (count, gross, splits[number])
        assert (row.consignor_share_cents, row.house_share_cents) == (share, gross - share)
        assert [row.unsold_donate, row.unsold_return, row.sold_elsewhere] == unsold[number]
    assert rows[1005].sold_elsewhere == 1
    assert sum(r.unsold_donate + r.unsold_return for r in rows.values()) == len(items) - sum(
        len(s.lines) for s in scenario.kept) - 2


def test_hours_follow_the_event_time_zone(scenario: Scenario, database: Database,
                                          db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE events SET timezone = 'America/Chicago'")

    assert ReportService(database).zone() == ZoneInfo("America/Chicago")
    assert [r.key for r in ReportService(database).by_hour()] == [
        "2026-11-20 09:00", "2026-11-22 10:00"]
    half_hour = ReportService(database, zone=ZoneInfo("Asia/Kolkata")).by_hour()
    assert [r.key for r in half_hour] == ["2026-11-20 20:00", "2026-11-22 22:00"]


def test_other_events_and_missing_consignors(scenario: Scenario, database: Database,
                                             db_path: Path, context: RegisterContext) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute("INSERT INTO events (id, name, starts_on, ends_on, location, status, "
                    "tax_rate_bp, timezone, change_seq) VALUES "
                    "('other', 'Other sale', '2026-01-01', '2026-01-02', '', 'published', 0, "
                    "'UTC', 0)")
        raw.execute("INSERT INTO consignors (id, event_id, number, name, email, phone, "
                    "split_bp, change_seq) VALUES ('x', 'other', 9999, 'Elsewhere', '', '', "
                    "5000, 0)")
        raw.execute("DELETE FROM consignors WHERE number = 1003")

    rows = {r.number: r for r in ReportService(database).by_consignor()}

    assert 9999 not in rows
    assert rows[1003].name == UNKNOWN_CONSIGNOR  # sold here, not in the pulled catalog
    assert rows[1003].consignor_share_cents == 0
    assert rows[1003].house_share_cents == rows[1003].gross_cents > 0
    assert 9999 in {r.number for r in ReportService(database, event_id="other").by_consignor()}
    assert context.event_id == "demo-event"


def test_csv_files_match_the_reports(scenario: Scenario, database: Database,
                                     db_path: Path, tmp_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE consignors SET name = '=HYPERLINK(\"http://x\")' WHERE number = 1002")
    reports = ReportService(database)

    written = export_all(reports, tmp_path / "csv")

    assert [p.name for p in written] == [f"{kind}.csv" for kind in ALL_REPORTS]
    for kind, path in zip(ALL_REPORTS, written, strict=True):
        columns, records = report_rows(reports, kind)
        money = [c for c in columns if c.endswith("_cents")]
        with path.open(newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle))
        assert header == columns + [c.removesuffix("_cents") for c in money]
        assert len(rows) == len(records) > 0
        for row, record in zip(rows, records, strict=True):
            cells = dict(zip(header, row, strict=True))
            for column in money:
                assert int(cells[column]) == record[column]
                assert cells[column.removesuffix("_cents")] == format_cents(record[column], "")
    with (tmp_path / "csv" / "consignor.csv").open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert "'=HYPERLINK(\"http://x\")" in names


def test_an_empty_register_gives_empty_reports_with_headers(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "empty.sqlite3")
    try:
        reports = ReportService(database)
        assert reports.by_hour() == [] and reports.by_consignor() == []
        assert reports.summary().sales == 0
        columns, records = report_rows(reports, "voided")
        path = write_csv(tmp_path / "voided.csv", columns, records)
    finally:
        database.close()
    assert path.read_text(encoding="utf-8").splitlines() == [
        ",".join([*columns, "total"])]
    with pytest.raises(ValueError, match="unknown report"):
        report_rows(reports, "weather")
