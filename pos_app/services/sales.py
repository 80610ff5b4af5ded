"""Completing and voiding sales: each one durable before the caller hears of success."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from pos_app.core.cart import CartLine, Totals
from pos_app.core.ids import new_id
from pos_app.core.sale import CompletedSale, SaleError, SaleHeader, SaleVoid, utc_timestamp
from pos_app.core.tender import Tender
from pos_app.services.context import RegisterContext
from pos_app.store import sales as store_sales
from pos_app.store.engine import Database
from pos_app.store.sales import SaleRecord

MAX_REASON_LENGTH = 200


class SaleService:
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
        """Write the sale in one transaction at synchronous=FULL; return after COMMIT."""
        header = SaleHeader(new_id(), self._context.event_id, self._context.register_id,
                            shift_id, cashier_id, utc_timestamp(self._clock()))
        with self._database.durable_unit_of_work() as unit:
            sale = store_sales.commit_sale(unit.connection, header, lines, totals, tenders)
            unit.commit()
        return sale

    def void(self, sale_id: str, cashier_id: str, manager_id: str, reason: str) -> SaleVoid:
        reason = reason.strip()[:MAX_REASON_LENGTH]
        if not reason:
            raise SaleError("Say why the sale is voided")
        void = SaleVoid(new_id(), sale_id, self._context.event_id, self._context.register_id,
                        cashier_id, manager_id, reason, utc_timestamp(self._clock()))
        with self._database.durable_unit_of_work() as unit:
            store_sales.commit_void(unit.connection, void)
            unit.commit()
        return void

    def get(self, sale_id: str) -> SaleRecord | None:
        with self._database.unit_of_work() as unit:
            return store_sales.get_sale(unit.connection, sale_id)

    def find(self, code: str) -> SaleRecord | None:
        """A sale by its id or by the receipt barcode ``<register>-<seq>``/plain seq number."""
        with self._database.unit_of_work() as unit:
            record = store_sales.get_sale(unit.connection, code)
            if record is not None:
                return record
            seq_text = code.rsplit("-", 1)[-1]
            if not seq_text.isdigit():
                return None
            sale_id = store_sales.find_sale_id_by_seq(
                unit.connection, self._context.register_id, int(seq_text))
            return None if sale_id is None else store_sales.get_sale(unit.connection, sale_id)

    def last(self) -> SaleRecord | None:
        recent = self.recent(1)
        return recent[0] if recent else None

    def recent(self, limit: int = 20) -> list[SaleRecord]:
        with self._database.unit_of_work() as unit:
            ids = store_sales.recent_sale_ids(unit.connection, self._context.register_id, limit)
            records = [store_sales.get_sale(unit.connection, sale_id) for sale_id in ids]
        return [record for record in records if record is not None]
