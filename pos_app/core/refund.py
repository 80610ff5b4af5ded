"""Refunding one line of an earlier sale: what is paid back, and the record of it.

A refund is a new, append-only record referring to the sale and the line (the sale is never
edited). It pays back the line's price and its share of the sale's tax, rounded half up
once (:func:`pos_app.core.money.share_of`), in cash or to the card.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.core.money import share_of
from pos_app.core.sale import CompletedSale, SaleError, canonical_json

REFUND_TENDERS = ("cash", "card")
MAX_REFUND_REASON = 200


class RefundError(SaleError):
    """A refund that cannot be made; the message is for the cashier."""


@dataclass(frozen=True, slots=True)
class LineRefund:
    id: str
    sale_id: str
    line_no: int
    event_id: str
    register_id: str
    shift_id: str | None
    cashier_id: str
    manager_id: str
    reason: str
    tender: str
    amount_cents: int
    created_at: str

    def canonical_json(self) -> str:
        return canonical_json({name: getattr(self, name) for name in self.__slots__})


def refund_amount(sale: CompletedSale, line_no: int) -> int:
    """The line's price plus its share of the sale's tax."""
    line = next((ln for ln in sale.lines if ln.line_no == line_no), None)
    if line is None:
        raise RefundError(f"Sale #{sale.seq} has no line {line_no}")
    net = sale.totals.subtotal_cents - sale.totals.discount_cents
    return line.price_cents + share_of(sale.totals.tax_cents, line.price_cents, net)


def clean_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise RefundError("Say why the item is refunded")
    if len(reason) > MAX_REFUND_REASON:
        raise RefundError(f"The reason is too long (at most {MAX_REFUND_REASON} characters)")
    return reason


def check_tender(tender: str) -> str:
    if tender not in REFUND_TENDERS:
        raise RefundError(f"A refund is paid in {' or '.join(REFUND_TENDERS)}")
    return tender
