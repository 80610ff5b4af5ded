"""CSV export of the organiser reports, shared by the GUI (Ctrl+R) and ``pos-app report``.

Every money column is written twice: integer cents (``gross_cents``, for sums in a
spreadsheet) and formatted (``gross``, e.g. ``1,234.50``), appended at the end of the row.
Text that a spreadsheet would run as a formula (a consignor's name starting with ``=``, say)
is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from pos_app.core.money import format_cents
from pos_app.services.reports import (
    ConsignorRow,
    ReportRow,
    ReportService,
    SummaryRow,
    TenderRow,
    VoidedSaleRow,
)

#: The reports shown in the GUI's report picker.
REPORT_KINDS = ("hour", "category", "consignor", "tender", "cashier")
#: Every report, for ``pos-app report`` and :func:`export_all`.
ALL_REPORTS = (*REPORT_KINDS, "voided", "summary")
TITLES = {
    "hour": "Sales by hour", "category": "Sales by category",
    "consignor": "Consignors: gross and split", "tender": "Sales by tender",
    "cashier": "Sales by cashier", "voided": "Voided sales (not in the figures)",
    "summary": "Totals",
}
_ROW_TYPES: dict[str, type[Any]] = {
    "hour": ReportRow, "category": ReportRow, "cashier": ReportRow, "tender": TenderRow,
    "consignor": ConsignorRow, "voided": VoidedSaleRow, "summary": SummaryRow,
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Records = list[dict[str, Any]]


def _fetch(service: ReportService, kind: str) -> Sequence[Any]:
    fetchers: dict[str, Callable[[], Sequence[Any]]] = {
        "hour": service.by_hour, "category": service.by_category,
        "consignor": service.by_consignor, "tender": service.by_tender,
        "cashier": service.by_cashier, "voided": service.voided,
        "summary": lambda: [service.summary()],
    }
    return fetchers[kind]()


def report_rows(service: ReportService, kind: str) -> tuple[list[str], Records]:
    """The columns and rows of one report (``kind`` in :data:`ALL_REPORTS`)."""
    if kind not in _ROW_TYPES:
        raise ValueError(f"unknown report {kind!r}; expected one of {', '.join(ALL_REPORTS)}")
    columns = [field.name for field in fields(_ROW_TYPES[kind])]
    return columns, [asdict(row) for row in _fetch(service, kind)]


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


def export_all(service: ReportService, folder: Path,
               kinds: Sequence[str] = ALL_REPORTS) -> list[Path]:
    """Write each report to ``folder/<kind>.csv``; return the files written."""
    return [write_csv(folder / f"{kind}.csv", *report_rows(service, kind)) for kind in kinds]
