"""``python -m bench``: run the benchmarks, print a table, write bench/results/latest.json.

    python -m bench                 # everything (needs the Worker's npm packages)
    python -m bench --only commit   # one group: commit, sync, gui, hall
    python -m bench --quick         # smaller sizes, for a smoke run
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench.harness import Result, format_table, machine_description, write_json


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", choices=["commit", "sync", "gui", "hall"], action="append")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, default=Path("bench/results/latest.json"))
    args = parser.parse_args()
    groups = set(args.only or ["commit", "sync", "gui", "hall"])
    items = 20_000 if args.quick else 200_000
    sales = 1_000 if args.quick else 10_000
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[Result] = []
    if "gui" in groups:
        from bench import gui_bench

        results += gui_bench.run(items)
    if "commit" in groups:
        from bench import store_bench

        results.append(store_bench.bench_sale_commit(items))
    if "hall" in groups:
        from bench import hall_bench

        results.append(hall_bench.bench_check_in(items))
    if "sync" in groups:
        from bench import sync_bench

        results += sync_bench.run(items, sales)
    print(machine_description())
    print(format_table(results))
    for result in results:
        if result.extra:
            print(f"  {result.name}: {result.extra}")
    write_json(results, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
