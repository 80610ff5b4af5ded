"""GUI benchmarks, each in fresh processes: scan-to-row, cold start, peak RSS."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import Result, percentile, summary

ROOT = Path(__file__).resolve().parents[1]


def _child(*args: str) -> tuple[dict[str, Any], float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.gui_child", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=600)
    elapsed = (time.perf_counter() - started) * 1000
    last = [line for line in done.stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(last), elapsed


def _demo_db(items: int) -> Path:
    from pos_app.services.demo import create_demo_event
    from pos_app.store.engine import Database

    path = Path(tempfile.mkdtemp(prefix="bench-gui-")) / "register.sqlite3"
    database = Database.open(path)
    create_demo_event(database, items=items)
    database.close()
    return path


def run(items: int, runs: int = 5) -> list[Result]:
    template = _demo_db(items)
    results = [_scan_to_row(template, items), *_cold_start(template, items, runs)]
    shutil.rmtree(template.parent, ignore_errors=True)
    return results


def _copy(template: Path) -> Path:
    target = Path(tempfile.mkdtemp(prefix="bench-gui-run-")) / "register.sqlite3"
    shutil.copy(template, target)
    return target


def _scan_to_row(template: Path, items: int) -> Result:
    data, _ = _child("scans", str(_copy(template)), "150")
    median, _p99 = summary(data["samples"])
    p99 = percentile(data["samples"], 99)
    base, _ = summary(data["baseline"])
    result = Result(f"scan to row, {items:,} items, cart of {data['lines_before']} lines", "ms",
                    median, p99, "raw sqlite3 lookup of the same tag", base, "p99 <= 10 ms",
                    p99 <= 10.0)
    painted_median, _ = summary(data["painted"])
    result.extra = {"scans": len(data["samples"]), "lines_after": data["lines_after"],
                    "to_repainted_median_ms": round(painted_median, 2),
                    "to_repainted_p99_ms": round(percentile(data["painted"], 99), 2),
                    "peak_rss_mb": round(data["peak_rss_mb"])}
    return result


def _cold_start(template: Path, items: int, runs: int) -> list[Result]:
    bare = [_child("bare")[1] for _ in range(runs)]
    starts, rss = [], 0.0
    for _ in range(runs):
        data, elapsed = _child("checkout", str(_copy(template)))
        starts.append(elapsed)
        rss = max(rss, data["peak_rss_mb"])
    median, p99 = summary(starts)
    base, _ = summary(bare)
    start = Result(f"cold start to ready-to-scan, {items:,} items", "ms", median, p99,
                   "bare PySide6 window shown", base, "<= 2x", median / base <= 2.0)
    memory = Result(f"peak RSS of the checkout, {items:,} items", "MB", rss, rss,
                    "bare PySide6 window", max(_child("bare")[0]["peak_rss_mb"], 1.0),
                    "< 250 MB", rss < 250)
    return [start, memory]
