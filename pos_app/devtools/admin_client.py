"""A small typed client of the Worker's organiser (admin) endpoints, for tests and benchmarks.

It seeds D1 (event with discount rules, consignors, items in calls of at most 2,000, registers
and their tokens), revokes registers, and exports whole tables page by page. Every call has
explicit timeouts; a non-2xx reply raises :class:`AdminError` with the server's error code
(the admin token is only ever in the Authorization header, never in an error message).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any, Final

import httpx

type JsonObject = dict[str, Any]

DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=5.0, read=60.0, write=60.0, pool=5.0)
MAX_ITEMS_PER_CALL: Final = 2000
ITEMS_PER_CALL: Final = MAX_ITEMS_PER_CALL
EXPORT_TABLES: Final = (
    "sales", "sale_lines", "tenders", "price_overrides", "voids", "refunds", "journal",
    "journal_forks", "shifts", "no_sales", "item_events", "new_items", "conflicts", "items",
    "consignors", "register_progress", "payouts", "item_fees", "conflict_resolutions")


class AdminError(RuntimeError):
    """The Worker refused an admin call; ``status``/``code``/``body`` say why."""

    def __init__(self, status: int, code: str, message: str, body: JsonObject) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.body = body


class AdminClient:
    def __init__(self, base_url: str, admin_token: str,
                 timeout: httpx.Timeout | float = DEFAULT_TIMEOUT, *,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport,
            headers={"authorization": f"Bearer {admin_token}", "user-agent": "pos-app-admin/1"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AdminClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def put_event(self, event_id: str, *, name: str, starts_on: str, ends_on: str,
                  location: str = "", timezone: str = "UTC", status: str = "published",
                  tax_rate_bp: int = 0,
                  discount_rules: Sequence[Mapping[str, object]] = ()) -> int:
        """Create or replace an event and its discount rules; returns the event's change_seq."""
        body = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "location": location,
                "timezone": timezone, "status": status, "tax_rate_bp": tax_rate_bp,
                "discount_rules": [dict(rule) for rule in discount_rules]}
        reply = self._call("PUT", f"/v1/admin/events/{event_id}", json=body)
        return int(reply["change_seq"])

    def upsert_consignors(self, event_id: str,
                          consignors: Sequence[Mapping[str, object]]) -> int:
        """Upsert consignors by (event, number), in calls of at most 2,000."""
        done = 0
        for start in range(0, len(consignors), MAX_ITEMS_PER_CALL):
            part = [dict(c) for c in consignors[start:start + MAX_ITEMS_PER_CALL]]
            done += int(self._call("POST", f"/v1/admin/events/{event_id}/consignors",
                                   json={"consignors": part})["count"])
        return done

    def upsert_items(self, event_id: str, items: Iterable[Mapping[str, object]],
                     chunk_size: int = MAX_ITEMS_PER_CALL) -> int:
        """Upsert items by id in calls of ``chunk_size`` (at most 2,000); returns the count."""
        if not 1 <= chunk_size <= MAX_ITEMS_PER_CALL:
            raise ValueError(f"chunk_size must be 1..{MAX_ITEMS_PER_CALL}")
        done, batch = 0, []
        for item in items:
            batch.append(dict(item))
            if len(batch) == chunk_size:
                done += self._post_items(event_id, batch)
                batch = []
        if batch:
            done += self._post_items(event_id, batch)
        return done

    def _post_items(self, event_id: str, batch: list[JsonObject]) -> int:
        reply = self._call("POST", f"/v1/admin/events/{event_id}/items", json={"items": batch})
        return int(reply["count"])

    def create_register(self, event_id: str, register_id: str, name: str | None = None) -> str:
        """Create a register (or rotate its token); returns the new token (shown once)."""
        reply = self._call("POST", f"/v1/admin/events/{event_id}/registers",
                           json={"register_id": register_id, "name": name or register_id})
        return str(reply["token"])

    def revoke_register(self, register_id: str) -> None:
        self._call("POST", f"/v1/admin/registers/{register_id}/revoke", json={})

    def export_page(self, event_id: str, table: str, after: str | None = None,
                    limit: int = 5000) -> tuple[list[JsonObject], str | None]:
        params: dict[str, str | int] = {"limit": limit}
        if after is not None:
            params["after"] = after
        reply = self._call("GET", f"/v1/admin/events/{event_id}/export/{table}", params=params)
        rows, next_after = reply["rows"], reply["next_after"]
        if not isinstance(rows, list) or not (next_after is None or isinstance(next_after, str)):
            raise AdminError(200, "malformed", "Malformed export reply", reply)
        return rows, next_after

    def export(self, event_id: str, table: str, page: int = 5000) -> list[JsonObject]:
        """Every row of ``table`` for the event, ordered by primary key, ``page`` rows a call."""
        if table not in EXPORT_TABLES:
            raise ValueError(f"cannot export {table!r}")
        rows, after = self.export_page(event_id, table, None, page)
        while after is not None:
            more, after = self.export_page(event_id, table, after, page)
            rows.extend(more)
        return rows

    def settlement(self, event_id: str) -> JsonObject:
        """The event's settlement (docs/sync-protocol.md, "Settlement and payouts")."""
        return self._call("GET", f"/v1/admin/events/{event_id}/settlement")

    def conflicts_page(self, event_id: str, after: int = 0, limit: int = 100,
                       consignor: int | None = None) -> JsonObject:
        """The event's next ``limit`` open conflicts after id ``after`` (only ``consignor``'s
        when given), and the ``next_after`` to ask for (None after the last page)."""
        params: dict[str, int] = {"after": after, "limit": limit}
        if consignor is not None:
            params["consignor"] = consignor
        return self._call("GET", f"/v1/admin/events/{event_id}/conflicts", params=params)

    def put_fees(self, event_id: str, *, consignor_fee_cents: int = 0, min_payout_cents: int = 0,
                 item_fees: Sequence[Mapping[str, object]] = ()) -> JsonObject:
        body = {"consignor_fee_cents": consignor_fee_cents, "min_payout_cents": min_payout_cents,
                "item_fees": [dict(fee) for fee in item_fees]}
        return self._call("PUT", f"/v1/admin/events/{event_id}/fees", json=body)

    def record_payout(self, event_id: str, payout: Mapping[str, object]) -> JsonObject:
        """Record one payout (idempotent by its id); returns the stored row."""
        reply = self._call("POST", f"/v1/admin/events/{event_id}/payouts", json=dict(payout))
        row = reply["payout"]
        if not isinstance(row, dict):
            raise AdminError(200, "malformed", "Malformed payout reply", reply)
        return row

    def resolve(self, event_id: str, conflict_id: int, action: str, **given: object) -> JsonObject:
        body = {"conflict_id": conflict_id, "action": action, **given}
        return self._call("POST", f"/v1/admin/events/{event_id}/resolutions", json=body)

    def settle(self, event_id: str) -> JsonObject:
        return self._call("POST", f"/v1/admin/events/{event_id}/settle", json={})

    def _call(self, method: str, path: str, **kwargs: Any) -> JsonObject:
        response = self._http.request(method, path, **kwargs)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise AdminError(response.status_code, "malformed",
                             f"Reply is not a JSON object ({response.reason_phrase})", {})
        if response.status_code not in (200, 201):
            raise AdminError(response.status_code, str(data.get("error", "")),
                             str(data.get("message", ""))[:300], data)
        return data


def dates_around_today(today: date | None = None) -> dict[str, str]:
    """``starts_on``/``ends_on`` of an event that is on now: yesterday to tomorrow (UTC).

    The Worker refuses a sale stamped outside its event's dates +/- 1 day, so a test or a
    benchmark whose registers stamp sales with the real clock needs an event that is on.
    """
    today = today or datetime.now(UTC).date()
    return {"starts_on": (today - timedelta(days=1)).isoformat(),
            "ends_on": (today + timedelta(days=1)).isoformat()}


def demo_catalog_items(count: int, consignors: int = 400,
                       prefix: str = "") -> Iterable[JsonObject]:
    """Items shaped like the demo event's, for seeding D1 in tests and benchmarks.

    Ids are global in D1: give each event sharing a Worker its own ``prefix``.
    """
    for index in range(count):
        consignor = index % consignors + 1001
        number = index // consignors + 1
        yield {"id": f"{prefix}item-{index + 1}", "consignor_number": consignor,
               "item_number": number,
               "tag_code": f"{consignor:04d}-{number:04d}", "description": f"Item {index + 1}",
               "category": "Toys", "size": "", "price_cents": demo_price_cents(index),
               "condition": "good", "discountable": index % 5 != 0,
               "donate_if_unsold": index % 3 == 0, "status": "approved"}


def demo_price_cents(index: int) -> int:
    """The price of demo item ``index`` (0-based), as :func:`demo_catalog_items` sets it."""
    return 100 + (index * 37) % 5000


def demo_consignors(count: int = 400, prefix: str = "") -> list[JsonObject]:
    """Consignors numbered 1001.. matching :func:`demo_catalog_items`."""
    return [{"id": f"{prefix}consignor-{n}", "number": n + 1000, "name": f"Consignor {n}",
             "email": "", "phone": "", "split_bp": 6500} for n in range(1, count + 1)]
