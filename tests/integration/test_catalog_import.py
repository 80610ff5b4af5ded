"""The organiser's CSV loaded into D1 through the admin API (real local Worker): progress,
the consignors it names created once (never overwritten), a re-import that changes nothing,
and a bad line that sends nothing."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from pos_app.devtools.admin_client import AdminClient, dates_around_today
from pos_app.devtools.catalog_import import import_catalog, main
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.catalog_csv import CsvImportError

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
        result = import_catalog(admin, event, csv_file, status="pending", chunk=10,
                                progress=lambda done, total: seen.append((done, total)))
        assert (result.items, result.consignors_created) == (25, [1001, 1002, 1003, 1004, 1005])
        assert seen == [(10, 25), (20, 25), (25, 25)]
        first = admin.export(event, "items")
        consignors = admin.export(event, "consignors")
        assert len(first) == 25 and {r["status"] for r in first} == {"pending"}
        assert [(c["number"], c["name"]) for c in consignors] == [
            (n, "") for n in range(1001, 1006)]  # blank: the organiser fills the names in
        again = import_catalog(admin, event, csv_file, status="pending")
        assert (again.items, again.consignors_created) == (25, [])
        assert admin.export(event, "items") == first  # same rows, same change_seq
        assert admin.export(event, "consignors") == consignors


def test_a_consignor_that_exists_keeps_its_name_and_split(
        local_worker: LocalWorker, tmp_path: Path) -> None:
    event = f"import-{uuid4().hex[:10]}"
    csv_file = tmp_path / "catalog.csv"
    csv_file.write_text("consignor_number,consignor_name,item_number,description,price\n"
                        "1001,Someone Else,1,Hat,2\n1002,Bo Chen,1,Coat,3\n", encoding="utf-8")
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        admin.put_event(event, name="Import", **dates_around_today())
        admin.upsert_consignors(event, [{"id": f"{event}:c1001", "number": 1001,
                                         "name": "Ana Lopez", "split_bp": 5000}])
        [before] = admin.export(event, "consignors")
        result = import_catalog(admin, event, csv_file)
        assert result.consignors_created == [1002]
        ana, bo = admin.export(event, "consignors")
    assert ana == before  # name, split and change_seq untouched
    assert (bo["number"], bo["name"], bo["split_bp"]) == (1002, "Bo Chen", 6500)


def test_a_bad_line_sends_nothing(local_worker: LocalWorker, tmp_path: Path) -> None:
    event = f"import-{uuid4().hex[:10]}"
    csv_file = tmp_path / "catalog.csv"
    csv_file.write_text(HEADER + "1001,1,Hat,,,2,yes,no\n1002,2,Coat,,,lots,yes,no\n",
                        encoding="utf-8")
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        admin.put_event(event, name="Import", **dates_around_today())
        with pytest.raises(CsvImportError) as refused:
            import_catalog(admin, event, csv_file)
        assert [(p.line, p.column) for p in refused.value.problems] == [(3, "price")]
        assert admin.export(event, "items") == []
        assert admin.export(event, "consignors") == []  # not even the consignors


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
    assert "line 2, donate: 'maybe' is not yes or no" in err and "nothing imported" in err
    assert main([event, str(good), "--url", local_worker.url]) == 0
    out, err = capsys.readouterr()
    assert "1 / 1 items" in err and "1 consignor(s) created: 1001" in err
    assert out == f"1 items imported into {event}\n"


def test_pos_app_admin_import_takes_the_sites_file_and_a_re_import_changes_nothing(
        local_worker: LocalWorker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from pos_app import admin_cli

    event = f"import-{uuid4().hex[:10]}"
    monkeypatch.setenv("POS_ADMIN_URL", local_worker.url)
    monkeypatch.setenv("POS_ADMIN_TOKEN", local_worker.admin_token)
    csv_file = tmp_path / "site.csv"
    csv_file.write_text("consignor_number,consignor_name," + HEADER.split(",", 1)[1]
                        + "".join(f"{2001 + n % 3},Family {n % 3},{n + 1},Thing {n},4T,Toys,"
                                  f"3.00,yes,no\n" for n in range(12)), encoding="utf-8")
    with AdminClient(local_worker.url, local_worker.admin_token) as admin:
        admin.put_event(event, name="Import", **dates_around_today())
        for attempt in (1, 2):
            assert admin_cli.main(["import", "items", event, str(csv_file), "--pending"]) == 0
            out, err = capsys.readouterr()
            assert out == f"12 items imported into {event}\n"
            assert "12 / 12 items" in err
            assert ("3 consignor(s) created: 2001, 2002, 2003" in err) == (attempt == 1)
            if attempt == 1:
                items = admin.export(event, "items")
                consignors = admin.export(event, "consignors")
        assert admin.export(event, "items") == items  # same rows, same change_seq
        assert admin.export(event, "consignors") == consignors
    assert [(c["number"], c["name"]) for c in consignors] == [
        (2001, "Family 0"), (2002, "Family 1"), (2003, "Family 2")]
    assert {(i["status"], i["size"], i["price_cents"]) for i in items} == {("pending", "4T", 300)}
