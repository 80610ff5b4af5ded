"""Money: integer cents, the one half-up rounding rule, and what a cashier may type."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.money import (
    BASIS_POINTS_PER_WHOLE,
    MAX_CENTS,
    MoneyError,
    format_cents,
    parse_money,
    percent_of,
    require_cents,
)
from pos_app.core.protocol import SCHEMA

# --- percent_of: half up at the .5 boundary -----------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "bp", "expected"),
    [
        (1, 5_000, 1),        # 0.5 -> 1 (half up, not banker's 0)
        (3, 5_000, 2),        # 1.5 -> 2
        (5, 5_000, 3),        # 2.5 -> 3 (banker's would give 2)
        (15, 5_000, 8),       # 7.5 -> 8
        (5, 1_000, 1),        # 0.5 -> 1
        (4, 1_000, 0),        # 0.4 -> 0
        (6, 1_000, 1),        # 0.6 -> 1
        (1, 4_999, 0),        # 0.4999 -> 0
        (1, 5_001, 1),        # 0.5001 -> 1
        (999, 5_000, 500),    # 499.5 -> 500
        (1_000, 825, 83),     # 82.5 -> 83
        (999, 825, 82),       # 82.4175 -> 82
        (200, 825, 17),       # 16.5 -> 17
        (0, 5_000, 0),
        (12_345, 0, 0),
        (12_345, 10_000, 12_345),
        (MAX_CENTS, 10_000, MAX_CENTS),
        (MAX_CENTS, 1, 1_000_000),
    ],
)
def test_percent_of_rounds_half_up(cents: int, bp: int, expected: int) -> None:
    assert percent_of(cents, bp) == expected


@pytest.mark.parametrize("bp", [-1, -10_000, 10_001, 1_000_000])
def test_percent_of_refuses_basis_points_out_of_range(bp: int) -> None:
    with pytest.raises(MoneyError, match=r"basis points must be 0\.\.10000"):
        percent_of(1_000, bp)


@pytest.mark.parametrize("cents", [-1, -100])
def test_percent_of_refuses_negative_amounts(cents: int) -> None:
    with pytest.raises(MoneyError, match="non-negative"):
        percent_of(cents, 5_000)


@settings(max_examples=300)
@given(st.integers(0, MAX_CENTS), st.integers(0, BASIS_POINTS_PER_WHOLE))
def test_percent_of_is_exact_half_up(cents: int, bp: int) -> None:
    exact = Fraction(cents * bp, BASIS_POINTS_PER_WHOLE)
    result = percent_of(cents, bp)
    assert result == int(exact + Fraction(1, 2))  # floor(x + 1/2): half up for x >= 0
    assert abs(Fraction(result) - exact) <= Fraction(1, 2)
    assert 0 <= result <= cents


# --- format_cents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "$0.00"),
        (5, "$0.05"),
        (50, "$0.50"),
        (100, "$1.00"),
        (1_234, "$12.34"),
        (100_000, "$1,000.00"),
        (123_456_789, "$1,234,567.89"),
        (-50, "-$0.50"),
        (-1_234, "-$12.34"),
    ],
)
def test_format_cents(cents: int, text: str) -> None:
    assert format_cents(cents) == text


def test_format_cents_with_another_symbol() -> None:
    assert format_cents(1_999, symbol="€") == "€19.99"
    assert format_cents(-1, symbol="") == "-0.01"


# --- parse_money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12", 1_200),
        ("12.5", 1_250),
        ("12.50", 1_250),
        ("12.05", 1_205),
        ("$12.50", 1_250),
        ("$ 12.50", 1_250),
        ("  $12.50  ", 1_250),
        ("\t20\n", 2_000),
        ("12,5", 1_250),       # decimal comma
        ("12,50", 1_250),
        ("0", 0),
        ("0.01", 1),
        ("0.1", 10),
        ("007", 700),
        ("100000000", MAX_CENTS),          # exactly the largest amount
        ("99999999.99", MAX_CENTS - 1),
    ],
)
def test_parse_money_accepts_what_a_cashier_types(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "$",
        "abc",
        "12a",
        "12.",          # a dot with nothing after it
        ".5",           # no whole part
        "1.234",        # more than two decimals
        "1,000",        # a thousands separator reads as three decimals: refused, not guessed
        "1,234.56",
        "12.5.0",
        "1 2",
        "12 .50",
        "-5",
        "+5",
        "-$5",
        "$-5",
        "12$",
        "$$12",
        "1e3",
        "NaN",
        "inf",
        "0x10",
        "1_000",
        "12\x00",
        "\uff11\uff12",  # full-width digits "12"
        "١٢",           # Arabic-Indic digits
        "12.\uff15",
        "12345678901",  # more than ten whole digits
    ],
)
def test_parse_money_refuses_garbage(text: str) -> None:
    with pytest.raises(MoneyError, match="is not an amount of money"):
        parse_money(text)


@pytest.mark.parametrize("text", ["100000000.01", "9999999999", "9999999999.99"])
def test_parse_money_refuses_amounts_above_the_cap(text: str) -> None:
    with pytest.raises(MoneyError, match="larger than any amount"):
        parse_money(text)


@settings(max_examples=300)
@given(st.integers(0, MAX_CENTS))
def test_parse_money_reads_back_a_plain_amount(cents: int) -> None:
    whole, frac = divmod(cents, 100)
    assert parse_money(f"{whole}.{frac:02d}") == cents
    assert parse_money(f"${whole}.{frac:02d}") == cents
    if frac == 0:
        assert parse_money(str(whole)) == cents


@settings(max_examples=300)
@given(st.text(max_size=20))
def test_parse_money_never_raises_anything_but_money_error(text: str) -> None:
    try:
        cents = parse_money(text)
    except MoneyError:
        return
    assert 0 <= cents <= MAX_CENTS


# --- require_cents -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1, 1_234, MAX_CENTS])
def test_require_cents_accepts_whole_non_negative_cents(value: int) -> None:
    assert require_cents(value, "Amount") == value


@pytest.mark.parametrize("value", [True, False, 1.0, 12.5, "12", None, b"12", [12]])
def test_require_cents_refuses_non_integers_and_bools(value: object) -> None:
    with pytest.raises(MoneyError, match="Amount must be whole cents"):
        require_cents(value, "Amount")


@pytest.mark.parametrize("value", [-1, -MAX_CENTS, MAX_CENTS + 1])
def test_require_cents_refuses_out_of_range(value: int) -> None:
    with pytest.raises(MoneyError, match="Amount out of range"):
        require_cents(value, "Amount")


def test_max_cents_matches_the_protocol_schema() -> None:
    # The Worker refuses cents above the "cents" kind's max (pos_app/core/protocol_schema.json).
    assert SCHEMA.kinds["cents"].max == MAX_CENTS
