"""SIGKILL a selling register repeatedly: nothing reported complete is lost, nothing doubles."""

from pathlib import Path

import pytest

from reliability.crash import run


@pytest.mark.worker
@pytest.mark.slow
def test_kills_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    report = run(kills=6, workdir=tmp_path, seed=11, with_worker=True)

    assert report.kills == 6
    assert report.sales_reported > 0
    assert report.lost == 0
    assert report.partial == 0
    assert report.journal_breaks == 0
    assert report.sales_in_db >= report.sales_reported
    assert report.d1_sales == report.sales_in_db
    assert report.d1_duplicated == 0
    assert report.d1_missing == 0
    assert report.problems == []
