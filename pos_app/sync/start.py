"""Starting the sync of a configured register: its client, its service and the one runner."""

from __future__ import annotations

from pos_app.services.context import RegisterContext
from pos_app.services.setup import TokenStore
from pos_app.store.engine import Database
from pos_app.sync.service import SyncRunner


def start_sync(database: Database, context: RegisterContext,
               tokens: TokenStore) -> SyncRunner | None:
    """The register's running sync runner, or None when it has no server or no token."""
    token = tokens.get(context.register_id) if context.server_url else None
    if context.server_url is None or not token:
        return None
    from pos_app.sync.client import CentralClient
    from pos_app.sync.service import SyncService

    client = CentralClient(context.server_url, token, context.register_id, context.event_id)
    service = SyncService(database, client, context.register_id)
    service.refresh_counts()
    runner = SyncRunner(service)
    runner.start()
    return runner
