"""A small client of the Worker's organiser (admin) API, for tests, benchmarks and seeding."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import httpx

ITEMS_PER_CALL = 2_000


class AdminClient:
    def __init__(self, base_url: str, admin_token: str, timeout: float = 60.0) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=httpx.Timeout(timeout),
                                  headers={"authorization": f"Bearer {admin_token}"})

    def close(self) -> None:
        self._http.close()

    def _ok(self, response: httpx.Response) -> dict[str, Any]:
        response.raise_for_status()
        data = response.json()
        if not isinstance(data, dict):
            raise ValueError("admin API answered with a non-object")
        return data

    def put_event(self, event_id: str, *, name: str, starts_on: str, ends_on: str,
                  tax_rate_bp: int = 0, status: str = "published",
                  discount_rules: Sequence[dict[str, Any]] = ()) -> None:
        self._ok(self._http.put(f"/v1/admin/events/{event_id}", json={
            "name": name, "starts_on": starts_on, "ends_on": ends_on, "status": status,
            "tax_rate_bp": tax_rate_bp, "discount_rules": list(discount_rules)}))

    def upsert_consignors(self, event_id: str, consignors: Sequence[dict[str, Any]]) -> None:
        self._ok(self._http.post(f"/v1/admin/events/{event_id}/consignors",
                                 json={"consignors": list(consignors)}))

    def upsert_items(self, event_id: str, items: Iterable[dict[str, Any]]) -> int:
        batch: list[dict[str, Any]] = []
        sent = 0
        for item in items:
            batch.append(item)
            if len(batch) == ITEMS_PER_CALL:
                sent += self._send_items(event_id, batch)
                batch = []
        if batch:
            sent += self._send_items(event_id, batch)
        return sent

    def _send_items(self, event_id: str, batch: list[dict[str, Any]]) -> int:
        self._ok(self._http.post(f"/v1/admin/events/{event_id}/items", json={"items": batch}))
        return len(batch)

    def create_register(self, event_id: str, register_id: str, name: str = "") -> str:
        data = self._ok(self._http.post(f"/v1/admin/events/{event_id}/registers",
                                        json={"register_id": register_id,
                                              "name": name or register_id}))
        return str(data["token"])

    def revoke_register(self, register_id: str) -> None:
        self._ok(self._http.post(f"/v1/admin/registers/{register_id}/revoke"))

    def export(self, event_id: str, table: str, page: int = 5_000) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        after: int | None = 0
        while after is not None:
            data = self._ok(self._http.get(f"/v1/admin/events/{event_id}/export/{table}",
                                           params={"after": after, "limit": page}))
            rows.extend(data["rows"])
            after = data["next_after"]
        return rows


def demo_catalog_items(count: int, consignors: int = 400) -> Iterable[dict[str, Any]]:
    """Items shaped like the demo event's, for seeding D1 in tests and benchmarks."""
    for index in range(count):
        consignor = index % consignors + 1001
        number = index // consignors + 1
        yield {"id": f"item-{index + 1}", "consignor_number": consignor, "item_number": number,
               "tag_code": f"{consignor:04d}-{number:04d}", "description": f"Item {index + 1}",
               "category": "Toys", "size": "", "price_cents": 100 + (index * 37) % 5000,
               "condition": "good", "discountable": index % 5 != 0,
               "donate_if_unsold": index % 3 == 0, "status": "approved"}


def demo_consignors(count: int = 400) -> list[dict[str, Any]]:
    return [{"id": f"consignor-{n}", "number": n + 1000, "name": f"Consignor {n}",
             "email": "", "phone": "", "split_bp": 6500} for n in range(1, count + 1)]
