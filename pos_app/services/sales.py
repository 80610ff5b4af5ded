"""Completing and voiding sales: each one on disk before the caller hears of success.

:meth:`SaleService.complete` is the sale use case. In ONE transaction at ``synchronous=FULL``
it refuses an item this register already sold, numbers the sale (gap-free), builds it with
totals computed by :mod:`pos_app.core` from the lines and the event's tax rule, journals it,
enqueues its bundle for the server, and has the store persist the rows and mark the items
sold; it returns only after COMMIT. Disk problems raise :mod:`pos_app.store.errors`
exceptions and nothing is kept. A void is a new record (with its own journal entry and outbox
bundle) approved by a manager; the sale row is never edited, and a sale is voided at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from pos_app.core.cart import CartLine
from pos_app.core.ids import new_id
from pos_app.core.sale import (
    CompletedSale,
    SaleError,
    SaleHeader,
    SaleVoid,
    build_sale,
    utc_timestamp,
)
from pos_app.core.tender import Tender
from pos_app.core.wire import sale_bundle, void_bundle
from pos_app.services.changes import Changes, changes
from pos_app.services.context import RegisterContext
from pos_app.store import catalog, people
from pos_app.store.engine import Database, UnitOfWork
from pos_app.store.sales import SaleRecord

__all__ = ["AlreadySoldHere", "SaleRecord", "SaleService", "VoidError"]


class AlreadySoldHere(SaleError):
    """An item in the sale was already sold by this register (and not voided)."""


class VoidError(SaleError):
    """A void that cannot be recorded (unknown sale, already voided, no manager)."""


MAX_REASON_LENGTH = 200


class SaleService:
    """Sales of this register."""

    def __init__(
        self, database: Database, context: RegisterContext, clock: Callable[[], datetime]
    ) -> None:
        self._database = database
        self._context = context
        self._clock = clock

    @changes(Changes.OUTBOX)
    def complete(
        self,
        lines: Sequence[CartLine],
        tenders: Sequence[Tender],
        cashier_id: str,
        shift_id: str | None,
    ) -> CompletedSale:
        """Write the sale durably; return after COMMIT (raise SaleError / StoreError if not)."""
        register_id = self._context.register_id
        header = SaleHeader(new_id(), self._context.event_id, register_id, shift_id, cashier_id,
                            utc_timestamp(self._clock()))
        with self._database.durable_unit_of_work() as unit:
            for line in lines:  # a price override stands only with a manager's approval
                if line.overridden and people.cashier_role(
                        unit.connection, line.override_manager_id) != "manager":
                    raise SaleError(f"The price of {line.tag_code} was changed without a "
                                    "manager's approval")
            sold = unit.sales.first_sold_here([line.item_id for line in lines], register_id)
            if sold is not None:
                raise AlreadySoldHere(f"{sold} was already sold at this register")
            policy = catalog.tax_policy(unit.connection, self._context.event_id)
            sale = build_sale(header, unit.sales.next_seq(register_id), lines, tenders, policy)
            unit.sales.add(sale)
            self._journal_and_enqueue(unit, sale)
            unit.commit()
        return sale

    @changes(Changes.OUTBOX)
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
            if unit.sales.register_of(sale_id) != self._context.register_id:
                raise VoidError("No such sale on this register")
            if unit.sales.is_voided(sale_id):
                raise VoidError("This sale was already voided")
            unit.sales.add_void(void)
            entry = unit.journal.append("void", void.id, void.canonical_json(), void.created_at)
            unit.outbox.enqueue("void", void.id, void_bundle(void, entry), void.created_at)
            unit.commit()
        return void

    @staticmethod
    def _journal_and_enqueue(unit: UnitOfWork, sale: CompletedSale) -> None:
        at = sale.header.created_at
        entry = unit.journal.append("sale", sale.id, sale.canonical_json(), at)
        unit.outbox.enqueue("sale", sale.id, sale_bundle(sale, entry), at)

    def get(self, sale_id: str) -> SaleRecord | None:
        with self._database.unit_of_work() as unit:
            return unit.sales.get(sale_id)

    def find(self, code: str) -> SaleRecord | None:
        """A sale by its id, or by its number on this register (``42`` or ``<reg>-42``)."""
        code = code.strip()
        with self._database.unit_of_work() as unit:
            record = unit.sales.get(code)
            seq_text = code.rsplit("-", 1)[-1]
            if record is not None or not seq_text.isdigit():
                return record
            sale_id = unit.sales.id_by_seq(self._context.register_id, int(seq_text))
            return None if sale_id is None else unit.sales.get(sale_id)

    def last(self) -> SaleRecord | None:
        recent = self.recent(1)
        return recent[0] if recent else None

    def recent(self, limit: int = 20) -> list[SaleRecord]:
        """This register's latest sales, newest first."""
        with self._database.unit_of_work() as unit:
            return unit.sales.recent(self._context.register_id, limit)

