"""The GUI's entry point: :func:`run_gui` and the shell that walks set-up, login and checkout.

The shell owns the background lanes, the error reporter, the scanner filter and the sounds,
and passes them down (no global app object). Start-up goes: register set-up (only when the
register is not configured) -> cashier login by PIN -> shift opening with a float (unless a
shift is open) -> the checkout window. Closing the shift goes back to the login.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from types import TracebackType

from pos_app.services.cashiers import CashierView
from pos_app.services.changes import Changes
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.services.settings import RegisterSettings
from pos_app.services.shifts import ShiftView
from pos_app.store.integrity import BackgroundCheck
from pos_app.ui.about import AboutDialog, folder_rows
from pos_app.ui.assets import icon
from pos_app.ui.bundle import RegisterSetup, UiOptions, UiServices
from pos_app.ui.checkout_presenter import CheckoutPresenter, TillSession
from pos_app.ui.checkout_window import CheckoutWindow
from pos_app.ui.customer_display import CustomerDisplay, customer_screen
from pos_app.ui.drawer import CashDrawer
from pos_app.ui.errors import ErrorReporter
from pos_app.ui.feedback import SilentPlayer, SoundPlayer, default_player
from pos_app.ui.file_check import FileCheckWatch
from pos_app.ui.hall_window import HallMode, HallWindow
from pos_app.ui.mode_dialog import CHECKOUT, SETTLEMENT, ModeDialog
from pos_app.ui.operations import Operation, OperationRunner
from pos_app.ui.qt import (
    QApplication,
    QDialog,
    QKeySequence,
    QObject,
    QShortcut,
    QTimer,
    QWidget,
    Signal,
    qt_object_alive,
)
from pos_app.ui.receipt import ReceiptPrinter
from pos_app.ui.scanner_input import ScannerInput
from pos_app.ui.settlement_window import SettlementWindow
from pos_app.ui.shift_dialogs import OpenShiftDialog
from pos_app.ui.startup import LoginDialog, SetupDialog
from pos_app.ui.sync_status import SyncStatusAdapter
from pos_app.ui.taskman import Lane, TaskManager
from pos_app.ui.widgets import apply_style

log = logging.getLogger(__name__)

__all__ = ["AppShell", "RegisterSetup", "UiOptions", "UiServices", "run_gui"]


class GuiThreadCollector(QObject):
    """Python's cyclic GC, run on the GUI thread only (Anki does the same).

    Automatic collection can start on any thread; a Qt object freed there (a closed window in
    a reference cycle) is destroyed on the wrong thread. So automatic GC is off while the GUI
    runs, and a timer collects whichever generation is over its threshold.
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = 1_000) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()


class AppShell(QObject):
    """Owns the GUI's long-lived parts and moves between the start-up steps and checkout."""

    finished = Signal(int)
    checkout_opened = Signal(object)  # CheckoutWindow
    hall_opened = Signal(object)  # HallWindow (check-in, pick-up, consignor lookup)
    settlement_opened = Signal(object)  # SettlementWindow (issue 14)

    def __init__(self, services: UiServices | None, setup: RegisterSetup | None,
                 options: UiOptions, *, sounds: SoundPlayer | None = None,
                 receipts: ReceiptPrinter | None = None) -> None:
        super().__init__()
        self.services = services
        self.setup = setup
        self.options = options
        self.tasks = TaskManager(self)
        self.errors = ErrorReporter(interactive=options.interactive_errors, parent=self)
        self.operation_runner = OperationRunner(self.tasks, self.errors, self)
        self.operation_runner.changed.connect(self._on_changes)
        self.scanner = ScannerInput(options.scanner, options.monotonic, self)
        self.scanner.scanned.connect(self.route_scan)
        self.sounds = sounds or (default_player(self) if options.sounds else SilentPlayer())
        self.receipts = receipts or ReceiptPrinter(options.printer_name, options.receipt_dir,
                                                   escpos=options.escpos, drawer=options.drawer)
        self.receipts.failed.connect(lambda message: self.errors.known(message, self.window))
        self.drawer = CashDrawer(self.receipts, self)
        self.window: CheckoutWindow | None = None
        self.customer_display: CustomerDisplay | None = None
        self.hall: HallWindow | None = None
        self.settlement_window: SettlementWindow | None = None
        self.dialog: QDialog | None = None
        self.sync_adapter: SyncStatusAdapter | None = None
        self.early_login: LoginDialog | None = None

    # -- flow -------------------------------------------------------------------------------

    def start(self, app: QApplication) -> None:
        self.scanner.install(app)
        if self.services is None and self.early_login is not None:
            self.early_login.close()  # not a configured register after all: set-up instead
            self.early_login = None
        if self.services is not None:
            self._configured(self.services)
        elif self.setup is not None:
            dialog = SetupDialog(self.setup, self.operation_runner)
            dialog.configured.connect(self._configured)
            self._show_step(dialog)
        else:
            raise ValueError("run_gui needs the register's services or a way to set it up")

    def _configured(self, services: UiServices) -> None:
        self.services = services
        self.sync_adapter = SyncStatusAdapter(services.sync.status, self)
        self.login()

    def login(self) -> None:
        services = self._services()
        hint = (f"Demo event: PIN {CASHIER_PIN} (cashier) or {MANAGER_PIN} (manager)"
                if services.context.is_demo else "")
        early, self.early_login = self.early_login, None
        if early is not None and qt_object_alive(early):
            if not early.isVisible():  # closed while the services loaded: as a closed login
                QTimer.singleShot(0, lambda: self.finished.emit(0))
                return
            early.logged_in.connect(self._logged_in)
            self._show_step(early)
            early.attach(services.cashiers, self.operation_runner, hint=hint)
            return
        dialog = LoginDialog(services.cashiers, self.operation_runner,
                             services.context.register_name, hint=hint)
        dialog.logged_in.connect(self._logged_in)
        self._show_step(dialog)

    def _logged_in(self, cashier: CashierView) -> None:
        """Choose the job (issue 13) when the register has the hall's modes, else the till."""
        if self._services().lifecycle is None:
            self._start_till(cashier)
            return
        dialog = ModeDialog(cashier)
        dialog.chosen.connect(lambda mode: self._mode_chosen(cashier, mode))
        self._show_step(dialog)

    def _mode_chosen(self, cashier: CashierView, mode: str) -> None:
        if mode == CHECKOUT:
            self._start_till(cashier)
        elif mode == SETTLEMENT:
            self.open_settlement(cashier)
        else:
            self.open_hall(cashier, HallMode(mode))

    def open_hall(self, cashier: CashierView, mode: HallMode) -> HallWindow:
        lifecycle = self._services().lifecycle
        if lifecycle is None:
            raise RuntimeError("this register has no item lifecycle service")
        hall = HallWindow(lifecycle, cashier, mode, self.sounds, self.operation_runner,
                          reports=self._services().hall_reports, receipts=self.receipts,
                          donations=self._services().donations,
                          event_name=self._services().event_name,
                          clock=self._services().clock,
                          new_items=self._services().new_items)
        hall.closed.connect(self._hall_closed)
        self.hall = hall
        hall.show()
        self.hall_opened.emit(hall)
        return hall

    def open_settlement(self, cashier: CashierView) -> SettlementWindow:
        """The organiser's settlement screen (issue 14); closing it goes back to the login."""
        services = self._services()
        if services.settlement is None:
            raise RuntimeError("this register has no settlement service")
        window = SettlementWindow(services.settlement, cashier, self.operation_runner,
                                  event_name=services.event_name)
        window.closed.connect(lambda: QTimer.singleShot(0, self.login))
        self.settlement_window = window
        window.show()
        self.settlement_opened.emit(window)
        return window

    def _hall_closed(self) -> None:
        self.hall = None
        if self.window is None:  # a lookup from the till goes back to the till
            self.login()

    def _start_till(self, cashier: CashierView) -> None:
        Operation(self, self._services().shifts.current, lane=Lane.READ) \
            .success(lambda shift: self._shift_known(cashier, shift)).run()

    def _shift_known(self, cashier: CashierView, shift: ShiftView | None) -> None:
        if shift is not None:
            self.open_checkout(cashier, shift)
            return
        dialog = OpenShiftDialog(self._services().shifts, cashier.id, cashier.name,
                                 self.operation_runner)
        dialog.opened.connect(lambda opened: self.open_checkout(cashier, opened))
        self._show_step(dialog)

    def open_checkout(self, cashier: CashierView, shift: ShiftView | None) -> CheckoutWindow:
        services = self._services()
        if self.sync_adapter is None:
            self.sync_adapter = SyncStatusAdapter(services.sync.status, self)
        presenter = CheckoutPresenter(services, TillSession(cashier, shift), self)
        window = CheckoutWindow(presenter, self.operation_runner, self.sounds, self.receipts,
                                self.sync_adapter, settings=self.options.settings)
        self.drawer.attach(window, presenter, services.cashiers)
        QShortcut(QKeySequence("F1"), window).activated.connect(self.show_about)
        self._open_customer_display(window, presenter, services.event_name)
        window.shift_closed.connect(self._shift_closed)
        window.settings_saved.connect(self.apply_settings)
        window.closed.connect(self._window_closed)
        if services.lifecycle is not None:  # "did my stroller sell?" (issue 13)
            QShortcut(QKeySequence("Ctrl+L"), window).activated.connect(
                lambda: self.open_hall(cashier, HallMode.LOOKUP))
        self.window = window
        if self.options.full_screen:
            window.showFullScreen()
        else:
            window.show()
        # Everything built so far (modules, Qt wrappers, this window) lives as long as the
        # till: out of the collector's sight, a full collection walks only what came since
        # (one walked ~80,000 objects for 180-250 ms on the GUI thread, in the middle of a
        # scan when its turn came; docs/benchmarks.md, the scan's tail).
        gc.freeze()
        self.checkout_opened.emit(window)
        return window

    def _open_customer_display(self, window: CheckoutWindow, presenter: CheckoutPresenter,
                               event_name: str) -> None:
        screen = customer_screen() if self.options.customer_display else None
        if screen is None:
            return
        display = CustomerDisplay(presenter, event_name)
        display.show_on(screen)
        window.closed.connect(display.close)
        window.closed.connect(display.deleteLater)
        self.customer_display = display
        log.info("customer display on screen %s", screen.name())

    def show_about(self) -> AboutDialog:
        """F1: the version and where the database, backups, receipts and logs are."""
        backups = self.services.backups if self.services is not None else None
        dialog = AboutDialog(folder_rows(backups.folder if backups else None,
                                         self.receipts.pdf_dir), self.window)
        dialog.open()
        return dialog

    def apply_settings(self, settings: RegisterSettings) -> None:
        """Use saved settings now: the scanner and where receipts go (sounds: next start)."""
        self.scanner.configure(settings.scanner())
        self.receipts.configure(settings)
        log.info("settings applied: printer %s %s, PDF folder %s, drawer pin %s",
                 settings.printer_kind, settings.printer_name or settings.escpos_address,
                 settings.receipt_dir, settings.drawer_pin or "none")

    def _shift_closed(self, _report: object) -> None:
        window, self.window = self.window, None
        if window is not None:
            window.closed.disconnect(self._window_closed)
            window.close()
            window.deleteLater()
        self.login()

    def _window_closed(self) -> None:
        self.window = None
        self.finished.emit(0)

    def _show_step(self, dialog: QDialog) -> None:
        dialog.setWindowIcon(icon("app"))
        dialog.rejected.connect(lambda: self.finished.emit(0))
        self.dialog = dialog
        dialog.show()

    def _services(self) -> UiServices:
        if self.services is None:
            raise RuntimeError("the register is not set up")
        return self.services

    # -- scans and changes ------------------------------------------------------------------

    def route_scan(self, code: str) -> None:
        """Send a scan to the open dialog that takes scans, else to the checkout."""
        modal = QApplication.activeModalWidget()
        if modal is None and self.hall is not None and qt_object_alive(self.hall):
            self.hall.handle_scan(code)
            return
        dialog = modal if modal is not None else (self.window.open_dialog if self.window
                                                  else None)
        if dialog is None and self.dialog is not None and qt_object_alive(self.dialog) \
                and self.dialog.isVisible():
            dialog = self.dialog
        handler: Callable[[str], None] | None = getattr(dialog, "handle_scan", None)
        if handler is not None:
            handler(code)
        elif dialog is not None and self.window is not None:
            self.window.refuse_scans([code], "a dialog was open: close it, then scan again")
        elif self.window is not None:
            self.window.handle_scan(code)

    def _on_changes(self, changes: Changes) -> None:
        nudge = self.services.sync.nudge if self.services is not None else None
        if changes & Changes.OUTBOX and nudge is not None:
            nudge()  # wakes the sync runner's thread; returns at once

    def shutdown(self, app: QApplication) -> None:
        """Stop listening and let a commit in flight finish."""
        self.scanner.uninstall(app)
        if self.sync_adapter is not None:
            self.sync_adapter.close()
        self.tasks.shutdown(wait=True)
        self.receipts.close()
        gc.unfreeze()

    def report_uncaught(self, kind: type[BaseException], error: BaseException,
                        trace: TracebackType | None) -> None:
        """``sys.excepthook``: a bug in a slot goes to the one crash dialog."""
        parent = self.window if isinstance(self.window, QWidget) else None
        self.errors.bug(error.with_traceback(trace), parent)


def run_gui(services: UiServices | None, *, setup: RegisterSetup | None = None,
            options: UiOptions | None = None, argv: list[str] | None = None,
            login: LoginDialog | None = None, file_check: BackgroundCheck | None = None) -> int:
    """Run the checkout until it is closed; return the exit status. ``login``: the login
    dialog shown before the services loaded (:mod:`pos_app.ui.early_start`), taken over;
    ``file_check``: the database file's check still running, which stops the app if it fails
    (:mod:`pos_app.ui.file_check`)."""
    options = options or UiOptions()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationName("pos_app")
    app.setQuitOnLastWindowClosed(False)  # steps hand over between windows
    app.setWindowIcon(icon("app"))
    apply_style(app)
    shell = AppShell(services, setup, options)
    shell.early_login = login
    shell.finished.connect(app.exit)
    if file_check is not None:
        FileCheckWatch(file_check, shell).refused.connect(app.exit)
    collector = GuiThreadCollector(shell)
    previous_hook = sys.excepthook
    sys.excepthook = shell.report_uncaught
    try:
        shell.start(app)
        status = app.exec()
    finally:
        sys.excepthook = previous_hook
        shell.shutdown(app)
        collector.stop()
    return int(status)
