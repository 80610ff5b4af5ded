"""Readable words for what the central server reports: the conflicts it recorded and the
refusals that put an entry in quarantine (shared DESIGN.md, "The central ledger trusts no
register"). Shown to the manager in the sync view (F11); the server's own message stays next
to them for the details.
"""

from __future__ import annotations

from typing import Any

CONFLICT_TEXTS: dict[str, str] = {
    "sold_twice": "Item sold by two registers: the other sale got it first",
    "unknown_item": "Item not in the organiser's catalog",
    "journal_chain_broken": "Audit journal does not follow on from the last entry received",
    "price_mismatch": "Sold at another price than the organiser's catalog",
    "discount_mismatch": "Discount not in the event's discount schedule",
    "clock_skew": "Sale stamped more than 5 minutes ahead of the server: check this clock",
    "divergent_replay": "Sent again with other content than the server already has",
    "tag_taken": "Item entered at check-in with a tag the catalog already has: that item kept",
}

# (what the server's message contains, the headline shown), first match wins
REFUSAL_TEXTS: tuple[tuple[str, str], ...] = (
    ("does not add up", "Totals do not add up (the server recomputed them)"),
    ("same id with other content", "Already received with other content"),
    ("outside the event's dates", "Date outside the event (check this register's clock)"),
    ("does not describe the rows", "Audit journal entry does not match the sale"),
    ("entry_hash is not the hash", "Audit journal entry damaged"),
    ("without its journal entry", "Sent without its audit journal entry"),
    ("belongs to another register", "Belongs to another register"),
    ("does not exist", "The voided sale is unknown to the server"),
    ("No consignor", "Item entered at check-in for a consignor the event does not have"),
)


def conflict_text(kind: str) -> str:
    return CONFLICT_TEXTS.get(kind, kind.replace("_", " ").capitalize())


def refusal_text(reason: str) -> str:
    """A headline for the server's reason for refusing an entry."""
    for needle, headline in REFUSAL_TEXTS:
        if needle in reason:
            return headline
    return "Refused by the server"


def conflict_row(conflict: Any) -> tuple[str, str, str, str]:
    """What happened, the sale, the item, and the other side (register and sale), as text."""
    winner = getattr(conflict, "winning_register_id", None)
    other = f"{winner} ({getattr(conflict, 'winning_sale_id', '') or ''})" if winner else ""
    return (conflict_text(str(getattr(conflict, "kind", ""))),
            str(getattr(conflict, "sale_id", "") or ""),
            str(getattr(conflict, "item_id", "") or ""), other)


def clock_warning(offset_s: float) -> str:
    """``register clock 3 min behind the server: set it`` for an offset of +180 s."""
    minutes = max(1, round(abs(offset_s) / 60))
    side = "behind" if offset_s > 0 else "ahead of"
    return f"register clock {minutes} min {side} the server: set it (manager)"
