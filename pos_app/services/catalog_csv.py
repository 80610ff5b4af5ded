"""The organiser's catalog CSV files, checked whole before anything is sent: the one reader.

consignors.csv (header row; ``split_percent`` optional, default 65)::

    number,name,email,phone,split_percent
    1001,Ana Lopez,ana@example.org,555-0101,65

items.csv, as a consignor-tagging site exports it (issue 13) or in the short names::

    consignor_number,item_number,description,size,category,price,discountable,donate
    consignor,item,description,price,category,size,condition,discountable,donate

Columns may come in any order; ``consignor``/``consignor_number`` and ``item``/``item_number``
name the same thing. Required: consignor, item, description, price (dollars and cents,
``12.50``); optional: category, size, condition (new, like_new, good, fair), discountable
(yes/no, default yes), donate (yes/no, default no) and ``consignor_name``, the name given to a
consignor the import creates (:mod:`pos_app.services.catalog_import`). The tag code printed on
the tag is ``CCCC-IIII``.

Every row is checked and each problem names its line and column; a file with any problem is
refused whole (:class:`CsvImportError` keeps them all, its message shows up to 20), so an
import never stops half-way through because of the file. Ids come from the numbers (items
``<event>:<tag code>``, consignors ``<event>:c<number>``): ids are global on the server, and
the same file imported twice finds the same rows.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_app.core.money import MoneyError, parse_money
from pos_app.core.tags import consignor_item_code

MAX_PROBLEMS_SHOWN = 20
CONDITIONS = ("new", "like_new", "good", "fair")
STATUSES = ("approved", "pending")
_TRUE, _FALSE = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0"}
CONSIGNOR_COLUMNS = ("number", "name")
ITEM_COLUMNS = ("consignor", "item", "description", "price")
#: The tagging site's column names, read as the short ones.
ALIASES = {"consignor_number": "consignor", "item_number": "item"}


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong where: a line of the file (1 is the header) and a column, if one."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class CsvImportError(ValueError):
    """The file cannot be imported; ``problems`` says where and why (nothing was sent)."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        shown = [str(problem) for problem in problems[:MAX_PROBLEMS_SHOWN]]
        more = len(problems) - len(shown)
        super().__init__(f"{path}: {len(problems)} problem(s), nothing imported:\n  "
                         + "\n  ".join(shown) + (f"\n  ... and {more} more" if more else ""))
        self.path = path
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CatalogFile:
    """The items of an items file, and the consignors' names it gives (if any)."""

    items: list[dict[str, Any]]
    consignor_names: dict[int, str]


def _header(names: list[str]) -> list[str]:
    cleaned = [name.strip().lower() for name in names]
    return [ALIASES.get(name, name) for name in cleaned]


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise CsvImportError(path, [Problem(0, None, f"cannot read the file: "
                                                     f"{error.strerror}")]) from error
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = _header(list(reader.fieldnames or []))
        except (csv.Error, UnicodeDecodeError) as error:
            raise CsvImportError(path, [Problem(1, None, str(error))]) from error
        if missing := [name for name in required if name not in header]:
            raise CsvImportError(path, [Problem(1, None, _missing(missing, required))])
        reader.fieldnames = header
        try:
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
        except (csv.Error, UnicodeDecodeError) as error:
            raise CsvImportError(path, [Problem(reader.line_num, None, str(error))]) from error


def _missing(missing: list[str], required: tuple[str, ...]) -> str:
    also = {short: long for long, short in ALIASES.items()}
    needed = ", ".join(f"{name} (or {also[name]})" if name in also else name
                       for name in required)
    return f"missing column(s) {', '.join(missing)} (the header needs {needed})"


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


def _text(value: str) -> str:
    if not value:
        raise ValueError("empty")
    return value


def _check[T](problems: list[Problem], line: int, column: str, convert: Callable[..., T],
              *args: Any) -> T | None:
    try:
        return convert(*args)
    except (ValueError, MoneyError) as error:
        problems.append(Problem(line, column, str(error)))
        return None


def read_consignors(path: Path, event_id: str) -> list[dict[str, Any]]:
    """The consignors of ``path`` as the admin API takes them; CsvImportError if any is bad."""
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for line, row in _rows(path, CONSIGNOR_COLUMNS):
        number = _check(problems, line, "number", _int, row["number"], 1, 999_999)
        split = _check(problems, line, "split_percent", _int,
                       row.get("split_percent") or "65", 0, 100)
        _check(problems, line, "name", _text, row["name"])
        if number is not None and number in seen:
            problems.append(Problem(line, "number", f"{number} is also on line {seen[number]}"))
        if number is not None:
            seen.setdefault(number, line)
        rows.append({"id": consignor_id(event_id, number or 0), "number": number,
                     "name": row["name"], "email": row.get("email", ""),
                     "phone": row.get("phone", ""), "split_bp": (split or 0) * 100})
    if problems:
        raise CsvImportError(path, problems)
    return rows


def consignor_id(event_id: str, number: int) -> str:
    """The id a consignor imported from CSV gets on the server."""
    return f"{event_id}:c{number}"


def read_catalog(path: Path, event_id: str, status: str = "approved") -> CatalogFile:
    """The items of ``path`` (with ``status``) and consignor names; CsvImportError if bad."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    problems: list[Problem] = []
    items: list[dict[str, Any]] = []
    names: dict[int, str] = {}
    seen: dict[str, int] = {}
    for line, row in _rows(path, ITEM_COLUMNS):
        item = _item(problems, line, row, event_id, status)
        if item is None:
            continue
        tag = item["tag_code"]
        if tag in seen:
            problems.append(Problem(line, "item", f"tag {tag} is also on line {seen[tag]}"))
        seen.setdefault(tag, line)
        items.append(item)
        if row.get("consignor_name"):
            names.setdefault(item["consignor_number"], row["consignor_name"])
    if problems:
        raise CsvImportError(path, problems)
    return CatalogFile(items, names)


def read_items(path: Path, event_id: str, status: str = "approved") -> list[dict[str, Any]]:
    """The items of ``path`` as the admin API takes them; CsvImportError if any is bad."""
    return read_catalog(path, event_id, status).items


def _item(problems: list[Problem], line: int, row: dict[str, str], event_id: str,
          status: str) -> dict[str, Any] | None:
    consignor = _check(problems, line, "consignor", _int, row["consignor"], 1, 9999)
    number = _check(problems, line, "item", _int, row["item"], 1, 9999)
    _check(problems, line, "description", _text, row["description"])
    price = _check(problems, line, "price", parse_money, row["price"])
    discountable = _check(problems, line, "discountable", _flag,
                          row.get("discountable", ""), True)
    donate = _check(problems, line, "donate", _flag, row.get("donate", ""), False)
    condition = (row.get("condition") or "good").lower().replace(" ", "_")
    if condition not in CONDITIONS:
        problems.append(Problem(line, "condition", f"{condition!r} is not one of "
                                                   f"{', '.join(CONDITIONS)}"))
    if consignor is None or number is None:
        return None
    tag = consignor_item_code(consignor, number)
    return {
        "id": f"{event_id}:{tag}", "consignor_number": consignor, "item_number": number,
        "tag_code": tag, "description": row["description"],
        "category": row.get("category", ""), "size": row.get("size", ""),
        "price_cents": price, "condition": condition, "discountable": discountable,
        "donate_if_unsold": donate, "status": status}
