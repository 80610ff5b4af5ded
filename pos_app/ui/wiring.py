"""Building the GUI's services for one register database (no Qt here).

:func:`build_services` turns a database and its register context into :class:`UiServices`;
:class:`DatabaseSetup` is the :class:`~pos_app.ui.bundle.RegisterSetup` the set-up dialog
uses (the demo event, or an event with a server and a token), and stops the sync worker it
started when closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from pos_app.services.backups import BackupService
from pos_app.services.cashiers import CashierService
from pos_app.services.catalog import CatalogService
from pos_app.services.context import RegisterContext, load_context
from pos_app.services.donations import DonationService
from pos_app.services.hall_reports import HallReportService
from pos_app.services.holds import HoldService
from pos_app.services.lifecycle import ItemLifecycleService
from pos_app.services.new_items import NewItemService
from pos_app.services.refunds import RefundService
from pos_app.services.reports import ReportService
from pos_app.services.sales import SaleService
from pos_app.services.settlement import SettlementApi, SettlementService
from pos_app.services.setup import TokenStore, configure_register
from pos_app.services.shifts import ShiftService
from pos_app.store.engine import Database
from pos_app.ui.bundle import SyncControls, UiServices

if TYPE_CHECKING:
    from pos_app.sync.service import SyncRunner

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def build_services(database: Database, context: RegisterContext, clock: Clock,
                   sync: SyncControls | None = None) -> UiServices:
    return UiServices(
        context=context,
        catalog=CatalogService(database, context),
        sales=SaleService(database, context, clock),
        cashiers=CashierService(database),
        shifts=ShiftService(database, context, clock),
        holds=HoldService(database, clock),
        clock=clock,
        sync=sync or SyncControls(),
        event_name=CatalogService(database, context).event_name(),
        reports=ReportService(database),
        backups=BackupService(database, database.path.parent / "backups"),
        lifecycle=ItemLifecycleService(database, context, clock),
        hall_reports=HallReportService(database, context),
        donations=DonationService(database, context),
        refunds=RefundService(database, context, clock),
        settlement=SettlementService(_organiser_api, context.event_id),
        new_items=NewItemService(database, context, clock),
    )


def _organiser_api() -> SettlementApi:
    """The admin API with the organiser's credentials (httpx imported only when used)."""
    from pos_app.sync.settlement_api import connector

    return connector()()


def sync_controls(runner: SyncRunner) -> SyncControls:
    """What the GUI may ask of the register's one sync runner."""
    return SyncControls(status=runner.service.board, sync_now=runner.sync_now,
                        nudge=runner.nudge, quarantined=runner.service.quarantined,
                        conflicts=runner.service.conflicts)


class DatabaseSetup:
    """Set-up and loading of the register in ``database`` (runs on the write lane)."""

    def __init__(self, database: Database, tokens: TokenStore, clock: Clock,
                 demo_items: int = 20_000) -> None:
        self.database = database
        self.tokens = tokens
        self.clock = clock
        self.demo_items = demo_items
        self._runner: SyncRunner | None = None

    def load(self) -> UiServices:
        """The services of the configured register (raises NotConfigured)."""
        return self._services(load_context(self.database))

    def create_demo(self) -> UiServices:
        from pos_app.services.demo import create_demo_event

        today = self.clock().astimezone().date()  # the demo's sale day follows the clock
        return self._services(create_demo_event(self.database, items=self.demo_items,
                                                today=today))

    def configure(self, event_id: str, register_name: str, server_url: str,
                  token: str) -> UiServices:
        register_id = register_name.strip().lower().replace(" ", "-")
        context = configure_register(
            self.database, self.tokens, register_id=register_id, event_id=event_id,
            name=register_name, server_url=server_url, token=token)
        return self._services(context)

    def enroll(self, ticket_text: str) -> UiServices:
        """Set up from the organiser's enrollment QR code: the code buys the token, once."""
        from pos_app.services.enrollment import parse_ticket
        from pos_app.sync.enroll import exchange

        ticket = parse_ticket(ticket_text)
        enrolled = exchange(ticket)
        context = configure_register(
            self.database, self.tokens, register_id=enrolled.register_id,
            event_id=enrolled.event_id, name=enrolled.name or enrolled.register_id,
            server_url=ticket.server_url, token=enrolled.token)
        return self._services(context)

    def close(self) -> None:
        if self._runner is not None:
            self._runner.stop()
            self._runner.service.client.close()  # its connections to the server
            self._runner = None

    def _services(self, context: RegisterContext) -> UiServices:
        from pos_app.sync.start import start_sync

        self.close()
        self._runner = start_sync(self.database, context, self.tokens)
        sync = sync_controls(self._runner) if self._runner is not None else None
        return build_services(self.database, context, self.clock, sync)
