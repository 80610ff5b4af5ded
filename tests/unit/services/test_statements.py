"""A consignor's statement as blocks: each sold item at its price (a discount shown), refunded
lines apart and not counted, share with the split, fees and payouts as deductions, the
balance, and a warning while conflicts are open; a malformed statement reply is refused."""

from __future__ import annotations

from typing import Any

import pytest

from pos_app.services.documents import Text
from pos_app.services.settlement_data import MalformedReply, statement_from_json
from pos_app.services.statements import statement_blocks


def _reply(conflicts: int = 0) -> dict[str, Any]:
    return {
        "event_id": "spring-26", "generated_at": "2026-05-17T18:30:00.000Z",
        "consignor": {"consignor_number": 1042, "name": "Ana", "items_sold": 2,
                      "gross_cents": 1750, "split_bp": 6250, "share_cents": 1094,
                      "fees_cents": 300, "paid_cents": 500, "balance_cents": 294,
                      "payable_cents": 294,
                      "unresolved_conflicts": conflicts},
        "items": [{"tag_code": "1042-0001", "description": "Stroller", "sold_at": "2026-05-16",
                   "unit_price_cents": 1000, "discount_cents": 0, "price_cents": 1000},
                  {"tag_code": "1042-0002", "description": "Boots", "sold_at": "2026-05-17",
                   "unit_price_cents": 1500, "discount_cents": 750, "price_cents": 750}],
        "refunded": [{"tag_code": "1042-0003", "description": "Puzzle",
                      "refunded_at": "2026-05-17T12:00:00Z", "price_cents": 400,
                      "amount_cents": 400}],
        "payouts": [{"id": "p1", "amount_cents": 500, "method": "e_transfer",
                     "reference": "etr 7", "corrects": None, "recorded_by": "",
                     "created_at": "2026-05-17T18:00:00Z"}],
    }


def _lines(reply: dict[str, Any]) -> list[tuple[str, str]]:
    blocks = statement_blocks(statement_from_json(reply), "Spring Sale")
    return [(b.left, b.right) for b in blocks if isinstance(b, Text)]


def test_a_statement_lists_items_refunds_share_fees_payouts_and_the_balance() -> None:
    lines = _lines(_reply())
    assert lines[0] == ("Consignor statement: 1042 Ana", "")
    assert ("1042-0001  Stroller", "$10.00") in lines
    assert ("1042-0002  Boots  (tag $15.00, discount $7.50)", "$7.50") in lines
    assert ("1042-0003  Puzzle  on 2026-05-17 12:00", "-$4.00") in lines
    assert lines[-5:] == [("Gross sales", "$17.50"), ("Your share (62.50%)", "$10.94"),
                          ("Fees", "-$3.00"), ("Paid 2026-05-17 18:00 E-transfer etr 7", "-$5.00"),
                          ("Balance due to you", "$2.94")]


def test_open_conflicts_are_said_under_the_balance() -> None:
    assert _lines(_reply(conflicts=2))[-1][0].startswith("2 unresolved conflict(s)")


def test_a_statement_reply_missing_a_part_is_refused() -> None:
    broken = _reply()
    del broken["refunded"]
    with pytest.raises(MalformedReply):
        statement_from_json(broken)
