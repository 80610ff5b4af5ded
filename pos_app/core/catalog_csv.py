"""The organiser's catalog CSV (issue 13), as a consignor-tagging site exports it.

Columns (a header row, in any order): ``consignor_number``, ``item_number``, ``description``,
``size``, ``category``, ``price`` (dollars, ``12.50``), ``discountable`` and ``donate``
(yes/no, true/false, 1/0). Every line is checked before anything is sent: a bad line is
listed by its line number with what is wrong, and then nothing is imported. An item's id and
tag come from its numbers (``<event>-<consignor>-<item>``, ``1042-0017``), so importing the
same file again finds the same items and changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Final

from pos_app.core.money import parse_money
from pos_app.core.tags import consignor_item_code

COLUMNS: Final = ("consignor_number", "item_number", "description", "size", "category",
                  "price", "discountable", "donate")
_YES, _NO = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0", ""}
MAX_NUMBER = 9999


@dataclass(slots=True)
class CatalogFile:
    """The items read from a CSV, and the errors by line (line 1 is the header)."""

    items: list[dict[str, object]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _number(text: str, what: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_NUMBER:
        raise ValueError(f"{what} must be a whole number from 1 to {MAX_NUMBER}, not {text!r}")
    return int(text)


def _flag(text: str, what: str) -> bool:
    value = text.strip().lower()
    if value not in _YES | _NO:
        raise ValueError(f"{what} must be yes or no, not {text!r}")
    return value in _YES


def _item(row: dict[str, str], event_id: str) -> dict[str, object]:
    consignor = _number(row["consignor_number"].strip(), "consignor_number")
    number = _number(row["item_number"].strip(), "item_number")
    description = row["description"].strip()
    if not description:
        raise ValueError("description is empty")
    try:
        price = parse_money(row["price"])
    except ValueError as error:
        raise ValueError(f"price: {error}") from error
    return {
        "id": f"{event_id}-{consignor:04d}-{number:04d}", "consignor_number": consignor,
        "item_number": number, "tag_code": consignor_item_code(consignor, number),
        "description": description, "size": row["size"].strip(),
        "category": row["category"].strip(), "price_cents": price,
        "discountable": _flag(row["discountable"], "discountable"),
        "donate_if_unsold": _flag(row["donate"], "donate"), "status": "pending",
    }


def read_catalog(text: str, event_id: str) -> CatalogFile:
    """Parse the CSV ``text`` for ``event_id``: the items, or the errors by line."""
    result = CatalogFile()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return result
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        try:
            item = _item({k: v or "" for k, v in row.items() if k is not None}, event_id)
        except ValueError as error:
            result.errors.append((line, str(error)))
            continue
        tag = str(item["tag_code"])
        if tag in seen:
            result.errors.append((line, f"{tag} was already on line {seen[tag]}"))
            continue
        seen[tag] = line
        result.items.append(item)
    return result
