"""The reports repository: read-only aggregate queries over sales, lines, tenders and items.

:class:`pos_app.services.reports.ReportService` decides what the figures mean (hours in the
event's zone, the consignor's share); this module only reads. A voided sale is left out of
every figure but :meth:`ReportRepository.voided` and the voided columns of the summary. A
refunded line is left out of the line figures (hour, category, cashier, consignor): the item
came back and its consignor is not paid for it; the summary's sale totals stay as sold (the X/Z
report shows the refunds against the cash).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from pos_app.core.items import ItemStatus
from pos_app.store import models
from pos_app.store.catalog import event_zone

sales = models.sales
lines = models.sale_lines
tenders = models.tenders
voids = models.voids
items = models.items
consignors = models.consignors
cashiers = models.cashiers
events = models.events
registers = models.registers
refunds = models.refunds

UNSOLD_STATUSES = (ItemStatus.PENDING.value, ItemStatus.APPROVED.value)
NO_CATEGORY = "(none)"


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
class ReportScope:
    """Which sales a report reads (an event, or all) and the zone of its hours."""

    event_id: str | None
    register_id: str | None
    zone: tzinfo


def _line_kept() -> ColumnElement[bool]:
    """The line was not refunded since."""
    return ~select(refunds.c.id).where(refunds.c.sale_id == lines.c.sale_id,
                                       refunds.c.line_no == lines.c.line_no).exists()


def _kept() -> ColumnElement[bool]:
    return sales.c.id.not_in(select(voids.c.sale_id))


def _sum(column: Any) -> Any:
    return func.coalesce(func.sum(column), 0)


def _sales_in(scope: ReportScope) -> Iterable[ColumnElement[bool]]:
    return () if scope.event_id is None else (sales.c.event_id == scope.event_id,)


class ReportRepository:
    """Aggregates for the reports, inside the caller's (read-only) unit of work."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def scope(self, event_id: str | None, zone: tzinfo | None) -> ReportScope:
        """The register's event unless ``event_id`` is given; the event's zone unless given."""
        connection = self._connection
        register = connection.execute(select(registers.c.id, registers.c.event_id)).first()
        register_id = None if register is None else str(register[0])
        event_id = event_id or (None if register is None else str(register[1]))
        if zone is None:
            name = None if event_id is None else connection.execute(
                select(events.c.timezone).where(events.c.id == event_id)).scalar_one_or_none()
            zone = event_zone(name) or UTC
        return ReportScope(event_id, register_id, zone)

    def sale_times(self, scope: ReportScope) -> list[tuple[str, int, int, int]]:
        """Each kept sale's time, line count, gross and discount."""
        per_sale = (select(lines.c.sale_id, func.count().label("line_count"),
                           _sum(lines.c.price_cents).label("gross"),
                           _sum(lines.c.discount_cents).label("discount"))
                    .where(_line_kept()).group_by(lines.c.sale_id).subquery())
        rows = self._connection.execute(
            select(sales.c.created_at, per_sale.c.line_count, per_sale.c.gross,
                   per_sale.c.discount)
            .join_from(sales, per_sale, per_sale.c.sale_id == sales.c.id)
            .where(_kept(), *_sales_in(scope))
        ).all()
        return [(str(at), int(n), int(gross), int(discount)) for at, n, gross, discount in rows]

    def by_category(self, scope: ReportScope) -> list[ReportRow]:
        key = func.coalesce(func.nullif(items.c.category, ""), NO_CATEGORY)
        return self._grouped(scope, key, key, outer=(items, items.c.id == lines.c.item_id))

    def by_cashier(self, scope: ReportScope) -> list[ReportRow]:
        key = func.coalesce(cashiers.c.name, sales.c.cashier_id)
        return self._grouped(scope, sales.c.cashier_id, key,
                             outer=(cashiers, cashiers.c.id == sales.c.cashier_id))

    def by_tender(self, scope: ReportScope) -> list[TenderRow]:
        rows = self._connection.execute(
            select(tenders.c.kind, func.count(sales.c.id.distinct()), func.count(),
                   _sum(tenders.c.amount_cents))
            .join_from(tenders, sales, sales.c.id == tenders.c.sale_id)
            .where(_kept(), *_sales_in(scope))
            .group_by(tenders.c.kind).order_by(tenders.c.kind)
        ).all()
        return [TenderRow(str(kind), int(n), int(t), int(amount)) for kind, n, t, amount in rows]

    def consignors(self, scope: ReportScope) -> dict[int, tuple[str, int]]:
        """The event's consignors: number -> (name, split in basis points)."""
        statement = select(consignors.c.number, consignors.c.name, consignors.c.split_bp)
        if scope.event_id is not None:
            statement = statement.where(consignors.c.event_id == scope.event_id)
        return {int(n): (str(name), int(bp))
                for n, name, bp in self._connection.execute(statement)}

    def sold_by_consignor(self, scope: ReportScope) -> dict[int, tuple[int, int]]:
        """Consignor number -> (items sold, gross) in the kept sales."""
        rows = self._connection.execute(
            select(lines.c.consignor_number, func.count(), _sum(lines.c.price_cents))
            .join_from(lines, sales, sales.c.id == lines.c.sale_id)
            .where(_kept(), _line_kept(), *_sales_in(scope)).group_by(lines.c.consignor_number)
        )
        return {int(n): (int(count), int(gross)) for n, count, gross in rows}

    def unsold_by_consignor(self, scope: ReportScope) -> dict[int, tuple[int, int, int]]:
        """Consignor number -> (unsold to donate, unsold to hand back, sold elsewhere)."""
        unsold = items.c.status.in_(UNSOLD_STATUSES)
        elsewhere = (items.c.status == ItemStatus.SOLD.value) & (
            func.coalesce(items.c.sold_register_id, "") != (scope.register_id or ""))
        statement = select(
            items.c.consignor_number,
            _sum(case((unsold & items.c.donate_if_unsold, 1), else_=0)),
            _sum(case((unsold & ~items.c.donate_if_unsold, 1), else_=0)),
            _sum(case((elsewhere, 1), else_=0)),
        ).group_by(items.c.consignor_number)
        if scope.event_id is not None:
            statement = statement.where(items.c.event_id == scope.event_id)
        return {int(n): (int(d), int(r), int(e))
                for n, d, r, e in self._connection.execute(statement)}

    def voided(self, scope: ReportScope) -> list[VoidedSaleRow]:
        """The voided sales, oldest first."""
        manager = cashiers.alias("manager")
        rows = self._connection.execute(
            select(sales.c.seq, sales.c.id, sales.c.created_at, voids.c.created_at,
                   func.coalesce(cashiers.c.name, sales.c.cashier_id),
                   func.coalesce(manager.c.name, voids.c.manager_id, ""),
                   voids.c.reason, sales.c.item_count, sales.c.total_cents)
            .join_from(sales, voids, voids.c.sale_id == sales.c.id)
            .outerjoin(cashiers, cashiers.c.id == sales.c.cashier_id)
            .outerjoin(manager, manager.c.id == voids.c.manager_id)
            .where(*_sales_in(scope)).order_by(sales.c.seq)
        ).all()
        return [VoidedSaleRow(int(seq), str(sid), str(sold), str(voided), str(who), str(mgr),
                              str(why), int(n), int(total))
                for seq, sid, sold, voided, who, mgr, why, n, total in rows]

    def summary(self, scope: ReportScope) -> SummaryRow:
        """Totals of the kept sales (tax included in ``total_cents``) and of the voided."""
        is_void = sales.c.id.in_(select(voids.c.sale_id))
        kept = case((is_void, 0), else_=1)
        row = self._connection.execute(
            select(_sum(kept), _sum(sales.c.item_count * kept),
                   _sum(sales.c.subtotal_cents * kept), _sum(sales.c.discount_cents * kept),
                   _sum(sales.c.tax_cents * kept), _sum(sales.c.total_cents * kept),
                   _sum(1 - kept), _sum(sales.c.total_cents * (1 - kept)))
            .where(*_sales_in(scope))
        ).one()
        return SummaryRow(*(int(value) for value in row))

    def _grouped(self, scope: ReportScope, group: Any, key: Any, *,
                 outer: tuple[Any, Any]) -> list[ReportRow]:
        rows = self._connection.execute(
            select(key, func.count(sales.c.id.distinct()), func.count(),
                   _sum(lines.c.price_cents), _sum(lines.c.discount_cents))
            .join_from(lines, sales, sales.c.id == lines.c.sale_id)
            .outerjoin(*outer)
            .where(_kept(), _line_kept(), *_sales_in(scope))
            .group_by(group).order_by(key)
        ).all()
        return [ReportRow(str(k), int(n), int(i), int(g), int(d)) for k, n, i, g, d in rows]
