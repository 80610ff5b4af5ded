"""The organiser commands (``pos-app backup``, ``restore``, ``report``, ``labels``) run for real.

Each test runs a command through ``pos_app.__main__.main`` (or its ``*_main``) on its own copy of
a demo register (300 items, five sales of which one is voided, made once per session through
the services), then checks what the command did: the report tables and CSV files against
:class:`ReportService`, the tags' barcodes decoded from the PDF sheets (pdftoppm at 300 dpi) or
PNG images with pyzbar, the backup's sales, the file restore kept aside.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import csv
import hashlib
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest

from pos_app.__main__ import main
from pos_app.cli_tools import labels_main, report_main, restore_main
from pos_app.core.money import format_cents
from pos_app.core.tags import gs1_check_digit
from pos_app.services.context import load_context
from pos_app.services.demo import create_demo_event
from pos_app.services.export import ALL_REPORTS, TITLES, csv_cell, report_rows
from pos_app.services.reports import ReportService, hour_key
from pos_app.store.backup import integrity_problems
from pos_app.store.engine import Database
from tests.integration.store.store_helpers import Clock, Till

EVENT_DAY = date(2026, 11, 21)
FIRST_DAY = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
LAST_DAY = datetime(2026, 11, 21, 16, 40, tzinfo=UTC)  # the discount day, in every zone
SHEET = 30  # Avery 5160: 3 x 10 labels
PER_CONSIGNOR = 50  # the demo event's 300 items over six consignors
TEMPLATE_SALES = 5
VOID_REASON = "rang up the wrong bag"
# A manufacturer's UPC-A; the register stores it as the EAN-13 with a leading 0.
UPC_BODY = "04210000526"
UPC = UPC_BODY + str(gs1_check_digit(UPC_BODY))
WRONG_UPC = UPC[:-1] + str((int(UPC[-1]) + 1) % 10)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None,
    reason="needs poppler-utils (pdftoppm, pdfinfo)")


# --- a demo register with some sales ------------------------------------------------------


def _till(database: Database, at: datetime = FIRST_DAY) -> Till:
    """The store tests' till (lookup, add_item, cash or card, complete) on ``database``."""
    return Till(database, load_context(database), Clock(at))


def _tag(consignor: int, item: int) -> str:
    return f"{consignor:04d}-{item:04d}"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-template") / "register.sqlite3"
    database = Database.open(path)
    create_demo_event(database, items=300, today=EVENT_DAY)
    till = _till(database)
    till.sell([_tag(1001, n) for n in (1, 2, 3)])
    till.sell([_tag(1002, 1), _tag(1002, 2)], card_cents=700)
    voided = till.sell([_tag(1003, 1), _tag(1003, 2)])
    till.sales.void(voided.id, "demo-cashier", "demo-manager", VOID_REASON)
    till.clock.now = LAST_DAY
    till.cashier_id = "demo-manager"
    till.sell([_tag(1004, n) for n in (1, 2, 3, 4)])
    till.cashier_id = "demo-cashier"
    till.sell([_tag(1001, 10)], card_cents=1)
    database.close()
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def db_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "register.sqlite3"
    shutil.copy(demo_template, path)
    return path


def _query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as raw:
        return raw.execute(sql, params).fetchall()


def _sales(path: Path) -> int:
    (count,), = _query(path, "SELECT COUNT(*) FROM sales")
    return int(str(count))


def _consignor_tags(path: Path, consignor: int) -> list[str]:
    rows = _query(path, "SELECT tag_code FROM items WHERE consignor_number = ? "
                        "ORDER BY item_number", consignor)
    return [str(tag) for (tag,) in rows]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _reports(path: Path, zone: ZoneInfo | None = None) -> dict[str, tuple[
        list[str], list[dict[str, object]]]]:
    database = Database.open(path)
    try:
        service = ReportService(database, zone=zone)
        return {kind: report_rows(service, kind) for kind in ALL_REPORTS}
    finally:
        database.close()


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


# --- pos-app report ---------------------------------------------------------------------------


def _table_blocks(out: str) -> dict[str, list[str]]:
    """The printed tables by title: {title: [header, rule, row, ...]}."""
    blocks: dict[str, list[str]] = {}
    for block in out.strip("\n").split("\n\n"):
        title, *rest = block.splitlines()
        blocks[title] = rest
    return blocks


def test_report_prints_every_report_with_its_title_header_and_figures(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "report", "--db", db_path)

    assert (status, err) == (0, "")
    blocks = _table_blocks(out)
    titles = [TITLES[kind] + (" (UTC)" if kind == "hour" else "") for kind in ALL_REPORTS]
    assert list(blocks) == titles
    expected = _reports(db_path)
    for kind, title in zip(ALL_REPORTS, titles, strict=True):
        columns, records = expected[kind]
        header, rule, *rows = blocks[title]
        headers = [c.removesuffix("_cents").replace("_", " ") for c in columns]
        assert header.split() == " ".join(headers).split(), kind
        assert len(rule.split()) == len(columns)
        assert len(rows) == len(records) > 0, kind
        for row, record in zip(rows, records, strict=True):
            for column in columns:
                value = record[column]
                shown = format_cents(int(str(value))) if column.endswith("_cents") else value
                assert str(shown) in row, (kind, column, row)
    summary = expected["summary"][1][0]
    assert summary["sales"] == TEMPLATE_SALES - 1 and summary["voided_sales"] == 1
    assert VOID_REASON in blocks[TITLES["voided"]][2]
    assert [row.split()[:2] for row in blocks[titles[0]][2:]] == [
        ["2026-11-20", "15:00"], ["2026-11-21", "16:00"]]


def test_report_csv_writes_one_file_per_report_matching_the_service(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"

    status, out, _ = _run(capsys, "report", "--db", db_path, "--csv", folder)

    assert status == 0
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        f"{kind}.csv" for kind in ALL_REPORTS)
    expected = _reports(db_path)
    for kind in ALL_REPORTS:
        columns, records = expected[kind]
        assert f"{TITLES[kind]}: {len(records)} rows written to {folder / f'{kind}.csv'}" in out
        _assert_csv_matches(folder / f"{kind}.csv", columns, records)


def _assert_csv_matches(path: Path, columns: list[str],
                        records: list[dict[str, object]]) -> None:
    money = [column for column in columns if column.endswith("_cents")]
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == columns + [column.removesuffix("_cents") for column in money]
    assert rows == [
        [str(csv_cell(record[column])) for column in columns]
        + [format_cents(int(str(record[column])), "") for column in money]
        for record in records
    ]
    assert rows, path.name


def test_report_one_kind_to_a_csv_path_writes_that_file(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "Consignors.CSV"

    status, out, _ = _run(capsys, "report", "consignor", "--db", db_path, "--csv", target)

    assert status == 0
    assert sorted(path.name for path in target.parent.iterdir()) == ["Consignors.CSV"]
    columns, records = _reports(db_path)["consignor"]
    assert len(records) == 6
    assert f"{len(records)} rows written to {target}" in out
    _assert_csv_matches(target, columns, records)


def test_report_hall_and_rejections_print_and_export_the_hall_figures(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pos_app.services.lifecycle import ItemLifecycleService

    database = Database.open(db_path)
    try:
        with database.engine.begin() as connection:
            connection.exec_driver_sql(
                "UPDATE items SET status = 'pending' WHERE consignor_number = 1005")
        hall = ItemLifecycleService(database, load_context(database), Clock(LAST_DAY))
        hall.approve(_tag(1005, 1), "demo-cashier")
        hall.reject(_tag(1005, 2), "missing piece", "demo-cashier")
        hall.return_item(_tag(1005, 1), "demo-cashier")
        stained_value = hall.item(_tag(1005, 2)).price_cents
        run = hall.close_pickup("demo-manager", "Goodwill")
    finally:
        database.close()

    status, out, err = _run(capsys, "report", "hall", "rejections", "donations", "--db",
                            db_path)

    assert (status, err) == (0, "")
    blocks = _table_blocks(out)
    assert list(blocks) == [TITLES["hall"], TITLES["rejections"], TITLES["donations"]]
    donated = [row for row in blocks[TITLES["donations"]][2:] if "Goodwill" in row]
    assert donated and all(row.split()[0] == "1" for row in donated)
    mine = next(row.split() for row in blocks[TITLES["hall"]][2:] if row.split()[0] == "1005")
    # expected, checked in, rejected, sold, returned, donated, missing, after the name
    assert mine[-14:-7] == ["50", "2", "1", "0", "1", "0", "1"]
    total = next(row.split() for row in blocks[TITLES["hall"]][2:] if row.split()[0] == "0")
    assert int(total[-9]) == len(run.events)  # donated, for the whole event
    assert any(row.split()[0] == "1005" and "missing piece" in row
               and format_cents(stained_value) in row for row in blocks[TITLES["rejections"]])

    folder = tmp_path / "hall"
    status, out, _ = _run(capsys, "report", "hall", "rejections", "donations", "--db", db_path,
                          "--csv", folder)
    assert status == 0
    assert sorted(path.name for path in folder.iterdir()) == [
        "donations.csv", "hall.csv", "rejections.csv"]
    expected = _reports(db_path)
    for kind in ("hall", "rejections", "donations"):
        _assert_csv_matches(folder / f"{kind}.csv", *expected[kind])
    with (folder / "rejections.csv").open(encoding="utf-8") as handle:
        rows = {(row["consignor_number"], row["reason"]): row for row in csv.DictReader(handle)}
    assert rows[("1005", "missing piece")]["items"] == "1"
    assert rows[("0", "missing piece")]["value"] == format_cents(stained_value, "")
    with (folder / "donations.csv").open(encoding="utf-8") as handle:
        runs = list(csv.DictReader(handle))
    assert {row["charity"] for row in runs[:-1]} == {"Goodwill"}
    assert int(runs[-1]["items"]) == len(run.events)


def test_report_tz_buckets_the_hours_in_that_zone(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "hours.csv"
    chicago = ZoneInfo("America/Chicago")

    status, out, _ = _run(capsys, "report", "hour", "--tz", "America/Chicago", "--db",
                          db_path, "--csv", target)

    assert status == 0
    columns, records = _reports(db_path, chicago)["hour"]
    assert [record["key"] for record in records] == [
        hour_key(FIRST_DAY.isoformat(), chicago), hour_key(LAST_DAY.isoformat(), chicago)]
    assert records[0]["key"] == "2026-11-20 09:00"
    _assert_csv_matches(target, columns, records)
    status, out, _ = _run(capsys, "report", "hour", "--tz", "America/Chicago", "--db", db_path)
    assert out.splitlines()[1] == f"{TITLES['hour']} (America/Chicago)"
    assert "2026-11-20 09:00" in out


def test_report_an_unknown_kind_is_bad_usage(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        report_main(["summary", "bogus", "--db", str(db_path), "--csv", str(tmp_path / "r")])

    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "unknown report 'bogus'" in err and "summary" in err
    assert not (tmp_path / "r").exists()


def test_report_an_unknown_time_zone_is_bad_usage_not_utc(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        report_main(["hour", "--tz", "Bogus/Zone", "--db", str(db_path)])

    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "unknown time zone 'Bogus/Zone'" in captured.err
    assert captured.out == ""


def test_report_without_a_database_says_so_and_creates_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere" / "register.sqlite3"

    status, out, err = _run(capsys, "report", "--db", missing)

    assert (status, out) == (1, "")
    assert f"no database at {missing}" in err
    assert not missing.parent.exists()


@pytest.mark.parametrize("command", ["report", "labels"])
def test_a_file_that_is_not_a_register_is_refused_and_left_alone(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as raw:
        raw.execute("CREATE TABLE notes (text TEXT)")
    extra = [str(tmp_path / "tags.pdf"), "--consignor", "1001"] if command == "labels" else []

    for path in (empty, damaged, other):
        before = _digest(path)
        status, out, err = _run(capsys, command, *extra, "--db", path)

        assert (status, out) == (1, ""), path.name
        assert str(path) in err and "Traceback" not in err
        if path is damaged:
            assert f"pos-app restore BACKUP_FILE --db {path}" in err
        else:
            assert "not a" in err
        assert _digest(path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "damaged.sqlite3", "empty.sqlite3", "other.sqlite3"]


# --- pos-app labels ---------------------------------------------------------------------------


@pytest.fixture
def zbar() -> ModuleType:
    module: ModuleType = pytest.importorskip(
        "pyzbar.pyzbar", reason="pyzbar needs libzbar0 (scripts/test.sh)")
    return module


def _decode(zbar: ModuleType, png: Path) -> list[str]:
    from PIL import Image

    with Image.open(png) as image:
        return sorted(symbol.data.decode() for symbol in zbar.decode(image))


def _pdf_pages(pdf: Path, out: Path, *, first: int | None = None,
               last: int | None = None) -> list[Path]:
    """The PDF's pages as 300 dpi PNGs, in page order."""
    pages = ["-f", str(first)] if first else []
    pages += ["-l", str(last)] if last else []
    subprocess.run(["pdftoppm", "-r", "300", *pages, "-png", str(pdf), str(out / "page")],
                   check=True)
    return sorted(out.glob("page*.png"))


def _pdf_info(pdf: Path) -> dict[str, str]:
    text = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in text.splitlines())}


@needs_poppler
def test_labels_for_a_consignor_fill_avery_sheets_with_their_tags(
        db_path: Path, tmp_path: Path, zbar: ModuleType,
        capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "tags" / "consignor-1002.pdf"

    status, out, err = _run(capsys, "labels", pdf, "--consignor", "1002", "--db", db_path)

    assert (status, err) == (0, "")
    assert out.strip() == f"{PER_CONSIGNOR} tags on 2 Avery 5160 sheet(s): {pdf}"
    info = _pdf_info(pdf)
    assert info["Pages"] == "2"
    assert info["Page size"].startswith("612 x 792 pts")  # US letter
    first, second = _pdf_pages(pdf, tmp_path)
    tags = _consignor_tags(db_path, 1002)
    assert len(tags) == PER_CONSIGNOR
    assert _decode(zbar, first) == sorted(tags[:SHEET])
    assert _decode(zbar, second) == sorted(tags[SHEET:])


@pytest.mark.parametrize(("typed", "expected"), [
    ("1003-7", "1003-0007"), ("10030007", "1003-0007"), (" 1005-0042 ", "1005-0042"),
])
def test_labels_find_a_typed_tag_code_and_write_a_decodable_png(
        typed: str, expected: str, db_path: Path, zbar: ModuleType,
        capsys: pytest.CaptureFixture[str]) -> None:
    png = db_path.parent / "tag.png"

    status, out, err = _run(capsys, "labels", png, "--tag", typed, "--db", db_path)

    assert (status, err) == (0, "")
    assert out.strip() == f"1 tag image(s): {png}"
    assert _decode(zbar, png) == [expected]


def test_labels_png_writes_one_image_per_tag(
        db_path: Path, tmp_path: Path, zbar: ModuleType,
        capsys: pytest.CaptureFixture[str]) -> None:
    (item_id,), = _query(db_path, "SELECT id FROM items WHERE tag_code = '1006-0050'")
    out_png = tmp_path / "reprint.png"

    status, out, _ = _run(capsys, "labels", out_png, "--tag", "1002-9", "--item", str(item_id),
                          "--tag", "1001-0001", "--db", db_path)

    assert status == 0
    written = sorted(path.name for path in tmp_path.glob("reprint*.png"))
    assert written == ["reprint-1001-0001.png", "reprint-1002-0009.png",
                       "reprint-1006-0050.png"]
    assert out.strip() == f"3 tag image(s): {tmp_path / 'reprint-1001-0001.png'} ..."
    for name in written:
        assert _decode(zbar, tmp_path / name) == [name.removeprefix("reprint-")[:-4]]


def _give_item_a_upc(db_path: Path, tag: str) -> None:
    with closing(sqlite3.connect(db_path)) as raw, raw:
        assert raw.execute("UPDATE items SET tag_code = ? WHERE tag_code = ?",
                           ("0" + UPC, tag)).rowcount == 1


def test_labels_a_upc_typed_finds_the_item_tagged_with_its_ean13(
        db_path: Path, tmp_path: Path, zbar: ModuleType,
        capsys: pytest.CaptureFixture[str]) -> None:
    _give_item_a_upc(db_path, "1004-0020")
    png = tmp_path / "upc.png"

    status, _, err = _run(capsys, "labels", png, "--tag", UPC, "--db", db_path)

    assert (status, err) == (0, "")
    assert _decode(zbar, png) == ["0" + UPC]


def test_labels_a_wrong_check_digit_is_refused_and_nothing_written(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _give_item_a_upc(db_path, "1004-0020")
    pdf = tmp_path / "upc.pdf"

    for code in (WRONG_UPC, "0" + WRONG_UPC):
        status, out, err = _run(capsys, "labels", pdf, "--tag", "1001-1", "--tag", code,
                                "--db", db_path)

        assert (status, out) == (1, "")
        assert err.startswith("labels: Wrong ") and "check digit" in err
        assert f"expected {UPC[-1]}" in err
        assert not pdf.exists()


@needs_poppler
@pytest.mark.parametrize(("first_slot", "pages"), [("11", 2), ("12", 3)])
def test_labels_first_slot_starts_further_down_the_first_sheet(
        first_slot: str, pages: int, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "reuse.pdf"
    # 50 tags after 10 (or 11) used labels: 60 fit two sheets, 61 need a third.
    status, out, _ = _run(capsys, "labels", pdf, "--consignor", "1001", "--first-slot",
                          first_slot, "--db", db_path)

    assert status == 0
    assert f"{PER_CONSIGNOR} tags on {pages} Avery 5160 sheet(s)" in out
    assert _pdf_info(pdf)["Pages"] == str(pages)


@needs_poppler
def test_labels_first_slot_puts_the_first_tag_in_that_slot(
        db_path: Path, tmp_path: Path, zbar: ModuleType,
        capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    pdf = tmp_path / "reuse.pdf"
    status, _, _ = _run(capsys, "labels", pdf, "--tag", "1001-1", "--tag", "1001-2",
                        "--first-slot", "29", "--db", db_path)

    assert status == 0
    assert _pdf_info(pdf)["Pages"] == "1"
    page, = _pdf_pages(pdf, tmp_path)
    with Image.open(page) as image:
        found = {symbol.data.decode(): symbol.rect for symbol in zbar.decode(image)}
    assert sorted(found) == ["1001-0001", "1001-0002"]
    dpi = 300
    # Slot 29 is the middle of the bottom row and slot 30 its right end (1-based slots).
    for tag, column in (("1001-0001", 1), ("1001-0002", 2)):
        rect = found[tag]
        left = (0.1875 + column * 2.75) * dpi
        top = (0.5 + 9 * 1.0) * dpi
        assert left <= rect.left and rect.left + rect.width <= left + 2.625 * dpi, tag
        assert top <= rect.top and rect.top + rect.height <= top + 1.0 * dpi, tag


@needs_poppler
def test_labels_single_writes_one_label_sized_page_per_tag(
        db_path: Path, tmp_path: Path, zbar: ModuleType,
        capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "printer.pdf"

    status, out, _ = _run(capsys, "labels", pdf, "--single", "--tag", "1006-3", "--tag",
                          "1006-4", "--tag", "1006-5", "--db", db_path)

    assert status == 0
    assert out.strip() == f"3 tags, one per page: {pdf}"
    info = _pdf_info(pdf)
    assert info["Pages"] == "3"
    assert re.match(r"^189(\.0+)? x 72(\.0+)? pts", info["Page size"]), info["Page size"]
    pngs = _pdf_pages(pdf, tmp_path)
    assert [_decode(zbar, png) for png in pngs] == [["1006-0003"], ["1006-0004"],
                                                   ["1006-0005"]]


@pytest.mark.parametrize(("argv", "message"), [
    ([], "say which tags"),
    (["--consignor", "1001", "--first-slot", "0"], "--first-slot must be 1-30"),
    (["--consignor", "1001", "--first-slot", "31"], "--first-slot must be 1-30"),
])
def test_labels_bad_usage_exits_2(argv: list[str], message: str, db_path: Path,
                                  tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        labels_main([str(tmp_path / "tags.pdf"), *argv, "--db", str(db_path)])

    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "tags.pdf").exists()


def test_labels_say_which_typed_tags_found_nothing_and_print_the_rest(
        db_path: Path, zbar: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    png = db_path.parent / "tag.png"

    status, out, err = _run(capsys, "labels", png, "--tag", "1003-7", "--tag", "9999-1",
                            "--db", db_path)

    assert status == 0
    assert err == "labels: no item has tag 9999-1; the other tags are printed\n"
    assert out.strip() == f"1 tag image(s): {png}"
    assert _decode(zbar, png) == ["1003-0007"]


@pytest.mark.parametrize("selector", [
    ["--consignor", "9999"], ["--tag", "9999-1"], ["--item", "no-such-item"],
])
def test_labels_no_matching_item_exits_1(selector: list[str], db_path: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "tags.pdf"

    status, out, err = _run(capsys, "labels", pdf, *selector, "--db", db_path)

    assert (status, out, err) == (1, "", "no matching items\n")
    assert not pdf.exists()


# --- pos-app backup and restore ---------------------------------------------------------------


def _written(out: str, prefix: str) -> Path:
    assert out.startswith(prefix), out
    return Path(out.removeprefix(prefix).strip())


def test_backup_to_a_folder_writes_a_checked_copy(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()

    status, out, err = _run(capsys, "backup", folder, "--db", db_path)

    assert (status, err) == (0, "")
    copy = _written(out, "backup written and checked: ")
    assert copy.parent == folder and copy.suffix == ".sqlite3"
    assert re.fullmatch(r"register-\d{8}T\d{6}Z\.sqlite3", copy.name), copy.name
    assert [path.name for path in folder.iterdir()] == [copy.name]  # no -wal, no .partial
    assert integrity_problems(copy) == []
    assert _sales(copy) == _sales(db_path) == TEMPLATE_SALES
    assert _query(copy, "SELECT COUNT(*) FROM voids") == [(1,)]

    status, out, _ = _run(capsys, "backup", folder, "--db", db_path)
    second = _written(out, "backup written and checked: ")
    assert status == 0 and second != copy and second.parent == folder
    assert integrity_problems(second) == []


def test_backup_by_default_goes_to_the_backups_folder_beside_the_database(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "backup", "--db", db_path)

    assert status == 0
    copy = _written(out, "backup written and checked: ")
    assert copy.parent == db_path.parent / "backups"
    assert copy.is_file() and integrity_problems(copy) == []
    assert _sales(copy) == TEMPLATE_SALES


def test_backup_of_a_missing_database_fails_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "backup", tmp_path / "copy.sqlite3", "--db",
                            tmp_path / "none.sqlite3")

    assert (status, out) == (1, "")
    assert err.startswith("backup failed: There is no database at")
    assert list(tmp_path.iterdir()) == []


def _backup(capsys: pytest.CaptureFixture[str], db_path: Path, destination: Path) -> Path:
    status, out, _ = _run(capsys, "backup", destination, "--db", db_path)
    assert status == 0
    return _written(out, "backup written and checked: ")


def test_restore_replaces_the_database_and_keeps_the_old_file_aside(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _backup(capsys, db_path, tmp_path / "before-more-sales.sqlite3")
    database = Database.open(db_path)
    _till(database, LAST_DAY).sell(["1005-0001", "1005-0002"])
    database.close()
    assert _sales(db_path) == TEMPLATE_SALES + 1

    status, out, err = _run(capsys, "restore", copy, "--db", db_path)

    assert (status, err) == (0, "")
    match = re.fullmatch(r"restored from (\S+); the previous file is kept as (\S+)\n", out)
    assert match is not None, out
    assert Path(match[1]) == copy
    kept = Path(match[2])
    assert kept.parent == db_path.parent
    assert re.fullmatch(r"register\.sqlite3\.before-restore-\d{8}T\d{6}Z", kept.name)
    assert _sales(db_path) == TEMPLATE_SALES and integrity_problems(db_path) == []
    assert _sales(kept) == TEMPLATE_SALES + 1 and integrity_problems(kept) == []
    assert copy.is_file()
    # The restored register works: it opens, and sells again.
    database = Database.open(db_path)
    try:
        _till(database, LAST_DAY).sell(["1005-0001"])
    finally:
        database.close()
    assert _sales(db_path) == TEMPLATE_SALES + 1


def _register_files(db_path: Path) -> list[str]:
    return sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(db_path.name))


def _garbage(tmp_path: Path) -> Path:
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    return path


def _not_a_register(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("CREATE TABLE notes (text TEXT)")
    return path


def _truncated(tmp_path: Path, db_path: Path) -> Path:
    path = tmp_path / "truncated.sqlite3"
    path.write_bytes(db_path.read_bytes()[: db_path.stat().st_size // 2])
    return path


@pytest.mark.parametrize(("make", "reason"), [
    (lambda tmp, db: _garbage(tmp), "not a readable SQLite database"),
    (lambda tmp, db: _not_a_register(tmp), "not a pos_app register database"),
    (_truncated, ""),
    (lambda tmp, db: tmp / "missing.sqlite3", "does not exist"),
])
def test_restore_of_a_bad_backup_is_refused_and_changes_nothing(
        make: Callable[[Path, Path], Path], reason: str, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = make(tmp_path, db_path)
    before = _digest(db_path)
    files = _register_files(db_path)

    status, out, err = _run(capsys, "restore", source, "--db", db_path)

    assert (status, out) == (1, "")
    assert err.startswith(f"restore refused: {source.name} is not a sound backup: ")
    assert reason in err and "Nothing was changed." in err
    assert _digest(db_path) == before
    assert _register_files(db_path) == files == ["register.sqlite3"]  # nothing set aside


def test_restore_is_refused_while_the_register_has_the_database_open(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _backup(capsys, db_path, tmp_path / "copy.sqlite3")
    database = Database.open(db_path)
    try:
        _till(database, LAST_DAY).sell(["1006-0001"])  # the running app, mid-event
        status = restore_main([str(copy), "--db", str(db_path)])
        out, err = capsys.readouterr()
    finally:
        database.close()

    assert (status, out) == (1, "")
    assert err.startswith("restore refused: register.sqlite3 is in use")
    assert not list(tmp_path.glob("register.sqlite3.before-restore-*"))
    assert not list(tmp_path.glob("*.restoring*"))
    assert _sales(db_path) == TEMPLATE_SALES + 1
