"""The organiser's catalog CSV: items from good lines, errors by line for bad ones."""

from __future__ import annotations

from pos_app.core.catalog_csv import read_catalog

HEADER = "consignor_number,item_number,description,size,category,price,discountable,donate\n"


def test_good_lines_become_pending_items_with_ids_and_tags() -> None:
    parsed = read_catalog(HEADER + "1042,17,Red stroller,,Gear,45.50,yes,no\n"
                          "7,3,\"Dress, blue\",6,Girls,$8,0,1\n", "evt")
    assert parsed.errors == []
    first, second = parsed.items
    assert first == {"id": "evt-1042-0017", "consignor_number": 1042, "item_number": 17,
                     "tag_code": "1042-0017", "description": "Red stroller", "size": "",
                     "category": "Gear", "price_cents": 4550, "discountable": True,
                     "donate_if_unsold": False, "status": "pending"}
    assert (second["tag_code"], second["description"], second["price_cents"],
            second["discountable"], second["donate_if_unsold"]) == (
        "0007-0003", "Dress, blue", 800, False, True)


def test_every_bad_line_is_listed_by_number() -> None:
    parsed = read_catalog(HEADER + "1042,17,Stroller,,Gear,45.50,yes,no\n"
                          "abc,1,Hat,,,1,yes,no\n"
                          "1042,2,,,,1,yes,no\n"
                          "1042,3,Hat,,,ten,yes,no\n"
                          "1042,4,Hat,,,1,maybe,no\n"
                          "1042,17,Again,,,1,yes,no\n", "evt")
    assert [line for line, _ in parsed.errors] == [3, 4, 5, 6, 7]
    messages = [message for _, message in parsed.errors]
    assert "consignor_number must be a whole number" in messages[0]
    assert messages[1] == "description is empty"
    assert messages[2].startswith("price:")
    assert "discountable must be yes or no" in messages[3]
    assert messages[4] == "1042-0017 was already on line 2"


def test_a_file_without_the_columns_is_refused_whole() -> None:
    parsed = read_catalog("number,name\n1,x\n", "evt")
    assert parsed.items == [] and parsed.errors[0][0] == 1
    assert "missing columns: consignor_number" in parsed.errors[0][1]
