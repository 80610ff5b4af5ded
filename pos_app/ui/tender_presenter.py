"""Taking payment for one cart: cash with change, card with a reference, split tenders.

A thin layer over :class:`pos_app.core.tender.TenderSession` that turns its errors into
messages and gives the dialog what it shows (quick cash amounts, what is still owed, the
change due). No widgets here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pos_app.core.money import MoneyError, format_cents
from pos_app.core.tender import (
    Tender,
    TenderError,
    TenderKind,
    TenderSession,
    quick_cash_amounts,
)

_KIND_NAMES = {TenderKind.CASH: "Cash", TenderKind.CARD: "Card", TenderKind.OTHER: "Other"}


@dataclass(frozen=True, slots=True)
class TenderState:
    total_cents: int
    paid_cents: int
    remaining_cents: int
    change_cents: int
    settled: bool


class TenderPresenter:
    def __init__(self, total_cents: int) -> None:
        self.session = TenderSession(total_cents)

    @property
    def state(self) -> TenderState:
        s = self.session
        return TenderState(s.total_cents, s.paid_cents, max(s.remaining_cents, 0),
                           s.change_cents, self.settled)

    @property
    def settled(self) -> bool:
        return self.session.remaining_cents <= 0

    @property
    def tenders(self) -> tuple[Tender, ...]:
        return self.session.tenders

    def quick_amounts(self) -> list[int]:
        owed = self.session.remaining_cents
        return quick_cash_amounts(owed) if owed > 0 else []

    def add_cash(self, given_cents: int | None) -> str | None:
        """Take cash; return an error message for the cashier, or None."""
        if given_cents is None:
            return "Type the cash amount given"
        return self._try(lambda: self.session.add_cash(given_cents))

    def add_card(self, amount_cents: int | None, reference: str) -> str | None:
        amount = self.session.remaining_cents if amount_cents is None else amount_cents
        return self._try(lambda: self.session.add_card(amount, reference))

    def add_other(self, amount_cents: int | None, reference: str) -> str | None:
        amount = self.session.remaining_cents if amount_cents is None else amount_cents
        return self._try(lambda: self.session.add_other(amount, reference))

    def undo(self) -> Tender | None:
        return self.session.remove_last()

    def finish(self) -> tuple[Tender, ...]:
        return self.session.finish()

    def describe(self) -> list[str]:
        """One line per tender taken, for the list in the dialog."""
        return [describe_tender(tender) for tender in self.session.tenders]

    @staticmethod
    def _try(action: Callable[[], object]) -> str | None:
        try:
            action()
        except (TenderError, MoneyError) as error:
            return str(error)
        return None


def describe_tender(tender: Tender) -> str:
    text = f"{_KIND_NAMES[tender.kind]}  {format_cents(tender.amount_cents)}"
    if tender.kind is TenderKind.CASH and tender.given_cents is not None:
        text += f"   (given {format_cents(tender.given_cents)}"
        text += f", change {format_cents(tender.change_cents)})" if tender.change_cents else ")"
    if tender.reference:
        text += f"   ref {tender.reference}"
    return text
