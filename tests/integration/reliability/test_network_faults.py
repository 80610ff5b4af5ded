"""Pushes through a fault-injecting proxy (drops, lost replies after the server applied the
batch, timeouts, 5xx, 429, truncated and garbage replies): D1 ends with every sale exactly once."""

from pathlib import Path

import pytest

from reliability.network import run


@pytest.mark.worker
@pytest.mark.slow
def test_exactly_once_under_network_faults(tmp_path: Path) -> None:
    report = run(target_faults=40, workdir=tmp_path, seed=5, sales=300)

    assert report.faults >= 40
    assert {"lost_reply", "applied_then_502", "truncate"} <= set(report.by_fault)
    assert report.aborted == ""
    assert report.outbox_left == 0
    assert report.d1_sales == report.sales_local
    assert report.duplicated == 0
    assert report.lost == 0
    assert report.lines_mismatched == 0
