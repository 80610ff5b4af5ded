"""The hall's figures per consignor and for the event: check-in, pick-up and donations.

One row per consignor: items expected (every item in the catalog copy), checked in (no longer
pending), rejected, sold, returned, donated and still missing (approved or rejected, neither
sold nor collected), each with its items' tag value. The last row, consignor 0 named "All
consignors", holds the event's totals. The rejections report splits the rejected items by the
reason given at check-in: an item rejected at another register arrives by the catalog pull
without its event, so its reason is :data:`REASON_NOT_HERE`. The event's totals list every
reason of :data:`~pos_app.core.item_events.REJECT_REASONS`, even at zero. The donations
report lists each charity run recorded at this register (:mod:`pos_app.services.donations`)
by category, as its donation receipt does, then run 0, "All charity runs", with the totals.

The same rows appear in the reports dialog (Ctrl+R) and in ``pos-app report hall rejections
donations`` (:mod:`pos_app.services.export`), the first in the hall window too; the CSV follows
the other reports (:func:`pos_app.services.csv_files.write_csv`: cents and formatted money
columns).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pos_app.core.item_events import REJECT_REASONS
from pos_app.core.items import ItemStatus
from pos_app.services.context import RegisterContext
from pos_app.services.csv_files import write_csv
from pos_app.store import charity_runs
from pos_app.store.engine import Database, UnitOfWork

__all__ = ["ALL_CONSIGNORS", "ALL_RUNS", "REASON_NOT_HERE", "DonationRow", "HallReportRow",
           "HallReportService", "RejectionRow"]

ALL_CONSIGNORS = "All consignors"
ALL_RUNS = "All charity runs"
REASON_NOT_HERE = "(rejected at another register)"


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
    expected_value_cents: int = 0
    checked_in_value_cents: int = 0
    rejected_value_cents: int = 0
    sold_value_cents: int = 0
    returned_value_cents: int = 0
    donated_value_cents: int = 0
    missing_value_cents: int = 0

    def add(self, status: ItemStatus, count: int, value_cents: int) -> None:
        self._bump("expected", count, value_cents)
        if status is not ItemStatus.PENDING:
            self._bump("checked_in", count, value_cents)
        if status in (ItemStatus.APPROVED, ItemStatus.REJECTED):
            self._bump("missing", count, value_cents)
        figure = _FIGURE_OF.get(status)
        if figure is not None:
            self._bump(figure, count, value_cents)

    def _bump(self, figure: str, count: int, value_cents: int) -> None:
        setattr(self, figure, getattr(self, figure) + count)
        value = f"{figure}_value_cents"
        setattr(self, value, getattr(self, value) + value_cents)


_FIGURE_OF = {ItemStatus.REJECTED: "rejected", ItemStatus.SOLD: "sold",
              ItemStatus.RETURNED: "returned", ItemStatus.DONATED: "donated"}


@dataclass(slots=True)
class DonationRow:
    """The items of one category given away in one charity run (a close of pick-up)."""

    run: int
    charity: str
    closed_at: str
    closed_by: str
    category: str
    items: int
    value_cents: int


@dataclass(slots=True)
class RejectionRow:
    """The items of one consignor (0: the event) still rejected for one reason."""

    consignor_number: int
    name: str
    reason: str
    items: int = 0
    value_cents: int = 0


class HallReportService:
    """The event's check-in, pick-up and donation figures, from this register's copy.

    The event is the context's; without a context, ``event_id`` or else the register's own.
    """

    def __init__(self, database: Database, context: RegisterContext | None = None, *,
                 event_id: str | None = None) -> None:
        self._database = database
        self._event_id = context.event_id if context is not None else event_id

    def by_consignor(self) -> list[HallReportRow]:
        """One row per consignor, then the event's totals (consignor 0)."""
        with self._database.unit_of_work() as unit:
            event_id = self._event(unit)
            figures = unit.item_events.figures_by_consignor(event_id) if event_id else []
        rows: dict[int, HallReportRow] = {}
        total = HallReportRow(0, ALL_CONSIGNORS)
        for number, name, status, count, value in figures:
            row = rows.setdefault(number, HallReportRow(number, name or ""))
            row.add(ItemStatus(status), count, value)
            total.add(ItemStatus(status), count, value)
        return [*rows.values(), total]

    def rejections(self) -> list[RejectionRow]:
        """Rejected items by consignor and reason, then the event's totals by reason."""
        with self._database.unit_of_work() as unit:
            event_id = self._event(unit)
            found = unit.item_events.rejections_by_consignor(event_id) if event_id else []
        totals = {reason: RejectionRow(0, ALL_CONSIGNORS, reason) for reason in REJECT_REASONS}
        rows: list[RejectionRow] = []
        for number, name, reason, count, value in found:
            shown = reason or REASON_NOT_HERE
            rows.append(RejectionRow(number, name or "", shown, count, value))
            total = totals.setdefault(shown, RejectionRow(0, ALL_CONSIGNORS, shown))
            total.items += count
            total.value_cents += value
        return [*rows, *totals.values()]

    def donations(self) -> list[DonationRow]:
        """Each charity run recorded here by category (its receipt's figures), then totals."""
        with self._database.unit_of_work() as unit:
            event_id = self._event(unit)
            runs = charity_runs.list_runs(unit.connection, event_id) if event_id else []
            rows = [DonationRow(run.number, run.charity, run.created_at, run.manager_name,
                                figure.category, figure.items, figure.value_cents)
                    for run in runs
                    for figure in charity_runs.by_category(unit.connection, run.id)]
        return [*rows, DonationRow(0, ALL_RUNS, "", "", "", sum(r.items for r in rows),
                                   sum(r.value_cents for r in rows))]

    def write_csv(self, path: Path) -> Path:
        """The per-consignor report as CSV at ``path``; return it."""
        columns = [field.name for field in fields(HallReportRow)]
        return write_csv(path, columns, [asdict(row) for row in self.by_consignor()])

    def _event(self, unit: UnitOfWork) -> str | None:
        if self._event_id is not None:
            return self._event_id
        return unit.reports.scope(None, None).event_id
