"""The push rows' workload: events whose catalogs hold every item the pushes sell.

A real event's registers each sell items that exist centrally, each item once. So the push
rows sell from their own event (``bench-push``, not the pulled one: its catalog would swell
the pulls), seeded with as many demo items as the run's push rows sell (registers x sales x
10 lines x runs), and each register of each run sells its own fresh range of them
(:class:`ItemRanges`, ``OutboxFiller(first_item=...)``), with their real ids, tags,
consignors and prices: no line is an unknown item, a price mismatch or a ``sold_twice``.

The conflict path keeps its own row, on its own event (``bench-conflicts``): its items are
first sold by one register (untimed, before the floor's copy of D1), then each run's register
sells them again, so every line is a ``sold_twice``.

Millions of items through the admin API would take this machine over ten minutes (~8,000
items a second, slowing as the table grows), and through ``wrangler d1 execute --local`` (as
the settlement bench seeds) about as long; so the events are written by a few recursive CTEs
straight into the local D1's SQLite file, after the real migrations and before the Worker
starts (1,000,000 items: ~20 s here). The rows are what the admin API would write for
:func:`~pos_app.devtools.admin_client.demo_catalog_items` (:func:`check_seed` compares a few
of them field by field).
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from bench.settlement_bench import _wrangler

PUSH_EVENT, PUSH_PREFIX = "bench-push", "push-"
CONFLICT_EVENT, CONFLICT_PREFIX = "bench-conflicts", "conflict-"
CONSIGNORS = 400
LINES = 10  # OutboxFiller's default: 10 lines a sale
TAX_RATE_BP = 825
ITEM_COLUMNS = ("id", "consignor_number", "item_number", "tag_code", "description", "category",
                "size", "price_cents", "condition", "discountable", "donate_if_unsold",
                "status")


class ItemRanges:
    """Hands out fresh, disjoint ranges of an event's seeded items, and refuses to run out."""

    def __init__(self, items: int) -> None:
        self.items, self.taken = items, 0

    def take(self, sales: int) -> int:
        """The first item of the next ``sales`` x 10 lines' items."""
        first, self.taken = self.taken, self.taken + sales * LINES
        if self.taken > self.items:
            raise RuntimeError(f"the push event holds {self.items:,} items; "
                               f"{self.taken:,} asked")
        return first


def event_sql(event_id: str, prefix: str, items: int, dates: dict[str, str]) -> str:
    """One event as ``put_event``, ``upsert_consignors(demo_consignors(400, prefix))`` and
    ``upsert_items(demo_catalog_items(items, prefix=prefix))`` would write it."""
    numbers = "WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < {} - 1)"
    consignor, number = f"(k % {CONSIGNORS} + 1001)", f"(k / {CONSIGNORS} + 1)"
    # The items in id order: their primary key's index then grows at its end (the other
    # indexes are built after them: seed()).
    return f"""
INSERT INTO events (id, name, starts_on, ends_on, status, tax_rate_bp, timezone, updated_at)
VALUES ('{event_id}', 'Bench pushes', '{dates["starts_on"]}', '{dates["ends_on"]}',
        'published', {TAX_RATE_BP}, 'UTC', '{datetime.now(UTC).isoformat()}');
INSERT INTO consignors (id, event_id, number, name, split_bp)
{numbers.format(CONSIGNORS)}
SELECT '{prefix}consignor-' || (k + 1), '{event_id}', k + 1001, 'Consignor ' || (k + 1), 6500
FROM n;
INSERT INTO items ({", ".join(ITEM_COLUMNS)}, event_id)
{numbers.format(items)}
SELECT '{prefix}item-' || (k + 1), {consignor}, {number},
       printf('%04d-%04d', {consignor}, {number}), 'Item ' || (k + 1), 'Toys', '',
       100 + (k * 37) % 5000, 'good', k % 5 != 0, k % 3 = 0, 'approved', '{event_id}'
FROM n ORDER BY 1;
"""


def d1_file(state_dir: Path) -> Path:
    """The local D1's SQLite file under a Worker's state directory."""
    found = [path for path in (state_dir / "v3/d1/miniflare-D1DatabaseObject").glob("*.sqlite")
             if path.name != "metadata.sqlite"]
    if len(found) != 1:
        raise RuntimeError(f"expected one local D1 file, found {found}")
    return found[0]


def seed(state_dir: Path, events: dict[str, tuple[str, int]]) -> float:
    """Apply the migrations, then seed each event (id: (prefix, items)) into the D1 file while
    no Worker has it open; the seconds it took."""
    from pos_app.devtools.admin_client import dates_around_today

    started = time.perf_counter()
    _wrangler(state_dir, "migrations", "apply", "DB")
    db = sqlite3.connect(d1_file(state_dir), isolation_level=None)
    try:
        # a seed that does not finish is thrown away with its run: no fsync needed
        db.executescript("PRAGMA cache_size = -400000; PRAGMA synchronous = OFF;")
        # The items' secondary indexes are built once at the end, not row by row: the same
        # indexes (their own CREATE statements), in a fraction of the time.
        indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                             " AND tbl_name = 'items' AND sql IS NOT NULL").fetchall()
        db.executescript("\n".join([
            "BEGIN;", *(f'DROP INDEX "{name}";' for name, _sql in indexes),
            *(event_sql(event_id, prefix, items, dates_around_today())
              for event_id, (prefix, items) in events.items()),
            *(f"{sql};" for _name, sql in indexes), "COMMIT;"]))
        for event_id, (prefix, items) in events.items():
            check_seed(db, event_id, prefix, items)
    finally:
        db.close()
    return time.perf_counter() - started


def check_seed(db: sqlite3.Connection, event_id: str, prefix: str, items: int) -> None:
    """A few seeded items, field by field, against what the admin API would have stored."""
    from pos_app.devtools.admin_client import demo_catalog_items

    wanted = sorted({0, CONSIGNORS - 1, CONSIGNORS, min(items, 100_000) - 1})
    expected = [next(islice(demo_catalog_items(items, CONSIGNORS, prefix), k, None))
                for k in wanted]
    found = [db.execute(f"SELECT {', '.join(ITEM_COLUMNS)} FROM items WHERE id = ?"
                        " AND event_id = ?", (item["id"], event_id)).fetchone()
             for item in expected]
    as_stored = [tuple(int(item[column]) if isinstance(item[column], bool) else item[column]
                       for column in ITEM_COLUMNS) for item in expected]
    if found != as_stored:
        raise RuntimeError(f"the seeded {event_id} items differ from the demo catalog's: "
                           f"{found} != {as_stored}")
