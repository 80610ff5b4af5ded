"""The settlement at event scale (issue 14): 100,000 sales and 1,000,000 lines by default.

Pushing a million lines through the Worker would take this machine hours, so the local D1 is
seeded directly, through D1 itself: ``wrangler d1 execute --local --file`` of a few
generated statements (recursive CTEs: the event, its consignors, one catalog item per line,
the sales and their lines), after the real migrations. The per-consignor totals are NOT
written by the seed: the items are then marked sold by the push's own kind of statement (an
``UPDATE items ... FROM`` the live sale lines, first sale wins), so migration 0005/0006's
triggers build ``consignor_totals`` row by row, as every push does in production. Then the
Worker is started on that D1 and ``GET /v1/admin/events/{id}/settlement`` is timed; D1's own
``meta.rows_read`` comes back in the reply. One event per consignor count, so the rows read
can be set against the number of consignors. Then "all statements" is timed a page of
consignors per call (``GET .../statements``) against one call per consignor. Last, an event of
1,000 consignors and 100,000 items gets ten open ``sold_twice`` conflicts an item (10 x the
sales: 1,000,000 at event scale, as when every register sells the same items), and the
settlement (counts only) and a page of its open conflicts (``GET .../conflicts``) are timed,
with the reply's bytes and D1's rows read.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.harness import Result, percentile

LINES_PER_SALE = 10
EVENT = "bench-settle"
SEED_TIMEOUT_S = 3600.0


def seed_sql(event_id: str, sales: int, consignors: int) -> str:
    """The statements that seed one event: consignors 1000.., ``sales`` x 10 lines, items sold."""
    lines = sales * LINES_PER_SALE
    numbers = "WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < {} - 1)"
    # Line k sells item k of consignor 1000 + k % consignors, at a price from 1.00 to 50.99;
    # every seventh line at half price (the discount a rule gives).
    price = "(100 + (k * 37) % 5000)"
    discount = f"(CASE WHEN k % 7 = 0 THEN ({price} + 1) / 2 ELSE 0 END)"
    return f"""
INSERT INTO events (id, name, starts_on, ends_on, status, tax_rate_bp, updated_at)
VALUES ('{event_id}', 'Settlement bench', '2026-11-21', '2026-11-22', 'published', 0,
        '2026-11-20T00:00:00Z');
INSERT INTO consignors (id, event_id, number, name, split_bp)
{numbers.format(consignors)}
SELECT '{event_id}-c' || k, '{event_id}', 1000 + k, 'Consignor ' || (1000 + k),
       6000 + (k % 5) * 500 FROM n;
INSERT INTO items (id, event_id, consignor_number, item_number, tag_code, description,
                   price_cents)
{numbers.format(lines)}
SELECT '{event_id}-i' || k, '{event_id}', 1000 + k % {consignors}, k / {consignors},
       '{event_id}-T' || k, 'Bench item', {price} FROM n;
INSERT INTO sales (id, event_id, register_id, seq, cashier_id, created_at, subtotal_cents,
                   discount_cents, tax_cents, total_cents, item_count, status)
{numbers.format(sales)}
SELECT '{event_id}-s' || k, '{event_id}', '{event_id}-r' || (k % 8), k / 8 + 1, 'cashier-1',
       '2026-11-21T10:00:00Z', 0, 0, 0, 0, {LINES_PER_SALE}, 'completed' FROM n;
INSERT INTO sale_lines (sale_id, line_no, item_id, tag_code, consignor_number,
                        unit_price_cents, discount_cents, price_cents)
{numbers.format(lines)}
SELECT '{event_id}-s' || (k / {LINES_PER_SALE}), k % {LINES_PER_SALE} + 1, '{event_id}-i' || k,
       '{event_id}-T' || k, 1000 + k % {consignors}, {price}, {discount},
       {price} - {discount} FROM n;
UPDATE sales SET subtotal_cents = t.unit, discount_cents = t.discount,
                 total_cents = t.unit - t.discount
FROM (SELECT sale_id, SUM(unit_price_cents) AS unit, SUM(discount_cents) AS discount
      FROM sale_lines WHERE sale_id LIKE '{event_id}-s%' GROUP BY sale_id) AS t
WHERE sales.id = t.sale_id;
UPDATE items SET status = 'sold', sold_sale_id = w.sale_id, sold_register_id = w.register_id
FROM (SELECT sl.item_id, s.id AS sale_id, s.register_id,
             row_number() OVER (PARTITION BY sl.item_id ORDER BY s.seq, s.id) AS place
      FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
      WHERE s.event_id = '{event_id}'
        AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.sale_id = sl.sale_id
                                                 AND f.line_no = sl.line_no)) AS w
WHERE w.place = 1 AND items.id = w.item_id AND items.event_id = '{event_id}'
  AND items.sold_sale_id IS NULL;
"""


CONFLICTS_EVENT = "bench-conflicts"
CONFLICTS_SALES, CONFLICTS_CONSIGNORS, CONFLICTS_PAGE_LIMIT = 10_000, 1_000, 100


def conflicts_sql(event_id: str, conflicts: int) -> str:
    """``conflicts`` open sold_twice conflicts over the event's items (seed_sql's), each a
    losing sale of its own, the item held by the seeded sale."""
    lines = CONFLICTS_SALES * LINES_PER_SALE
    return f"""
INSERT INTO conflicts (event_id, kind, item_id, sale_id, register_id, winning_sale_id,
                       winning_register_id, detail, created_at)
WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < {conflicts} - 1)
SELECT '{event_id}', 'sold_twice', '{event_id}-i' || (k % {lines}), '{event_id}-x' || k,
       '{event_id}-r9', '{event_id}-s' || ((k % {lines}) / {LINES_PER_SALE}), '{event_id}-r0',
       '', '2026-11-21T10:00:00Z' FROM n;
"""


def _wrangler(state_dir: Path, *args: str) -> str:
    """``wrangler d1 ARGS --local`` on the D1 kept in ``state_dir``; its standard output."""
    from pos_app.devtools.local_worker import WORKER_DIR

    env = {**os.environ, "CI": "true", "WRANGLER_SEND_METRICS": "false", "NO_COLOR": "1",
           # wrangler's debug log in the state dir, not ~/.config/.wrangler/logs (local_worker.py)
           "WRANGLER_LOG_PATH": str(state_dir / "wrangler-logs")}
    done = subprocess.run(
        ["npx", "wrangler", "d1", *args, "--local", "--persist-to", str(state_dir)],
        cwd=WORKER_DIR, capture_output=True, timeout=SEED_TIMEOUT_S, check=False,
        stdin=subprocess.DEVNULL, env=env)
    if done.returncode != 0:
        raise RuntimeError((done.stdout + done.stderr).decode(errors="replace")[-4000:])
    return done.stdout.decode(errors="replace")


def recomputed(state_dir: Path, event_id: str) -> tuple[int, int]:
    """Lines sold and their gross summed from the items and lines themselves (no totals)."""
    out = _wrangler(state_dir, "execute", "DB", "--json", "--command",
                    "SELECT COUNT(*) AS n, COALESCE(SUM(sl.price_cents), 0) AS gross FROM items i"
                    " JOIN sale_lines sl ON sl.item_id = i.id AND sl.sale_id = i.sold_sale_id"
                    f" WHERE i.event_id = '{event_id}'")
    row = json.loads(out)[0]["results"][0]
    return int(row["n"]), int(row["gross"])


def seed(state_dir: Path, workdir: Path, sales: int, consignor_counts: list[int]) -> float:
    """Apply the migrations and seed one event per consignor count; seconds it took."""
    started = time.perf_counter()
    _wrangler(state_dir, "migrations", "apply", "DB")
    for consignors in consignor_counts:
        path = workdir / f"seed-{consignors}.sql"
        path.write_text(seed_sql(f"{EVENT}-{consignors}", sales, consignors), encoding="utf-8")
        _wrangler(state_dir, "execute", "DB", "--file", str(path), "--yes")
    return time.perf_counter() - started


def measure(url: str, token: str, consignors: int, sales: int, calls: int) -> Result:
    """GET settlement ``calls`` times; the median against the 1 s the issue allows."""
    from pos_app.devtools.admin_client import AdminClient

    admin = AdminClient(url, token)
    times: list[float] = []
    reply: dict[str, object] = {}
    for _ in range(calls):
        began = time.perf_counter()
        reply = admin.settlement(f"{EVENT}-{consignors}")
        times.append((time.perf_counter() - began) * 1000)
    admin.close()
    totals = reply["totals"]
    assert isinstance(totals, dict) and isinstance(reply["consignors"], list)
    rows_read = int(str(reply["rows_read"]))
    median = percentile(times, 50)
    result = Result(f"settlement, {sales:,} sales, {totals['items_sold']:,} lines sold, "
                    f"{consignors:,} consignors", "ms", median, percentile(times, 99), calls, 1,
                    "the 1 s the issue allows", 1000, median / 1000,
                    "< 1 s, <= 3 rows read per consignor",
                    median < 1000 and rows_read <= 3 * consignors + 10)
    result.extra = {"consignors": len(reply["consignors"]), "rows_read": rows_read,
                    "rows_read_per_consignor": round(rows_read / consignors, 2),
                    "lines_a_recompute_would_read": totals["items_sold"],
                    "gross_cents": totals["gross_cents"]}
    return result


def measure_statements(url: str, token: str, consignors: int, sales: int,
                       sampled: int = 20) -> Result:
    """"All statements" a page of consignors per call (GET .../statements) against one call
    per consignor (timed on the first ``sampled`` consignors, scaled to all of them)."""
    from pos_app.services.settlement import STATEMENTS_PAGE, SettlementService
    from pos_app.sync.settlement_api import HttpSettlementApi, connector

    event_id = f"{EVENT}-{consignors}"
    service = SettlementService(connector(url, token), event_id)
    numbers = list(range(1000, 1000 + consignors))
    began = time.perf_counter()
    service.statements(numbers[:sampled])
    one_each_ms = (time.perf_counter() - began) * 1000 / sampled * consignors
    began = time.perf_counter()
    found = service.all_statements(numbers)
    paged_ms = (time.perf_counter() - began) * 1000
    api, after, rows_read, pages = HttpSettlementApi(url, token), -1, [], 0
    while after is not None:
        reply = api.statements_page(event_id, after, STATEMENTS_PAGE)
        rows_read.append(int(reply["rows_read"]))
        after, pages = reply["next_after"], pages + 1
    api.close()
    result = Result(f"all statements, {consignors:,} consignors, {sales:,} sales, "
                    f"{STATEMENTS_PAGE} a page", "ms", paged_ms, None, 1, 1,
                    "one call per consignor", one_each_ms, paged_ms / one_each_ms,
                    "faster than one call per consignor", paged_ms < one_each_ms)
    result.extra = {"statements": len(found), "pages": pages,
                    "items": sum(len(s.items) for s in found),
                    "rows_read_per_page_max": max(rows_read),
                    "rows_read_all_pages": sum(rows_read)}
    return result


def seed_conflicts(state_dir: Path, workdir: Path, conflicts: int) -> None:
    path = workdir / "seed-conflicts.sql"
    path.write_text(seed_sql(CONFLICTS_EVENT, CONFLICTS_SALES, CONFLICTS_CONSIGNORS)
                    + conflicts_sql(CONFLICTS_EVENT, conflicts), encoding="utf-8")
    _wrangler(state_dir, "execute", "DB", "--file", str(path), "--yes")


def _timed_get(url: str, token: str, path: str, calls: int) -> tuple[list[float], int, Any]:
    """``calls`` GETs of ``path``: their milliseconds, the last reply's bytes and JSON."""
    times, size, body = [], 0, None
    with httpx.Client(base_url=url, timeout=600.0,
                      headers={"authorization": f"Bearer {token}"}) as http:
        for _ in range(calls):
            began = time.perf_counter()
            reply = http.get(path)
            times.append((time.perf_counter() - began) * 1000)
            reply.raise_for_status()
            size, body = len(reply.content), reply.json()
    return times, size, body


def measure_open_conflicts(url: str, token: str, conflicts: int, calls: int = 5) -> list[Result]:
    """The settlement of an event with ``conflicts`` open ones (counted, not listed) against
    the 30 s D1 allows a query, and a page of them against that settlement."""
    base = f"/v1/admin/events/{CONFLICTS_EVENT}"
    times, size, body = _timed_get(url, token, f"{base}/settlement", calls)
    page_times, page_size, page = _timed_get(
        url, token, f"{base}/conflicts?after={conflicts // 2}&limit={CONFLICTS_PAGE_LIMIT}", calls)
    median, page_median = percentile(times, 50), percentile(page_times, 50)
    listed_bytes = page_size / max(1, len(page["conflicts"])) * conflicts
    settlement = Result(
        f"settlement, {conflicts:,} open conflicts, {CONFLICTS_CONSIGNORS:,} consignors", "ms",
        median, percentile(times, 99), calls, 1, "the 30 s D1 allows a query", 30_000,
        median / 30_000, "counts only: < 1 MB, < 30 s",
        size < 1_000_000 and median < 30_000 and body["unresolved_conflicts"] == conflicts)
    settlement.extra = {"reply_bytes": size, "rows_read": body["rows_read"],
                        "rows_read_per_open_conflict": round(body["rows_read"] / conflicts, 2),
                        "reply_bytes_if_listed": round(listed_bytes)}
    paged = Result(
        f"a page of {CONFLICTS_PAGE_LIMIT} open conflicts (of {conflicts:,})", "ms", page_median,
        percentile(page_times, 99), calls, 1, "that settlement", median, page_median / median,
        "rows read follow the page (<= 4 a conflict + its window, 10 x the limit)",
        page["rows_read"] <= 4 * (CONFLICTS_PAGE_LIMIT + 1) + 10 * CONFLICTS_PAGE_LIMIT + 1)
    paged.extra = {"reply_bytes": page_size, "rows_read": page["rows_read"]}
    return [settlement, paged]


def run(sales: int, consignor_counts: list[int], calls: int = 20,
        conflicts: int | None = None) -> list[Result]:
    """The settlement and statements per consignor count; then ``conflicts`` (10 x the sales
    unless given) open conflicts in an event of their own."""
    from pos_app.devtools.local_worker import LocalWorker

    open_conflicts = 10 * sales if conflicts is None else conflicts
    with tempfile.TemporaryDirectory(prefix="bench-settle-") as folder:
        workdir = Path(folder)
        seconds = seed(workdir / "d1", workdir, sales, consignor_counts)
        seed_conflicts(workdir / "d1", workdir, open_conflicts)
        with LocalWorker(workdir / "d1") as worker:
            results = [measure(worker.url, worker.admin_token, n, sales, calls)
                       for n in consignor_counts]
            pages = [measure_statements(worker.url, worker.admin_token, n, sales)
                     for n in consignor_counts]
            pages += measure_open_conflicts(worker.url, worker.admin_token, open_conflicts)
        # The Worker stopped: the lines summed directly must equal the trigger-built totals.
        for n, result in zip(consignor_counts, results, strict=True):
            lines, gross = recomputed(workdir / "d1", f"{EVENT}-{n}")
            same = (lines, gross) == (result.extra["lines_a_recompute_would_read"],
                                      result.extra["gross_cents"])
            result.extra.update(seed_seconds_all_events=round(seconds, 1),
                                totals_equal_a_recompute=same)
            result.met = bool(result.met and same)
    return results + pages
