"""``python -m bench``: run the benchmarks, print a table, write bench/results/latest.json.

    python -m bench                 # everything (needs the Worker's npm packages)
    python -m bench --only commit   # one group: commit, sync, gui, hall, settlement (it seeds
                                    # 100,000 sales and 1,000,000 lines per event into D1)
    python -m bench --quick         # smaller sizes, for a smoke run
    python -m bench --items 200000  # the GUI at 200,000 items only (default: also 1,000,000)
    python -m bench --only sync --pull-items 1000000 --push-sizes 1000 --registers 1
    python -m bench --only sync --registers 1,2,4,8,16 --register-sales 5000 --runs 3

Every group runs in this process tree, one after another; a group (or one benchmark of the
sync group) that fails is a FAILED row in the table with its error, and the run goes on.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench.harness import RUNS, Result, format_table, guarded, machine_description, write_json


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",")]


def _progress(results: list[Result], path: Path) -> None:
    """The rows so far, on stderr and in the JSON file, so a long run that fails keeps them."""
    print(format_table(results), file=sys.stderr, flush=True)
    write_json(results, path)


def _gui(items: int, scans: int, runs: int) -> list[Result]:
    from bench import gui_bench

    return gui_bench.run(items, scans, runs)


def _commit(items: int, commits: int, runs: int) -> list[Result]:
    from bench import store_bench

    return [store_bench.bench_sale_commit(items, commits, runs)]


def _hall(items: int, runs: int) -> list[Result]:
    from bench import hall_bench

    return [hall_bench.bench_check_in(items, runs=runs)]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", choices=["commit", "sync", "gui", "hall", "settlement"],
                        action="append")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, default=Path("bench/results/latest.json"))
    parser.add_argument("--runs", type=int, default=RUNS, help="runs of each ratio")
    parser.add_argument("--items", type=_sizes, help="catalog sizes (GUI, commit, hall)")
    parser.add_argument("--pull-items", type=_sizes, help="catalog sizes pulled")
    parser.add_argument("--scans", type=int, help="timed scans per run")
    parser.add_argument("--push-sizes", type=_sizes, help="sales of one register's pushes")
    parser.add_argument("--registers", type=_sizes, help="registers pushing at once")
    parser.add_argument("--register-sales", type=int,
                        help="sales of each of those registers (and of the conflict row)")
    parser.add_argument("--settlement-sales", type=int,
                        help="sales (10 lines each) seeded into D1 for the settlement at scale")
    parser.add_argument("--settlement-consignors", type=_sizes,
                        help="consignor counts, one seeded event each")
    args = parser.parse_args()
    groups = set(args.only or ["commit", "sync", "gui", "hall", "settlement"])
    quick = args.quick
    catalogs = args.items or ([20_000] if quick else [200_000, 1_000_000])
    pulls = args.pull_items or ([20_000] if quick else [200_000, 1_000_000])
    scans = args.scans or (200 if quick else 1_000)
    push_sizes = args.push_sizes or ([1_000] if quick else [1_000, 10_000, 50_000])
    registers = args.registers or ([1, 2] if quick else [1, 2, 4, 8, 16])
    register_sales = args.register_sales or (500 if quick else 5_000)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[Result] = []

    def add(rows: list[Result]) -> None:
        results.extend(rows)
        _progress(results, args.json)

    if "gui" in groups:
        for items in catalogs:
            add(guarded(f"gui, {items:,} items", lambda items=items: _gui(items, scans, args.runs)))
    if "commit" in groups:
        add(guarded("sale commit", lambda: _commit(catalogs[0], 20 if quick else 60, args.runs)))
    if "hall" in groups:
        add(guarded("check-in scan", lambda: _hall(catalogs[0], args.runs)))
    if "sync" in groups:
        from bench import sync_bench

        def sync() -> list[Result]:  # its rows are added as each one is done
            sync_bench.run(pulls, push_sizes, registers, register_sales, args.runs,
                           on_result=lambda row: add([row]))
            return []

        add(guarded("sync (local Worker)", sync))
    if "settlement" in groups:
        from bench import settlement_bench

        add(guarded("settlement at event scale", lambda: settlement_bench.run(
            args.settlement_sales or (10_000 if quick else 100_000),
            args.settlement_consignors or ([100, 1_000] if quick else [100, 1_000, 5_000]))))
    print(machine_description())
    print(format_table(results))
    for result in results:
        if result.extra:
            print(f"  {result.name}: {result.extra}")
    write_json(results, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
