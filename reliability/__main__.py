"""``python -m reliability``: the full crash and network-fault runs, with a Markdown report.

    python -m reliability --kills 200 --faults 1000 --report docs/reliability-latest.md
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import asdict
from pathlib import Path

from reliability import crash, network


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability")
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--faults", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    crashed = crash.run(args.kills, Path(tempfile.mkdtemp(prefix="crash-")), args.seed)
    faulted = network.run(args.faults, Path(tempfile.mkdtemp(prefix="netfaults-")),
                          seed=args.seed)
    lines = [
        "| run | count | sales checked | lost | duplicated | other problems |",
        "|---|---|---|---|---|---|",
        f"| SIGKILL during sales and pushes | {crashed.kills} kills | "
        f"{crashed.sales_reported} reported, {crashed.d1_sales} in D1 | {crashed.lost} | "
        f"{crashed.d1_duplicated} | partial {crashed.partial}, journal breaks "
        f"{crashed.journal_breaks}, missing in D1 {crashed.d1_missing} |",
        f"| network faults through the proxy | {faulted.faults} faults | "
        f"{faulted.sales_local} pushed, {faulted.d1_sales} in D1 | {faulted.lost} | "
        f"{faulted.duplicated} | lines mismatched {faulted.lines_mismatched}, "
        f"outbox left {faulted.outbox_left} |",
        "",
        f"Faults by kind: {faulted.by_fault}; {faulted.requests_forwarded} requests reached "
        f"the Worker; {faulted.seconds} s.",
    ]
    text = "\n".join(lines)
    print(text)
    print(asdict(crashed))
    if args.report:
        args.report.write_text(text + "\n")
    failed = (crashed.lost or crashed.partial or crashed.journal_breaks or crashed.d1_duplicated
              or crashed.d1_missing or faulted.lost or faulted.duplicated
              or faulted.lines_mismatched or faulted.outbox_left)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
