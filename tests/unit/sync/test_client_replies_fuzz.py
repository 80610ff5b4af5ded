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
