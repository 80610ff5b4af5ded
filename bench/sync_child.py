"""Sync benchmarks' child processes: a register's pull or push in a fresh process, so its
peak RSS and its CPU are the register's own.

    POS_BENCH_TOKEN=... python -m bench.sync_child pull URL DB REGISTER EVENT
    POS_BENCH_TOKEN=... python -m bench.sync_child push URL DB REGISTER EVENT SALES FIRST PREFIX

``pull`` configures a register database at DB, pulls the whole catalog from the Worker at URL,
pulls again (which must bring nothing), and prints one JSON line: pages, items, seconds, peak
RSS. ``push`` fills the outbox with SALES sales (their lines sell the event's demo items
FIRST, FIRST + 1, ..., ids prefixed PREFIX: ``OutboxFiller(first_item=...)``), writes the
request bodies it will send to DB.requests (one JSON body a line, for the floor), prints
``{"ready": true}``, waits for a line on stdin, pushes everything and prints one JSON line
(seconds, requests, statements, the kind of each conflict the replies listed).
The token comes from the environment, not the command line (other users can read ``ps``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from bench.gui_child import peak_rss_mb


def _configured(url: str, db: Path, register: str, event: str):  # type: ignore[no-untyped-def]
    from pos_app.services.setup import MemoryTokenStore, configure_register
    from pos_app.store.engine import Database
    from pos_app.sync.client import CentralClient

    token = os.environ["POS_BENCH_TOKEN"]
    database = Database.open(db)
    configure_register(database, MemoryTokenStore(), register_id=register, event_id=event,
                       name="Bench", server_url=url, token=token)
    return database, CentralClient(url, token, register, event)


def pull(url: str, db: Path, register: str, event: str) -> dict[str, object]:
    """The whole catalog, then again (nothing new); each page's fetch (on the puller's helper
    thread) and apply (its local transaction, commit included) timed apart; then, as the
    baseline, the same pages fetched again without applying them."""
    from pos_app.sync.client import CatalogPage
    from pos_app.sync.pull import PAGE_SIZE, Puller

    database, client = _configured(url, db, register, event)
    fetches: list[float] = []
    applies: list[float] = []
    fetch = client.catalog

    def timed_catalog(since: str, limit: int, *, count: bool = True) -> CatalogPage:
        started = time.perf_counter()
        page = fetch(since, limit, count=count)
        fetches.append(time.perf_counter() - started)
        return page

    apply = Puller._apply

    def timed_apply(puller: Puller, page: CatalogPage, **options: bool) -> bool:
        started = time.perf_counter()
        loading = apply(puller, page, **options)
        applies.append(time.perf_counter() - started)
        return loading

    client.catalog = timed_catalog
    Puller._apply = timed_apply  # type: ignore[method-assign,assignment]
    rss_before = peak_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    first = Puller(database, client, register).pull_catalog()
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    rss_after = peak_rss_mb()
    again = time.perf_counter()
    second = Puller(database, client, register).pull_catalog()
    second_s = time.perf_counter() - again
    fetched = time.perf_counter()
    cursor, more = "0:", True
    while more:
        page = fetch(cursor, PAGE_SIZE, count=False)
        cursor, more = page.next_cursor, page.has_more
    fetch_only_s = time.perf_counter() - fetched
    client.close()
    database.close()
    return {"pages": first.pages, "items": first.items, "seconds": seconds, "cpu_seconds": cpu_s,
            "rss_before_mb": rss_before, "peak_rss_mb": rss_after,
            "second_items": second.items, "second_seconds": second_s,
            "fetch_only_seconds": fetch_only_s,
            "apply_ms": [a * 1000 for a in applies[:first.pages]],
            "fetch_ms": [f * 1000 for f in fetches]}


def push(url: str, db: Path, register: str, event: str, sales: int, *, first_item: int,
         prefix: str) -> dict[str, object]:
    from pos_app.devtools.outbox_filler import OutboxFiller
    from pos_app.sync.batcher import SyncLimits, pack
    from pos_app.sync.push import READ_LIMIT, Pusher

    database, client = _configured(url, db, register, event)
    filler = OutboxFiller(event, register, tax_rate_bp=825,  # the bench events' tax
                          first_item=first_item, prefix=prefix)
    for start in range(0, sales, 5_000):
        filler.fill(database, min(5_000, sales - start))
    limits = SyncLimits()
    with db.with_suffix(".requests").open("wb") as bodies:  # what the push will send
        after = 0
        while True:
            with database.unit_of_work() as unit:
                entries, more = unit.outbox.read_pending(READ_LIMIT, after)
            for request in pack(entries, limits, event):
                bodies.write(request.body + b"\n")
            if not more or not entries:
                break
            after = entries[-1].seq
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    outcome = Pusher(database, client, limits).push_all()
    seconds = time.perf_counter() - started
    client.close()
    database.close()
    conflicts = {c["id"]: c["kind"] for c in outcome.conflicts}  # a retried request's again
    return {"seconds": seconds, "requests": outcome.requests, "statements": outcome.statements,
            "pushed": outcome.pushed, "retries": outcome.retries, "rows": filler.counts,
            "conflicts": list(conflicts.values())}


if __name__ == "__main__":
    mode, url, db, register, event = sys.argv[1:6]
    if mode == "pull":
        print(json.dumps(pull(url, Path(db), register, event)), flush=True)
    else:
        sales, first_item, prefix = int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
        pushed = push(url, Path(db), register, event, sales, first_item=first_item,
                      prefix=prefix)
        print(json.dumps(pushed), flush=True)
