"""Helpers shared by the store tests: a clock and a till that rings up demo items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from pos_app.core.cart import Cart, CartLine
from pos_app.core.sale import CompletedSale
from pos_app.core.tender import Tender, TenderSession
from pos_app.services.catalog import CatalogService, ItemView
from pos_app.services.checkout import add_item
from pos_app.services.context import RegisterContext
from pos_app.services.sales import SaleService
from pos_app.store.engine import Database

EVENT_DAY = date(2026, 11, 21)


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 20, 15, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=7)
        return self.now


@dataclass
class Till:
    """Rings up demo items the way the GUI does: lookup, add_item, tenders, complete."""

    database: Database
    context: RegisterContext
    clock: Clock
    cashier_id: str = "demo-cashier"

    @property
    def catalog(self) -> CatalogService:
        return CatalogService(self.database, self.context)

    @property
    def sales(self) -> SaleService:
        return SaleService(self.database, self.context, self.clock)

    def cart(self, tags: Sequence[str], *, override: bool = False) -> Cart:
        cart = Cart(policy=self.catalog.policy())
        for tag in tags:
            item = self.catalog.lookup(tag)
            assert isinstance(item, ItemView), item
            assert isinstance(add_item(cart, item, self.clock(), override=override), int)
        return cart

    def pay(self, cart: Cart, *, card_cents: int = 0, extra_cash: int = 0) -> tuple[
        list[CartLine], tuple[Tender, ...]
    ]:
        session = TenderSession(cart.totals().total_cents)
        if card_cents:
            session.add_card(card_cents, "AUTH-1")
        if session.remaining_cents:
            session.add_cash(session.remaining_cents + extra_cash)
        return list(cart.lines), session.finish()

    def sell(self, tags: Sequence[str], *, shift_id: str | None = None, card_cents: int = 0,
             extra_cash: int = 0, override: bool = False) -> CompletedSale:
        lines, tenders = self.pay(self.cart(tags, override=override),
                                  card_cents=card_cents, extra_cash=extra_cash)
        return self.sales.complete(lines, tenders, self.cashier_id, shift_id)


def tags(consignor: int, first: int, count: int) -> list[str]:
    return [f"{consignor:04d}-{n:04d}" for n in range(first, first + count)]
