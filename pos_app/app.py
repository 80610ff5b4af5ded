"""Wiring: build the store, services, sync and GUI for one register and hand them over.

Dependency injection by hand: nothing here is global, and every part can be built alone in a
test. Also the headless entry points (``demo``, ``verify``, ``--self-test``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.paths import data_dir, default_db_path, locations

if TYPE_CHECKING:  # imported where used: the GUI's first screen comes before them
    from pos_app.store.engine import Database
    from pos_app.store.integrity import BackgroundCheck

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def ensure_demo(path: Path, items: int) -> Database:
    """Open the demo database (SQLite's quick check first), creating the event once."""
    from pos_app.store.engine import Database

    database = Database.open(path)
    ensure_demo_event(database, items)
    return database


def ensure_demo_event(database: Database, items: int) -> None:
    """Create the demo event in ``database`` unless the register is configured already."""
    from pos_app.services.context import NotConfigured, load_context

    try:
        load_context(database)
    except NotConfigured:
        from pos_app.services.demo import create_demo_event

        started = time.perf_counter()
        create_demo_event(database, items=items)
        log.info("demo event with %s items created in %.1f s", items,
                 time.perf_counter() - started)


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app", description="Consignment sale checkout")
    parser.add_argument("--db", type=Path, help="register database file")
    parser.add_argument("--demo", action="store_true", help="run on the demo event")
    parser.add_argument("--items", type=int, default=20_000, help="items in a new demo event")
    parser.add_argument("--self-test", action="store_true", help="headless check, then exit")
    parser.add_argument("--receipts-to", type=Path, help="write receipts as PDF files here")
    parser.add_argument("--full-screen", action="store_true")
    parser.add_argument("--mute", action="store_true", help="no scan sounds")
    parser.add_argument("--log-level", default="WARNING",
                        help="what the console shows (the log file always has INFO)")
    return parser


def gui_main(argv: Sequence[str]) -> int:
    args = _gui_parser().parse_args(argv)
    if args.self_test:
        from pos_app.selftest import run_self_test

        return run_self_test()
    path = args.db or default_db_path(args.demo)
    from pos_app.ui.early_start import show_login_early, while_shown

    login = show_login_early(path)  # Qt only: the PIN screen of a configured register
    try:
        database, whole_file = while_shown(login, lambda: _open(path, args))
    except Exception as error:
        from pos_app.store.errors import StoreError, refusal_message

        if not isinstance(error, StoreError):
            raise
        if login is not None:
            login.close()
        from pos_app.ui.refusal import refuse_to_start

        return refuse_to_start(refusal_message(error, path))
    from pos_app.services.settings import SettingsStore
    from pos_app.services.setup import KeyringTokenStore
    from pos_app.ui.launch import launch

    return launch(database, KeyringTokenStore(), utc_now, args,
                  SettingsStore(data_dir() / "settings.json"), login=login, file_check=whole_file)


# The services the GUI builds after the PIN (pos_app.ui.wiring): plain Python, no Qt.
PRELOADED = ("sqlalchemy", "pos_app.store.models", "pos_app.services.backups",
             "pos_app.services.cashiers", "pos_app.services.catalog",
             "pos_app.services.context", "pos_app.services.holds", "pos_app.services.reports",
             "pos_app.services.sales", "pos_app.services.settings", "pos_app.services.setup",
             "pos_app.services.shifts", "pos_app.services.demo", "pos_app.store.outbox")


def _open(path: Path, args: argparse.Namespace) -> tuple[Database, BackgroundCheck]:
    """Logging set up, then the register's database (the demo's created on first use), with
    the store, the services and SQLAlchemy imported: run while the login screen is up.

    SQLite's check of the register's own records (every table but the catalog) runs on its own
    thread meanwhile, and nothing is read before it passed; a pending upgrade waits for the
    whole file's. The whole file is then checked behind the login (at 1,000,000 items the
    catalog is seconds of it), and no commit happens before that check passed: the returned
    check, which the GUI also watches to stop at once when it fails."""
    from importlib import import_module

    from pos_app.logsetup import configure_logging  # logging.handlers: socket, pickle
    from pos_app.store.integrity import BackgroundCheck, check_file
    from pos_app.store.migrate import HEAD_REVISION, stamped_revision

    configure_logging(locations().logs, args.log_level)
    records = BackgroundCheck(path, skip_catalog=True)
    for name in PRELOADED:  # loaded now, not after the PIN
        import_module(name)
    from pos_app.store.engine import Database

    records.result()
    if stamped_revision(path) != HEAD_REVISION:
        check_file(path)  # an upgrade writes: the whole file first (a missing file: at once)
    whole_file = BackgroundCheck(path)
    database = Database.open(path, check=None, writes_wait_for=whole_file)
    if args.demo:
        ensure_demo_event(database, args.items)
    return database, whole_file


def demo_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app demo", description="create a demo event")
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    path = args.db or default_db_path(demo=True)
    if path.exists():
        print(f"{path} exists already; remove it or pass --db", file=sys.stderr)
        return 2
    started = time.perf_counter()
    database = ensure_demo(path, args.items)
    database.close()
    print(f"demo event with {args.items} items in {path} ({time.perf_counter() - started:.1f} s)")
    return 0


def verify_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="pos-app verify",
        description="check the database file (SQLite's integrity check), then the audit "
                    "journal's hash chain")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    from pos_app.cli_tools import Refused, open_existing
    from pos_app.services.audit import verify_journal
    from pos_app.store.errors import StoreError, refusal_message
    from pos_app.store.integrity import Check

    try:
        database = open_existing(args.db or default_db_path(), Check.FULL)
    except Refused as error:
        print(error, file=sys.stderr)
        return 1
    try:
        broken = verify_journal(database)
    except StoreError as error:
        print(refusal_message(error, database.path), file=sys.stderr)
        return 1
    finally:
        database.close()
    print("database file passes SQLite's integrity check")
    if broken is None:
        print("journal chain verifies")
        return 0
    print(f"journal chain BROKEN at entry {broken.seq}: {broken.reason}", file=sys.stderr)
    return 1
