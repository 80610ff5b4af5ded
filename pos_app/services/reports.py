"""Organiser reports from the register's own database (queries in :mod:`pos_app.store.reports`).

Sales by hour (wall-clock hours of the event's time zone), by category, by consignor (with
the consignor's share at their split and the unsold items to donate or hand back), by tender
and by cashier, plus the totals and the list of voided sales.

Figures:

- ``gross_cents`` is what the items sold for: line prices after discounts, before tax (tax is
  not the consignor's money). ``discount_cents`` is what the discounts took off.
- A voided sale is left out of every figure and listed apart (:meth:`ReportService.voided`).
- Tender amounts are what each tender paid towards the total (cash net of change), so they add
  up to the sales' totals, tax included.
- A consignor's share is ``percent_of(gross, split_bp)`` on their gross (rounded half up once
  per consignor); the house keeps the rest. This register knows only its own sales: the
  event-wide payout comes from the central database after sync.
- Unsold items are those still ``pending`` or ``approved``, counted apart as donate-if-unsold
  or to hand back; ``sold_elsewhere`` counts items another register sold.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from pos_app.core.money import percent_of
from pos_app.services.hall_reports import HallReportService
from pos_app.store.engine import Database
from pos_app.store.reports import (
    NO_CATEGORY,
    UNSOLD_STATUSES,
    ConsignorRow,
    ReportRepository,
    ReportRow,
    ReportScope,
    SummaryRow,
    TenderRow,
    VoidedSaleRow,
)

__all__ = [
    "NO_CATEGORY", "UNKNOWN_CONSIGNOR", "UNSOLD_STATUSES", "ConsignorRow", "ReportRow",
    "ReportService", "SummaryRow", "TenderRow", "VoidedSaleRow", "hour_key",
]

UNKNOWN_CONSIGNOR = "(not in the catalog)"


def hour_key(created_at: str, zone: tzinfo) -> str:
    """The wall-clock hour in ``zone`` of an ISO-8601 UTC timestamp: ``2026-05-16 10:00``."""
    moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:00")


class ReportService:
    """Read-only reports; each call opens its own unit of work on the calling thread.

    ``event_id`` defaults to the register's event (all rows when the register is not set up);
    ``zone`` (for the hourly report) defaults to the event's time zone.
    """

    def __init__(self, database: Database, *, event_id: str | None = None,
                 zone: tzinfo | None = None) -> None:
        self._database = database
        self._event_id = event_id
        self._zone = zone

    def zone(self) -> tzinfo:
        """The time zone the hourly report uses."""
        with self._database.unit_of_work() as unit:
            return self._scope_of(unit.reports).zone

    def by_hour(self) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            scope = self._scope_of(unit.reports)
            rows = unit.reports.sale_times(scope)
        buckets: dict[str, list[int]] = {}
        for created_at, count, gross, discount in rows:
            bucket = buckets.setdefault(hour_key(created_at, scope.zone), [0, 0, 0, 0])
            for index, value in enumerate((1, count, gross, discount)):
                bucket[index] += value
        return [ReportRow(key, *values) for key, values in sorted(buckets.items())]

    def by_category(self) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            return unit.reports.by_category(self._scope_of(unit.reports))

    def by_cashier(self) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            return unit.reports.by_cashier(self._scope_of(unit.reports))

    def by_tender(self) -> list[TenderRow]:
        with self._database.unit_of_work() as unit:
            return unit.reports.by_tender(self._scope_of(unit.reports))

    def by_consignor(self) -> list[ConsignorRow]:
        """Every consignor of the event, with what sold here and what is left unsold."""
        with self._database.unit_of_work() as unit:
            scope = self._scope_of(unit.reports)
            known = unit.reports.consignors(scope)
            sold = unit.reports.sold_by_consignor(scope)
            left = unit.reports.unsold_by_consignor(scope)
        numbers = sorted(set(known) | set(sold) | set(left))
        return [_consignor_row(n, known.get(n), sold.get(n, (0, 0)), left.get(n, (0, 0, 0)))
                for n in numbers]

    def voided(self) -> list[VoidedSaleRow]:
        """The voided sales, oldest first (not counted in any other figure)."""
        with self._database.unit_of_work() as unit:
            return unit.reports.voided(self._scope_of(unit.reports))

    def summary(self) -> SummaryRow:
        """Totals of the kept sales (tax included in ``total_cents``) and of the voided."""
        with self._database.unit_of_work() as unit:
            return unit.reports.summary(self._scope_of(unit.reports))

    def hall(self) -> HallReportService:
        """The hall's check-in, pick-up and donation figures for the same event."""
        return HallReportService(self._database, event_id=self._event_id)

    def _scope_of(self, reports: ReportRepository) -> ReportScope:
        return reports.scope(self._event_id, self._zone)


def _consignor_row(number: int, known: tuple[str, int] | None, sold: tuple[int, int],
                   left: tuple[int, int, int]) -> ConsignorRow:
    name, split_bp = known if known is not None else (UNKNOWN_CONSIGNOR, 0)
    count, gross = sold
    share = percent_of(gross, split_bp)
    return ConsignorRow(number, name, count, gross, split_bp, share, gross - share, *left)
