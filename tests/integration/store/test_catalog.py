"""Scan lookup over 200k items: one indexed query on the index (plan checked), EAN-13, search."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite

from pos_app.core.tags import gs1_check_digit
from pos_app.services.catalog import CatalogService, ItemView, ScanRefusal, ScanRefusalKind
from pos_app.services.context import RegisterContext
from pos_app.services.demo import create_demo_event
from pos_app.store.catalog import lookup_statement
from pos_app.store.engine import Database

ITEMS = 200_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, RegisterContext]]:
    path: Path = tmp_path_factory.mktemp("big") / "register.sqlite3"
    database = Database.open(path)
    context = create_demo_event(database, items=ITEMS, seed=1, today=date(2026, 11, 21))
    yield database, context
    database.close()


@pytest.mark.slow
def test_demo_has_the_requested_catalog(big: tuple[Database, RegisterContext]) -> None:
    database, context = big
    assert CatalogService(database, context).catalog_size() == ITEMS


@pytest.mark.slow
def test_lookup_by_tag_uses_the_index(big: tuple[Database, RegisterContext]) -> None:
    database, _context = big
    compiled = lookup_statement().compile(dialect=sqlite.dialect(),
                                          compile_kwargs={"literal_binds": False})
    params = {"event_id": "demo-event", "tag_code": "1042-0017"}
    with database.unit_of_work() as unit:
        plan = " | ".join(
            str(row[-1]) for row in unit.connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}",
                tuple(params[name] for name in compiled.positiontup or ()),
            )
        )
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    assert "SCAN items" not in plan, plan


@pytest.mark.slow
def test_lookup_finds_items_across_the_catalog(big: tuple[Database, RegisterContext]) -> None:
    catalog = CatalogService(*big)
    found = catalog.lookup("10420017")
    assert isinstance(found, ItemView)
    assert (found.tag_code, found.consignor_number, found.item_number) == ("1042-0017", 1042, 17)
    for consignor, item in ((1001, 1), (1200, 251), (1400, 499)):  # not EAN-tagged ones
        code = f"{consignor:04d}-{item:04d}"
        hit = catalog.lookup(code)
        assert isinstance(hit, ItemView) and hit.tag_code == code, code


@pytest.mark.slow
def test_ean13_items_and_refusals(big: tuple[Database, RegisterContext]) -> None:
    catalog = CatalogService(*big)
    body = f"20{1000:010d}"
    ean = body + str(gs1_check_digit(body))
    item = catalog.lookup(ean)
    assert isinstance(item, ItemView) and item.tag_code == ean
    wrong = body + str((gs1_check_digit(body) + 1) % 10)
    refusal = catalog.lookup(wrong)
    assert isinstance(refusal, ScanRefusal) and refusal.kind is ScanRefusalKind.BAD_CHECK_DIGIT
    unknown = catalog.lookup("9999-9999")
    assert isinstance(unknown, ScanRefusal) and unknown.kind is ScanRefusalKind.UNKNOWN_TAG
    junk = catalog.lookup("hello")
    assert isinstance(junk, ScanRefusal) and junk.kind is ScanRefusalKind.BAD_FORMAT


@pytest.mark.slow
def test_search(big: tuple[Database, RegisterContext]) -> None:
    catalog = CatalogService(*big)
    assert [i.tag_code for i in catalog.search("1042-17")] == ["1042-0017"]
    by_consignor = catalog.search("1042", limit=10)
    assert len(by_consignor) == 10
    assert {i.consignor_number for i in by_consignor} == {1042}
    words = catalog.search("rain boots", limit=5)
    assert words and all("Rain boots" in i.description for i in words)
    assert catalog.search("100%_") == []
    assert catalog.search("   ") == []
