"""The organiser's settlement as the central server gives it, as typed rows (no Qt, no HTTP).

``GET /v1/admin/events/{id}/settlement`` (each consignor's figures and COUNT of open
conflicts), ``.../conflicts`` (the open conflicts, a page at a time),
``.../consignors/{n}/statement`` and the payouts ledger (docs/sync-protocol.md, "Settlement
and payouts") arrive as JSON; these functions turn them into frozen rows and refuse a reply
that is not shaped as documented (:class:`MalformedReply`), so no screen shows half-parsed
figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

type Json = Mapping[str, Any]

METHODS = ("check", "e_transfer", "cash", "store_credit")
METHOD_NAMES = {"check": "Check", "e_transfer": "E-transfer", "cash": "Cash",
                "store_credit": "Store credit"}


class MalformedReply(ValueError):
    """The server's reply is not shaped as the protocol says."""


@dataclass(frozen=True, slots=True)
class Conflict:
    id: int
    kind: str
    item_id: str
    detail: str
    sale_id: str = ""
    register_id: str = ""
    winning_sale_id: str | None = None
    winning_register_id: str | None = None
    expected_cents: int | None = None
    actual_cents: int | None = None
    consignor_number: int | None = None  # None: a conflict about no consignor's item


@dataclass(frozen=True, slots=True)
class ConsignorBalance:
    """One consignor's row of the settlement, in cents."""

    number: int
    name: str
    items_sold: int
    gross_cents: int
    split_bp: int
    share_cents: int
    fees_cents: int
    paid_cents: int
    balance_cents: int
    payable_cents: int
    unresolved_conflicts: int = 0


@dataclass(frozen=True, slots=True)
class Totals:
    items_sold: int = 0
    gross_cents: int = 0
    share_cents: int = 0
    fees_cents: int = 0
    paid_cents: int = 0
    balance_cents: int = 0


@dataclass(frozen=True, slots=True)
class Settlement:
    event_id: str
    generated_at: str
    settled_at: str | None
    min_payout_cents: int
    consignors: tuple[ConsignorBalance, ...]
    totals: Totals
    unresolved_conflicts: int
    event_conflicts: int = 0  # open conflicts about no consignor's item (clock, journal, ...)


@dataclass(frozen=True, slots=True)
class ConflictPage:
    """A page of the event's open conflicts, by id; ``next_after`` None after the last."""

    conflicts: tuple[Conflict, ...]
    next_after: int | None


@dataclass(frozen=True, slots=True)
class PayoutRequest:
    """A payout to send; its id is made once, so a retry re-sends the same row."""

    id: str
    consignor_number: int
    amount_cents: int
    method: str
    reference: str = ""
    corrects: str | None = None

    def body(self, recorded_by: str = "") -> dict[str, object]:
        body: dict[str, object] = {k: v for k, v in asdict(self).items() if k != "corrects"}
        if self.corrects is not None:
            body["corrects"] = self.corrects
        if recorded_by:
            body["recorded_by"] = recorded_by
        return body


@dataclass(frozen=True, slots=True)
class RecordedPayout:
    id: str
    consignor_number: int
    amount_cents: int
    method: str
    reference: str
    corrects: str | None
    recorded_by: str
    created_at: str


@dataclass(frozen=True, slots=True)
class SoldItem:
    tag_code: str
    description: str
    sold_at: str
    unit_price_cents: int
    discount_cents: int
    price_cents: int


@dataclass(frozen=True, slots=True)
class RefundedLine:
    tag_code: str
    description: str
    refunded_at: str
    price_cents: int
    amount_cents: int


@dataclass(frozen=True, slots=True)
class Statement:
    event_id: str
    generated_at: str
    consignor: ConsignorBalance
    items: tuple[SoldItem, ...]
    refunded: tuple[RefundedLine, ...]
    payouts: tuple[RecordedPayout, ...]


def _int(data: Json, key: str) -> int:
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedReply(f"{key} is not a whole number")
    return value


def _text(data: Json, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def _rows(data: Json, key: str) -> list[Json]:
    rows = data.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise MalformedReply(f"{key} is not a list of objects")
    return rows


def _parsed[T](what: str, parse: Callable[[Json], T], data: Json) -> T:
    try:
        result = parse(data)
    except (KeyError, TypeError) as error:
        raise MalformedReply(f"Malformed {what} from the server: {error!r}") from error
    return result


def _optional(data: Json, key: str) -> int | None:
    return None if data.get(key) is None else _int(data, key)


def _conflict(c: Json) -> Conflict:
    winner, winning_register = c.get("winning_sale_id"), c.get("winning_register_id")
    return Conflict(_int(c, "id"), _text(c, "kind"), _text(c, "item_id"), _text(c, "detail"),
                    _text(c, "sale_id"), _text(c, "register_id"),
                    None if winner is None else str(winner),
                    None if winning_register is None else str(winning_register),
                    _optional(c, "expected_cents"), _optional(c, "actual_cents"),
                    _optional(c, "consignor_number"))


def _balance(row: Json) -> ConsignorBalance:
    return ConsignorBalance(
        _int(row, "consignor_number"), _text(row, "name"), _int(row, "items_sold"),
        _int(row, "gross_cents"), _int(row, "split_bp"), _int(row, "share_cents"),
        _int(row, "fees_cents"), _int(row, "paid_cents"), _int(row, "balance_cents"),
        _int(row, "payable_cents"), _int(row, "unresolved_conflicts"))


def totals_of(rows: tuple[ConsignorBalance, ...] | list[ConsignorBalance]) -> Totals:
    return Totals(*(sum(getattr(row, key) for row in rows) for key in (
        "items_sold", "gross_cents", "share_cents", "fees_cents", "paid_cents",
        "balance_cents")))


def _settlement(data: Json) -> Settlement:
    rows = tuple(_balance(row) for row in _rows(data, "consignors"))
    settled = data.get("settled_at")
    return Settlement(_text(data, "event_id"), _text(data, "generated_at"),
                      None if settled is None else str(settled), _int(data, "min_payout_cents"),
                      rows, totals_of(rows), _int(data, "unresolved_conflicts"),
                      _int(data, "event_conflicts"))


def settlement_from_json(data: Json) -> Settlement:
    return _parsed("settlement", _settlement, data)


def _next_after(data: Json) -> int | None:
    after = data["next_after"]
    if after is not None and (not isinstance(after, int) or isinstance(after, bool)):
        raise MalformedReply("next_after is not a whole number")
    return after


def _conflict_page(data: Json) -> ConflictPage:
    return ConflictPage(tuple(_conflict(c) for c in _rows(data, "conflicts")), _next_after(data))


def conflict_page_from_json(data: Json) -> ConflictPage:
    """A page of ``GET .../conflicts``: its open conflicts and the ``after`` of the next."""
    return _parsed("page of conflicts", _conflict_page, data)


def _payout(row: Json) -> RecordedPayout:
    corrects = row.get("corrects")
    return RecordedPayout(_text(row, "id"), _int(row, "consignor_number"),
                          _int(row, "amount_cents"), _text(row, "method"),
                          _text(row, "reference"), None if corrects is None else str(corrects),
                          _text(row, "recorded_by"), _text(row, "created_at"))


def payout_from_json(data: Json) -> RecordedPayout:
    return _parsed("payout", _payout, data)


def _statement(data: Json) -> Statement:
    consignor = _balance(data["consignor"])
    items = tuple(SoldItem(_text(i, "tag_code"), _text(i, "description"), _text(i, "sold_at"),
                           _int(i, "unit_price_cents"), _int(i, "discount_cents"),
                           _int(i, "price_cents")) for i in _rows(data, "items"))
    refunded = tuple(RefundedLine(_text(r, "tag_code"), _text(r, "description"),
                                  _text(r, "refunded_at"), _int(r, "price_cents"),
                                  _int(r, "amount_cents")) for r in _rows(data, "refunded"))
    payouts = tuple(_payout({**p, "consignor_number": consignor.number})
                    for p in _rows(data, "payouts"))
    return Statement(_text(data, "event_id"), _text(data, "generated_at"), consignor, items,
                     refunded, payouts)


def statement_from_json(data: Json) -> Statement:
    return _parsed("statement", _statement, data)


def _page(data: Json) -> tuple[list[Statement], int | None]:
    return [_statement(row) for row in _rows(data, "statements")], _next_after(data)


def statement_page_from_json(data: Json) -> tuple[list[Statement], int | None]:
    """A page of ``GET .../statements``: its statements and the ``after`` of the next page."""
    return _parsed("page of statements", _page, data)
