"""Timing helpers and the result table shared by every benchmark."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Result:
    name: str
    unit: str
    median: float
    p99: float
    baseline_name: str
    baseline_median: float
    target: str
    met: bool | None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.median / self.baseline_median if self.baseline_median else float("nan")


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_calls(fn: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds per call of ``fn``, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 99)


def machine_description() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    cpus = cpuinfo.read_text().count("processor\t:") if cpuinfo.exists() else 0
    python = platform.python_version()
    return f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python {python}"


def format_table(results: list[Result]) -> str:
    header = ("benchmark", "median", "p99", "baseline", "baseline median", "ratio", "target", "met")
    rows = [header]
    for r in results:
        rows.append((
            r.name, f"{r.median:.2f} {r.unit}", f"{r.p99:.2f} {r.unit}", r.baseline_name,
            f"{r.baseline_median:.2f} {r.unit}", f"{r.ratio:.2f}x", r.target,
            {True: "yes", False: "NO", None: "-"}[r.met],
        ))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
             for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def write_json(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine_description(),
               "results": [asdict(r) | {"ratio": r.ratio} for r in results]}
    path.write_text(json.dumps(payload, indent=2, default=str))
