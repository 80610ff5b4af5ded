"""A completed sale and a void, as immutable records, and the canonical JSON of each.

The canonical JSON (sorted keys, no spaces, UTF-8) is what the audit journal hashes, on the
register and again on the server, so its layout is part of the sync protocol.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from pos_app.core.cart import CartLine, Totals, totals_of
from pos_app.core.pricing import PricingPolicy
from pos_app.core.tender import Tender, TenderKind


class SaleError(ValueError):
    """A sale that cannot be completed as given."""


class SaleLine(NamedTuple):
    """One line of a completed sale. A named tuple rather than a frozen dataclass: a sale
    builds one per item inside its commit, and a tuple is built ~4x faster (docs/benchmarks.md,
    "7. Sale commit")."""

    line_no: int
    item_id: str
    tag_code: str
    consignor_number: int
    description: str
    unit_price_cents: int
    discount_cents: int
    tag_price_cents: int | None = None  # a manager's price override: the tag's price
    override_reason: str = ""
    override_manager_id: str = ""

    @property
    def price_cents(self) -> int:
        return self.unit_price_cents - self.discount_cents

    @property
    def overridden(self) -> bool:
        return self.tag_price_cents is not None


@dataclass(frozen=True, slots=True)
class SaleHeader:
    """Who, where and when: the parts of a sale that do not come from the cart."""

    id: str
    event_id: str
    register_id: str
    shift_id: str | None
    cashier_id: str
    created_at: str


@dataclass(frozen=True, slots=True)
class CompletedSale:
    header: SaleHeader
    seq: int
    lines: tuple[SaleLine, ...]
    tenders: tuple[Tender, ...]
    totals: Totals
    status: str = "completed"

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def total_cents(self) -> int:
        return self.totals.total_cents

    def canonical_json(self) -> str:
        overrides = [[ln.line_no, ln.tag_price_cents, ln.override_manager_id, ln.override_reason]
                     for ln in self.lines if ln.overridden]
        return canonical_json(
            {
                **({"price_overrides": overrides} if overrides else {}),
                "id": self.header.id,
                "event_id": self.header.event_id,
                "register_id": self.header.register_id,
                "seq": self.seq,
                "shift_id": self.header.shift_id,
                "cashier_id": self.header.cashier_id,
                "created_at": self.header.created_at,
                "subtotal_cents": self.totals.subtotal_cents,
                "discount_cents": self.totals.discount_cents,
                "tax_cents": self.totals.tax_cents,
                "total_cents": self.totals.total_cents,
                "status": self.status,
                "lines": [
                    [ln.line_no, ln.item_id, ln.tag_code, ln.unit_price_cents, ln.discount_cents]
                    for ln in self.lines
                ],
                "tenders": [
                    [t.kind.value, t.amount_cents, t.given_cents, t.change_cents]
                    for t in self.tenders
                ],
            }
        )


@dataclass(frozen=True, slots=True)
class SaleVoid:
    id: str
    sale_id: str
    event_id: str
    register_id: str
    cashier_id: str
    manager_id: str | None
    reason: str
    created_at: str

    def canonical_json(self) -> str:
        return canonical_json(
            {
                "id": self.id,
                "sale_id": self.sale_id,
                "event_id": self.event_id,
                "register_id": self.register_id,
                "cashier_id": self.cashier_id,
                "manager_id": self.manager_id,
                "reason": self.reason,
                "created_at": self.created_at,
            }
        )


def build_sale(
    header: SaleHeader,
    seq: int,
    cart_lines: Sequence[CartLine],
    tenders: Sequence[Tender],
    policy: PricingPolicy,
) -> CompletedSale:
    """Freeze a paid cart into a sale, checking that the tenders cover its total exactly.

    The totals are computed here from the lines (each priced with its discount at scan time)
    and the event's tax rule (``policy``), never taken from the caller.
    """
    if not cart_lines:
        raise SaleError("A sale needs at least one item")
    totals = totals_of(cart_lines, policy)
    paid = sum(t.amount_cents for t in tenders)
    if paid != totals.total_cents:
        raise SaleError(f"Tenders cover {paid} cents of a {totals.total_cents} cent total")
    if any(t.kind is TenderKind.CARD and not t.reference for t in tenders):
        raise SaleError("A card tender needs the terminal's reference")
    lines = tuple(
        SaleLine(n, c.item_id, c.tag_code, c.consignor_number, c.description,
                 c.unit_price_cents, c.discount_cents, c.tag_price_cents, c.override_reason,
                 c.override_manager_id)
        for n, c in enumerate(cart_lines, start=1)
    )
    return CompletedSale(header, seq, lines, tuple(tenders), totals)


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def utc_timestamp(moment: datetime | None = None) -> str:
    """ISO-8601 UTC with milliseconds and a Z, as the sync protocol wants."""
    moment = datetime.now(UTC) if moment is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
