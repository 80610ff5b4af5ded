"""Organiser reports from the register's own database, through SQLAlchemy Core.

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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from pos_app.core.money import percent_of
from pos_app.store import models
from pos_app.store.catalog import event_zone
from pos_app.store.engine import Database

sales = models.sales
lines = models.sale_lines
tenders = models.tenders
voids = models.voids
items = models.items
consignors = models.consignors
cashiers = models.cashiers
events = models.events
registers = models.registers

UNSOLD_STATUSES = ("pending", "approved")
NO_CATEGORY = "(none)"
UNKNOWN_CONSIGNOR = "(not in the catalog)"


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One line of the hour, category or cashier report."""

    key: str
    sales: int
    items: int
    gross_cents: int
    discount_cents: int


@dataclass(frozen=True, slots=True)
class TenderRow:
    """One tender kind: how many sales used it, how many tenders, and what they paid."""

    kind: str
    sales: int
    tenders: int
    amount_cents: int


@dataclass(frozen=True, slots=True)
class ConsignorRow:
    """A consignor's sales here, the split, and their unsold items."""

    number: int
    name: str
    items_sold: int
    gross_cents: int
    split_bp: int
    consignor_share_cents: int
    house_share_cents: int
    unsold_donate: int
    unsold_return: int
    sold_elsewhere: int


@dataclass(frozen=True, slots=True)
class VoidedSaleRow:
    """A voided sale, listed apart from the figures."""

    seq: int
    sale_id: str
    sold_at: str
    voided_at: str
    cashier: str
    manager: str
    reason: str
    items: int
    total_cents: int


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """The totals of the kept sales, and of the voided ones."""

    sales: int
    items: int
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    voided_sales: int
    voided_total_cents: int


@dataclass(frozen=True, slots=True)
class _Scope:
    event_id: str | None
    register_id: str | None
    zone: tzinfo


def _kept() -> ColumnElement[bool]:
    return sales.c.id.not_in(select(voids.c.sale_id))


def _sum(column: Any) -> Any:
    return func.coalesce(func.sum(column), 0)


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
            return self._scope(unit.connection).zone

    def by_hour(self) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            scope = self._scope(unit.connection)
            per_sale = lines_per_sale()
            rows = unit.connection.execute(
                select(sales.c.created_at, per_sale.c.line_count, per_sale.c.gross,
                       per_sale.c.discount)
                .join_from(sales, per_sale, per_sale.c.sale_id == sales.c.id)
                .where(_kept(), *self._sales_in(scope))
            ).all()
        buckets: dict[str, list[int]] = {}
        for created_at, count, gross, discount in rows:
            bucket = buckets.setdefault(hour_key(str(created_at), scope.zone), [0, 0, 0, 0])
            for index, value in enumerate((1, count, gross, discount)):
                bucket[index] += int(value)
        return [ReportRow(key, *values) for key, values in sorted(buckets.items())]

    def by_category(self) -> list[ReportRow]:
        key = func.coalesce(func.nullif(items.c.category, ""), NO_CATEGORY)
        return self._grouped(key, key, outer=(items, items.c.id == lines.c.item_id))

    def by_cashier(self) -> list[ReportRow]:
        key = func.coalesce(cashiers.c.name, sales.c.cashier_id)
        return self._grouped(sales.c.cashier_id, key,
                             outer=(cashiers, cashiers.c.id == sales.c.cashier_id))

    def by_tender(self) -> list[TenderRow]:
        with self._database.unit_of_work() as unit:
            scope = self._scope(unit.connection)
            rows = unit.connection.execute(
                select(tenders.c.kind, func.count(sales.c.id.distinct()), func.count(),
                       _sum(tenders.c.amount_cents))
                .join_from(tenders, sales, sales.c.id == tenders.c.sale_id)
                .where(_kept(), *self._sales_in(scope))
                .group_by(tenders.c.kind).order_by(tenders.c.kind)
            ).all()
        return [TenderRow(str(kind), int(n), int(t), int(amount)) for kind, n, t, amount in rows]

    def by_consignor(self) -> list[ConsignorRow]:
        """Every consignor of the event, with what sold here and what is left unsold."""
        with self._database.unit_of_work() as unit:
            scope = self._scope(unit.connection)
            known = self._consignors(unit.connection, scope)
            sold = self._sold_by_consignor(unit.connection, scope)
            left = self._unsold_by_consignor(unit.connection, scope)
        numbers = sorted(set(known) | set(sold) | set(left))
        return [_consignor_row(n, known.get(n), sold.get(n, (0, 0)), left.get(n, (0, 0, 0)))
                for n in numbers]

    def voided(self) -> list[VoidedSaleRow]:
        """The voided sales, oldest first (not counted in any other figure)."""
        manager = cashiers.alias("manager")
        with self._database.unit_of_work() as unit:
            scope = self._scope(unit.connection)
            rows = unit.connection.execute(
                select(sales.c.seq, sales.c.id, sales.c.created_at, voids.c.created_at,
                       func.coalesce(cashiers.c.name, sales.c.cashier_id),
                       func.coalesce(manager.c.name, voids.c.manager_id, ""),
                       voids.c.reason, sales.c.item_count, sales.c.total_cents)
                .join_from(sales, voids, voids.c.sale_id == sales.c.id)
                .outerjoin(cashiers, cashiers.c.id == sales.c.cashier_id)
                .outerjoin(manager, manager.c.id == voids.c.manager_id)
                .where(*self._sales_in(scope)).order_by(sales.c.seq)
            ).all()
        return [VoidedSaleRow(int(seq), str(sid), str(sold), str(voided), str(who), str(mgr),
                              str(why), int(n), int(total))
                for seq, sid, sold, voided, who, mgr, why, n, total in rows]

    def summary(self) -> SummaryRow:
        """Totals of the kept sales (tax included in ``total_cents``) and of the voided."""
        is_void = sales.c.id.in_(select(voids.c.sale_id))
        kept = case((is_void, 0), else_=1)
        with self._database.unit_of_work() as unit:
            scope = self._scope(unit.connection)
            row = unit.connection.execute(
                select(_sum(kept), _sum(sales.c.item_count * kept),
                       _sum(sales.c.subtotal_cents * kept), _sum(sales.c.discount_cents * kept),
                       _sum(sales.c.tax_cents * kept), _sum(sales.c.total_cents * kept),
                       _sum(1 - kept), _sum(sales.c.total_cents * (1 - kept)))
                .where(*self._sales_in(scope))
            ).one()
        return SummaryRow(*(int(value) for value in row))

    def _grouped(self, group: Any, key: Any, *, outer: tuple[Any, Any]) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            scope = self._scope(unit.connection)
            rows = unit.connection.execute(
                select(key, func.count(sales.c.id.distinct()), func.count(),
                       _sum(lines.c.price_cents), _sum(lines.c.discount_cents))
                .join_from(lines, sales, sales.c.id == lines.c.sale_id)
                .outerjoin(*outer)
                .where(_kept(), *self._sales_in(scope))
                .group_by(group).order_by(key)
            ).all()
        return [ReportRow(str(k), int(n), int(i), int(g), int(d)) for k, n, i, g, d in rows]

    def _consignors(self, connection: Connection, scope: _Scope) -> dict[int, tuple[str, int]]:
        statement = select(consignors.c.number, consignors.c.name, consignors.c.split_bp)
        if scope.event_id is not None:
            statement = statement.where(consignors.c.event_id == scope.event_id)
        return {int(n): (str(name), int(bp)) for n, name, bp in connection.execute(statement)}

    def _sold_by_consignor(self, connection: Connection,
                           scope: _Scope) -> dict[int, tuple[int, int]]:
        rows = connection.execute(
            select(lines.c.consignor_number, func.count(), _sum(lines.c.price_cents))
            .join_from(lines, sales, sales.c.id == lines.c.sale_id)
            .where(_kept(), *self._sales_in(scope)).group_by(lines.c.consignor_number)
        )
        return {int(n): (int(count), int(gross)) for n, count, gross in rows}

    def _unsold_by_consignor(self, connection: Connection,
                             scope: _Scope) -> dict[int, tuple[int, int, int]]:
        unsold = items.c.status.in_(UNSOLD_STATUSES)
        elsewhere = (items.c.status == "sold") & (
            func.coalesce(items.c.sold_register_id, "") != (scope.register_id or ""))
        statement = select(
            items.c.consignor_number,
            _sum(case((unsold & items.c.donate_if_unsold, 1), else_=0)),
            _sum(case((unsold & ~items.c.donate_if_unsold, 1), else_=0)),
            _sum(case((elsewhere, 1), else_=0)),
        ).group_by(items.c.consignor_number)
        if scope.event_id is not None:
            statement = statement.where(items.c.event_id == scope.event_id)
        return {int(n): (int(d), int(r), int(e)) for n, d, r, e in connection.execute(statement)}

    def _sales_in(self, scope: _Scope) -> Iterable[ColumnElement[bool]]:
        return () if scope.event_id is None else (sales.c.event_id == scope.event_id,)

    def _scope(self, connection: Connection) -> _Scope:
        register = connection.execute(select(registers.c.id, registers.c.event_id)).first()
        register_id = None if register is None else str(register[0])
        event_id = self._event_id or (None if register is None else str(register[1]))
        zone = self._zone
        if zone is None:
            name = None if event_id is None else connection.execute(
                select(events.c.timezone).where(events.c.id == event_id)).scalar_one_or_none()
            zone = event_zone(name) or UTC
        return _Scope(event_id, register_id, zone)


def lines_per_sale() -> Any:
    """A subquery: each sale's line count, gross and discount."""
    return (select(lines.c.sale_id, func.count().label("line_count"),
                   _sum(lines.c.price_cents).label("gross"),
                   _sum(lines.c.discount_cents).label("discount"))
            .group_by(lines.c.sale_id).subquery())


def _consignor_row(number: int, known: tuple[str, int] | None, sold: tuple[int, int],
                   left: tuple[int, int, int]) -> ConsignorRow:
    name, split_bp = known if known is not None else (UNKNOWN_CONSIGNOR, 0)
    count, gross = sold
    share = percent_of(gross, split_bp)
    return ConsignorRow(number, name, count, gross, split_bp, share, gross - share, *left)
