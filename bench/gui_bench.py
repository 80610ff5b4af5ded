"""GUI benchmarks, each in fresh processes: scan-to-row, cold start, peak RSS.

Cold start is the time from spawning the process to its "ready" line on stdout (not to its
exit, which adds the teardown). pos_app is byte-compiled first, as an installed app is (pip
and PyInstaller ship bytecode); otherwise an environment with ``PYTHONDONTWRITEBYTECODE``
would compile ~60 modules from source on every start.
"""

from __future__ import annotations

import compileall
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
    """Run one child; return its JSON line and the milliseconds from spawn to that line."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bench.gui_child", *args], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True)
    assert child.stdout is not None
    line, ready_ms = "", 0.0
    for line in child.stdout:
        if line.startswith("{"):
            ready_ms = (time.perf_counter() - started) * 1000
            break
    child.stdout.read()
    if child.wait(timeout=600) != 0 or not ready_ms:
        raise RuntimeError(f"bench.gui_child {' '.join(args)} failed ({child.returncode})")
    return json.loads(line), ready_ms


def _demo_db(items: int) -> Path:
    from pos_app.services.demo import create_demo_event
    from pos_app.store.engine import Database

    path = Path(tempfile.mkdtemp(prefix="bench-gui-")) / "register.sqlite3"
    database = Database.open(path)
    create_demo_event(database, items=items)
    database.close()
    return path


def run(items: int, runs: int = 7) -> list[Result]:
    compileall.compile_dir(ROOT / "pos_app", quiet=1)
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
    bare, floor, starts, rss = [], [], [], 0.0
    for _ in range(runs):  # interleaved, so a slow moment of the machine hits all three
        bare.append(_child("bare")[1])
        floor.append(_child("floor")[1])
        data, elapsed = _child("checkout", str(_copy(template)))
        starts.append(elapsed)
        rss = max(rss, data["peak_rss_mb"])
    median, p99 = summary(starts)
    base, _ = summary(bare)
    floor_median, _ = summary(floor)
    start = Result(f"cold start to ready-to-scan, {items:,} items", "ms", median, p99,
                   "bare PySide6 window shown", base, "<= 2x", median / base <= 2.0)
    start.extra = {"floor_bare_window_after_import_sqlalchemy_ms": round(floor_median, 1),
                   "floor_ratio_to_bare": round(floor_median / base, 2),
                   "ratio_to_floor": round(median / floor_median, 2)}
    memory = Result(f"peak RSS of the checkout, {items:,} items", "MB", rss, rss,
                    "bare PySide6 window", max(_child("bare")[0]["peak_rss_mb"], 1.0),
                    "< 250 MB", rss < 250)
    return [start, memory]
