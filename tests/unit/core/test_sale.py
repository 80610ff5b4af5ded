"""Completed sales and voids: what build_sale refuses, and the canonical JSON the journal hashes."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pos_app.core.cart import Cart, CartLine, Totals
from pos_app.core.pricing import PricingPolicy
from pos_app.core.protocol import SCHEMA
from pos_app.core.sale import (
    CompletedSale,
    SaleError,
    SaleHeader,
    SaleLine,
    SaleVoid,
    build_sale,
    canonical_json,
    utc_timestamp,
)
from pos_app.core.tender import Tender, TenderKind, TenderSession

HEADER = SaleHeader(
    id="0190f5a2-0000-7000-8000-000000000001",
    event_id="evt-spring-2026",
    register_id="reg-1",
    shift_id="shift-1",
    cashier_id="cashier-7",
    created_at="2026-04-18T13:05:09.123Z",
)

# The Worker's timestamp check: the "time" kind of the protocol schema, for utc_timestamp.
WORKER_TIME_RE = re.compile(str(SCHEMA.kinds["time"].pattern))


def _cart() -> Cart:
    cart = Cart(PricingPolicy(tax_rate_bp=825))
    cart.add(CartLine("item-a", "1042-0017", 1042, "Wool coat, size 4", 2_000, 1_000))
    cart.add(CartLine("item-b", "4006381333931", 7, "Lego set", 1_499))
    return cart


def _paid(cart: Cart) -> tuple[Tender, ...]:
    session = TenderSession(cart.totals().total_cents)
    session.add_card(2_000, "AUTH-42")
    session.add_cash(2_000)
    return session.finish()


def _sale() -> CompletedSale:
    cart = _cart()
    return build_sale(HEADER, 17, cart.lines, _paid(cart), cart.policy)


# --- build_sale ----------------------------------------------------------------------------------


def test_build_sale_freezes_the_cart() -> None:
    cart = _cart()
    totals = cart.totals()
    assert totals == Totals(3_499, 1_000, 206, 2)             # 8.25% of 2_499 = 206.17
    sale = build_sale(HEADER, 17, cart.lines, _paid(cart), cart.policy)
    assert sale.id == HEADER.id
    assert sale.seq == 17
    assert sale.status == "completed"
    assert sale.total_cents == 2_705
    assert sale.lines == (
        SaleLine(1, "item-a", "1042-0017", 1042, "Wool coat, size 4", 2_000, 1_000),
        SaleLine(2, "item-b", "4006381333931", 7, "Lego set", 1_499, 0),
    )
    assert [ln.price_cents for ln in sale.lines] == [1_000, 1_499]
    assert [t.kind for t in sale.tenders] == [TenderKind.CARD, TenderKind.CASH]
    assert sale.tenders[1].change_cents == 1_295
    assert isinstance(sale.tenders, tuple)


def test_build_sale_refuses_an_empty_cart() -> None:
    with pytest.raises(SaleError, match="at least one item"):
        build_sale(HEADER, 1, [], [], PricingPolicy())


@pytest.mark.parametrize("delta", [-1, 1, -2_705])
def test_build_sale_refuses_tenders_not_equal_to_the_total(delta: int) -> None:
    cart = _cart()
    totals = cart.totals()
    tenders = [Tender(TenderKind.CARD, totals.total_cents + delta, reference="AUTH")]
    with pytest.raises(SaleError, match="Tenders cover"):
        build_sale(HEADER, 1, cart.lines, tenders, cart.policy)


def test_build_sale_refuses_no_tenders_for_a_non_zero_total() -> None:
    cart = _cart()
    with pytest.raises(SaleError, match="Tenders cover 0 cents of a 2705 cent total"):
        build_sale(HEADER, 1, cart.lines, [], cart.policy)


def test_build_sale_counts_amounts_not_cash_given() -> None:
    cart = _cart()
    given_too_much = [Tender(TenderKind.CASH, 2_705, given_cents=5_000, change_cents=2_295)]
    assert build_sale(HEADER, 1, cart.lines, given_too_much, cart.policy).total_cents == 2_705
    as_given = [Tender(TenderKind.CASH, 5_000, given_cents=5_000)]
    with pytest.raises(SaleError):
        build_sale(HEADER, 1, cart.lines, as_given, cart.policy)


@pytest.mark.parametrize("reference", [None, ""])
def test_build_sale_refuses_a_card_without_reference(reference: str | None) -> None:
    cart = _cart()
    tenders = [Tender(TenderKind.CARD, 2_705, reference=reference)]
    with pytest.raises(SaleError, match="reference"):
        build_sale(HEADER, 1, cart.lines, tenders, cart.policy)


def test_build_sale_computes_its_totals_from_the_lines_and_the_tax_rule() -> None:
    lines = [CartLine("item-a", "1042-0017", 1042, "Coat", 2_001, 1_000),
             CartLine("item-b", "1042-0018", 1042, "Hat", 1_000, 0)]
    policy = PricingPolicy(tax_rate_bp=825)  # 8.25% of 2_001 = 165.08 -> 165
    sale = build_sale(HEADER, 1, lines, [Tender(TenderKind.CASH, 2_166, 2_166, 0)], policy)
    assert sale.totals == Totals(3_001, 1_000, 165, 2)
    with pytest.raises(SaleError, match="Tenders cover 2167 cents of a 2166 cent total"):
        build_sale(HEADER, 1, lines, [Tender(TenderKind.CASH, 2_167, 2_167, 0)], policy)


def test_a_free_sale_needs_no_tender() -> None:
    lines = [CartLine("item-a", "1042-0017", 1042, "Free", 500, 500)]
    sale = build_sale(HEADER, 1, lines, [], PricingPolicy(tax_rate_bp=825))
    assert sale.total_cents == 0 and sale.tenders == ()


# --- canonical JSON ------------------------------------------------------------------------------


def test_canonical_json_sorts_keys_and_has_no_spaces() -> None:
    assert canonical_json({"b": 1, "a": [1, 2, {"d": None, "c": "x y"}]}) == (
        '{"a":[1,2,{"c":"x y","d":null}],"b":1}'
    )


def test_canonical_json_is_independent_of_insertion_order() -> None:
    forward = {f"k{i}": i for i in range(20)}
    backward = dict(reversed(list(forward.items())))
    assert canonical_json(forward) == canonical_json(backward)


def test_canonical_json_keeps_non_ascii() -> None:
    text = canonical_json({"reason": "Kundin hat's zurückgegeben — ☺ 日本"})
    assert text == '{"reason":"Kundin hat\'s zurückgegeben — ☺ 日本"}'
    assert "\\u" not in text
    assert canonical_json({"q": 'say "hi"\n'}) == '{"q":"say \\"hi\\"\\n"}'


SALE_JSON = (
    '{"cashier_id":"cashier-7","created_at":"2026-04-18T13:05:09.123Z",'
    '"discount_cents":1000,"event_id":"evt-spring-2026",'
    '"id":"0190f5a2-0000-7000-8000-000000000001",'
    '"lines":[[1,"item-a","1042-0017",2000,1000],[2,"item-b","4006381333931",1499,0]],'
    '"register_id":"reg-1","seq":17,"shift_id":"shift-1","status":"completed",'
    '"subtotal_cents":3499,"tax_cents":206,'
    '"tenders":[["card",2000,null,0],["cash",705,2000,1295]],"total_cents":2705}'
)


def test_sale_canonical_json_is_pinned() -> None:
    # The journal hashes exactly this text on the register and the Worker: a change here
    # is a protocol change (docs/sync-protocol.md).
    assert _sale().canonical_json() == SALE_JSON


def test_sale_canonical_json_is_stable() -> None:
    first, second = _sale(), _sale()
    assert first.canonical_json() == second.canonical_json() == first.canonical_json()
    parsed = json.loads(first.canonical_json())
    assert canonical_json(parsed) == first.canonical_json()          # a fixed point
    assert list(parsed) == sorted(parsed)
    assert parsed["total_cents"] == parsed["subtotal_cents"] - parsed["discount_cents"] + \
        parsed["tax_cents"]


def test_sale_canonical_json_changes_with_any_hashed_field() -> None:
    sale = _sale()
    base = sale.canonical_json()
    variants = [
        replace(sale, seq=18),
        replace(sale, header=replace(HEADER, cashier_id="cashier-8")),
        replace(sale, header=replace(HEADER, shift_id=None)),
        replace(sale, totals=replace(sale.totals, tax_cents=207)),
        replace(sale, lines=sale.lines[:1]),
        replace(sale, lines=(sale.lines[0]._replace(discount_cents=999), sale.lines[1])),
        replace(sale, tenders=sale.tenders[::-1]),
        replace(sale, status="voided"),
    ]
    assert len({base, *(v.canonical_json() for v in variants)}) == len(variants) + 1


def test_sale_canonical_json_keeps_non_ascii_ids() -> None:
    sale = replace(_sale(), header=replace(HEADER, cashier_id="Zoë"))
    assert '"cashier_id":"Zoë"' in sale.canonical_json()


def test_void_canonical_json() -> None:
    void = SaleVoid("void-1", HEADER.id, "evt-spring-2026", "reg-1", "cashier-7", None,
                    "Doppelt gescannt — ça arrive", "2026-04-18T13:06:00.000Z")
    assert void.canonical_json() == (
        '{"cashier_id":"cashier-7","created_at":"2026-04-18T13:06:00.000Z",'
        '"event_id":"evt-spring-2026","id":"void-1","manager_id":null,'
        '"reason":"Doppelt gescannt — ça arrive","register_id":"reg-1",'
        '"sale_id":"0190f5a2-0000-7000-8000-000000000001"}'
    )
    assert json.loads(void.canonical_json())["reason"] == void.reason


# --- timestamps ----------------------------------------------------------------------------------


def test_utc_timestamp_format() -> None:
    moment = datetime(2026, 11, 23, 14, 5, 9, 123_999, tzinfo=UTC)
    assert utc_timestamp(moment) == "2026-11-23T14:05:09.123Z"        # truncated, not rounded
    assert utc_timestamp(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05.000Z"


def test_utc_timestamp_converts_other_zones() -> None:
    central = timezone(timedelta(hours=-6))
    moment = datetime(2026, 12, 31, 20, 30, 0, 5_000, tzinfo=central)
    assert utc_timestamp(moment) == "2027-01-01T02:30:00.005Z"


def test_utc_timestamp_now_is_accepted_by_the_worker() -> None:
    stamp = utc_timestamp()
    assert WORKER_TIME_RE.match(stamp)
    assert stamp.endswith("Z") and len(stamp) == len("2026-11-23T14:05:09.123Z")
