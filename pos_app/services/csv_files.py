"""Writing a report as CSV: the one format every report's export follows.

Every money column is written twice: integer cents (``gross_cents``, for sums in a
spreadsheet) and formatted (``gross``, e.g. ``1,234.50``), appended at the end of the row.
Text that a spreadsheet would run as a formula (a consignor's name starting with ``=``, say)
is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pos_app.core.money import format_cents

__all__ = ["Records", "csv_cell", "money_columns", "write_csv"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Records = list[dict[str, Any]]


def money_columns(columns: Sequence[str]) -> list[str]:
    """The integer-cents columns (named ``*_cents``)."""
    return [column for column in columns if column.endswith("_cents")]


def csv_cell(value: object) -> object:
    """A value as written to CSV: text that looks like a formula is defused."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, columns: list[str], records: Records) -> Path:
    """Write one report to ``path`` (UTF-8, header row first); return ``path``."""
    money = money_columns(columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns + [column.removesuffix("_cents") for column in money])
        for record in records:
            writer.writerow([csv_cell(record[column]) for column in columns]
                            + [format_cents(record[column], "") for column in money])
    return path
