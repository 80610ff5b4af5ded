"""A scanner's keys as X delivers them (``xdotool type --delay 1``) into the real window."""

from __future__ import annotations

import pytest
from xkit import XTill

pytestmark = pytest.mark.xvfb


def _scan(*codes: str) -> list[str]:
    """An xdotool command typing each code then Return (``\\r``), 1 ms apart, as a scanner
    does; ``type`` takes the rest of the command line, so it comes last."""
    return ["type", "--delay", "1", "".join(f"{code}\r" for code in codes)]


def test_a_scan_typed_by_x_lands_in_the_cart(xtill: XTill) -> None:
    xtill.xdotool(*_scan("1001-0005"))
    xtill.cart_is(["1001-0005"])


def test_a_code_typed_with_shift_arrives_whole(xtill: XTill) -> None:
    xtill.xdotool(*_scan("ABC-12"))
    scan = xtill.wait_for(lambda e: e["kind"] == "scan", "scan")
    assert scan["code"] == "ABC-12"
    xtill.xdotool(*_scan("A$B%C+D/E"))
    scan = xtill.wait_for(lambda e: e["kind"] == "scan" and e["code"] != "ABC-12", "scan")
    assert scan["code"] == "A$B%C+D/E"


@pytest.mark.parametrize("delay", ["0", "0.01", "0.05", "0.1"])
def test_scans_around_pay_land_in_the_next_cart(xtill: XTill, delay: str) -> None:
    """F12 opens the payment, Enter takes the cash, Enter pays; the next shopper's tags come
    ``delay`` seconds after each of those keys (xdotool's own timing of the keys it sends)."""
    xtill.xdotool(*_scan("1001-0006"))
    xtill.cart_is(["1001-0006"])
    xtill.xdotool("key", "F12", "sleep", delay, *_scan("1002-0001"))
    xtill.xdotool("key", "Return", "sleep", delay, *_scan("1002-0002"))
    xtill.xdotool("key", "Return", "sleep", delay, *_scan("1002-0003", "1002-0004"))
    sale = xtill.wait_for(lambda e: e["kind"] == "sale", "sale")
    assert sale["tags"] == ["1001-0006"]
    next_cart = ["1002-0001", "1002-0002", "1002-0003", "1002-0004"]
    xtill.wait_for(lambda e: e["kind"] == "cart" and sorted(e["tags"]) == next_cart,
                   "the next cart")
    assert not [e for e in xtill.seen if e["kind"] == "refused"]


def test_a_burst_of_ten_scans_right_after_pay(xtill: XTill) -> None:
    xtill.xdotool(*_scan("1003-0001"))
    xtill.cart_is(["1003-0001"])
    burst = [f"1003-{n:04d}" for n in range(2, 12)]
    xtill.xdotool("key", "F12", "key", "Return", "key", "Return", *_scan(*burst))
    xtill.wait_for(lambda e: e["kind"] == "cart" and sorted(e["tags"]) == burst,
                   "the ten scans in the next cart")
