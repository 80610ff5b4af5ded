"""Money as integer cents, and the one rounding rule every percentage goes through.

Rounding rule (used for discounts and tax alike): a percentage given in basis points
(1 bp = 0.01 %) of a non-negative amount of cents is rounded half up to a whole cent,
``(cents * bp + 5_000) // 10_000``. Discounts round per line; tax rounds once on the
discounted subtotal. Amounts are never floats.
"""

from __future__ import annotations

import re

BASIS_POINTS_PER_WHOLE = 10_000
MAX_CENTS = 100_000_000_00  # one hundred million dollars: anything larger is a typo

_MONEY_RE = re.compile(r"^\s*\$?\s*(\d{1,10})(?:[.,](\d{1,2}))?\s*$", re.ASCII)


class MoneyError(ValueError):
    """An amount typed or received that is not a valid amount of money."""


def percent_of(cents: int, basis_points: int) -> int:
    """Return ``basis_points`` of ``cents``, rounded half up to a whole cent."""
    if cents < 0:
        raise MoneyError(f"percent_of needs a non-negative amount, got {cents}")
    if not 0 <= basis_points <= BASIS_POINTS_PER_WHOLE:
        raise MoneyError(f"basis points must be 0..10000, got {basis_points}")
    return (cents * basis_points + BASIS_POINTS_PER_WHOLE // 2) // BASIS_POINTS_PER_WHOLE


def share_of(cents: int, part: int, whole: int) -> int:
    """``part / whole`` of ``cents`` (all non-negative), rounded half up to a whole cent;
    0 when ``whole`` is 0 (e.g. a line's share of a sale's tax)."""
    if cents < 0 or part < 0 or whole < 0 or part > whole:
        raise MoneyError(f"share_of needs 0 <= part <= whole and cents >= 0, got "
                         f"{cents}, {part}, {whole}")
    if whole == 0:
        return 0
    return (2 * cents * part + whole) // (2 * whole)


def format_cents(cents: int, symbol: str = "$") -> str:
    """Format cents for people: ``1234`` -> ``$12.34``, ``-50`` -> ``-$0.50``."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{symbol}{whole:,}.{frac:02d}"


def parse_money(text: str) -> int:
    """Parse what a cashier types (``12``, ``12.5``, ``$12.50``) into cents."""
    match = _MONEY_RE.match(text)
    if match is None:
        raise MoneyError(f"{text!r} is not an amount of money")
    whole, frac = match.group(1), (match.group(2) or "0").ljust(2, "0")
    cents = int(whole) * 100 + int(frac)
    if cents > MAX_CENTS:
        raise MoneyError(f"{text!r} is larger than any amount this register takes")
    return cents


def require_cents(value: object, what: str) -> int:
    """Return ``value`` if it is a non-negative int amount of cents, else raise MoneyError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise MoneyError(f"{what} must be whole cents, got {value!r}")
    if not 0 <= value <= MAX_CENTS:
        raise MoneyError(f"{what} out of range: {value}")
    return value
