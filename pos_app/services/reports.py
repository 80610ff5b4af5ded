"""Organiser reports from the register's database: sales by hour, category, consignor (with
the consignor's share at their split), tender and cashier. Voided sales are left out of every
figure and counted apart. Money stays in integer cents; shares round with core.money.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from pos_app.core.money import percent_of
from pos_app.store.engine import Database

_KEPT = "s.id NOT IN (SELECT sale_id FROM voids)"


@dataclass(frozen=True, slots=True)
class ReportRow:
    key: str
    sales: int
    items: int
    gross_cents: int


@dataclass(frozen=True, slots=True)
class ConsignorRow:
    number: int
    name: str
    items_sold: int
    gross_cents: int
    split_bp: int
    consignor_share_cents: int
    house_share_cents: int
    unsold_donate: int
    unsold_return: int


def _rows(connection: Connection, key_sql: str, joins: str = "") -> list[ReportRow]:
    result = connection.exec_driver_sql(
        f"SELECT {key_sql} AS k, COUNT(DISTINCT s.id), COUNT(sl.line_no), "
        f"COALESCE(SUM(sl.price_cents), 0) FROM sales s "
        f"JOIN sale_lines sl ON sl.sale_id = s.id {joins} "
        f"WHERE {_KEPT} GROUP BY k ORDER BY k"
    )
    return [ReportRow(str(k), int(n), int(i), int(g)) for k, n, i, g in result]


class ReportService:
    def __init__(self, database: Database) -> None:
        self._database = database

    def by_hour(self) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            return _rows(unit.connection, "substr(s.created_at, 1, 13) || ':00'")

    def by_category(self) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            return _rows(unit.connection, "COALESCE(NULLIF(i.category, ''), '(none)')",
                         "LEFT JOIN items i ON i.id = sl.item_id")

    def by_cashier(self) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            return _rows(unit.connection, "COALESCE(c.name, s.cashier_id)",
                         "LEFT JOIN cashiers c ON c.id = s.cashier_id")

    def by_tender(self) -> list[ReportRow]:
        with self._database.unit_of_work() as unit:
            result = unit.connection.exec_driver_sql(
                f"SELECT t.kind, COUNT(DISTINCT s.id), 0, SUM(t.amount_cents) FROM tenders t "
                f"JOIN sales s ON s.id = t.sale_id WHERE {_KEPT} GROUP BY t.kind ORDER BY t.kind"
            )
            return [ReportRow(str(k), int(n), int(i), int(g)) for k, n, i, g in result]

    def voided(self) -> ReportRow:
        with self._database.unit_of_work() as unit:
            n, items, gross = unit.connection.exec_driver_sql(
                "SELECT COUNT(*), COALESCE(SUM(item_count), 0), COALESCE(SUM(total_cents), 0) "
                "FROM sales WHERE id IN (SELECT sale_id FROM voids)"
            ).one()
        return ReportRow("voided", int(n), int(items), int(gross))

    def by_consignor(self) -> list[ConsignorRow]:
        """Gross per consignor and the split: the consignor's share rounds half up."""
        with self._database.unit_of_work() as unit:
            connection = unit.connection
            consignors = connection.exec_driver_sql(
                "SELECT number, name, split_bp FROM consignors ORDER BY number").all()
            sold = {n: (int(c), int(g)) for n, c, g in connection.exec_driver_sql(
                f"SELECT sl.consignor_number, COUNT(*), SUM(sl.price_cents) FROM sale_lines sl "
                f"JOIN sales s ON s.id = sl.sale_id WHERE {_KEPT} GROUP BY sl.consignor_number")}
            unsold = {n: (int(d), int(k)) for n, d, k in connection.exec_driver_sql(
                "SELECT consignor_number, SUM(donate_if_unsold), SUM(NOT donate_if_unsold) "
                "FROM items WHERE status != 'sold' GROUP BY consignor_number")}
        rows = []
        for number, name, split_bp in consignors:
            items, gross = sold.get(number, (0, 0))
            donate, keep = unsold.get(number, (0, 0))
            share = percent_of(gross, int(split_bp))
            rows.append(ConsignorRow(int(number), str(name), items, gross, int(split_bp), share,
                                     gross - share, donate, keep))
        return rows
