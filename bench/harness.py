"""Timing helpers and the result table shared by every benchmark.

Every ratio is measured against a baseline *interleaved* with it, sample by sample (A, B,
then B, A, ...), so a slow moment of a shared machine hits both sides; and each ratio is
measured in several runs whose spread is reported beside it.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

RUNS = 3


@dataclass
class Result:
    name: str
    unit: str
    median: float
    p99: float | None
    samples: int
    runs: int
    baseline_name: str
    baseline_median: float
    ratio: float
    target: str
    met: bool | None
    ratio_runs: list[float] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def spread(self) -> str:
        if len(self.ratio_runs) < 2:
            return ""
        return f"{min(self.ratio_runs):.2f}-{max(self.ratio_runs):.2f}x"


def failed(name: str, error: BaseException) -> Result:
    """The row of a benchmark that raised: reported in the table, the run goes on."""
    text = str(error).strip()
    stderr = getattr(error, "stderr", None)  # a child process's last words say more
    if isinstance(stderr, str) and stderr.strip():
        text = stderr.strip().splitlines()[-1]
    message = f"{type(error).__name__}: {text}"
    return Result(name, "", 0.0, None, 0, 0, "", 0.0, 0.0, "", False,
                  extra={"error": message[:300]})


def guarded(name: str, bench: Callable[[], list[Result]]) -> list[Result]:
    """``bench()``'s rows, or one failed row named ``name`` if it raised."""
    try:
        return bench()
    except Exception as error:  # any failure is reported in the table; the run goes on
        return [failed(name, error)]


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (the smallest sample with ``pct`` % of samples at or below)."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[min(len(ordered), int(rank)) - 1]


def interleaved(a: Callable[[], object], b: Callable[[], object], repeat: int,
                warmup: int = 3) -> tuple[list[float], list[float]]:
    """Milliseconds per call of ``a`` and of ``b``, called alternately (ABBA order, so
    neither always runs right after the other), after ``warmup`` untimed calls of each."""
    for _ in range(warmup):
        a()
        b()
    samples_a: list[float] = []
    samples_b: list[float] = []
    for k in range(repeat):
        pair = ((a, samples_a), (b, samples_b))
        for fn, samples in (pair if k % 2 == 0 else pair[::-1]):
            start = time.perf_counter_ns()
            fn()
            samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples_a, samples_b


def from_runs(name: str, unit: str, runs: Sequence[tuple[Sequence[float], Sequence[float]]],
              baseline_name: str, target: str, *, p99: bool = True) -> Result:
    """One row from several runs of (app samples, baseline samples): the medians and p99 of
    all samples pooled, the ratio the median of the runs' ratios (their spread kept)."""
    app = [s for run, _ in runs for s in run]
    base = [s for _, run in runs for s in run]
    ratios = [statistics.median(a) / statistics.median(b) for a, b in runs]
    return Result(name, unit, statistics.median(app), percentile(app, 99) if p99 else None,
                  len(app), len(runs), baseline_name, statistics.median(base),
                  statistics.median(ratios), target, None, ratio_runs=ratios)


def machine_description() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    cpus = cpuinfo.read_text().count("processor\t:") if cpuinfo.exists() else 0
    python = platform.python_version()
    return f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python {python}"


def _number(value: float, unit: str) -> str:
    return f"{value:,.2f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def format_table(results: list[Result]) -> str:
    header = ("benchmark", "median", "p99", "samples x runs", "baseline (same run)",
              "baseline median", "ratio (spread over runs)", "target", "met")
    rows = [header]
    for r in results:
        if "error" in r.extra:
            rows.append((r.name, "FAILED", "", "", str(r.extra["error"])[:80], "", "", "", "NO"))
            continue
        ratio = f"{r.ratio:.2f}x" + (f" ({r.spread})" if r.spread else "")
        rows.append((
            r.name, _number(r.median, r.unit),
            _number(r.p99, r.unit) if r.p99 is not None else "",
            f"{r.samples // max(r.runs, 1):,} x {r.runs}", r.baseline_name,
            _number(r.baseline_median, r.unit), ratio, r.target,
            {True: "yes", False: "NO", None: "-"}[r.met],
        ))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
             for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def write_json(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine_description(), "results": [asdict(r) for r in results]}
    path.write_text(json.dumps(payload, indent=2, default=str))
