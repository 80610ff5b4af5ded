"""The hall's figures per consignor and for the event: check-in, pick-up and donations.

One row per consignor: items expected (every item in the catalog copy), checked in (no longer
pending), rejected, sold, returned, donated and still missing (approved or rejected, neither
sold nor collected), with the donated items' tag value for the charity's receipt. The last
row, consignor 0 named "All consignors", holds the event's totals. The CSV follows the other
reports (:func:`pos_app.services.export.write_csv`: cents and formatted money columns).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pos_app.core.items import ItemStatus
from pos_app.services.context import RegisterContext
from pos_app.services.export import write_csv
from pos_app.store.engine import Database

__all__ = ["HallReportRow", "HallReportService"]


@dataclass(slots=True)
class HallReportRow:
    consignor_number: int
    name: str
    expected: int = 0
    checked_in: int = 0
    rejected: int = 0
    sold: int = 0
    returned: int = 0
    donated: int = 0
    missing: int = 0
    donated_value_cents: int = 0

    def add(self, status: ItemStatus, count: int, value_cents: int) -> None:
        self.expected += count
        if status is not ItemStatus.PENDING:
            self.checked_in += count
        if status in (ItemStatus.APPROVED, ItemStatus.REJECTED):
            self.missing += count
        if status is ItemStatus.REJECTED:
            self.rejected += count
        elif status is ItemStatus.SOLD:
            self.sold += count
        elif status is ItemStatus.RETURNED:
            self.returned += count
        elif status is ItemStatus.DONATED:
            self.donated += count
            self.donated_value_cents += value_cents


class HallReportService:
    """The event's check-in, pick-up and donation figures, from this register's copy."""

    def __init__(self, database: Database, context: RegisterContext) -> None:
        self._database = database
        self._context = context

    def by_consignor(self) -> list[HallReportRow]:
        """One row per consignor, then the event's totals (consignor 0)."""
        with self._database.unit_of_work() as unit:
            figures = unit.item_events.figures_by_consignor(self._context.event_id)
        rows: dict[int, HallReportRow] = {}
        total = HallReportRow(0, "All consignors")
        for number, name, status, count, value in figures:
            row = rows.setdefault(number, HallReportRow(number, name or ""))
            row.add(ItemStatus(status), count, value)
            total.add(ItemStatus(status), count, value)
        return [*rows.values(), total]

    def write_csv(self, path: Path) -> Path:
        """The report as CSV at ``path``; return it."""
        columns = [field.name for field in fields(HallReportRow)]
        return write_csv(path, columns, [asdict(row) for row in self.by_consignor()])
