"""The settlement service's pure parts: parsing the server's JSON (a malformed reply is
refused whole; open conflicts as counts, and as pages), filters, the batch of checks
(numbering, skipped rows, ids fixed once), the export rows of `pos-app admin export --table
settlement`, and the payout CSV's amounts."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from pos_app.services.settlement import (
    Filter,
    decimal_amount,
    export_rows,
    filtered,
    plan_checks,
)
from pos_app.services.settlement_data import (
    Conflict,
    MalformedReply,
    PayoutRequest,
    conflict_page_from_json,
    settlement_from_json,
)


def _row(number: int, balance: int, payable: int | None = None, conflicts: int = 0,
         **given: Any) -> dict[str, Any]:
    return {"consignor_number": number, "name": f"C{number}", "items_sold": 1,
            "gross_cents": 1000, "split_bp": 6000, "share_cents": 600, "fees_cents": 0,
            "paid_cents": 600 - balance, "balance_cents": balance,
            "payable_cents": balance if payable is None else payable,
            "unresolved_conflicts": conflicts, **given}


def _settlement(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"event_id": "e", "generated_at": "2026-05-17T18:00:00Z", "settled_at": None,
            "min_payout_cents": 100, "unresolved_conflicts": 0, "event_conflicts": 0,
            "consignors": list(rows)}


def test_the_settlement_json_becomes_rows_with_their_totals() -> None:
    parsed = settlement_from_json(_settlement(_row(1001, 600), _row(1002, -50, 0, 2)))
    assert [(r.number, r.balance_cents, r.unresolved_conflicts) for r in parsed.consignors] == [
        (1001, 600, 0), (1002, -50, 2)]
    assert (parsed.totals.gross_cents, parsed.totals.balance_cents) == (2000, 550)


@pytest.mark.parametrize("bad", [
    {"consignors": "none"},
    {"consignors": [_row(1001, 5, gross_cents="10.00")]},
    {"consignors": [{"consignor_number": 1}]},
    {"consignors": [_row(1001, 5, unresolved_conflicts=None)]},
    # The count, never the list (the unbounded form this reply had before).
    {"consignors": [_row(1001, 5, unresolved_conflicts=[{"id": 1, "kind": "sold_twice"}])]},
    {"event_conflicts": []},
    {"event_conflicts": None},
])
def test_a_malformed_settlement_is_refused_whole(bad: dict[str, Any]) -> None:
    with pytest.raises(MalformedReply):
        settlement_from_json({**_settlement(), **bad})


def _conflict(id_: int, consignor: int | None = 1001, **given: Any) -> dict[str, Any]:
    return {"id": id_, "kind": "sold_twice", "item_id": "i", "sale_id": "s", "register_id": "r",
            "winning_sale_id": "w", "winning_register_id": "q", "expected_cents": None,
            "actual_cents": None, "detail": "", "consignor_number": consignor, **given}


def test_a_page_of_conflicts_becomes_rows_and_the_next_after() -> None:
    page = conflict_page_from_json({"conflicts": [_conflict(4), _conflict(7, None)],
                                    "next_after": 7})
    assert page.next_after == 7
    assert page.conflicts == (Conflict(4, "sold_twice", "i", "", "s", "r", "w", "q",
                                       consignor_number=1001),
                              Conflict(7, "sold_twice", "i", "", "s", "r", "w", "q"))
    assert conflict_page_from_json({"conflicts": [], "next_after": None}).next_after is None


@pytest.mark.parametrize("bad", [
    {"conflicts": None, "next_after": None},
    {"conflicts": [_conflict(1)], "next_after": "1"},
    {"conflicts": [_conflict(1)], "next_after": True},
    {"conflicts": [_conflict(1)]},
    {"conflicts": [_conflict("1")], "next_after": None},  # type: ignore[arg-type]
    {"conflicts": [_conflict(1, consignor="1001")], "next_after": None},  # type: ignore[arg-type]
])
def test_a_malformed_page_of_conflicts_is_refused_whole(bad: dict[str, Any]) -> None:
    with pytest.raises(MalformedReply):
        conflict_page_from_json(bad)


def test_filters_keep_a_balance_due_or_conflicts() -> None:
    rows = settlement_from_json(_settlement(_row(1, 600), _row(2, 0), _row(3, 0, 0, 1)))
    assert [r.number for r in filtered(rows.consignors, Filter.BALANCE_DUE)] == [1]
    assert [r.number for r in filtered(rows.consignors, Filter.CONFLICTS)] == [3]
    assert [r.number for r in filtered(rows.consignors, Filter.ALL)] == [1, 2, 3]


def test_checks_are_numbered_in_order_and_conflicts_or_the_minimum_are_skipped() -> None:
    rows = settlement_from_json(_settlement(
        _row(1001, 600), _row(1002, 0), _row(1003, 50, 0), _row(1004, 300, 300, 1),
        _row(1005, 250)))
    ids = (f"id-{n}" for n in itertools.count())
    batch = plan_checks(rows, 77, lambda: next(ids))
    assert batch.payouts == (PayoutRequest("id-0", 1001, 600, "check", "check 77"),
                             PayoutRequest("id-1", 1005, 250, "check", "check 78"))
    assert batch.skipped == ((1003, "under the minimum payout"), (1004, "unresolved conflicts"))
    assert batch.total_cents == 850
    with pytest.raises(ValueError, match="first check"):
        plan_checks(rows, 0, lambda: "x")


def test_a_payout_body_carries_corrects_only_on_a_correction() -> None:
    assert "corrects" not in PayoutRequest("a", 1, 5, "cash").body()
    assert PayoutRequest("b", 1, -5, "cash", "", "a").body("ann")["corrects"] == "a"
    assert PayoutRequest("b", 1, -5, "cash", "", "a").body("ann")["recorded_by"] == "ann"


def test_export_rows_list_every_consignor_with_the_servers_figures() -> None:
    rows = settlement_from_json(_settlement(_row(1002, 600)))
    listed = export_rows(rows, [{"number": 1001, "name": "Ana", "split_bp": 6500},
                                {"number": 1002, "name": "Bo", "split_bp": 6000}])
    assert [(r["consignor_number"], r["gross_cents"], r["consignor_share_cents"],
             r["house_cents"], r["balance_cents"]) for r in listed] == [
        (1001, 0, 0, 0, 0), (1002, 1000, 600, 400, 600)]


@pytest.mark.parametrize(("cents", "text"), [(0, "0.00"), (5, "0.05"), (123456, "1234.56"),
                                              (-1999, "-19.99")])
def test_csv_amounts_are_plain_decimals(cents: int, text: str) -> None:
    assert decimal_amount(cents) == text
