"""The outbox filler's lines: given a first item, each line sells a demo catalog item exactly as
the catalog seeds it, each item once, registers with disjoint ranges never the same item."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from pos_app.devtools.admin_client import demo_catalog_items
from pos_app.devtools.outbox_filler import OutboxFiller
from pos_app.store.engine import Database


def _lines(database: Database) -> list[list[Any]]:
    """Every sale line in the outbox, in order."""
    with database.unit_of_work() as unit:
        entries, more = unit.outbox.read_pending(10_000)
    assert not more
    return [line for entry in entries for line in entry.bundle["sale_lines"]]


def test_each_line_sells_the_demo_item_as_the_catalog_seeds_it(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "register.sqlite3")
    filler = OutboxFiller("e", "r", lines=10, tax_rate_bp=825, first_item=795, prefix="p-")
    filler.fill(database, 3)
    filler.fill(database, 4)  # a second call continues where the first stopped
    lines = _lines(database)
    database.close()

    catalog = list(islice(demo_catalog_items(795 + 70, prefix="p-"), 795, None))
    assert [(line[2], line[3], line[4], line[5], line[6], line[7]) for line in lines] == [
        (item["id"], item["tag_code"], item["consignor_number"], item["price_cents"], 0,
         item["price_cents"]) for item in catalog]  # past 800: the consignors wrap
    assert len({line[2] for line in lines}) == 70  # each item once


def test_other_consignor_counts_follow_the_catalog_too(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "register.sqlite3")
    OutboxFiller("e", "r", lines=3, first_item=0, consignors=7).fill(database, 5)
    lines = _lines(database)
    database.close()

    catalog = list(demo_catalog_items(15, consignors=7))
    assert [(line[2], line[3], line[4]) for line in lines] == [
        (item["id"], item["tag_code"], item["consignor_number"]) for item in catalog]


def test_registers_given_disjoint_ranges_sell_no_item_twice(tmp_path: Path) -> None:
    sold: list[str] = []
    for k in range(3):
        database = Database.open(tmp_path / f"register-{k}.sqlite3")
        OutboxFiller("e", f"r{k}", lines=10, first_item=k * 200).fill(database, 20)
        sold += [line[2] for line in _lines(database)]
        database.close()
    assert len(sold) == len(set(sold)) == 600


def test_without_a_first_item_the_lines_name_items_by_sale_number(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "register.sqlite3")
    OutboxFiller("e", "r", lines=2).fill(database, 2)
    lines = _lines(database)
    database.close()
    assert [(line[2], line[3]) for line in lines] == [
        ("item-3", "1001-0001"), ("item-4", "1002-0001"),
        ("item-5", "1001-0002"), ("item-6", "1002-0002")]


@pytest.mark.parametrize(("first_item", "consignors", "message"), [
    (-1, 400, "first_item must be >= 0, got -1"),
    (0, 0, "consignors must be >= 1, got 0"),
])
def test_a_bad_range_is_refused_before_anything_is_written(
        tmp_path: Path, first_item: int, consignors: int, message: str) -> None:
    database = Database.open(tmp_path / "register.sqlite3")
    with pytest.raises(ValueError, match=message):
        OutboxFiller("e", "r", first_item=first_item, consignors=consignors)
    assert _lines(database) == []
    database.close()
