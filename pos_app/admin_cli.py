"""``pos-app admin``: the organiser's commands over the central server's admin API.

    pos-app admin login --url URL                 keep the server and admin token (keyring)
    pos-app admin events list
    pos-app admin events create ID --name N --starts DATE --ends DATE [--tax PERCENT]
                                   [--discount START[/END]=PERCENT ...] [--timezone TZ]
    pos-app admin registers add EVENT ID [ID ...] | list EVENT | revoke ID
    pos-app admin import consignors|items EVENT FILE.csv [--pending]
    pos-app admin export EVENT OUT.csv [--table sales|settlement|...]
    pos-app admin sheet EVENT OUT.pdf [--register ID ...] [--server-url URL]

The admin token never goes on the command line: ``login`` reads it from standard input (or
asks for it), and every other command takes it from ``POS_ADMIN_URL``/``POS_ADMIN_TOKEN`` or
the keyring. Exit status: 0 done, 1 refused or failed (message on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_app.services.catalog_csv import CsvImportError, read_consignors
from pos_app.services.enrollment import EnrollmentTicket

if TYPE_CHECKING:
    from pos_app.services.catalog_import import CatalogAdmin
    from pos_app.sync.organiser import OrganiserClient

_EXPORT_TABLES = ("sales", "sale_lines", "tenders", "price_overrides", "voids", "refunds",
                  "shifts", "no_sales", "conflicts", "items", "consignors", "settlement")
_DISCOUNT_RE = re.compile(r"^(?P<start>[0-9T:+Z.-]{10,32})(?:/(?P<end>[0-9T:+Z.-]{10,32}))?"
                          r"=(?P<percent>\d{1,3}(?:\.\d{1,2})?)$")


class Refused(Exception):
    """A failure with a message for the organiser (exit status 1)."""


def _percent_bp(text: str, what: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise argparse.ArgumentTypeError(f"{what}: {text!r} is not a percentage") from error
    if not 0 <= value <= 100 or value != value.quantize(Decimal("0.01")):
        raise argparse.ArgumentTypeError(f"{what}: {text} is not 0-100 with at most 2 decimals")
    return int(value * 100)


def _tax(text: str) -> int:
    return _percent_bp(text, "--tax")


def _discount(text: str) -> dict[str, Any]:
    match = _DISCOUNT_RE.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"--discount {text!r}: write START[/END]=PERCENT, e.g. 2026-05-17T08:00=50")
    bp = _percent_bp(match["percent"], "--discount")
    if bp == 0:
        raise argparse.ArgumentTypeError("--discount: a discount of 0% is no discount")
    return {"starts_at": match["start"], "ends_at": match["end"], "percent_bp": bp}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app admin", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    login = commands.add_parser("login", help="keep the server URL and admin token")
    login.add_argument("--url", required=True, help="the Worker's https:// address")
    events = commands.add_parser("events", help="create and list events").add_subparsers(
        dest="action", required=True)
    events.add_parser("list")
    create = events.add_parser("create", help="create or replace an event")
    create.add_argument("event")
    create.add_argument("--name", required=True)
    create.add_argument("--starts", required=True, metavar="YYYY-MM-DD")
    create.add_argument("--ends", required=True, metavar="YYYY-MM-DD")
    create.add_argument("--location", default="")
    create.add_argument("--timezone", default="UTC", help="e.g. America/Chicago")
    create.add_argument("--tax", type=_tax, default=0, metavar="PERCENT", help="e.g. 8.25")
    create.add_argument("--discount", type=_discount, action="append", default=[],
                        metavar="START[/END]=PERCENT", help="a discount period (repeatable)")
    create.add_argument("--status", default="published",
                        choices=("draft", "published", "cancelled", "completed"))
    registers = commands.add_parser("registers", help="add, list, revoke registers") \
        .add_subparsers(dest="action", required=True)
    add = registers.add_parser("add")
    add.add_argument("event")
    add.add_argument("registers", nargs="+", metavar="ID")
    registers.add_parser("list").add_argument("event")
    registers.add_parser("revoke").add_argument("register")
    imports = commands.add_parser("import", help="consignors or items from CSV (items create "
                                  "the consignors they name that the event lacks)")
    imports.add_argument("kind", choices=("consignors", "items"))
    imports.add_argument("event")
    imports.add_argument("file", type=Path)
    imports.add_argument("--pending", action="store_true",
                         help="items wait for drop-off check-in (default: approved for sale)")
    export = commands.add_parser("export", help="the event's sales (or the consignor "
                                 "settlement, or another table) as CSV")
    export.add_argument("event")
    export.add_argument("output", type=Path)
    export.add_argument("--table", default="sales", choices=_EXPORT_TABLES)
    sheet = commands.add_parser("sheet", help="the enrollment sheet (PDF, one QR a register)")
    sheet.add_argument("event")
    sheet.add_argument("output", type=Path)
    sheet.add_argument("--register", action="append", default=[], metavar="ID",
                       help="only these registers (default: every register not revoked)")
    sheet.add_argument("--server-url", help="the address registers use (default: the admin's)")
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    from pos_app.sync.errors import SyncError
    from pos_app.sync.organiser import AdminError, NoCredentials

    try:
        if args.command == "login":
            return _login(args)
        handler = HANDLERS[args.command if args.command in ("import", "export", "sheet")
                           else f"{args.command} {args.action}"]
        return handler(args)
    except (Refused, NoCredentials, AdminError, SyncError, CsvImportError, OSError) as error:
        print(f"pos-app admin: {error}", file=sys.stderr)
        return 1


def _login(args: argparse.Namespace) -> int:
    from keyring.errors import KeyringError

    from pos_app.sync.organiser import OrganiserClient, store_credentials

    token = (getpass.getpass("Admin token: ") if sys.stdin.isatty()
             else sys.stdin.readline()).strip()
    if len(token) < 16:
        raise Refused("the admin token is at least 16 characters (the one deploy-central.sh "
                      "showed, or the ADMIN_TOKEN secret you set)")
    with OrganiserClient(args.url, token) as client:
        count = len(client.list_events())  # the token works before it is kept
    try:
        store_credentials(args.url, token)
    except KeyringError as error:
        raise Refused("this computer has no keyring to keep the token in: set POS_ADMIN_URL "
                      "and POS_ADMIN_TOKEN instead") from error
    print(f"logged in to {args.url} ({count} event(s)); the token is in the keyring")
    return 0


def _client() -> OrganiserClient:
    from pos_app.sync.organiser import OrganiserClient, credentials

    found = credentials()
    return OrganiserClient(found.url, found.token)


def _events_list(_args: argparse.Namespace) -> int:
    with _client() as client:
        events = client.list_events()
    for event in events:
        rules = ", ".join(f"{rule['percent_bp'] / 100:g}% from {rule['starts_at']}"
                          + (f" to {rule['ends_at']}" if rule["ends_at"] else "")
                          for rule in event["discount_rules"]) or "no discounts"
        print(f"{event['id']}\t{event['name']}\t{event['starts_on']}..{event['ends_on']}\t"
              f"tax {event['tax_rate_bp'] / 100:g}%\t{event['status']}\t{rules}")
    return 0


def _events_create(args: argparse.Namespace) -> int:
    if args.ends < args.starts:
        raise Refused("--ends is before --starts")
    rules = [{"id": f"{args.event}-d{n}", **rule} for n, rule in enumerate(args.discount, 1)]
    with _client() as client:
        client.put_event(args.event, name=args.name, starts_on=args.starts, ends_on=args.ends,
                         location=args.location, timezone=args.timezone, status=args.status,
                         tax_rate_bp=args.tax, discount_rules=rules)
    print(f"event {args.event} saved ({len(rules)} discount period(s), "
          f"tax {args.tax / 100:g}%)")
    return 0


def _registers_add(args: argparse.Namespace) -> int:
    with _client() as client:
        for register in args.registers:
            client.create_register(args.event, register)  # its first token is never shown
    print(f"{len(args.registers)} register(s) added to {args.event}; print the enrollment "
          f"sheet: pos-app admin sheet {args.event} sheet.pdf")
    return 0


def _registers_list(args: argparse.Namespace) -> int:
    with _client() as client:
        rows = client.list_registers(args.event)
    for row in rows:
        state = ("revoked " + row["revoked_at"] if row["revoked_at"]
                 else "enrolled " + row["enrolled_at"] if row["enrolled_at"] else "not enrolled")
        print(f"{row['id']}\t{row['name']}\t{state}")
    return 0


def _registers_revoke(args: argparse.Namespace) -> int:
    with _client() as client:
        client.revoke_register(args.register)
    print(f"register {args.register} revoked: its token and enrollment code no longer work")
    return 0


def _import(args: argparse.Namespace) -> int:
    with _client() as client:
        if args.kind == "consignors":
            count = client.upsert_consignors(args.event, read_consignors(args.file, args.event))
            print(f"{count} consignors imported into {args.event}")
            return 0
        return import_items(client, args.event, args.file,
                            status="pending" if args.pending else "approved")


def import_items(client: CatalogAdmin, event: str, path: Path, *, status: str) -> int:
    """Import an items CSV with progress on stderr and the outcome on stdout; exit status 0.

    CsvImportError (nothing sent) is the caller's to report.
    """
    from pos_app.services.catalog_import import import_catalog

    def show(done: int, total: int) -> None:
        print(f"\r{done:,} / {total:,} items", end="", file=sys.stderr, flush=True)

    result = import_catalog(client, event, path, status=status, progress=show)
    print(file=sys.stderr)
    if result.consignors_created:
        print(f"{len(result.consignors_created)} consignor(s) created: "
              f"{', '.join(map(str, result.consignors_created))} (fill in their names and "
              f"splits: pos-app admin import consignors)", file=sys.stderr)
    print(f"{result.items} items imported into {event}")
    return 0


def _export(args: argparse.Namespace) -> int:
    with _client() as client:
        if args.table == "settlement":
            from pos_app.services.settlement import EXPORT_COLUMNS, export_rows
            from pos_app.services.settlement_data import settlement_from_json

            rows = export_rows(settlement_from_json(client.settlement(args.event)),
                               client.export(args.event, "consignors"))
            columns = list(EXPORT_COLUMNS)
        else:
            rows = client.export(args.event, args.table)
            columns = list(rows[0]) if rows else []
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([row[column] for column in columns] for row in rows)
    print(f"{len(rows)} {args.table} rows written to {args.output}")
    return 0


def _sheet(args: argparse.Namespace) -> int:
    from pos_app.sync.organiser import credentials

    server_url = (args.server_url or credentials().url).rstrip("/")
    with _client() as client:
        event = next((e for e in client.list_events() if e["id"] == args.event), None)
        if event is None:
            raise Refused(f"no event {args.event}")
        registers = [r for r in client.list_registers(args.event) if not r["revoked_at"]]
        if args.register:
            unknown = set(args.register) - {r["id"] for r in registers}
            if unknown:
                raise Refused(f"not registers of {args.event} (or revoked): "
                              f"{', '.join(sorted(unknown))}")
            registers = [r for r in registers if r["id"] in args.register]
        if not registers:
            raise Refused(f"{args.event} has no registers: pos-app admin registers add ...")
        codes = [client.enrollment_code(r["id"]) for r in registers]
    pages = _write_sheet(event["name"], server_url, args.event, registers=registers,
                         codes=codes, output=args.output)
    print(f"enrollment sheet for {len(codes)} register(s) on {pages} page(s): {args.output} "
          "(each code works once, for 24 hours; printing a new sheet replaces them)")
    return 0


def _write_sheet(event_name: str, server_url: str, event_id: str, *,
                 registers: list[dict[str, Any]], codes: list[dict[str, Any]],
                 output: Path) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pos_app.ui.enrollment_sheet import SheetCard, write_sheet
    from pos_app.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    cards = [SheetCard(register["name"], event_name, code["expires_at"],
                       EnrollmentTicket(server_url, event_id, register["id"], code["code"]))
             for register, code in zip(registers, codes, strict=True)]
    pages = write_sheet(cards, output)
    del app
    return pages


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "events list": _events_list, "events create": _events_create,
    "registers add": _registers_add, "registers list": _registers_list,
    "registers revoke": _registers_revoke, "import": _import, "export": _export,
    "sheet": _sheet,
}
