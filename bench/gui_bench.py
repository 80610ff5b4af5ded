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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.harness import Result, percentile, summary

ROOT = Path(__file__).resolve().parents[1]


def _child(*args: str) -> tuple[dict[str, Any], float]:
    """Run one child; return its JSON line and the milliseconds from spawn to that line."""
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:  # logs of `login`
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", POS_APP_HOME=home)
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
    try:
        return [_scan_to_row(template, items), *_cold_start(template, items, runs)]
    finally:
        shutil.rmtree(template.parent, ignore_errors=True)


@contextmanager
def _copy(template: Path) -> Iterator[Path]:
    """A fresh copy of the template database for one child, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="bench-gui-run-"))
    try:
        target = folder / "register.sqlite3"
        shutil.copy(template, target)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _scan_to_row(template: Path, items: int) -> Result:
    with _copy(template) as db:
        data, _ = _child("scans", str(db), "150")
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
    samples: dict[str, list[float]] = {"bare": [], "floor": [], "login": [], "checkout": []}
    rss = 0.0
    for _ in range(runs):  # interleaved, so a slow moment of the machine hits all four
        samples["bare"].append(_child("bare")[1])
        samples["floor"].append(_child("floor")[1])
        with _copy(template) as db:
            samples["login"].append(_child("login", str(db))[1])
        with _copy(template) as db:
            data, elapsed = _child("checkout", str(db))
        samples["checkout"].append(elapsed)
        rss = max(rss, data["peak_rss_mb"])
    base, _ = summary(samples["bare"])
    floor, _ = summary(samples["floor"])
    results = []
    for kind, name in (("login", f"cold start to the login screen, {items:,} items"),
                       ("checkout", f"cold start to ready-to-scan, {items:,} items")):
        median, p99 = summary(samples[kind])
        result = Result(name, "ms", median, p99, "bare PySide6 window shown", base, "<= 2x",
                        median / base <= 2.0)
        result.extra = {"floor_ms": round(floor, 1), "floor_ratio_to_bare": round(floor / base, 2),
                        "ratio_to_floor": round(median / floor, 2)}
        results.append(result)
    results[1].extra["note"] = "login bypassed, the PIN check (scrypt) included"
    results.append(Result(f"peak RSS of the checkout, {items:,} items", "MB", rss, rss,
                          "bare PySide6 window", max(_child("bare")[0]["peak_rss_mb"], 1.0),
                          "< 250 MB", rss < 250))
    return results
