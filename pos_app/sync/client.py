"""The httpx client of the central API: explicit timeouts, HTTPS off loopback, typed errors.

Every reply is validated before use; anything malformed counts as a transient failure (the
same batch is retried), so a proxy's truncated body or a wrong type never corrupts local state.
The token goes only into the Authorization header: never into an exception or a log line.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from pos_app.sync.errors import (
    AuthFailed,
    InsecureServer,
    PayloadRejected,
    Retryable,
    SyncError,
    TooLarge,
)

# The columns of a compact catalog page's rows (``format=rows``; worker/src/pull.ts), in any
# order the server names them: every item column but ``event_id`` (the page's event).
ROW_COLUMNS = frozenset((
    "id", "consignor_number", "item_number", "tag_code", "description", "category", "size",
    "price_cents", "condition", "discountable", "donate_if_unsold", "status", "sold_sale_id",
    "sold_register_id", "change_seq",
))
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
MAX_REPLY_BYTES = 20_000_000
__all__ = ["AuthFailed", "CatalogPage", "CentralClient", "InsecureServer", "PayloadRejected",
           "PushReply", "Retryable", "SyncError", "TooLarge", "require_secure"]


@dataclass(frozen=True, slots=True)
class PushReply:
    acked_seq: int
    conflicts: list[dict[str, Any]]
    statements: int


@dataclass(frozen=True, slots=True)
class CatalogPage:
    event: dict[str, Any] | None
    consignors: list[dict[str, Any]]
    items: list[dict[str, Any]]
    next_cursor: str
    has_more: bool
    total_remaining: int | None  # None when the page was asked for without the count
    register_number: int = 0  # this register's place in its event (0: an older server)
    # A compact page's items: ``item_rows`` of values named by ``item_columns`` (``items`` is
    # then empty). A server without the compact form sends ``items`` objects only.
    item_columns: tuple[str, ...] = ()
    item_rows: list[list[Any]] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return len(self.items) + len(self.item_rows)


def require_secure(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https":
        return url.rstrip("/")
    if parts.scheme == "http" and _is_loopback(host):
        return url.rstrip("/")
    raise InsecureServer(
        f"Refusing {parts.scheme}://{host}: use https (plain http only on loopback)")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CentralClient:
    def __init__(self, base_url: str, token: str, register_id: str, event_id: str, *,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT,
                 transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self.base_url = require_secure(base_url)
        self.register_id = register_id
        self.event_id = event_id
        self._clock = clock
        self.clock_offset_s: float | None = None  # server's Date - our clock, last reply
        self._http = httpx.Client(
            base_url=self.base_url, timeout=timeout, transport=transport,
            headers={"authorization": f"Bearer {token}", "user-agent": "pos-app-sync/1"},
        )

    def close(self) -> None:
        self._http.close()

    def push(self, body: bytes) -> PushReply:
        data = self._call("POST", f"/v1/registers/{self.register_id}/push", content=body,
                          headers={"content-type": "application/json"})
        return PushReply(_int(data, "acked_seq"), _list(data, "conflicts"),
                         _int(data, "statements"))

    def catalog(self, since: str, limit: int, *, count: bool = True) -> CatalogPage:
        """One page of catalog changes after ``since``.

        ``count=False`` asks the server to leave out ``total_remaining`` (a COUNT over every
        item after the cursor); the page's ``total_remaining`` is then None.
        The items are asked for compact (``format=rows``: one array of values a row, about a
        third of the bytes and half the decoding of objects); objects are still understood.
        """
        params: dict[str, str | int] = {"since": since, "limit": limit, "format": "rows"}
        if not count:
            params["count"] = 0
        data = self._call("GET", f"/v1/events/{self.event_id}/catalog", params=params)
        event = data.get("event")
        if event is not None and not isinstance(event, dict):
            raise Retryable("Malformed reply: event")
        cursor = data.get("next_cursor")
        has_more = data.get("has_more")
        if not isinstance(cursor, str) or ":" not in cursor or not isinstance(has_more, bool):
            raise Retryable("Malformed reply: cursor")
        remaining = _int(data, "total_remaining") if count else None
        number = data.get("register_number", 0)
        place = number if type(number) is int and number >= 0 else 0
        consignors = _list(data, "consignors")
        if "item_rows" not in data:
            return CatalogPage(event, consignors, _list(data, "items"), cursor, has_more,
                               remaining, place)
        columns, rows = _compact_items(data)
        return CatalogPage(event, consignors, [], cursor, has_more, remaining, place, columns,
                           rows)

    def conflicts(self, since: int) -> tuple[list[dict[str, Any]], int]:
        data = self._call("GET", f"/v1/registers/{self.register_id}/conflicts",
                          params={"since": since})
        return _list(data, "conflicts"), _int(data, "next_since")

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as error:
            raise Retryable(f"Timed out ({type(error).__name__})") from None
        except httpx.HTTPError as error:
            raise Retryable(f"Network error ({type(error).__name__})") from None
        self._note_server_date(response)
        if len(response.content) > MAX_REPLY_BYTES:
            raise Retryable("Reply too large")
        data = _decode(response)
        status = response.status_code
        if status == 200:
            return data
        message = str(data.get("message", ""))[:300] or response.reason_phrase
        if status in (401, 403):
            raise AuthFailed(status, message)
        if status == 413:
            raise TooLarge(message)
        if status == 429 or status >= 500:
            raise Retryable(f"Server answered {status}")
        if 400 <= status < 500:
            field, sale_id = data.get("field"), data.get("sale_id")
            raise PayloadRejected(message, field if isinstance(field, str) else None,
                                  sale_id if isinstance(sale_id, str) else None)
        raise Retryable(f"Unexpected status {status}")


    def _note_server_date(self, response: httpx.Response) -> None:
        """Compare our clock with the server's ``Date`` header (whole seconds, so +/- 1 s)."""
        header = response.headers.get("date")
        try:
            server = parsedate_to_datetime(header) if header else None
        except (TypeError, ValueError, IndexError, OverflowError):
            server = None
        if server is not None and server.tzinfo is not None:
            self.clock_offset_s = (server - self._clock()).total_seconds()


def _decode(response: httpx.Response) -> dict[str, Any]:
    try:
        data = json.loads(response.content)
    except ValueError:
        if response.status_code == 200 or response.status_code >= 500:
            raise Retryable(f"Malformed JSON in a {response.status_code} reply") from None
        return {}
    if not isinstance(data, dict):
        if response.status_code == 200:
            raise Retryable("Malformed reply: not an object")
        return {}  # an error status says enough on its own
    return data


def _compact_items(data: dict[str, Any]) -> tuple[tuple[str, ...], list[list[Any]]]:
    """A compact page's columns (each item column but event_id, once) and its rows (each an
    array of as many values)."""
    columns = data.get("item_columns")
    if (not isinstance(columns, list) or len(columns) != len(ROW_COLUMNS)
            or not all(isinstance(name, str) for name in columns)
            or set(columns) != ROW_COLUMNS):
        raise Retryable("Malformed reply: item_columns")
    rows = data.get("item_rows")
    # set(map(...)) keeps the check of 10,000 rows in C (a generator was 5% of a page's time)
    if not isinstance(rows, list) or (rows and (set(map(type, rows)) != {list}
                                                or set(map(len, rows)) != {len(columns)})):
        raise Retryable("Malformed reply: item_rows")
    return tuple(columns), rows


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Retryable(f"Malformed reply: {key}")
    return value


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Retryable(f"Malformed reply: {key}")
    return value
