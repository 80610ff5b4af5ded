"""Organiser and manager commands: ``pos-app backup``, ``restore``, ``report``, ``labels``.

Each ``*_main(argv)`` parses its own arguments, prints one line (or a table) for people, and
returns the exit status: 0 done, 1 refused or failed with a message on stderr, 2 bad usage.
``--db`` defaults to this computer's register database; none of these commands creates one.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pos_app.core.money import format_cents
from pos_app.services.export import ALL_REPORTS, TITLES, report_rows, write_csv
from pos_app.store.backup import BackupError, backup, restore
from pos_app.store.integrity import Check


def _parser(command: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"pos-app {command}", description=description)
    parser.add_argument("--db", type=Path,
                        help="the register database (default: this computer's register)")
    return parser


def _db(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    from pos_app.paths import default_db_path

    return default_db_path()


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def backup_main(argv: Sequence[str]) -> int:
    """``pos-app backup [DEST]``: a checked copy, safe while the register is selling."""
    parser = _parser("backup", "copy the database safely, even while selling")
    parser.add_argument("destination", type=Path, nargs="?",
                        help="a file, or a folder for a dated name (default: the backups "
                             "folder beside the database)")
    args = parser.parse_args(argv)
    db_path = _db(args)
    destination = args.destination or db_path.parent / "backups"
    if args.destination is None:
        destination.mkdir(parents=True, exist_ok=True)
    from pos_app.store.errors import StoreError, refusal_message

    try:
        written = backup(db_path, destination)
    except BackupError as error:
        return _fail(f"backup failed: {error}")
    except StoreError as error:
        return _fail(refusal_message(error, db_path))
    print(f"backup written and checked: {written}")
    return 0


def restore_main(argv: Sequence[str]) -> int:
    """``pos-app restore SRC``: replace the database with a checked backup (app closed)."""
    parser = _parser("restore", "replace the database with a backup (close pos-app first)")
    parser.add_argument("source", type=Path, help="a backup file made by pos-app backup")
    args = parser.parse_args(argv)
    try:
        kept = restore(args.source, _db(args))
    except BackupError as error:
        return _fail(f"restore refused: {error}")
    kept_note = f"; the previous file is kept as {kept}" if kept else ""
    print(f"restored from {args.source}{kept_note}")
    return 0


def report_main(argv: Sequence[str]) -> int:
    """``pos-app report [KIND ...] [--csv DIR]``: reports as tables, or CSV files."""
    parser = _parser("report", "sales reports of this register (voided sales listed apart)")
    parser.add_argument("kinds", nargs="*", metavar="KIND",
                        help=f"one or more of {', '.join(ALL_REPORTS)} (default: all)")
    parser.add_argument("--csv", type=Path, metavar="DIR",
                        help="write <kind>.csv files into DIR instead of printing tables "
                             "(a path ending in .csv with one KIND names the file itself)")
    parser.add_argument("--tz", help="time zone of the hourly report (default: the event's)")
    args = parser.parse_args(argv)
    kinds = list(dict.fromkeys(args.kinds)) or list(ALL_REPORTS)
    if unknown := [kind for kind in kinds if kind not in ALL_REPORTS]:
        parser.error(f"unknown report {unknown[0]!r}; choose from {', '.join(ALL_REPORTS)}")
    from pos_app.services.reports import ReportService
    from pos_app.store.errors import StoreError, refusal_message

    zone = _zone_or_exit(parser, args.tz)
    try:
        database = open_existing(_db(args))
    except Refused as error:
        return _fail(str(error))
    try:
        service = ReportService(database, zone=zone)
        reports = {kind: report_rows(service, kind) for kind in kinds}
        zone = service.zone()
    except StoreError as error:
        return _fail(refusal_message(error, database.path))
    finally:
        database.close()
    if args.csv is None:
        for kind, (columns, records) in reports.items():
            title = TITLES[kind] + (f" ({zone})" if kind == "hour" else "")
            _print_table(title, columns, records)
        return 0
    single_file = args.csv.suffix.lower() == ".csv" and len(kinds) == 1
    for kind, (columns, records) in reports.items():
        path = args.csv if single_file else args.csv / f"{kind}.csv"
        write_csv(path, columns, records)
        print(f"{TITLES[kind]}: {len(records)} rows written to {path}")
    return 0


def _zone_or_exit(parser: argparse.ArgumentParser, name: str | None) -> Any:
    """The time zone ``--tz`` names (None for the event's); a name not known here is an error."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        parser.error(f"unknown time zone {name!r} (an IANA name, e.g. America/Chicago)")


class Refused(Exception):
    """A database file these commands will not open; the message says why."""


def open_existing(path: Path, check: Check = Check.QUICK) -> Any:
    """The :class:`Database` at ``path``, checked; :class:`Refused` when it will not do.

    A file that is not a register database (an empty file, another SQLite file) is refused
    rather than opened, which would migrate a new schema into it; a damaged or held one with
    :func:`~pos_app.store.errors.refusal_message`. ``check`` is SQLite's check to run first.
    """
    if not path.is_file():
        raise Refused(f"no database at {path}")
    from pos_app.store.engine import Database
    from pos_app.store.errors import StoreError, refusal_message
    from pos_app.store.integrity import check_file
    from pos_app.store.migrate import stamped_revision

    try:
        check_file(path, check)
        if stamped_revision(path) is None:
            raise Refused(f"{path} is not a pos_app register database")
        return Database.open(path, check=None)
    except StoreError as error:
        raise Refused(refusal_message(error, path)) from error
    except sqlite3.DatabaseError as error:
        raise Refused(f"{path} is not a readable register database ({error})") from error


def _print_table(title: str, columns: list[str], records: list[dict[str, Any]]) -> None:
    money = {c for c in columns if c.endswith("_cents")}
    numeric = money | {c for c in columns if records and isinstance(records[0][c], int)}
    headers = [c.removesuffix("_cents").replace("_", " ") for c in columns]
    shown = [[format_cents(r[c]) if c in money else str(r[c]) for c in columns]
             for r in records]
    widths = [max([len(h), *(len(row[i]) for row in shown)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.rjust(w) if column in numeric else cell.ljust(w)
                         for cell, w, column in zip(cells, widths, columns, strict=True))

    print(f"\n{title}")
    print(line(headers).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in shown:
        print(line(row).rstrip())
    if not shown:
        print("(nothing yet)")


def labels_main(argv: Sequence[str]) -> int:
    """``pos-app labels OUT --consignor N | --item ID | --tag CODE``: reprint tags."""
    parser = _parser("labels", "reprint tags: Avery 5160 sheets (PDF), label pages or PNGs")
    parser.add_argument("output", type=Path, help="a .pdf file, or a .png for label images")
    parser.add_argument("--consignor", type=int, help="all items of this consignor")
    parser.add_argument("--item", action="append", default=[], metavar="ID",
                        help="one item id (repeatable)")
    parser.add_argument("--tag", action="append", default=[], metavar="CODE",
                        help="one tag code, e.g. 1042-0017 (repeatable)")
    parser.add_argument("--first-slot", type=int, default=1, metavar="N",
                        help="start at label N (1-30) of the first sheet, to reuse a sheet")
    parser.add_argument("--single", action="store_true",
                        help="one 2.625 x 1 in label per page instead of letter sheets")
    args = parser.parse_args(argv)
    if args.consignor is None and not args.item and not args.tag:
        parser.error("say which tags: --consignor, --item or --tag")
    if not 1 <= args.first_slot <= 30:
        parser.error("--first-slot must be 1-30")
    from pos_app.core.tags import TagError
    from pos_app.services.tag_reprints import tags_to_reprint
    from pos_app.store.errors import StoreError, refusal_message

    try:
        database = open_existing(_db(args))
    except Refused as error:
        return _fail(str(error))
    try:
        labels = tags_to_reprint(database, consignor=args.consignor, item_ids=args.item,
                                 tag_codes=args.tag)
    except TagError as error:
        return _fail(f"labels: {error}")
    except StoreError as error:
        return _fail(refusal_message(error, database.path))
    finally:
        database.close()
    if not labels:
        return _fail("no matching items")
    for code in _tags_not_found(args.tag, labels):
        print(f"labels: no item has tag {code}; the other tags are printed", file=sys.stderr)
    return _render(labels, args.output, first_slot=args.first_slot - 1, single=args.single)


def _tags_not_found(typed: Sequence[str], labels: Sequence[Any]) -> list[str]:
    from pos_app.core.tags import parse_tag

    found = {label.tag_code for label in labels}
    return [code.strip() for code in typed if parse_tag(code).canonical not in found]


def _render(labels: Sequence[Any], output: Path, *, first_slot: int, single: bool) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pos_app.ui.labels import label_pdf, label_png, sheet_pdf
    from pos_app.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".png":
        paths = [output] if len(labels) == 1 else [
            output.with_name(f"{output.stem}-{label.tag_code}.png") for label in labels]
        for label, path in zip(labels, paths, strict=True):
            label_png(label, path)
        print(f"{len(paths)} tag image(s): {paths[0]}" + (" ..." if len(paths) > 1 else ""))
    elif single:
        label_pdf(labels, output)
        print(f"{len(labels)} tags, one per page: {output}")
    else:
        pages = sheet_pdf(labels, output, first_slot=first_slot)
        print(f"{len(labels)} tags on {pages} Avery 5160 sheet(s): {output}")
    del app
    return 0
