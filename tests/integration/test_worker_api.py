"""The central Worker's HTTP API against docs/sync-protocol.md, on a real local ``wrangler dev``.

Rows are built here by hand (not with pos_app.core.wire) so these tests pin the wire format
itself; journal hashes are computed with hashlib exactly as the protocol says. Every test
works in its own event, so tests share one Worker without seeing each other's rows.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from pos_app.devtools.admin_client import AdminClient, AdminError
from pos_app.devtools.local_worker import LocalWorker

pytestmark = pytest.mark.worker

GENESIS = "0" * 64
WIDTH = {"sales": 13, "sale_lines": 8, "tenders": 7, "voids": 8, "journal": 7, "shifts": 9}
ORDER = ("sales", "sale_lines", "tenders", "voids", "journal", "shifts")
SALE_COLUMNS = ("id", "event_id", "register_id", "seq", "shift_id", "cashier_id", "created_at",
                "subtotal_cents", "discount_cents", "tax_cents", "total_cents", "item_count",
                "status")
VOID_COLUMNS = ("id", "sale_id", "event_id", "register_id", "cashier_id", "manager_id", "reason",
                "created_at")
SQL_TEXT = "x'); DROP TABLE sales; -- \" ; DELETE FROM items WHERE '1'='1"


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def canonical(value: object) -> str:
    """The journal payload layout: JSON with sorted keys and no spaces (docs/sync-protocol.md)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sale_payload(sale: list[Any], lines: list[list[Any]], tenders: list[list[Any]]) -> str:
    """A sale's journal payload: its header without item_count, its lines and tenders."""
    header = dict(zip(SALE_COLUMNS, sale, strict=True))
    del header["item_count"]
    return canonical({**header, "lines": [[ln[1], ln[2], ln[3], ln[5], ln[6]] for ln in lines],
                      "tenders": [[t[2], t[3], t[4], t[5]] for t in tenders]})


def stamp(n: int) -> str:
    return f"2026-11-21T09:{n // 60 % 60:02d}:{n % 60:02d}.{n % 1000:03d}Z"


@dataclass
class Entry:
    seq: int
    ref_id: str
    rows: dict[str, list[list[Any]]]


@dataclass
class Register:
    """A register simulator: builds outbox entries (with a correct hash chain) and pushes them."""

    http: httpx.Client
    event_id: str
    id: str
    token: str
    outbox_seq: int = 0
    sale_seq: int = 0
    journal_seq: int = 0
    prev_hash: str = GENESIS
    sold: list[str] = field(default_factory=list)

    @property
    def auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"}

    def _journal(self, kind: str, ref_id: str, payload: str) -> list[Any]:
        self.journal_seq += 1
        entry_hash = chain_hash(self.prev_hash, payload)
        row = [self.id, self.journal_seq, kind, ref_id, self.prev_hash, entry_hash, payload]
        self.prev_hash = entry_hash
        return row

    def sale(self, items: Sequence[tuple[str, int]], reference: str | None = None) -> Entry:
        self.outbox_seq += 1
        self.sale_seq += 1
        sale_id = f"sale-{uuid.uuid4()}"
        total = sum(price for _, price in items)
        lines = [[sale_id, n, item_id, f"T-{item_id}"[-20:], 1001, price, 0, price]
                 for n, (item_id, price) in enumerate(items, start=1)]
        sale = [sale_id, self.event_id, self.id, self.sale_seq, None, "cashier-1",
                stamp(self.sale_seq), total, 0, 0, total, len(items), "completed"]
        tender = [sale_id, 1, "card" if reference else "cash", total,
                  None if reference else total, None if reference else 0, reference]
        payload = sale_payload(sale, lines, [tender])
        self.sold.append(sale_id)
        return Entry(self.outbox_seq, sale_id, {
            "sales": [sale], "sale_lines": lines, "tenders": [tender],
            "journal": [self._journal("sale", sale_id, payload)]})

    def void(self, sale_id: str, reason: str = "customer changed their mind") -> Entry:
        self.outbox_seq += 1
        void_id = f"void-{uuid.uuid4()}"
        row = [void_id, sale_id, self.event_id, self.id, "cashier-1", "manager-1", reason,
               stamp(self.outbox_seq)]
        payload = canonical(dict(zip(VOID_COLUMNS, row, strict=True)))
        return Entry(self.outbox_seq, void_id,
                     {"voids": [row], "journal": [self._journal("void", void_id, payload)]})

    def body(self, entries: Sequence[Entry]) -> dict[str, Any]:
        chunks: list[dict[str, Any]] = []
        for table in ORDER:
            rows = [list(row) for e in entries for row in e.rows.get(table, [])]
            per = 100 // WIDTH[table]
            chunks += [{"table": table, "rows": rows[i:i + per]} for i in range(0, len(rows), per)]
        return {"event_id": self.event_id, "first_seq": entries[0].seq,
                "last_seq": entries[-1].seq, "chunks": chunks}

    def post(self, body: dict[str, Any], register_id: str | None = None) -> httpx.Response:
        return self.http.post(f"/v1/registers/{register_id or self.id}/push", json=body,
                              headers=self.auth)

    def push(self, *entries: Entry) -> dict[str, Any]:
        response = self.post(self.body(entries))
        assert response.status_code == 200, response.text
        reply: dict[str, Any] = response.json()
        return reply

    def catalog(self, since: str = "0:", limit: int = 1000) -> dict[str, Any]:
        response = self.http.get(f"/v1/events/{self.event_id}/catalog",
                                 params={"since": since, "limit": limit}, headers=self.auth)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    def conflicts(self, since: int = 0) -> list[dict[str, Any]]:
        response = self.http.get(f"/v1/registers/{self.id}/conflicts", params={"since": since},
                                 headers=self.auth)
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()["conflicts"]
        return rows


@dataclass
class Event:
    id: str
    items: list[str]
    admin: AdminClient
    http: httpx.Client

    def register(self, name: str | None = None) -> Register:
        register_id = name or f"reg-{uuid.uuid4().hex[:10]}"
        token = self.admin.create_register(self.id, register_id)
        return Register(self.http, self.id, register_id, token)

    def export(self, table: str) -> list[dict[str, Any]]:
        return self.admin.export(self.id, table)

    def item(self, item_id: str) -> dict[str, Any]:
        return next(row for row in self.export("items") if row["id"] == item_id)


def seed_event(admin: AdminClient, http: httpx.Client, items: int = 20) -> Event:
    event_id = f"evt-{uuid.uuid4().hex[:12]}"
    admin.put_event(event_id, name="Spring sale", starts_on="2026-11-21", ends_on="2026-11-22",
                    tax_rate_bp=0, discount_rules=[
                        {"id": f"{event_id}-half", "starts_at": "2026-11-22T08:00:00.000Z",
                         "percent_bp": 5000}])
    admin.upsert_consignors(event_id, [{"number": 1001, "name": "Ann", "split_bp": 6500}])
    ids = [f"{event_id}-i{n:05d}" for n in range(items)]
    admin.upsert_items(event_id, ({
        "id": item_id, "consignor_number": 1001, "item_number": n + 1,
        "tag_code": f"1001-{n + 1:04d}", "description": f"Item {n}", "price_cents": 500,
    } for n, item_id in enumerate(ids)))
    return Event(event_id, ids, admin, http)


@pytest.fixture
def event(admin: AdminClient, http: httpx.Client) -> Event:
    return seed_event(admin, http)


def test_health_needs_no_token(http: httpx.Client) -> None:
    response = http.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert http.get("/v1/nowhere").status_code == 404


def test_missing_wrong_and_revoked_tokens_get_401(event: Event, http: httpx.Client) -> None:
    till = event.register()
    body = till.body([till.sale([(event.items[0], 500)])])
    url = f"/v1/registers/{till.id}/push"
    assert http.post(url, json=body).status_code == 401
    wrong = http.post(url, json=body, headers={"authorization": "Bearer " + "x" * 43})
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "unauthorized"
    assert till.token not in wrong.text
    event.admin.revoke_register(till.id)
    revoked = till.post(body)
    assert revoked.status_code == 401
    assert till.token not in revoked.text
    assert http.get(f"/v1/events/{event.id}/catalog", headers=till.auth).status_code == 401
    with AdminClient(str(http.base_url), "not-the-admin-token-at-all") as intruder, \
            pytest.raises(AdminError) as refused:
        intruder.revoke_register(till.id)
    assert refused.value.status == 401


def test_other_register_or_event_gets_403(event: Event, admin: AdminClient,
                                           http: httpx.Client) -> None:
    mine, theirs = event.register(), event.register()
    body = mine.body([mine.sale([(event.items[0], 500)])])
    assert mine.post(body, register_id=theirs.id).status_code == 403
    other = seed_event(admin, http, items=1)
    assert http.get(f"/v1/events/{other.id}/catalog", headers=mine.auth).status_code == 403
    assert http.get(f"/v1/registers/{theirs.id}/conflicts", headers=mine.auth).status_code == 403
    body["chunks"][0]["rows"][0][2] = theirs.id
    forged = mine.post(body)
    assert forged.status_code == 403
    assert forged.json()["field"] == "chunks[0].rows[0][2]"
    assert event.export("sales") == []


def test_invalid_payloads_get_400_with_the_field(event: Event) -> None:
    till = event.register()
    entry = till.sale([(event.items[0], 500)])
    sale_id = entry.ref_id

    def refused(body: dict[str, Any]) -> dict[str, Any]:
        response = till.post(body)
        assert response.status_code == 400, response.text
        return dict(response.json())

    wrong_type = till.body([entry])
    wrong_type["chunks"][0]["rows"][0][3] = "seven"
    error = refused(wrong_type)
    assert (error["error"], error["field"], error["sale_id"]) == (
        "invalid", "chunks[0].rows[0][3]", sale_id)
    missing = till.body([entry])
    missing["chunks"][1]["rows"][0].pop()
    assert refused(missing)["field"] == "chunks[1].rows[0]"
    unknown = till.body([entry])
    unknown["chunks"].append({"table": "registers", "rows": [["x"]]})
    assert refused(unknown)["field"] == f"chunks[{len(unknown['chunks']) - 1}].table"
    negative = till.body([entry])
    negative["chunks"][0]["rows"][0][10] = -1
    assert refused(negative)["field"] == "chunks[0].rows[0][10]"
    not_json = till.http.post(f"/v1/registers/{till.id}/push", content=b"{nope",
                              headers=till.auth)
    assert not_json.status_code == 400
    assert event.export("sales") == []
    assert till.push(entry)["acked_seq"] == 1  # the valid original still goes through


def test_sql_metacharacters_are_stored_verbatim(event: Event) -> None:
    till = event.register()
    sale = till.sale([(event.items[0], 500)], reference=SQL_TEXT)
    void = till.void(sale.ref_id, reason=SQL_TEXT)
    assert till.push(sale, void)["acked_seq"] == 2
    assert [t["reference"] for t in event.export("tenders")] == [SQL_TEXT]
    assert [v["reason"] for v in event.export("voids")] == [SQL_TEXT]
    assert len(event.export("sales")) == 1
    assert len(event.export("items")) == len(event.items)


def test_push_is_idempotent(event: Event) -> None:
    till = event.register()
    entries = [till.sale([(event.items[0], 500), (event.items[1], 500)]),
               till.sale([(event.items[2], 500)], reference="visa-1234"),
               till.sale([(event.items[3], 500)])]
    body = till.body(entries)
    first = till.post(body).json()
    assert first["acked_seq"] == 3
    assert first["conflicts"] == []
    assert first["statements"] == 4 + 9  # 4 chunks + overhead(sales, no voids, no breaks)
    counts = {t: len(event.export(t)) for t in ("sales", "sale_lines", "tenders", "journal")}
    assert counts == {"sales": 3, "sale_lines": 4, "tenders": 3, "journal": 3}
    again = till.post(body).json()
    assert again == first
    assert {t: len(event.export(t)) for t in counts} == counts
    sold = event.item(event.items[0])
    assert (sold["status"], sold["sold_sale_id"], sold["sold_register_id"]) == (
        "sold", entries[0].ref_id, till.id)
    progress = event.export("register_progress")
    assert [(p["register_id"], p["last_seq"], p["journal_tail_seq"]) for p in progress] == [
        (till.id, 3, 3)]
    assert progress[0]["journal_tail_hash"] == till.prev_hash


def test_sold_twice_first_pushed_wins(event: Event) -> None:
    first, second = event.register("reg-a-" + event.id), event.register("reg-b-" + event.id)
    item = event.items[5]
    winner = first.sale([(item, 500)])
    loser = second.sale([(item, 500), (event.items[6], 500)])
    assert first.push(winner)["conflicts"] == []
    reply = second.push(loser)
    assert reply["acked_seq"] == 1
    [conflict] = reply["conflicts"]
    assert {k: conflict[k] for k in ("kind", "item_id", "sale_id", "register_id",
                                     "winning_sale_id", "winning_register_id")} == {
        "kind": "sold_twice", "item_id": item, "sale_id": loser.ref_id,
        "register_id": second.id, "winning_sale_id": winner.ref_id,
        "winning_register_id": first.id}
    assert first.conflicts() == second.conflicts() == [conflict]
    assert first.conflicts(since=conflict["id"]) == []
    assert event.item(item)["sold_sale_id"] == winner.ref_id
    assert len(event.export("sales")) == 2  # the money was taken: the loser's sale is kept
    assert second.push(loser)["conflicts"] == [conflict]


def test_within_one_push_the_lower_seq_wins(event: Event) -> None:
    till = event.register()
    first, second = till.sale([(event.items[8], 500)]), till.sale([(event.items[8], 500)])
    [conflict] = till.push(first, second)["conflicts"]
    assert (conflict["sale_id"], conflict["winning_sale_id"]) == (second.ref_id, first.ref_id)
    assert event.item(event.items[8])["sold_sale_id"] == first.ref_id


def test_unknown_item_is_a_conflict_not_a_rejection(event: Event) -> None:
    till = event.register()
    reply = till.push(till.sale([("no-such-item", 300)]))
    assert [c["kind"] for c in reply["conflicts"]] == ["unknown_item"]
    assert len(event.export("sales")) == 1


def test_void_returns_the_item_to_approved(event: Event) -> None:
    till = event.register()
    sale = till.sale([(event.items[7], 500)])
    till.push(sale)
    cursor = till.catalog()["next_cursor"]
    assert event.item(event.items[7])["status"] == "sold"
    reply = till.push(till.void(sale.ref_id))
    assert (reply["acked_seq"], reply["statements"]) == (2, 2 + 6)
    item = event.item(event.items[7])
    assert (item["status"], item["sold_sale_id"], item["sold_register_id"]) == (
        "approved", None, None)
    assert [i["id"] for i in till.catalog(cursor)["items"]] == [event.items[7]]
    till.push(sale)  # a late replay of the voided sale does not sell the item again
    assert event.item(event.items[7])["status"] == "approved"


def test_voiding_the_winner_of_sold_twice_passes_the_item_to_the_other_sale(
        event: Event) -> None:
    first, second = event.register("reg-w-" + event.id), event.register("reg-l-" + event.id)
    third = event.register("reg-t-" + event.id)
    item = event.items[9]
    winner, loser = first.sale([(item, 500)]), second.sale([(item, 500)])
    late = third.sale([(item, 500)])
    first.push(winner)
    second.push(loser)
    third.push(late)
    cursor = second.catalog()["next_cursor"]

    first.push(first.void(winner.ref_id))

    # The customer of the first live sale still has the item: it stays sold, to that sale.
    state = event.item(item)
    assert (state["status"], state["sold_sale_id"], state["sold_register_id"]) == (
        "sold", loser.ref_id, second.id)
    assert [i["id"] for i in second.catalog(cursor)["items"]] == [item]
    second.push(second.void(loser.ref_id))
    state = event.item(item)
    assert (state["sold_sale_id"], state["sold_register_id"]) == (late.ref_id, third.id)
    third.push(third.void(late.ref_id))
    state = event.item(item)
    assert (state["status"], state["sold_sale_id"], state["sold_register_id"]) == (
        "approved", None, None)


def test_voiding_the_loser_of_sold_twice_leaves_the_winner(event: Event) -> None:
    first, second = event.register("reg-w2-" + event.id), event.register("reg-l2-" + event.id)
    item = event.items[10]
    winner, loser = first.sale([(item, 500)]), second.sale([(item, 500)])
    first.push(winner)
    second.push(loser)

    second.push(second.void(loser.ref_id))

    state = event.item(item)
    assert (state["status"], state["sold_sale_id"], state["sold_register_id"]) == (
        "sold", winner.ref_id, first.id)


def test_broken_journal_chain_is_a_conflict_and_sales_are_kept(event: Event) -> None:
    till = event.register()
    entries = [till.sale([(event.items[n], 500)]) for n in range(3)]
    edited = till.body(entries)
    edited["chunks"][-1]["rows"][1][6] = '{"edited": true}'  # payload changed after hashing
    refused = till.post(edited)
    assert refused.status_code == 400, refused.text
    assert refused.json()["sale_id"] == entries[1].ref_id
    assert event.export("sales") == []
    assert till.push(*entries[:2])["conflicts"] == []
    till.prev_hash = GENESIS  # entry 3 does not follow entry 2: a break, but the sale is kept
    relinked = till.sale([(event.items[3], 500)])
    reply = till.push(relinked)
    assert reply["acked_seq"] == 4
    [broken] = [c for c in reply["conflicts"] if c["kind"] == "journal_chain_broken"]
    assert broken["register_id"] == till.id
    assert "entry 4" in broken["detail"]
    assert len(event.export("sales")) == 3
    assert broken in till.conflicts()
    gap = till.sale([(event.items[4], 500)])
    till.sale([(event.items[5], 500)])  # journal entry 6 is never pushed
    tail = till.sale([(event.items[6], 500)])
    assert [c["kind"] for c in till.push(gap)["conflicts"]] == []
    missing = till.push(tail)["conflicts"]
    assert [c["kind"] for c in missing] == ["journal_chain_broken"]
    assert "missing" in missing[0]["detail"]


def test_statement_limit_is_counted_exactly(small_worker: LocalWorker) -> None:
    with AdminClient(small_worker.url, small_worker.admin_token) as admin, \
            httpx.Client(base_url=small_worker.url, timeout=30.0) as http:
        event = seed_event(admin, http, items=40)
        till = event.register()

        def one_line_per_chunk(lines: int) -> dict[str, Any]:
            body = till.body([till.sale([(i, 100) for i in event.items[:lines]])])
            chunks = body["chunks"]
            rows = [r for c in chunks if c["table"] == "sale_lines" for r in c["rows"]]
            body["chunks"] = [chunks[0], *({"table": "sale_lines", "rows": [r]} for r in rows),
                              *(c for c in chunks[1:] if c["table"] != "sale_lines")]
            return body

        # chunks = 1 sale + n lines + 1 tender + 1 journal; overhead = 9: total = n + 12
        too_many = till.post(one_line_per_chunk(39))
        assert too_many.status_code == 413
        assert too_many.json()["error"] == "too_many_statements"
        till.journal_seq, till.prev_hash, till.sale_seq, till.outbox_seq = 0, GENESIS, 0, 0
        exactly = till.post(one_line_per_chunk(38))
        assert exactly.status_code == 200, exactly.text
        assert exactly.json()["statements"] == 50
        assert len(event.export("sale_lines")) == 38


def test_oversized_body_and_chunks_get_413(event: Event) -> None:
    till = event.register()
    huge = till.http.post(f"/v1/registers/{till.id}/push", content=b" " * 4_000_001,
                          headers={**till.auth, "content-type": "application/json"})
    assert huge.status_code == 413
    body = till.body([till.sale([(i, 100) for i in event.items[:13]])])
    body["chunks"] = [{"table": "sales", "rows": body["chunks"][0]["rows"]},
                      {"table": "sale_lines",
                       "rows": [r for c in body["chunks"] if c["table"] == "sale_lines"
                                for r in c["rows"]]}]
    too_wide = till.post(body)
    assert too_wide.status_code == 413
    assert too_wide.json()["field"] == "chunks[1].rows"


def test_catalog_pull_paginates_and_resumes_from_the_cursor(admin: AdminClient,
                                                            http: httpx.Client) -> None:
    event = seed_event(admin, http, items=5000)
    till = event.register()
    cursor, seen, pages = "0:", [], []
    while True:
        page = till.catalog(cursor, limit=1000)
        pages.append(page)
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert len(pages) == 5
    assert [p["total_remaining"] for p in pages] == [5000, 4000, 3000, 2000, 1000]
    assert sorted(seen) == sorted(event.items) and len(set(seen)) == 5000
    assert pages[0]["event"]["discount_rules"][0]["percent_bp"] == 5000
    assert [c["number"] for c in pages[0]["consignors"]] == [1001]
    assert isinstance(pages[0]["items"][0]["discountable"], bool)
    idle = till.catalog(cursor)
    assert (idle["items"], idle["event"], idle["consignors"], idle["has_more"]) == (
        [], None, [], False)
    till.push(till.sale([(event.items[4321], 500)]))
    changed = till.catalog(cursor)
    assert [(i["id"], i["status"], i["sold_register_id"]) for i in changed["items"]] == [
        (event.items[4321], "sold", till.id)]
    assert till.catalog(changed["next_cursor"])["items"] == []


def test_export_paginates_by_composite_primary_key(event: Event) -> None:
    till = event.register()
    till.push(till.sale([(i, 100) for i in event.items[:7]]))
    rows, after = event.admin.export_page(event.id, "sale_lines", None, 3)
    while after is not None:
        more, after = event.admin.export_page(event.id, "sale_lines", after, 3)
        rows += more
    assert [r["line_no"] for r in rows] == list(range(1, 8))
