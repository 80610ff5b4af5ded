"""CSV export of the organiser reports (integer cents, plus a formatted column each)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from pos_app.core.money import format_cents
from pos_app.services.reports import ReportService

REPORT_KINDS = ("hour", "category", "consignor", "tender", "cashier")


def report_rows(service: ReportService, kind: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of one report (``kind`` in :data:`REPORT_KINDS`)."""
    if kind not in REPORT_KINDS:
        raise ValueError(f"unknown report {kind!r}")
    rows: Sequence[Any] = getattr(service, f"by_{kind}")()
    if not rows:
        return ["key"], []
    return [f.name for f in fields(rows[0])], [asdict(row) for row in rows]


def write_csv(path: Path, columns: list[str], records: list[dict[str, Any]]) -> Path:
    money = [c for c in columns if c.endswith("_cents")]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns + [c.removesuffix("_cents") for c in money])
        for record in records:
            writer.writerow([record[c] for c in columns]
                            + [format_cents(record[c], "") for c in money])
    return path
