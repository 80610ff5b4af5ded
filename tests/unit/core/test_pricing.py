"""The discount schedule and tax: when a rule applies, which one wins, and how it rounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pos_app.core.cart import Cart, CartLine
from pos_app.core.money import MoneyError
from pos_app.core.pricing import DiscountRule, LinePrice, PricingError, PricingPolicy

CENTRAL = timezone(timedelta(hours=-5), "CDT")
SAT_8 = datetime(2026, 4, 18, 8, 0, tzinfo=CENTRAL)      # "from Saturday 08:00, 50% off"
SUN_NOON = datetime(2026, 4, 19, 12, 0, tzinfo=CENTRAL)  # "from Sunday noon, 75% off"
FRI = datetime(2026, 4, 17, 15, 0, tzinfo=CENTRAL)
US = timedelta(microseconds=1)

HALF = DiscountRule(SAT_8, 5_000)
THREE_QUARTERS = DiscountRule(SUN_NOON, 7_500)


# --- DiscountRule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bp", [0, -1, 10_001, 50_000])
def test_rule_percentage_out_of_range(bp: int) -> None:
    with pytest.raises(PricingError, match=r"discount must be 1\.\.10000 bp"):
        DiscountRule(SAT_8, bp)


@pytest.mark.parametrize("bp", [1, 5_000, 10_000])
def test_rule_percentage_in_range(bp: int) -> None:
    assert DiscountRule(SAT_8, bp).percent_bp == bp


def test_rule_with_naive_start_is_refused() -> None:
    with pytest.raises(PricingError, match="time zone"):
        DiscountRule(datetime(2026, 4, 18, 8, 0), 5_000)


def test_rule_with_naive_end_is_refused() -> None:
    # Used to escape as a TypeError from comparing naive and aware datetimes.
    with pytest.raises(PricingError, match="time zone"):
        DiscountRule(SAT_8, 5_000, ends_at=datetime(2026, 4, 19, 8, 0))


@pytest.mark.parametrize("ends_at", [SAT_8, SAT_8 - US, SAT_8 - timedelta(days=1)])
def test_rule_must_end_after_it_starts(ends_at: datetime) -> None:
    with pytest.raises(PricingError, match="end after it starts"):
        DiscountRule(SAT_8, 5_000, ends_at=ends_at)


def test_rule_window_is_start_inclusive_end_exclusive() -> None:
    rule = DiscountRule(SAT_8, 5_000, ends_at=SUN_NOON)
    assert not rule.applies_at(SAT_8 - US)
    assert rule.applies_at(SAT_8)
    assert rule.applies_at(SUN_NOON - US)
    assert not rule.applies_at(SUN_NOON)
    assert rule.applies_at(SAT_8.astimezone(UTC))  # same instant, other zone


# --- PricingPolicy: schedule ---------------------------------------------------------------------


def test_no_rules_no_discount() -> None:
    policy = PricingPolicy()
    assert policy.discount_bp_at(SAT_8) == 0
    assert policy.price(1_000, True, SAT_8) == LinePrice(1_000, 0)


def test_schedule_before_at_and_after_start() -> None:
    policy = PricingPolicy.of(0, [HALF])
    assert policy.discount_bp_at(FRI) == 0
    assert policy.discount_bp_at(SAT_8 - US) == 0
    assert policy.discount_bp_at(SAT_8) == 5_000
    assert policy.discount_bp_at(SAT_8 + timedelta(days=30)) == 5_000
    assert policy.price(1_000, True, SAT_8 - US) == LinePrice(1_000, 0)
    assert policy.price(1_000, True, SAT_8) == LinePrice(1_000, 500)


def test_schedule_compares_instants_not_wall_clocks() -> None:
    policy = PricingPolicy.of(0, [HALF])
    in_utc = SAT_8.astimezone(UTC)          # 13:00 UTC
    assert policy.discount_bp_at(in_utc) == 5_000
    assert policy.discount_bp_at(in_utc - US) == 0
    # 08:30 in UTC is 03:30 in Central time: before the sale starts.
    assert policy.discount_bp_at(datetime(2026, 4, 18, 8, 30, tzinfo=UTC)) == 0


@pytest.mark.parametrize("rules", [[HALF, THREE_QUARTERS], [THREE_QUARTERS, HALF]])
def test_overlapping_rules_latest_start_wins(rules: list[DiscountRule]) -> None:
    policy = PricingPolicy.of(0, rules)
    assert policy.discount_bp_at(SAT_8 - US) == 0
    assert policy.discount_bp_at(SAT_8 + timedelta(hours=1)) == 5_000
    assert policy.discount_bp_at(SUN_NOON - US) == 5_000
    assert policy.discount_bp_at(SUN_NOON) == 7_500
    assert policy.discount_bp_at(SUN_NOON + timedelta(hours=5)) == 7_500


def test_latest_start_wins_even_when_it_is_smaller() -> None:
    later_smaller = DiscountRule(SUN_NOON, 2_500)
    for rules in ([HALF, later_smaller], [later_smaller, HALF]):
        assert PricingPolicy.of(0, rules).discount_bp_at(SUN_NOON) == 2_500
        # built directly, unsorted: the winner does not depend on the order given
        assert PricingPolicy(0, tuple(rules)).discount_bp_at(SUN_NOON) == 2_500


def test_of_sorts_rules_by_start() -> None:
    policy = PricingPolicy.of(825, [THREE_QUARTERS, HALF])
    assert policy.rules == (HALF, THREE_QUARTERS)
    assert policy.tax_rate_bp == 825


def test_ended_rule_falls_back_to_the_one_still_running() -> None:
    sunday_flash = DiscountRule(SUN_NOON, 7_500, ends_at=SUN_NOON + timedelta(hours=2))
    policy = PricingPolicy.of(0, [HALF, sunday_flash])
    assert policy.discount_bp_at(SUN_NOON + timedelta(hours=1)) == 7_500
    assert policy.discount_bp_at(SUN_NOON + timedelta(hours=2) - US) == 7_500
    assert policy.discount_bp_at(SUN_NOON + timedelta(hours=2)) == 5_000


def test_ended_rule_with_nothing_behind_it() -> None:
    policy = PricingPolicy.of(0, [DiscountRule(SAT_8, 5_000, ends_at=SUN_NOON)])
    assert policy.discount_bp_at(SUN_NOON - US) == 5_000
    assert policy.discount_bp_at(SUN_NOON) == 0


def test_non_discountable_item_keeps_its_price() -> None:
    policy = PricingPolicy.of(0, [HALF, THREE_QUARTERS])
    assert policy.price(1_999, False, SUN_NOON) == LinePrice(1_999, 0)
    assert policy.price(1_999, True, SUN_NOON) == LinePrice(1_999, 1_499)


def test_full_discount_makes_the_item_free() -> None:
    policy = PricingPolicy.of(0, [DiscountRule(SAT_8, 10_000)])
    line = policy.price(1_234, True, SAT_8)
    assert line == LinePrice(1_234, 1_234)
    assert line.price_cents == 0


@pytest.mark.parametrize(
    ("price", "bp", "discount"),
    [(999, 5_000, 500), (1, 5_000, 1), (3, 5_000, 2), (1_001, 5_000, 501), (1_999, 2_500, 500),
     (10, 3_333, 3), (0, 5_000, 0)],
)
def test_discount_rounds_half_up_per_line(price: int, bp: int, discount: int) -> None:
    line = PricingPolicy.of(0, [DiscountRule(SAT_8, bp)]).price(price, True, SAT_8)
    assert line.discount_cents == discount
    assert line.price_cents == price - discount


def test_negative_price_is_refused() -> None:
    with pytest.raises(MoneyError):
        PricingPolicy.of(0, [HALF]).price(-1, True, SAT_8)


# --- naive datetimes -----------------------------------------------------------------------------

NAIVE = datetime(2026, 4, 18, 9, 0)


def test_discount_at_naive_datetime_is_refused() -> None:
    with pytest.raises(PricingError, match="aware datetime"):
        PricingPolicy.of(0, [HALF]).discount_bp_at(NAIVE)
    with pytest.raises(PricingError, match="aware datetime"):
        PricingPolicy().discount_bp_at(NAIVE)


@pytest.mark.parametrize("discountable", [True, False])
def test_price_at_naive_datetime_is_refused(discountable: bool) -> None:
    # A naive clock must be caught on the first scan, not only on the first discountable item.
    with pytest.raises(PricingError, match="aware datetime"):
        PricingPolicy.of(0, [HALF]).price(1_000, discountable, NAIVE)


# --- tax -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bp", [-1, 10_001])
def test_tax_rate_out_of_range(bp: int) -> None:
    with pytest.raises(PricingError, match=r"tax rate must be 0\.\.10000 bp"):
        PricingPolicy(tax_rate_bp=bp)
    with pytest.raises(PricingError):
        PricingPolicy.of(bp, [])


@pytest.mark.parametrize(
    ("taxable", "bp", "tax"),
    [(0, 825, 0), (1_000, 825, 83), (999, 825, 82), (200, 825, 17), (1_000, 0, 0),
     (1_000, 10_000, 1_000), (1, 5_000, 1)],
)
def test_tax_on_rounds_half_up(taxable: int, bp: int, tax: int) -> None:
    assert PricingPolicy(tax_rate_bp=bp).tax_on(taxable) == tax


def _line(n: int, unit: int, discount: int = 0) -> CartLine:
    return CartLine(f"item-{n}", f"0001-{n:04d}", 1, f"thing {n}", unit, discount)


def test_tax_rounds_once_on_the_subtotal_not_per_line() -> None:
    policy = PricingPolicy(tax_rate_bp=825)
    cart = Cart(policy)
    for n in range(3):
        cart.add(_line(n + 1, 333))
    per_line = 3 * policy.tax_on(333)           # 3 * round(27.4725) = 81
    assert per_line == 81
    assert cart.totals().tax_cents == 82         # round(82.4175) once
    assert cart.totals().total_cents == 999 + 82


def test_tax_is_on_the_discounted_subtotal() -> None:
    policy = PricingPolicy.of(825, [HALF])
    cart = Cart(policy)
    for n, price in enumerate((1_001, 1_001), start=1):
        priced = policy.price(price, True, SAT_8)
        cart.add(_line(n, priced.unit_price_cents, priced.discount_cents))
    totals = cart.totals()
    assert (totals.subtotal_cents, totals.discount_cents) == (2_002, 1_002)  # 500.5 -> 501 each
    assert totals.tax_cents == 83        # 8.25% of 1_000 = 82.5 -> 83; not of 2_002 (165)
    assert totals.total_cents == 1_083
