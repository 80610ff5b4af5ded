"""Pull of the catalog, pushes (several sizes; several registers at once) and the settlement
against the local Worker (wrangler dev).

The pushes sell from their own event, seeded with every item they sell, each register of each
run its own fresh items (bench/push_workload.py); one more row pushes sales whose every line
another register already sold (the conflict path). The settlement reads the pushes' event.

The push's baseline is a time floor measured in the same run: exactly the statements the
Worker ran for the same requests (its statement log), on raw SQLite, plus one loopback round
trip per request (:class:`Floor`). The request count against the fewest D1's limits allow is
kept beside it.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness import RUNS, Result, from_runs, guarded, percentile
from bench.push_workload import LINES, ItemRanges

EVENT, REGISTER = "bench-event", "bench-register"
ROOT = Path(__file__).resolve().parents[1]


def _seed(worker: Any, seeded: int, items: int) -> str:
    """Grow the Worker's catalog from ``seeded`` to ``items`` items; a new register's token."""
    from itertools import islice

    from pos_app.devtools.admin_client import (
        AdminClient,
        dates_around_today,
        demo_catalog_items,
        demo_consignors,
    )

    admin = AdminClient(worker.url, worker.admin_token)
    if not seeded:
        # The sales carry today's clock: the ledger refuses dates outside the event.
        admin.put_event(EVENT, name="Bench sale", **dates_around_today(), tax_rate_bp=825)
        admin.upsert_consignors(EVENT, demo_consignors(400))
    admin.upsert_items(EVENT, islice(demo_catalog_items(items), seeded, None))
    token = admin.create_register(EVENT, f"{REGISTER}-{items}")
    admin.close()
    return token


class Floor:
    """The push's floor: exactly the statements the Worker ran for the same requests, on raw
    SQLite, plus one loopback round trip carrying the request's body per request.

    The statements are read from the Worker's statement log (``LocalWorker(log_statements=
    True)``, worker/src/statement-log.ts): per request its reads (the token, the snapshot) and
    its batch (row INSERTs, sold items, conflicts, progress), with their parameters. They run on
    a copy of the Worker's D1 taken before the first push (so every statement finds the same
    rows, and the floor's file then follows D1 statement by statement), WAL,
    synchronous=NORMAL, foreign keys on as in D1, the batch in one transaction, one request
    after another as D1 is one writer."""

    def __init__(self, worker: Any, path: Path) -> None:
        import httpx

        from bench.push_workload import d1_file

        with sqlite3.connect(d1_file(worker.state_dir)) as source, \
                sqlite3.connect(path) as copy:
            source.backup(copy)
        source.close()
        copy.close()
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                              " PRAGMA foreign_keys=ON;")
        self.statements = worker.statements  # the Worker's statement collector
        self.statements.take()  # the pushes' records only
        self.server = subprocess.Popen([sys.executable, "-m", "bench.loopback"], cwd=ROOT,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.server.stdout is not None
        port = int(self.server.stdout.readline())
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}")
        self.executed = 0  # statements of the last run's requests

    def logged(self, requests: int) -> list[dict[str, Any]]:
        """The statement log's records since the last call, one per push the Worker ran to its
        end (a push it refused has none), in the order D1 ran their batches (they may reach
        the collector in another). The Worker sends each just after its reply, so this waits
        for ``requests`` records, the pushes that were not retried (a retried one may have
        none; fewer come if some never came: the row counts them)."""
        records = self.statements.take(expected=requests, timeout=60)
        return sorted(records, key=lambda record: record.get("order", 0))

    def run(self, records: list[dict[str, Any]], bodies: dict[str, list[bytes]]) -> float:
        """Each record's reads, then its batch in one transaction, after a round trip with
        that request's body (a register's records and bodies are in the same order)."""
        sent = {register: iter(list_) for register, list_ in bodies.items()}
        plan = []  # untimed
        for record in records:
            body = next(sent[record["register"]], b"{}")
            plan.append((body, [_bound(sql, params) for sql, params in record["reads"]],
                         [_bound(sql, params) for sql, params in record["batch"]]))
        self.executed = sum(len(reads) + len(batch) for _body, reads, batch in plan)
        execute = self.db.execute
        started = time.perf_counter()
        for body, reads, batch in plan:
            self.http.post("/push", content=body, headers={"content-type": "application/json"})
            for sql, params in reads:
                execute(sql, params).fetchall()
            execute("BEGIN")
            for sql, params in batch:
                execute(sql, params).fetchall()
            execute("COMMIT")
        return time.perf_counter() - started

    def close(self) -> None:
        self.http.close()
        assert self.server.stdin is not None
        self.server.stdin.close()
        self.server.wait(timeout=30)
        self.db.close()


def _bound(sql: str, params: list[Any]) -> tuple[str, Any]:
    """D1's parameters for sqlite3: numbered ones (?1) by name, plain ones (?) in order."""
    if re.search(r"\?\d", sql):
        return sql, {str(k): value for k, value in enumerate(params, 1)}
    return sql, tuple(params)


def _push_at_once(worker: Any, admin: Any, workdir: Path, *, event: str,
                  first_items: list[int], sales: int, tag: str,
                  ) -> tuple[float, dict[str, list[bytes]], list[dict[str, Any]]]:
    """A fresh register for each of ``first_items``, each in its own process with ``sales``
    sales in its outbox (selling the event's items from that one on), told to push at the same
    moment; the seconds until the last one is done."""
    from bench.push_workload import CONFLICT_EVENT, CONFLICT_PREFIX, PUSH_PREFIX

    prefix = CONFLICT_PREFIX if event == CONFLICT_EVENT else PUSH_PREFIX
    children: list[tuple[subprocess.Popen[str], Path]] = []
    for k, first_item in enumerate(first_items):
        register = f"{tag}-{k}"
        token = admin.create_register(event, register)
        db = workdir / f"{register}.sqlite3"
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.sync_child", "push", worker.url, str(db), register,
             event, str(sales), str(first_item), prefix], cwd=ROOT,
            env=dict(os.environ, POS_BENCH_TOKEN=token),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        children.append((child, db))
    for child, _db in children:  # every outbox filled and packed
        assert child.stdout is not None
        json.loads(child.stdout.readline())
    started = time.perf_counter()
    for child, _db in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    replies = []
    for child, _db in children:
        assert child.stdout is not None
        replies.append(json.loads(child.stdout.readline()))
    seconds = time.perf_counter() - started
    bodies = {}
    for child, db in children:
        if child.wait(timeout=600) != 0:
            raise RuntimeError("a pushing register failed")
        bodies[db.stem] = db.with_suffix(".requests").read_bytes().splitlines()
        for path in db.parent.glob(db.name + "*"):
            path.unlink()
    return seconds, bodies, replies


def bench_push(worker: Any, floor: Floor, workdir: Path, registers: int, sales: int, *,
               runs: int, items: ItemRanges | None) -> Result:
    """Push time of ``registers`` registers of ``sales`` sales each, against the floor of the
    same requests, interleaved run by run (A then B, then B then A, ...). Each register sells
    fresh items of the pushes' event (``items``), or, with ``items=None``, the conflict
    event's items, which another register sold first: every line a ``sold_twice``."""
    from bench.push_workload import CONFLICT_EVENT, PUSH_EVENT
    from pos_app.devtools.admin_client import AdminClient
    from pos_app.sync.batcher import SyncLimits, minimum_requests

    admin = AdminClient(worker.url, worker.admin_token)
    pairs: list[tuple[list[float], list[float]]] = []
    replies: list[dict[str, Any]] = []
    conflicts: Counter[str] = Counter()
    executed = logged = 0
    try:
        for run in range(runs):
            tag = f"push-{registers}x{sales}-{run}" + ("-sold" if items is None else "")
            firsts = ([0] * registers if items is None
                      else [items.take(sales) for _ in range(registers)])
            # The floor needs the bodies, so it runs after the push; the order of the pair
            # is kept, but the next pair starts with the floor of a fresh push of its own.
            seconds, bodies, replies = _push_at_once(
                worker, admin, workdir, event=CONFLICT_EVENT if items is None else PUSH_EVENT,
                first_items=firsts, sales=sales, tag=tag)
            # a retried request (a 503 from wrangler's proxy) may never have reached the Worker
            records = floor.logged(sum(reply["requests"] - reply["retries"] for reply in replies))
            logged = len(records)
            pairs.append(([seconds], [floor.run(records, bodies)]))
            executed = floor.executed
            conflicts.update(kind for reply in replies for kind in reply["conflicts"])
    finally:
        admin.close()
    result = from_runs(_push_name(registers, sales, sold=items is None), "s", pairs,
                       "the Worker's statements on raw SQLite + 1 loopback round trip per"
                       " request", "<= 2x", p99=False)
    lines = runs * registers * sales * LINES
    # The workload itself: no conflict at all, or one sold_twice a line.
    expected = Counter({"sold_twice": lines}) if items is None else Counter()
    result.met = result.ratio <= 2.0 and conflicts == expected
    rows = replies[0]["rows"]
    requests = sum(r["requests"] for r in replies)
    fewest = registers * minimum_requests(rows, SyncLimits())
    result.extra = {"requests": requests, "fewest_requests": fewest,
                    "request_ratio": round(requests / fewest, 3),
                    # The protocol's budget (one per chunk + the overhead) and what ran
                    # (the last run's, from the Worker's statement log).
                    "statements": sum(r["statements"] for r in replies),
                    "statements_executed": executed,
                    "requests_logged": logged,  # the last run's pushes the Worker ran
                    "each_register_s": [round(r["seconds"], 1) for r in replies],
                    "retries": sum(r["retries"] for r in replies),
                    "pushed": sum(r["pushed"] for r in replies),
                    "conflicts_all_runs": dict(conflicts), "lines_all_runs": lines}
    if conflicts != expected:
        result.extra["workload_error"] = f"expected conflicts {dict(expected)}"
    return result


def _push_name(registers: int, sales: int, *, sold: bool) -> str:
    if sold:
        return f"push, 1 register, {sales:,} sales, every line already sold elsewhere"
    if registers > 1:
        return f"push, {registers} registers x {sales:,} sales at once ({registers * sales:,})"
    return f"push, 1 register, {sales:,} sales"


def bench_pull(worker: Any, token: str, workdir: Path, items: int) -> Result:
    """Pull in a fresh child process: its peak RSS is then the register's, not this one's.
    The baseline is the same pages fetched again without applying them (same process)."""
    from pos_app.sync.pull import PAGE_SIZE

    env = dict(os.environ, POS_BENCH_TOKEN=token)
    done = subprocess.run(
        [sys.executable, "-m", "bench.sync_child", "pull", worker.url,
         str(workdir / f"pull-{items}.sqlite3"), f"{REGISTER}-{items}", EVENT],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=3600)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    pages_needed = -(-items // PAGE_SIZE)
    applies = data["apply_ms"]
    tenth = max(1, len(applies) // 10)
    first, last = statistics.median(applies[:tenth]), statistics.median(applies[-tenth:])
    result = Result(f"catalog pull, {items:,} items", "s", data["seconds"], None, 1, 1,
                    "the same pages fetched, not applied", data["fetch_only_seconds"],
                    data["seconds"] / data["fetch_only_seconds"], "< 20 s (1M items)",
                    data["items"] >= items and data["second_items"] == 0
                    and (items < 1_000_000 or data["seconds"] < 20))
    result.extra = {"pages": data["pages"], "fewest_pages": pages_needed,
                    # CPU of the register's process (both threads): what a loaded machine
                    # does not inflate as it does the wall time
                    "client_cpu_s": round(data["cpu_seconds"], 2),
                    "apply_ms_first_tenth": round(first, 1),
                    "apply_ms_last_tenth": round(last, 1),
                    "apply_growth": round(last / first, 2),
                    "apply_ms_p99": round(percentile(applies, 99), 1),
                    "fetch_ms_median": round(statistics.median(data["fetch_ms"]), 1),
                    "peak_rss_mb": round(data["peak_rss_mb"]),
                    "rss_before_pull_mb": round(data["rss_before_mb"]),
                    "second_pull_items": data["second_items"],
                    "second_pull_s": round(data["second_seconds"], 2)}
    return result


def bench_settlement(worker: Any, calls: int = 20) -> Result:
    """GET settlement of the pushes' event after the pushes: time per call and D1 rows read
    against consignors."""
    from bench.push_workload import PUSH_EVENT
    from pos_app.devtools.admin_client import AdminClient

    admin = AdminClient(worker.url, worker.admin_token)
    times: list[float] = []
    reply: dict[str, Any] = {}
    for _ in range(calls):
        started = time.perf_counter()
        reply = admin.settlement(PUSH_EVENT)
        times.append((time.perf_counter() - started) * 1000)
    admin.close()
    times.sort()
    consignors = len(reply["consignors"])
    rows_read = int(reply["rows_read"])
    median, p99 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]
    # Recomputing from the lines would read every line sold; the totals read ~1 row each.
    # The open conflicts are listed too, each read with its item, line and resolution (about
    # 4 rows); the pushes' event has none (the conflict row pushes to an event of its own).
    conflicts = int(reply["unresolved_conflicts"])
    result = Result(f"settlement, {reply['totals']['items_sold']:,} items sold", "ms", median,
                    p99, calls, 1, "the 1 s the issue allows", 1000, median / 1000,
                    "< 1 s, <= 3 rows a consignor + 4 an open conflict",
                    median < 1000 and rows_read <= 3 * consignors + 4 * conflicts + 10)
    result.extra = {"consignors": consignors, "rows_read": rows_read,
                    "rows_read_per_consignor": round(rows_read / max(consignors, 1), 2),
                    "lines_a_recompute_would_read": reply["totals"]["items_sold"],
                    "unresolved_conflicts": conflicts,
                    "rows_read_less_conflicts_per_consignor":
                        round((rows_read - 4 * conflicts) / max(consignors, 1), 2)}
    return result


def run(catalogs: list[int], push_sizes: list[int], registers: list[int], register_sales: int,
        runs: int = RUNS, *, on_result: Callable[[Result], None] = lambda _r: None,
        ) -> list[Result]:
    from bench.push_workload import CONFLICT_EVENT, CONFLICT_PREFIX, PUSH_EVENT, PUSH_PREFIX, seed
    from pos_app.devtools.admin_client import AdminClient
    from pos_app.devtools.local_worker import LocalWorker

    results: list[Result] = []

    def add(name: str, bench: Callable[[], Result]) -> None:
        for row in guarded(name, lambda: [bench()]):  # one failure does not end the group
            results.append(row)
            on_result(row)

    configurations = [(1, size) for size in push_sizes]
    configurations += [(n, register_sales) for n in registers
                       if (n, register_sales) not in configurations]
    # every line of every register of every run sells an item of its own
    items = ItemRanges(runs * LINES * sum(count * size for count, size in configurations))
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
        workdir = Path(folder)
        seed_s = seed(workdir / "d1", {PUSH_EVENT: (PUSH_PREFIX, items.items),
                                       CONFLICT_EVENT: (CONFLICT_PREFIX,
                                                        register_sales * LINES)})
        with LocalWorker(workdir / "d1", log_statements=True) as worker:
            seeded = 0
            for size in sorted(catalogs):  # the catalog grows to each size, pulled afresh
                token = _seed(worker, seeded, size)
                seeded = size
                add(f"catalog pull, {size:,} items",
                    lambda size=size, token=token: bench_pull(worker, token, workdir, size))
            # The conflict event's items sold once, before the floor's copy of D1.
            with AdminClient(worker.url, worker.admin_token) as admin:
                _seconds, _bodies, sold_first = _push_at_once(
                    worker, admin, workdir, event=CONFLICT_EVENT, first_items=[0],
                    sales=register_sales, tag="sold-first")
            # its statement records come just after its replies: not into the first row's
            assert worker.statements is not None  # log_statements=True
            worker.statements.take(expected=sum(r["requests"] - r["retries"] for r in sold_first),
                                   timeout=60)
            floor = Floor(worker, workdir / "floor.sqlite3")  # D1 as the pushes find it
            try:
                for count, size in configurations:
                    add(_push_name(count, size, sold=False),
                        lambda count=count, size=size: _seeded(bench_push(
                            worker, floor, workdir, count, size, runs=runs, items=items),
                            items.items, seed_s))
                add(_push_name(1, register_sales, sold=True),
                    lambda: bench_push(worker, floor, workdir, 1, register_sales, runs=runs,
                                       items=None))
            finally:
                floor.close()
            add("settlement", lambda: bench_settlement(worker))  # over every sale pushed above
            return results


def _seeded(result: Result, items: int, seconds: float) -> Result:
    """The row, with the size and cost of the seed its pushes sell from."""
    result.extra.update(event_items_seeded=items, seed_s=round(seconds, 1))
    return result
