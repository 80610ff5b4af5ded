"""Organiser and manager commands: ``pos-app backup``, ``restore``, ``report``, ``labels``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pos_app.core.money import format_cents
from pos_app.services.export import REPORT_KINDS, report_rows, write_csv
from pos_app.store.backup import BackupError, backup, restore


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="the register database (default: this register)")


def _db(args: argparse.Namespace) -> Path:
    from pos_app.app import default_db_path

    return Path(args.db) if args.db else default_db_path()


def backup_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app backup",
                                     description="copy the database safely, even while selling")
    parser.add_argument("destination", type=Path, help="a file, or a folder for a dated name")
    _db_arg(parser)
    args = parser.parse_args(argv)
    try:
        written = backup(_db(args), args.destination)
    except BackupError as error:
        print(f"backup failed: {error}", file=sys.stderr)
        return 1
    print(f"backup written and checked: {written}")
    return 0


def restore_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app restore",
                                     description="replace the database with a backup (app closed)")
    parser.add_argument("source", type=Path)
    _db_arg(parser)
    args = parser.parse_args(argv)
    try:
        kept = restore(args.source, _db(args))
    except BackupError as error:
        print(f"restore refused: {error}", file=sys.stderr)
        return 1
    kept_note = f"; the previous file is kept as {kept}" if kept else ""
    print(f"restored from {args.source}{kept_note}")
    return 0


def report_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app report", description="sales reports")
    parser.add_argument("kind", choices=REPORT_KINDS)
    parser.add_argument("--csv", type=Path, help="write CSV to this file instead of a table")
    _db_arg(parser)
    args = parser.parse_args(argv)
    from pos_app.services.reports import ReportService
    from pos_app.store.engine import Database

    database = Database.open(_db(args))
    columns, records = report_rows(ReportService(database), args.kind)
    database.close()
    if args.csv:
        write_csv(args.csv, columns, records)
        print(f"{len(records)} rows written to {args.csv}")
    else:
        _print_table(columns, records)
    return 0


def _print_table(columns: list[str], records: list[dict[str, Any]]) -> None:
    shown = [[format_cents(r[c]) if c.endswith("_cents") else str(r[c]) for c in columns]
             for r in records]
    widths = [max(len(c), *(len(row[i]) for row in shown)) if shown else len(c)
              for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in shown:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def labels_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app labels",
                                     description="reprint tags as a PDF of Avery 5160 labels")
    parser.add_argument("output", type=Path)
    parser.add_argument("--consignor", type=int, help="all items of this consignor")
    parser.add_argument("--tag", action="append", default=[], help="one tag code (repeatable)")
    _db_arg(parser)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pos_app.store.engine import Database
    from pos_app.ui.labels import TagLabel, sheet_pdf
    from pos_app.ui.qt import QApplication

    database = Database.open(_db(args))
    with database.unit_of_work() as unit:
        rows = unit.connection.exec_driver_sql(
            "SELECT tag_code, consignor_number, item_number, description, size, price_cents, "
            "discountable, donate_if_unsold FROM items WHERE consignor_number = ? OR tag_code "
            "IN (SELECT value FROM json_each(?)) ORDER BY consignor_number, item_number",
            (args.consignor if args.consignor is not None else -1, _json(args.tag))).all()
    database.close()
    if not rows:
        print("no matching items", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    labels = [TagLabel(str(tag), int(consignor), int(number), str(text), str(size), int(price),
                       bool(discountable), bool(donate))
              for tag, consignor, number, text, size, price, discountable, donate in rows]
    pages = sheet_pdf(labels, args.output)
    del app
    print(f"{len(rows)} tags on {pages} page(s): {args.output}")
    return 0


def _json(values: list[str]) -> str:
    import json

    return json.dumps(values)
