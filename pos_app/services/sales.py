"""Completing and voiding sales: each one on disk before the caller hears of success.

:meth:`SaleService.complete` writes the sale, its lines and tenders, the journal entry, the
outbox bundle and the sold items in ONE transaction at ``synchronous=FULL`` and returns only
after COMMIT; disk problems raise :mod:`pos_app.store.errors` exceptions and nothing is kept.
A void is a new record (with its own journal entry and outbox bundle) approved by a manager;
the sale row is never edited, and a sale is voided at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from pos_app.core.cart import CartLine, Totals
from pos_app.core.ids import new_id
from pos_app.core.sale import CompletedSale, SaleHeader, SaleVoid, utc_timestamp
from pos_app.core.tender import Tender
from pos_app.services.context import RegisterContext
from pos_app.store import people
from pos_app.store import sales as store_sales
from pos_app.store.engine import Database
from pos_app.store.sales import AlreadySoldHere, SaleRecord, VoidError

__all__ = ["AlreadySoldHere", "SaleRecord", "SaleService", "VoidError"]

MAX_REASON_LENGTH = 200


class SaleService:
    """Sales of this register."""

    def __init__(
        self, database: Database, context: RegisterContext, clock: Callable[[], datetime]
    ) -> None:
        self._database = database
        self._context = context
        self._clock = clock

    def complete(
        self,
        lines: Sequence[CartLine],
        totals: Totals,
        tenders: Sequence[Tender],
        cashier_id: str,
        shift_id: str | None,
    ) -> CompletedSale:
        """Write the sale durably; return after COMMIT (raise SaleError / StoreError if not)."""
        header = SaleHeader(new_id(), self._context.event_id, self._context.register_id,
                            shift_id, cashier_id, utc_timestamp(self._clock()))
        with self._database.durable_unit_of_work() as unit:
            sale = store_sales.commit_sale(unit.connection, header, lines, totals, tenders)
            unit.commit()
        return sale

    def void(self, sale_id: str, cashier_id: str, manager_id: str, reason: str) -> SaleVoid:
        """Void a sale with a manager's approval; its items become sellable again."""
        reason = " ".join(reason.split())[:MAX_REASON_LENGTH]
        if not reason:
            raise VoidError("Say why the sale is voided")
        void = SaleVoid(new_id(), sale_id, self._context.event_id, self._context.register_id,
                        cashier_id, manager_id, reason, utc_timestamp(self._clock()))
        with self._database.durable_unit_of_work() as unit:
            if people.cashier_role(unit.connection, manager_id) != "manager":
                raise VoidError("A void needs a manager's approval")
            store_sales.commit_void(unit.connection, void)
            unit.commit()
        return void

    def get(self, sale_id: str) -> SaleRecord | None:
        with self._database.unit_of_work() as unit:
            return store_sales.get_sale(unit.connection, sale_id)

    def find(self, code: str) -> SaleRecord | None:
        """A sale by its id, or by its number on this register (``42`` or ``<reg>-42``)."""
        code = code.strip()
        with self._database.unit_of_work() as unit:
            record = store_sales.get_sale(unit.connection, code)
            seq_text = code.rsplit("-", 1)[-1]
            if record is not None or not seq_text.isdigit():
                return record
            sale_id = store_sales.find_sale_id_by_seq(
                unit.connection, self._context.register_id, int(seq_text))
            return None if sale_id is None else store_sales.get_sale(unit.connection, sale_id)

    def last(self) -> SaleRecord | None:
        recent = self.recent(1)
        return recent[0] if recent else None

    def recent(self, limit: int = 20) -> list[SaleRecord]:
        """This register's latest sales, newest first."""
        with self._database.unit_of_work() as unit:
            return store_sales.recent_sales(unit.connection, self._context.register_id, limit)

