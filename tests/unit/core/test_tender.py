"""Tenders: cash with change, card with a reference and never over, other, split, short."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.money import MAX_CENTS, MoneyError
from pos_app.core.tender import (
    MAX_REFERENCE_LENGTH,
    QUICK_CASH_BILLS,
    ShortTender,
    Tender,
    TenderError,
    TenderKind,
    TenderSession,
    quick_cash_amounts,
)

# --- cash ----------------------------------------------------------------------------------------


def test_exact_cash() -> None:
    session = TenderSession(1_250)
    tender = session.add_cash(1_250)
    assert tender == Tender(TenderKind.CASH, 1_250, given_cents=1_250, change_cents=0)
    assert session.remaining_cents == 0 and session.change_cents == 0
    assert session.finish() == (tender,)


def test_cash_with_change() -> None:
    session = TenderSession(1_234)
    tender = session.add_cash(2_000)
    assert tender == Tender(TenderKind.CASH, 1_234, given_cents=2_000, change_cents=766)
    assert session.paid_cents == 1_234
    assert session.remaining_cents == 0
    assert session.change_cents == 766
    assert session.finish() == (tender,)


def test_partial_cash_then_more_cash() -> None:
    session = TenderSession(5_000)
    session.add_cash(2_000)
    assert session.remaining_cents == 3_000
    last = session.add_cash(5_000)
    assert last.amount_cents == 3_000 and last.change_cents == 2_000
    assert session.change_cents == 2_000
    assert [t.amount_cents for t in session.finish()] == [2_000, 3_000]


# --- card / other --------------------------------------------------------------------------------


def test_card_exact_with_reference() -> None:
    session = TenderSession(4_200)
    tender = session.add_card(4_200, "  AUTH-123456  ")
    assert tender == Tender(TenderKind.CARD, 4_200, reference="AUTH-123456")
    assert tender.given_cents is None and tender.change_cents == 0
    assert session.finish() == (tender,)


def test_card_over_remaining_is_refused() -> None:
    session = TenderSession(4_200)
    with pytest.raises(TenderError, match=r"Card of \$42\.01 is more than the \$42\.00 owed"):
        session.add_card(4_201, "AUTH-1")
    assert session.tenders == ()


@pytest.mark.parametrize("reference", ["", "   ", "\t"])
def test_card_without_reference_is_refused(reference: str) -> None:
    session = TenderSession(4_200)
    with pytest.raises(TenderError, match="card terminal's reference"):
        session.add_card(4_200, reference)
    assert session.tenders == ()


@pytest.mark.parametrize("reference", ["A" * (MAX_REFERENCE_LENGTH + 1), "AUTH\x00", "AU\nTH"])
def test_bad_reference_is_refused(reference: str) -> None:
    session = TenderSession(4_200)
    with pytest.raises(TenderError, match="reference is not valid"):
        session.add_card(4_200, reference)
    with pytest.raises(TenderError, match="reference is not valid"):
        session.add_other(4_200, reference)


def test_reference_at_the_limit() -> None:
    session = TenderSession(100)
    assert session.add_card(100, "A" * MAX_REFERENCE_LENGTH).reference == "A" * 64


def test_other_needs_no_reference() -> None:
    session = TenderSession(1_000)
    tender = session.add_other(1_000, "  ")
    assert tender == Tender(TenderKind.OTHER, 1_000, reference=None)
    assert session.finish() == (tender,)


def test_other_over_remaining_is_refused() -> None:
    session = TenderSession(1_000)
    with pytest.raises(TenderError, match="more than the"):
        session.add_other(1_001, "voucher 7")


# --- split ---------------------------------------------------------------------------------------


def test_split_card_then_cash_with_change() -> None:
    session = TenderSession(10_000)
    card = session.add_card(6_000, "AUTH-9")
    cash = session.add_cash(5_000)
    assert cash == Tender(TenderKind.CASH, 4_000, given_cents=5_000, change_cents=1_000)
    assert session.finish() == (card, cash)
    assert session.paid_cents == 10_000
    assert session.change_cents == 1_000


def test_split_cash_then_card_for_the_rest() -> None:
    session = TenderSession(10_000)
    session.add_cash(2_000)
    with pytest.raises(TenderError, match="more than"):
        session.add_card(8_001, "AUTH-9")
    session.add_card(8_000, "AUTH-9")
    assert [t.kind for t in session.finish()] == [TenderKind.CASH, TenderKind.CARD]


def test_split_three_ways() -> None:
    session = TenderSession(10_000)
    session.add_other(2_500, "voucher")
    session.add_card(2_500, "AUTH-1")
    session.add_cash(5_000)
    assert session.remaining_cents == 0 and session.change_cents == 0
    assert len(session.finish()) == 3


def test_remove_last() -> None:
    session = TenderSession(1_000)
    assert session.remove_last() is None
    session.add_card(400, "AUTH-1")
    session.add_cash(5_000)
    removed = session.remove_last()
    assert removed is not None and removed.kind is TenderKind.CASH
    assert session.remaining_cents == 600 and session.change_cents == 0


# --- short, already paid, bad amounts ------------------------------------------------------------


def test_short_tender_raises_with_the_remaining() -> None:
    session = TenderSession(1_234)
    with pytest.raises(ShortTender) as caught:
        session.finish()
    assert caught.value.remaining_cents == 1_234
    session.add_cash(1_000)
    with pytest.raises(ShortTender, match=r"Still owed: \$2\.34") as caught:
        session.finish()
    assert caught.value.remaining_cents == 234
    assert isinstance(caught.value, TenderError)


@pytest.mark.parametrize("add", ["cash", "card", "other"])
def test_no_tender_once_paid(add: str) -> None:
    session = TenderSession(1_000)
    session.add_cash(2_000)
    with pytest.raises(TenderError):
        if add == "cash":
            session.add_cash(100)
        elif add == "card":
            session.add_card(100, "AUTH")
        else:
            session.add_other(100, "v")
    assert len(session.tenders) == 1


def test_already_paid_message_for_cash() -> None:
    session = TenderSession(1_000)
    session.add_card(1_000, "AUTH")
    with pytest.raises(TenderError, match="already paid"):
        session.add_cash(500)


def test_zero_amounts_are_refused() -> None:
    session = TenderSession(1_000)
    with pytest.raises(TenderError, match="Cash given must be more than zero"):
        session.add_cash(0)
    with pytest.raises(TenderError, match="Card amount must be more than zero"):
        session.add_card(0, "AUTH")
    with pytest.raises(TenderError, match="Other amount must be more than zero"):
        session.add_other(0, "v")
    assert session.tenders == ()


def _add(session: TenderSession, kind: str, amount: Any) -> Tender:
    if kind == "cash":
        return session.add_cash(amount)
    if kind == "card":
        return session.add_card(amount, "AUTH")
    return session.add_other(amount, "voucher")


@pytest.mark.parametrize("kind", ["cash", "card", "other"])
@pytest.mark.parametrize("amount", [-1, -1_000, MAX_CENTS + 1, True, False, 10.0, "10", None])
def test_negative_bool_and_non_int_amounts_are_refused(kind: str, amount: Any) -> None:
    # MoneyError (a ValueError, like TenderError): the tender screen reports both.
    session = TenderSession(1_000)
    with pytest.raises(MoneyError):
        _add(session, kind, amount)
    assert session.tenders == ()
    assert session.remaining_cents == 1_000


# --- quick cash buttons --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owed", "amounts"),
    [
        (1_234, [1_234, 1_500, 2_000, 5_000]),    # next $5, next $10 (= next $20, once), $50
        (2_000, [2_000, 5_000, 10_000]),          # already round: no $5/$10/$20 above it repeats
        (500, [500, 1_000, 2_000, 5_000]),
        (1, [1, 500, 1_000, 2_000]),
        (750, [750, 1_000, 2_000, 5_000]),
        (4_999, [4_999, 5_000, 6_000, 10_000]),     # next $20 is $60
        (10_000, [10_000]),
        (12_345, [12_345, 12_500, 13_000, 14_000]),
    ],
)
def test_quick_cash_amounts(owed: int, amounts: list[int]) -> None:
    assert quick_cash_amounts(owed) == amounts


@settings(max_examples=300)
@given(st.integers(1, 1_000_000))
def test_quick_cash_amounts_properties(owed: int) -> None:
    amounts = quick_cash_amounts(owed)
    assert amounts[0] == owed                        # exact first
    assert len(amounts) == len(set(amounts)) <= 4    # no duplicates
    assert amounts == sorted(amounts)
    next_bills = {-(-owed // bill) * bill for bill in QUICK_CASH_BILLS}
    for amount in amounts[1:]:                       # each is the next multiple of some bill
        assert amount > owed and amount in next_bills
    if len(amounts) < 4:                             # nothing left out but the cap
        assert set(amounts[1:]) == next_bills - {owed}
    for amount in amounts:                           # every button is a cash tender that settles
        session = TenderSession(owed)
        session.add_cash(amount)
        assert session.remaining_cents == 0
        assert session.change_cents == amount - owed


# --- fuzz: never more than owed on card/other, change only from cash ----------------------------

_op = st.tuples(
    st.sampled_from(["cash", "card", "other", "remove"]),
    st.one_of(st.integers(-100, 200_000), st.booleans()),
    st.sampled_from(["AUTH-1", "", "  ", "voucher", "x\x00"]),
)


@settings(max_examples=400)
@given(st.integers(1, 100_000), st.lists(_op, max_size=12))
def test_tender_session_invariants(total: int, ops: list[tuple[str, int, str]]) -> None:
    session = TenderSession(total)
    for kind, amount, reference in ops:
        remaining_before = session.remaining_cents
        count_before = len(session.tenders)
        try:
            if kind == "cash":
                tender = session.add_cash(amount)
            elif kind == "card":
                tender = session.add_card(amount, reference)
            elif kind == "other":
                tender = session.add_other(amount, reference)
            else:
                session.remove_last()
                continue
        except (TenderError, MoneyError):
            assert len(session.tenders) == count_before        # a refusal changes nothing
            assert session.remaining_cents == remaining_before
            continue
        assert not isinstance(amount, bool)
        assert remaining_before > 0                             # nothing taken once paid
        assert 0 < tender.amount_cents <= remaining_before      # never more than owed
        if tender.kind is TenderKind.CASH:
            assert tender.given_cents == amount
            assert tender.amount_cents + tender.change_cents == amount
        else:
            assert tender.amount_cents == amount
            assert tender.change_cents == 0 and tender.given_cents is None
        if tender.kind is TenderKind.CARD:
            assert tender.reference

    tenders = session.tenders
    assert 0 <= session.paid_cents <= total
    assert session.paid_cents == sum(t.amount_cents for t in tenders)
    assert all(t.change_cents == 0 for t in tenders if t.kind is not TenderKind.CASH)
    assert all(t.change_cents >= 0 for t in tenders)
    with_change = [i for i, t in enumerate(tenders) if t.change_cents > 0]
    assert with_change in ([], [len(tenders) - 1])              # change only on the last tender
    if session.remaining_cents == 0:
        assert session.finish() == tenders
    else:
        with pytest.raises(ShortTender) as caught:
            session.finish()
        assert caught.value.remaining_cents == session.remaining_cents > 0
