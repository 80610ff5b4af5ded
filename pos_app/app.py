"""Wiring: build the store, services, sync and GUI for one register and hand them over.

Dependency injection by hand: nothing here is global, and every part can be built alone in a
test. Also the headless entry points (``demo``, ``verify``, ``--self-test``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the GUI's first screen comes before them
    from pos_app.services.context import RegisterContext
    from pos_app.services.setup import TokenStore
    from pos_app.store.engine import Database

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def data_dir() -> Path:
    """Where the register keeps its database, backups and logs (``POS_APP_HOME`` overrides)."""
    if home := os.environ.get("POS_APP_HOME"):
        return Path(home)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "pos_app"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "pos_app"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "pos_app"


def default_db_path(demo: bool = False) -> Path:
    return data_dir() / ("demo.sqlite3" if demo else "register.sqlite3")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RegisterRuntime:
    """A register's database and context plus its sync parts, stopped together."""

    database: Database
    context: RegisterContext
    sync_service: object | None = None
    sync_worker: object | None = None

    def close(self) -> None:
        stop = getattr(self.sync_worker, "stop", None)
        if stop is not None:
            stop()
        self.database.close()


def start_sync(database: Database, context: RegisterContext, tokens: TokenStore) -> tuple[
        object | None, object | None]:
    """The sync service and its background worker, when this register has a server."""
    token = tokens.get(context.register_id) if context.server_url else None
    if context.server_url is None or not token:
        return None, None
    from pos_app.sync.client import CentralClient
    from pos_app.sync.service import SyncService, SyncWorker

    client = CentralClient(context.server_url, token, context.register_id, context.event_id)
    service = SyncService(database, client, context.register_id)
    service.refresh_counts()
    worker = SyncWorker(service)
    worker.start()
    return service, worker


def ensure_demo(path: Path, items: int) -> Database:
    """Open the demo database, creating the demo event on first use."""
    from pos_app.services.context import NotConfigured, load_context
    from pos_app.store.engine import Database

    database = Database.open(path)
    try:
        load_context(database)
    except NotConfigured:
        from pos_app.services.demo import create_demo_event

        started = time.perf_counter()
        create_demo_event(database, items=items)
        log.info("demo event with %s items created in %.1f s", items,
                 time.perf_counter() - started)
    return database


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app", description="Consignment sale checkout")
    parser.add_argument("--db", type=Path, help="register database file")
    parser.add_argument("--demo", action="store_true", help="run on the demo event")
    parser.add_argument("--items", type=int, default=20_000, help="items in a new demo event")
    parser.add_argument("--self-test", action="store_true", help="headless check, then exit")
    parser.add_argument("--receipts-to", type=Path, help="write receipts as PDF files here")
    parser.add_argument("--full-screen", action="store_true")
    parser.add_argument("--mute", action="store_true", help="no scan sounds")
    parser.add_argument("--log-level", default="INFO")
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
        database = while_shown(login, lambda: _open(path, args))
    except Exception as error:
        from pos_app.store.errors import StoreError

        if not isinstance(error, StoreError):
            raise
        print(f"pos-app: {error}\nDatabase: {path}\n"
              f"To recover, restore the last backup: pos-app restore BACKUP_FILE --db {path}\n"
              f"(backups: the files made by `pos-app backup` and {path.name}.bak-* beside it)",
              file=sys.stderr)
        return 1
    from pos_app.services.settings import SettingsStore
    from pos_app.services.setup import KeyringTokenStore
    from pos_app.ui.launch import launch

    return launch(database, KeyringTokenStore(), utc_now, args,
                  SettingsStore(data_dir() / "settings.json"), login=login)


# The services the GUI builds after the PIN (pos_app.ui.wiring): plain Python, no Qt.
PRELOADED = ("sqlalchemy", "pos_app.store.models", "pos_app.services.backups",
             "pos_app.services.cashiers", "pos_app.services.catalog",
             "pos_app.services.context", "pos_app.services.holds", "pos_app.services.reports",
             "pos_app.services.sales", "pos_app.services.settings", "pos_app.services.setup",
             "pos_app.services.shifts", "pos_app.services.demo", "pos_app.sync.outbox")


def _open(path: Path, args: argparse.Namespace) -> Database:
    """Logging set up, then the register's database (the demo's created on first use), with
    the store, the services and SQLAlchemy imported: run while the login screen is up."""
    from importlib import import_module

    from pos_app.logsetup import configure_logging  # logging.handlers: socket, pickle
    from pos_app.store.engine import Database

    configure_logging(data_dir() / "logs", args.log_level)

    for name in PRELOADED:  # loaded now, not after the PIN
        import_module(name)

    return ensure_demo(path, args.items) if args.demo else Database.open(path)


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
    parser = argparse.ArgumentParser(prog="pos-app verify",
                                     description="check the audit journal's hash chain")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    from pos_app.store.engine import Database
    from pos_app.store.sales import verify_journal

    database = Database.open(args.db or default_db_path())
    with database.unit_of_work() as unit:
        broken = verify_journal(unit.connection)
    database.close()
    if broken is None:
        print("journal chain verifies")
        return 0
    print(f"journal chain BROKEN at entry {broken.seq}: {broken.reason}", file=sys.stderr)
    return 1


def temp_db_path() -> Path:
    return Path(tempfile.mkdtemp(prefix="pos-app-")) / "register.sqlite3"
