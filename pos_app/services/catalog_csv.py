"""Consignors and items from the organiser's CSV files, checked whole before anything is sent.

consignors.csv (header row; ``split_percent`` optional, default 65)::

    number,name,email,phone,split_percent
    1001,Ana Lopez,ana@example.org,555-0101,65

items.csv (``item`` is the consignor's own item number; the tag code printed on the tag is
``CCCC-IIII``; ``price`` in dollars and cents; the last columns are optional)::

    consignor,item,description,price,category,size,condition,discountable,donate
    1001,1,Red tricycle,12.50,Toys,,good,yes,no

Every row is checked and each problem names its line and column; a file with any problem is
refused whole (:class:`CsvImportError` lists up to 20), so an import never stops half-way
through because of the file. Item ids are ``<event>:<tag code>``: ids are global on the
server, and the same file imported twice updates the same items.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pos_app.core.money import MoneyError, parse_money
from pos_app.core.tags import consignor_item_code

MAX_PROBLEMS_SHOWN = 20
CONDITIONS = ("new", "like_new", "good", "fair")
_TRUE, _FALSE = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0"}
CONSIGNOR_COLUMNS = ("number", "name")
ITEM_COLUMNS = ("consignor", "item", "description", "price")


class CsvImportError(ValueError):
    """The file cannot be imported; ``problems`` says where and why (nothing was sent)."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        super().__init__(f"{path}: {len(problems)} problem(s), nothing imported:\n  "
                         + "\n  ".join(shown) + (f"\n  ... and {more} more" if more else ""))
        self.problems = problems


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise CsvImportError(path, [f"cannot read the file: {error.strerror}"]) from error
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if missing := [name for name in required if name not in header]:
            raise CsvImportError(path, [f"line 1: missing column(s) {', '.join(missing)} "
                                        f"(the header needs {', '.join(required)})"])
        reader.fieldnames = header
        try:
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
        except (csv.Error, UnicodeDecodeError) as error:
            raise CsvImportError(path, [f"line {reader.line_num}: {error}"]) from error


def _int(value: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise ValueError(f"{value!r} is not a whole number from {low} to {high}")
    return int(value)


def _flag(value: str, default: bool) -> bool:
    lowered = value.lower()
    if not lowered:
        return default
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{value!r} is not yes or no")


def _check[T](problems: list[str], line: int, column: str, convert: Callable[..., T],
              *args: Any) -> T | None:
    try:
        return convert(*args)
    except (ValueError, MoneyError) as error:
        problems.append(f"line {line}, {column}: {error}")
        return None


def read_consignors(path: Path, event_id: str) -> list[dict[str, Any]]:
    """The consignors of ``path`` as the admin API takes them; CsvImportError if any is bad."""
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for line, row in _rows(path, CONSIGNOR_COLUMNS):
        number = _check(problems, line, "number", _int, row["number"], 1, 999_999)
        split = _check(problems, line, "split_percent", _int,
                       row.get("split_percent") or "65", 0, 100)
        if not row["name"]:
            problems.append(f"line {line}, name: empty")
        if number is not None and number in seen:
            problems.append(f"line {line}, number: {number} is also on line {seen[number]}")
        if number is not None:
            seen.setdefault(number, line)
        rows.append({"id": f"{event_id}:c{number}", "number": number, "name": row["name"],
                     "email": row.get("email", ""), "phone": row.get("phone", ""),
                     "split_bp": (split or 0) * 100})
    if problems:
        raise CsvImportError(path, problems)
    return rows


def read_items(path: Path, event_id: str) -> list[dict[str, Any]]:
    """The items of ``path`` as the admin API takes them; CsvImportError if any is bad."""
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, ITEM_COLUMNS):
        consignor = _check(problems, line, "consignor", _int, row["consignor"], 1, 9999)
        number = _check(problems, line, "item", _int, row["item"], 1, 9999)
        price = _check(problems, line, "price", parse_money, row["price"])
        discountable = _check(problems, line, "discountable", _flag,
                              row.get("discountable", ""), True)
        donate = _check(problems, line, "donate", _flag, row.get("donate", ""), False)
        condition = (row.get("condition") or "good").lower().replace(" ", "_")
        if condition not in CONDITIONS:
            problems.append(f"line {line}, condition: {condition!r} is not one of "
                            f"{', '.join(CONDITIONS)}")
        if consignor is None or number is None:
            continue
        tag = consignor_item_code(consignor, number)
        if tag in seen:
            problems.append(f"line {line}: tag {tag} is also on line {seen[tag]}")
        seen.setdefault(tag, line)
        rows.append({"id": f"{event_id}:{tag}", "consignor_number": consignor,
                     "item_number": number, "tag_code": tag,
                     "description": row["description"], "category": row.get("category", ""),
                     "size": row.get("size", ""), "price_cents": price,
                     "condition": condition, "discountable": discountable,
                     "donate_if_unsold": donate, "status": "approved"})
    if problems:
        raise CsvImportError(path, problems)
    return rows
