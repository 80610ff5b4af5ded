"""The one catalog CSV reader: the tagging site's columns or the short ones, problems by line
and column, and a bad file refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.services.catalog_csv import (
    CsvImportError,
    Problem,
    read_catalog,
    read_consignors,
    read_items,
)

SITE = "consignor_number,item_number,description,size,category,price,discountable,donate\n"


def _file(tmp_path: Path, text: str, name: str = "items.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_tagging_sites_columns_become_items_with_ids_tags_and_the_status_asked(
        tmp_path: Path) -> None:
    path = _file(tmp_path, SITE + "1042,17,Red stroller,,Gear,45.50,yes,no\n"
                 "7,3,\"Dress, blue\",6,Girls,$8,0,1\n")
    first, second = read_items(path, "evt", "pending")
    assert first == {"id": "evt:1042-0017", "consignor_number": 1042, "item_number": 17,
                     "tag_code": "1042-0017", "description": "Red stroller", "size": "",
                     "category": "Gear", "price_cents": 4550, "condition": "good",
                     "discountable": True, "donate_if_unsold": False, "status": "pending"}
    assert (second["tag_code"], second["description"], second["size"], second["price_cents"],
            second["discountable"], second["donate_if_unsold"]) == (
        "0007-0003", "Dress, blue", "6", 800, False, True)


def test_the_short_columns_read_the_same_items(tmp_path: Path) -> None:
    site = _file(tmp_path, SITE + "1042,17,Red stroller,,Gear,45.50,yes,no\n", "site.csv")
    short = _file(tmp_path, "Item,Consignor,Price,Description,Category,Discountable\n"
                  "17,1042,45.50,Red stroller,Gear,yes\n", "short.csv")
    assert read_items(site, "evt") == read_items(short, "evt")
    assert read_items(short, "evt")[0]["status"] == "approved"


def test_consignor_names_come_from_an_optional_column(tmp_path: Path) -> None:
    path = _file(tmp_path, "consignor_number,consignor_name,item_number,description,price\n"
                 "1042,Ana Lopez,1,Hat,2\n1042,,2,Coat,3\n7,,1,Cap,1\n")
    catalog = read_catalog(path, "evt")
    assert len(catalog.items) == 3
    assert catalog.consignor_names == {1042: "Ana Lopez"}


def test_every_bad_line_is_listed_with_its_column_and_nothing_is_returned(
        tmp_path: Path) -> None:
    path = _file(tmp_path, SITE + "1042,17,Stroller,,Gear,45.50,yes,no\n"
                 "abc,1,Hat,,,1,yes,no\n"
                 "1042,2,,,,1,yes,no\n"
                 "1042,3,Hat,,,ten,yes,no\n"
                 "1042,4,Hat,,,1,maybe,no\n"
                 "1042,17,Again,,,1,yes,no\n")
    with pytest.raises(CsvImportError) as refused:
        read_items(path, "evt")
    problems = refused.value.problems
    assert [(p.line, p.column) for p in problems] == [
        (3, "consignor"), (4, "description"), (5, "price"), (6, "discountable"), (7, "item")]
    assert problems[0].message.startswith("'abc' is not a whole number")
    assert str(problems[1]) == "line 4, description: empty"
    assert str(problems[3]) == "line 6, discountable: 'maybe' is not yes or no"
    assert str(problems[4]) == "line 7, item: tag 1042-0017 is also on line 2"
    assert "5 problem(s), nothing imported" in str(refused.value)


def test_a_file_without_the_columns_is_refused_whole(tmp_path: Path) -> None:
    with pytest.raises(CsvImportError) as refused:
        read_items(_file(tmp_path, "number,name\n1,x\n"), "evt")
    assert refused.value.problems == [Problem(1, None, (
        "missing column(s) consignor, item, description, price (the header needs consignor "
        "(or consignor_number), item (or item_number), description, price)"))]


def test_an_unreadable_file_and_an_unknown_status_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CsvImportError, match="cannot read the file"):
        read_items(tmp_path / "absent.csv", "evt")
    with pytest.raises(ValueError, match="status must be one of approved, pending"):
        read_items(_file(tmp_path, SITE), "evt", "sold")


def test_consignors_are_checked_like_items(tmp_path: Path) -> None:
    good = _file(tmp_path, "number,name,split_percent\n1001,Ana,60\n1002,Bo,\n", "c.csv")
    assert [(c["id"], c["number"], c["split_bp"]) for c in read_consignors(good, "evt")] == [
        ("evt:c1001", 1001, 6000), ("evt:c1002", 1002, 6500)]
    bad = _file(tmp_path, "number,name,split_percent\n1001,Ana,160\n1001,,60\n", "bad.csv")
    with pytest.raises(CsvImportError) as refused:
        read_consignors(bad, "evt")
    assert [str(p) for p in refused.value.problems] == [
        "line 2, split_percent: '160' is not a whole number from 0 to 100",
        "line 3, name: empty", "line 3, number: 1001 is also on line 2"]
