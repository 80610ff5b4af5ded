"""The shared settlement vectors (tests/vectors/settlement.json) through pos_app/core/settlement.

worker/test/settlement.test.ts runs the same file against the Worker, so the desktop and the
server cannot settle a consignor differently without one of the two failing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pos_app.core.money import MoneyError
from pos_app.core.settlement import settle_consignor

VECTORS = Path(__file__).parents[2] / "vectors" / "settlement.json"
CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]


def line_prices(case: dict[str, Any]) -> list[int]:
    given = case["line_prices"]
    return [given["cents"]] * given["repeat"] if isinstance(given, dict) else list(given)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector(case: dict[str, Any]) -> None:
    result = settle_consignor(
        line_prices(case), case["split_bp"],
        fees_cents=case["consignor_fee_cents"] + sum(case["item_fees_cents"]),
        paid_cents=sum(case["payouts_cents"]), min_payout_cents=case["min_payout_cents"],
    )
    expected = case["expected"]
    assert {key: getattr(result, key) for key in expected} == expected


def test_share_rounds_once_on_the_total_not_per_line() -> None:
    per_line = sum(settle_consignor([1], 5000).share_cents for _ in range(3))
    assert (settle_consignor([1, 1, 1], 5000).share_cents, per_line) == (2, 3)


def test_a_split_over_100_percent_is_refused() -> None:
    with pytest.raises(MoneyError, match="basis points"):
        settle_consignor([100], 10001)
