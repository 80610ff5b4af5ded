"""The organiser reports as rows and CSV, shared by the GUI (Ctrl+R) and ``pos-app report``.

The sales reports come from :class:`~pos_app.services.reports.ReportService`, the hall's
check-in, pick-up and donation figures (``hall``, ``rejections``, ``donations``) from
:class:`~pos_app.services.hall_reports.HallReportService` for the same event. The CSV format
is :func:`pos_app.services.csv_files.write_csv`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from pos_app.services.csv_files import Records, csv_cell, money_columns, write_csv
from pos_app.services.hall_reports import DonationRow, HallReportRow, RejectionRow
from pos_app.services.reports import (
    ConsignorRow,
    ReportRow,
    ReportService,
    SummaryRow,
    TenderRow,
    VoidedSaleRow,
)

__all__ = ["ALL_REPORTS", "REPORT_KINDS", "TITLES", "Records", "csv_cell", "export_all",
           "money_columns", "report_rows", "write_csv"]

#: The reports shown in the GUI's report picker.
REPORT_KINDS = ("hour", "category", "consignor", "tender", "cashier", "hall", "rejections",
                "donations")
#: Every report, for ``pos-app report`` and :func:`export_all`.
ALL_REPORTS = (*REPORT_KINDS, "voided", "summary")
TITLES = {
    "hour": "Sales by hour", "category": "Sales by category",
    "consignor": "Consignors: gross and split", "tender": "Sales by tender",
    "cashier": "Sales by cashier", "voided": "Voided sales (not in the figures)",
    "summary": "Totals", "hall": "Hall: check-in, pick-up and donations",
    "rejections": "Hall: rejected items by reason",
    "donations": "Hall: donations by charity run and category",
}
_ROW_TYPES: dict[str, type[Any]] = {
    "hour": ReportRow, "category": ReportRow, "cashier": ReportRow, "tender": TenderRow,
    "consignor": ConsignorRow, "voided": VoidedSaleRow, "summary": SummaryRow,
    "hall": HallReportRow, "rejections": RejectionRow, "donations": DonationRow,
}


def _fetch(service: ReportService, kind: str) -> Sequence[Any]:
    fetchers: dict[str, Callable[[], Sequence[Any]]] = {
        "hour": service.by_hour, "category": service.by_category,
        "consignor": service.by_consignor, "tender": service.by_tender,
        "cashier": service.by_cashier, "voided": service.voided,
        "summary": lambda: [service.summary()],
        "hall": lambda: service.hall().by_consignor(),
        "rejections": lambda: service.hall().rejections(),
        "donations": lambda: service.hall().donations(),
    }
    return fetchers[kind]()


def report_rows(service: ReportService, kind: str) -> tuple[list[str], Records]:
    """The columns and rows of one report (``kind`` in :data:`ALL_REPORTS`)."""
    if kind not in _ROW_TYPES:
        raise ValueError(f"unknown report {kind!r}; expected one of {', '.join(ALL_REPORTS)}")
    columns = [field.name for field in fields(_ROW_TYPES[kind])]
    return columns, [asdict(row) for row in _fetch(service, kind)]


def export_all(service: ReportService, folder: Path,
               kinds: Sequence[str] = ALL_REPORTS) -> list[Path]:
    """Write each report to ``folder/<kind>.csv``; return the files written."""
    return [write_csv(folder / f"{kind}.csv", *report_rows(service, kind)) for kind in kinds]
