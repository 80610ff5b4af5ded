"""Tenders: cash with change, card with the terminal's reference, other (voucher, check), split.

Rules: card and other tenders may not exceed what is still owed (a card terminal never gives
change); cash may, and the excess is the change due, which must then be the last tender.
A sale is settled only when the tenders cover the total exactly after change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pos_app.core.money import format_cents, require_cents

MAX_REFERENCE_LENGTH = 64
QUICK_CASH_BILLS = (500, 1_000, 2_000, 5_000, 10_000)


class TenderKind(StrEnum):
    CASH = "cash"
    CARD = "card"
    OTHER = "other"


class TenderError(ValueError):
    """A tender the cashier must correct."""


class ShortTender(TenderError):
    def __init__(self, remaining_cents: int) -> None:
        super().__init__(f"Still owed: {format_cents(remaining_cents)}")
        self.remaining_cents = remaining_cents


@dataclass(frozen=True, slots=True)
class Tender:
    kind: TenderKind
    amount_cents: int
    given_cents: int | None = None
    change_cents: int = 0
    reference: str | None = None


@dataclass
class TenderSession:
    """Tenders being taken for one sale's total."""

    total_cents: int
    _tenders: list[Tender] = field(default_factory=list)

    @property
    def tenders(self) -> tuple[Tender, ...]:
        return tuple(self._tenders)

    @property
    def paid_cents(self) -> int:
        return sum(tender.amount_cents for tender in self._tenders)

    @property
    def remaining_cents(self) -> int:
        return self.total_cents - self.paid_cents

    @property
    def change_cents(self) -> int:
        return sum(tender.change_cents for tender in self._tenders)

    def add_cash(self, given_cents: int) -> Tender:
        given = self._positive(given_cents, "Cash given")
        amount = min(given, self.remaining_cents)
        tender = Tender(TenderKind.CASH, amount, given_cents=given, change_cents=given - amount)
        return self._append(tender)

    def add_card(self, amount_cents: int, reference: str) -> Tender:
        return self._append(self._exact(TenderKind.CARD, amount_cents, reference, required=True))

    def add_other(self, amount_cents: int, reference: str) -> Tender:
        return self._append(self._exact(TenderKind.OTHER, amount_cents, reference, required=False))

    def remove_last(self) -> Tender | None:
        return self._tenders.pop() if self._tenders else None

    def finish(self) -> tuple[Tender, ...]:
        """The tenders of a settled sale; raise :class:`ShortTender` if anything is owed."""
        if self.remaining_cents > 0:
            raise ShortTender(self.remaining_cents)
        return self.tenders

    def _append(self, tender: Tender) -> Tender:
        if self.remaining_cents <= 0 and self.total_cents > 0:
            raise TenderError("The sale is already paid")
        self._tenders.append(tender)
        return tender

    def _exact(self, kind: TenderKind, amount: int, reference: str, *, required: bool) -> Tender:
        amount = self._positive(amount, f"{kind.value.title()} amount")
        if amount > self.remaining_cents:
            raise TenderError(
                f"{kind.value.title()} of {format_cents(amount)} is more than the "
                f"{format_cents(self.remaining_cents)} owed"
            )
        reference = reference.strip()
        if required and not reference:
            raise TenderError("Enter the card terminal's reference")
        if len(reference) > MAX_REFERENCE_LENGTH or not reference.isprintable():
            raise TenderError("That reference is not valid")
        return Tender(kind, amount, reference=reference or None)

    @staticmethod
    def _positive(cents: int, what: str) -> int:
        require_cents(cents, what)
        if cents == 0:
            raise TenderError(f"{what} must be more than zero")
        return cents


def quick_cash_amounts(owed_cents: int) -> list[int]:
    """Exact amount, then the next round bills above it ($5, $10, $20 ...), no repeats."""
    amounts = [owed_cents]
    for bill in QUICK_CASH_BILLS:
        rounded = -(-owed_cents // bill) * bill
        if rounded > owed_cents and rounded not in amounts:
            amounts.append(rounded)
    return amounts[:4]
