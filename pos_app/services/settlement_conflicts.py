"""The settlement's unresolved conflicts in words, and how each is resolved (no Qt).

An event cannot be marked settled while a conflict is open (``POST .../settle`` answers 409).
The organiser resolves each through ``POST .../resolutions``: an unknown item is assigned to a
consignor, a sold-twice item goes to the sale the organiser picks, and the other kinds (a price
or discount mismatch, a clock skew, a broken journal, a divergent replay) are accepted as sold.
The settlement says only how many are open; the conflicts themselves come a page at a time
(``SettlementService.conflicts_page``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.core.money import format_cents
from pos_app.services.settlement_data import Conflict

ASSIGN, PICK_WINNER, ACCEPT = "assign", "pick_winner", "accept"
ACCEPTABLE = ("price_mismatch", "discount_mismatch", "clock_skew", "journal_chain_broken",
              "divergent_replay")


def action_for(kind: str) -> str | None:
    """The one resolution a conflict of ``kind`` takes, or None if none resolves it."""
    if kind == "unknown_item":
        return ASSIGN
    if kind == "sold_twice":
        return PICK_WINNER
    return ACCEPT if kind in ACCEPTABLE else None


@dataclass(frozen=True, slots=True)
class Resolution:
    """One conflict's resolution, as ``POST .../resolutions`` takes it."""

    conflict_id: int
    action: str
    consignor_number: int | None = None
    winning_sale_id: str | None = None

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {"conflict_id": self.conflict_id, "action": self.action}
        if self.action == ASSIGN:
            if self.consignor_number is None:
                raise ValueError("Assigning an item needs a consignor number")
            body["consignor_number"] = self.consignor_number
        elif self.action == PICK_WINNER:
            if not self.winning_sale_id:
                raise ValueError("Picking a winner needs the winning sale")
            body["winning_sale_id"] = self.winning_sale_id
        return body


def _money(cents: int | None) -> str:
    return "?" if cents is None else format_cents(cents)


def in_words(conflict: Conflict) -> str:
    """One line for the organiser: what happened, to which item, at which register."""
    who = f"consignor {conflict.consignor_number}" if conflict.consignor_number is not None \
        else "no consignor"
    item = f"Item {conflict.item_id} ({who})" if conflict.item_id else f"Sale {conflict.sale_id}"
    at = f"register {conflict.register_id}, sale {conflict.sale_id}"
    match conflict.kind:
        case "sold_twice":
            return (f"{item} was sold twice: at {at}, and at register "
                    f"{conflict.winning_register_id or '?'}, sale "
                    f"{conflict.winning_sale_id or '?'} (which holds it now).")
        case "unknown_item":
            return f"{item} was sold at {at} but is not in the catalog."
        case "price_mismatch":
            return (f"{item} was sold for {_money(conflict.actual_cents)} at {at}; the catalog "
                    f"price is {_money(conflict.expected_cents)}.")
        case "discount_mismatch":
            return (f"{item} had a discount of {_money(conflict.actual_cents)} at {at}; "
                    f"expected {_money(conflict.expected_cents)}.")
        case _:
            detail = f": {conflict.detail}" if conflict.detail else ""
            return f"{conflict.kind.replace('_', ' ').capitalize()} at {at}{detail}."
