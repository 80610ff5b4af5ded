"""What the GUI is given: the services of one configured register, and its options.

The app wiring (``pos_app/app.py``) builds a :class:`UiServices` and passes it to
:func:`pos_app.ui.main.run_gui`; tests build one on a SQLite file in ``tmp_path``. The GUI
never opens a database or a network client itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from pos_app.core.scanner import ScannerConfig
from pos_app.services.backups import BackupService
from pos_app.services.cashiers import CashierService
from pos_app.services.catalog import CatalogService
from pos_app.services.context import RegisterContext
from pos_app.services.donations import DonationService
from pos_app.services.escpos_printer import DrawerPulse, EscposTarget
from pos_app.services.hall_reports import HallReportService
from pos_app.services.holds import HoldService
from pos_app.services.lifecycle import ItemLifecycleService
from pos_app.services.new_items import NewItemService
from pos_app.services.refunds import RefundService
from pos_app.services.reports import ReportService
from pos_app.services.sales import SaleService
from pos_app.services.settings import SettingsStore
from pos_app.services.settlement import SettlementService
from pos_app.services.shifts import ShiftService


class SyncStatusSource(Protocol):
    """A sync status publisher (``pos_app.sync.status``): listeners get each new snapshot.

    ``subscribe`` returns a callable that unsubscribes; listeners may be called from any
    thread. ``snapshot()`` gives the current state at once.
    """

    def subscribe(self, listener: Callable[[Any], None]) -> Callable[[], None]: ...

    def snapshot(self) -> Any: ...


@dataclass(frozen=True)
class SyncControls:
    """What the GUI may ask of the sync runner (all optional)."""

    status: SyncStatusSource | None = None
    sync_now: Callable[[], object] | None = None        # ask for a round, wait for its result
                                                        # (blocks: run it on the network lane)
    nudge: Callable[[], object] | None = None           # after a sale: sync soon (never blocks)
    quarantined: Callable[[], Sequence[Any]] | None = None
    conflicts: Callable[[], Sequence[Any]] | None = None  # what the server recorded


@dataclass(frozen=True)
class UiServices:
    """The services of one configured register, injected into the GUI."""

    context: RegisterContext
    catalog: CatalogService
    sales: SaleService
    cashiers: CashierService
    shifts: ShiftService
    holds: HoldService
    clock: Callable[[], datetime]
    sync: SyncControls = field(default_factory=SyncControls)
    event_name: str = ""
    reports: ReportService | None = None
    backups: BackupService | None = None
    lifecycle: ItemLifecycleService | None = None  # check-in, pick-up, donation (issue 13)
    hall_reports: HallReportService | None = None
    donations: DonationService | None = None  # charity runs and their receipts
    refunds: RefundService | None = None
    settlement: SettlementService | None = None  # the organiser's, over the admin API (issue 14)
    new_items: NewItemService | None = None  # items entered at check-in (issue 13)


class RegisterSetup(Protocol):
    """Sets up an unconfigured register and returns its services (runs on the write lane)."""

    def create_demo(self) -> UiServices: ...

    def configure(self, event_id: str, register_name: str, server_url: str,
                  token: str) -> UiServices: ...

    def enroll(self, ticket_text: str) -> UiServices:
        """Set up from an enrollment ticket (the QR code's text)."""
        ...


@dataclass(frozen=True)
class UiOptions:
    """Settings of the GUI itself."""

    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    monotonic: Callable[[], float] = time.monotonic
    printer_name: str | None = None         # None: the system default printer, if any
    receipt_dir: Path | None = None         # PDF receipts here instead of printing
    escpos: EscposTarget | None = None      # an ESC/POS receipt printer instead of the above
    drawer: DrawerPulse | None = None       # the cash drawer on that printer's drawer port
    sounds: bool = True
    interactive_errors: bool = True         # False: record errors without dialogs (tests)
    full_screen: bool = False
    customer_display: bool = True           # on a second screen, when there is one
    settings: SettingsStore | None = None   # where Ctrl+, saves them (None: no settings screen)
