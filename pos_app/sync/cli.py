"""``pos-app sync --once`` and ``pos-app sync status``: drive sync headless."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pos_app.services.context import NotConfigured, load_context
from pos_app.services.setup import EnvTokenStore, KeyringTokenStore, TokenStore
from pos_app.store.engine import Database
from pos_app.store.errors import StoreError, refusal_message
from pos_app.sync.batcher import SyncLimits
from pos_app.sync.client import CentralClient, SyncError
from pos_app.sync.service import SyncService


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app sync", description=__doc__)
    parser.add_argument("action", nargs="?", choices=["status"], help="show the sync state")
    parser.add_argument("--once", action="store_true", help="push and pull once, now")
    parser.add_argument("--db", type=Path, help="the register database file")
    parser.add_argument("--token-env", help="read the register token from this variable")
    parser.add_argument("--max-statements", type=int, default=1000,
                        help="D1 queries per request: 1000 (Workers Paid) down to 50 (Free)")
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    from pos_app.paths import default_db_path

    path = args.db or default_db_path()
    if not path.is_file():
        print(f"no database at {path}: set the register up in the app first.",
              file=sys.stderr)
        return 2
    try:
        database = Database.open(path)
        try:
            return _sync(database, args)
        finally:
            database.close()
    except StoreError as error:
        print(refusal_message(error, path), file=sys.stderr)
        return 1


def _sync(database: Database, args: argparse.Namespace) -> int:
    """Sync ``database`` as ``args`` say; a database condition propagates."""
    try:
        context = load_context(database)
    except NotConfigured as error:
        print(f"{error}. Set the register up in the app first.", file=sys.stderr)
        return 2
    tokens: TokenStore = EnvTokenStore(args.token_env) if args.token_env else KeyringTokenStore()
    token = tokens.get(context.register_id) or os.environ.get("POS_APP_TOKEN")
    if context.server_url is None or not token:
        print("No server URL or token for this register: it runs standalone.", file=sys.stderr)
        return 2
    client = CentralClient(context.server_url, token, context.register_id, context.event_id)
    service = SyncService(database, client, context.register_id,
                          SyncLimits(max_statements=args.max_statements))
    try:
        if args.once:
            outcome = service.run_once(lambda done, total: print(
                f"\rpulling catalog: {done}/{total}", end="", file=sys.stderr))
            print(f"\npushed {outcome.push.pushed} entries in {outcome.push.requests} requests "
                  f"({outcome.push.statements} statements); pulled {outcome.pull.items} items; "
                  f"{outcome.conflicts} conflicts")
        service.refresh_counts()
        status = service.board.status
        print(f"pending: {status.pending}  quarantined: {status.quarantined}  "
              f"last success: {status.last_success_at or 'never'}")
        return 0
    except SyncError as error:
        print(f"sync failed: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
