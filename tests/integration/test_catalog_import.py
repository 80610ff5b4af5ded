"""The organiser's CSV loaded into D1 through the admin API (real local Worker)."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from pos_app.devtools.admin_client import AdminClient, dates_around_today
from pos_app.devtools.catalog_import import import_catalog, main
from pos_app.devtools.local_worker import LocalWorker

pytestmark = pytest.mark.worker

HEADER = "consignor_number,item_number,description,size,category,price,discountable,donate\n"


def test_import_with_progress_then_a_re_import_changes_nothing(
        local_worker: LocalWorker, tmp_path: Path) -> None:
    event = f"import-{uuid4().hex[:10]}"
    csv_file = tmp_path / "catalog.csv"
    csv_file.write_text(HEADER + "".join(
        f"{1001 + n % 5},{n // 5 + 1},Item {n},,Toys,{n + 1}.25,yes,{'yes' if n % 3 else 'no'}\n"
        for n in range(25)), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        admin.put_event(event, name="Import", **dates_around_today())
        result = import_catalog(admin, event, csv_file, chunk=10,
                                progress=lambda done, total: seen.append((done, total)))
        assert (result.imported, result.errors) == (25, [])
        assert seen == [(10, 25), (20, 25), (25, 25)]
        first = admin.export(event, "items")
        assert len(first) == 25 and {r["status"] for r in first} == {"pending"}
        assert import_catalog(admin, event, csv_file).imported == 25
        assert admin.export(event, "items") == first  # same rows, same change_seq


def test_a_bad_line_sends_nothing(local_worker: LocalWorker, tmp_path: Path) -> None:
    event = f"import-{uuid4().hex[:10]}"
    csv_file = tmp_path / "catalog.csv"
    csv_file.write_text(HEADER + "1001,1,Hat,,,2,yes,no\n1001,2,Coat,,,lots,yes,no\n",
                        encoding="utf-8")
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        admin.put_event(event, name="Import", **dates_around_today())
        result = import_catalog(admin, event, csv_file)
        assert result.imported == 0
        assert [line for line, _ in result.errors] == [3]
        assert admin.export(event, "items") == []


def test_the_command_lists_bad_lines_and_shows_progress(
        local_worker: LocalWorker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    event = f"import-{uuid4().hex[:10]}"
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        admin.put_event(event, name="Import", **dates_around_today())
    monkeypatch.setenv("POS_APP_ADMIN_TOKEN", local_worker.admin_token)
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(HEADER + "1001,1,Hat,,,2,yes,maybe\n", encoding="utf-8")
    good.write_text(HEADER + "1001,1,Hat,,,2,yes,no\n", encoding="utf-8")
    assert main([event, str(bad), "--url", local_worker.url]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: donate must be yes or no" in err and "nothing was imported" in err
    assert main([event, str(good), "--url", local_worker.url]) == 0
    out = capsys.readouterr().out
    assert "1 / 1 items" in out and f"imported 1 items into {event}" in out
