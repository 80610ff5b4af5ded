"""Whatever the server (or a broken proxy) answers, the sync client raises a typed error and
never passes a malformed value on: fuzzed with hypothesis over httpx.MockTransport."""

import json
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.sync.client import (
    AuthFailed,
    CentralClient,
    InsecureServer,
    PayloadRejected,
    PushReply,
    Retryable,
    SyncError,
    TooLarge,
    require_secure,
)

TOKEN = "register-token-that-must-not-leak"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                               max_size=4),
    max_leaves=12,
)


def _client(status: int, body: bytes) -> CentralClient:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    return CentralClient("http://127.0.0.1:9", TOKEN, "r1", "e1", transport=transport)


@settings(max_examples=300)
@given(status=st.sampled_from([200, 400, 401, 403, 404, 409, 413, 429, 500, 502, 503]),
       body=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_any_reply_gives_a_valid_ack_or_a_typed_error(status: int, body: bytes) -> None:
    client = _client(status, body)
    try:
        reply = client.push(b"{}")
    except SyncError as error:
        assert TOKEN not in str(error)
        expected: dict[int, type[SyncError]] = {401: AuthFailed, 403: AuthFailed,
                                                413: TooLarge}
        if status in expected:
            assert isinstance(error, expected[status])
        elif status in (429, 500, 502, 503, 200):
            assert isinstance(error, Retryable)
        else:
            assert isinstance(error, PayloadRejected | Retryable)
    else:
        assert status == 200
        assert isinstance(reply, PushReply)
        assert isinstance(reply.acked_seq, int) and reply.acked_seq >= 0
        assert all(isinstance(c, dict) for c in reply.conflicts)
    finally:
        client.close()


@pytest.mark.parametrize("body", [
    b'{"acked_seq": "12", "conflicts": [], "statements": 3}',
    b'{"acked_seq": true, "conflicts": [], "statements": 3}',
    b'{"acked_seq": -1, "conflicts": [], "statements": 3}',
    b'{"acked_seq": 5, "conflicts": {}, "statements": 3}',
    b'{"acked_seq": 5, "conflicts": [1], "statements": 3}',
    b'{"acked_seq": 5, "conflicts": [], "statements": 3',
    b"[1, 2, 3]",
    b"",
])
def test_malformed_acks_are_retried_not_trusted(body: bytes) -> None:
    client = _client(200, body)
    with pytest.raises(Retryable):
        client.push(b"{}")
    client.close()


def test_a_huge_reply_is_refused() -> None:
    client = _client(200, b" " * 25_000_000 + b"{}")
    with pytest.raises(Retryable, match="too large"):
        client.push(b"{}")
    client.close()


def test_catalog_page_with_a_bad_cursor_is_retried() -> None:
    body: dict[str, Any] = {"event": None, "consignors": [], "items": [],
                            "next_cursor": 12, "has_more": False, "total_remaining": 0}
    client = _client(200, json.dumps(body).encode())
    with pytest.raises(Retryable):
        client.catalog("0:", 10)
    client.close()


@pytest.mark.parametrize("url", ["http://192.168.1.20:8787", "http://example.org", "ftp://x"])
def test_plain_http_is_refused_off_loopback(url: str) -> None:
    with pytest.raises(InsecureServer):
        require_secure(url)


@pytest.mark.parametrize("url", ["https://api.example.org", "http://127.0.0.1:8787",
                                 "http://localhost:1", "http://[::1]:2"])
def test_https_or_loopback_is_accepted(url: str) -> None:
    assert require_secure(url) == url


COMPACT_COLUMNS = ["change_seq", "id", "consignor_number", "item_number", "tag_code",
                   "description", "category", "size", "price_cents", "condition",
                   "discountable", "donate_if_unsold", "status", "sold_sale_id",
                   "sold_register_id"]


def _compact_body(columns: Any = COMPACT_COLUMNS, rows: Any = None) -> bytes:
    if rows is None:
        rows = [[7, "i-1", 1001, 1, "1001-0001", "Hat", "", "", 500, "good", 1, 0,
                 "approved", None, None]]
    return json.dumps({"event": None, "consignors": [], "item_columns": columns,
                       "item_rows": rows, "next_cursor": "7:i-1", "has_more": True,
                       "total_remaining": 3}).encode()


def test_a_compact_page_is_asked_for_and_kept_as_rows_in_the_servers_column_order() -> None:
    asked: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url)
        return httpx.Response(200, content=_compact_body())

    client = CentralClient("http://127.0.0.1:9", TOKEN, "r1", "e1",
                           transport=httpx.MockTransport(answer))
    page = client.catalog("0:", 10)
    client.close()

    assert asked[0].params["format"] == "rows"
    assert page.items == [] and page.item_count == 1
    assert page.item_columns == tuple(COMPACT_COLUMNS)
    assert dict(zip(page.item_columns, page.item_rows[0], strict=True))["tag_code"] == "1001-0001"
    assert (page.next_cursor, page.has_more, page.total_remaining) == ("7:i-1", True, 3)


@pytest.mark.parametrize("body", [
    _compact_body(columns=[*COMPACT_COLUMNS[:-1], "event_id"]),  # a column swapped for another
    _compact_body(columns=COMPACT_COLUMNS[:-1]),  # one missing
    _compact_body(columns=[*COMPACT_COLUMNS[:-1], "id"]),  # one twice
    _compact_body(columns=[*COMPACT_COLUMNS, "extra"]),
    _compact_body(columns="id,tag_code"),
    _compact_body(columns=[["id"], *COMPACT_COLUMNS[1:]]),  # a name that is not a string
    _compact_body(rows=[[1, "i-1"]]),  # a row too short
    _compact_body(rows=[{"id": "i-1"}]),  # an object, not a row
    _compact_body(rows={"0": []}),
])
def test_a_malformed_compact_page_is_retried_not_trusted(body: bytes) -> None:
    client = _client(200, body)
    with pytest.raises(Retryable, match="item_"):
        client.catalog("0:", 10)
    client.close()
