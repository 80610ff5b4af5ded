"""The dialogs the checkout opens (F-keys and shortcuts), as a base of the checkout window.

Each opener builds its dialog with its own presenter and shows it as a sheet inside the
window (:mod:`pos_app.ui.sheet`: the keyboard focus never leaves the window, so no key is
lost while a dialog opens or closes); one at a time. The one open now is
:attr:`CheckoutDialogs.open_dialog` (the scan router sends scans to it).
"""

from __future__ import annotations

import logging
from datetime import datetime

from pos_app.core.money import format_cents
from pos_app.services.catalog import ItemView, ScanRefusal
from pos_app.services.settings import SettingsStore
from pos_app.services.shifts import ZReport
from pos_app.ui.bundle import UiServices
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.checkout_printing import CheckoutPrinting
from pos_app.ui.feedback import ScanFeedback, Tone
from pos_app.ui.feedback_panel import FeedbackPanel
from pos_app.ui.holds_dialog import HoldLabelDialog, RecallDialog
from pos_app.ui.lookup_dialog import LookupDialog
from pos_app.ui.no_sale_dialog import NoSaleDialog
from pos_app.ui.open_price_dialog import OpenPriceDialog
from pos_app.ui.operations import Operation, OperationRunner
from pos_app.ui.pin_dialog import PinDialog
from pos_app.ui.price_override_dialog import PriceOverrideDialog
from pos_app.ui.qt import (
    QDialog,
    QMainWindow,
    QShortcut,
    Qt,
    QTableView,
    Signal,
    qt_object_alive,
)
from pos_app.ui.refund_dialog import RefundDialog
from pos_app.ui.reports_dialog import ReportsDialog
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.sheet import Sheet
from pos_app.ui.shift_dialogs import CloseShiftDialog
from pos_app.ui.sync_status import SyncStatusAdapter
from pos_app.ui.sync_view import SyncDialog
from pos_app.ui.taskman import Lane
from pos_app.ui.tender_dialog import TenderDialog
from pos_app.ui.void_dialog import VoidDialog

log = logging.getLogger(__name__)


class CheckoutDialogs(QMainWindow):
    """Opens the checkout's dialogs; the window sets the attributes declared here."""

    shift_closed = Signal(object)  # ZReport
    settings_saved = Signal(object)  # RegisterSettings

    presenter: CheckoutPresenter
    services: UiServices
    operation_runner: OperationRunner
    feedback: FeedbackPanel
    printing: CheckoutPrinting
    _sync: SyncStatusAdapter
    _settings: SettingsStore | None
    _dialog: QDialog | None
    sheet: Sheet
    shortcuts: list[QShortcut]  # the window's own, off while a sheet is open
    cart_view: QTableView

    def open_lookup(self) -> None:
        dialog = LookupDialog(self.services.catalog, self)
        dialog.chosen.connect(self._add_found)
        self._open(dialog)

    def _add_found(self, item: ItemView) -> None:
        self.presenter.add_found(item)

    def open_no_sale(self) -> None:
        """Ctrl+N: the drawer opened without a sale (a manager approves; the shift counts it)."""
        shift = self.presenter.session.shift
        if shift is None or len(self.presenter.cart) or self.presenter.paying:
            self.feedback.show_feedback(ScanFeedback(
                Tone.WARN, "No sale not possible", "Pay or hold the cart first."
                if shift else "No shift is open on this register."))
            return
        dialog = NoSaleDialog(self.services.shifts, self.services.cashiers, shift.id,
                              self.presenter.session.cashier.id, self)
        dialog.recorded.connect(self._no_sale_recorded)
        self._open(dialog)

    def _no_sale_recorded(self, report: ZReport) -> None:
        self.printing.receipts.open_drawer("recorded no sale")
        self.feedback.show_feedback(ScanFeedback(
            Tone.GOOD, "No sale recorded: drawer open",
            f"{report.no_sales_count} this shift. Close the drawer when done."))

    def open_price_override(self) -> None:
        """Ctrl+P: the selected line (else the last) at a manager's price."""
        rows = self.cart_view.selectionModel().selectedRows()
        row = rows[0].row() if rows else len(self.presenter.cart) - 1
        if row < 0 or self.presenter.paying:
            self.feedback.show_feedback(ScanFeedback(Tone.WARN, "No line to price",
                                                     "Scan the item first."))
            return
        self._open(PriceOverrideDialog(self.presenter, row, self))

    def open_open_price(self) -> None:
        """Ctrl+O: an item whose tag is missing or unreadable, at a manager's price."""
        if not self.presenter.paying:
            self._open(OpenPriceDialog(self.presenter, self))

    def open_refund(self) -> None:
        """Ctrl+F: one item of an earlier sale paid back (a manager approves)."""
        refunds = self.services.refunds
        if refunds is None or self.presenter.paying:
            return
        session = self.presenter.session
        dialog = RefundDialog(self.services, refunds, session.cashier.id,
                              session.shift.id if session.shift else None, self)
        dialog.refunded.connect(lambda refund: self.feedback.show_feedback(ScanFeedback(
            Tone.GOOD, f"Refund {format_cents(refund.amount_cents)} in {refund.tender}",
            "The item is back on sale.")))
        self._open(dialog)

    def open_hold(self) -> None:
        if not len(self.presenter.cart):
            self.presenter.hold("")  # says "nothing to hold"
            return
        dialog = HoldLabelDialog(f"Cart {datetime.now().strftime('%H:%M')}",
                                 len(self.presenter.cart), self)
        dialog.label_entered.connect(self.presenter.hold)
        self._open(dialog)

    def open_recall(self) -> None:
        dialog = RecallDialog(self.services.holds, self, self.presenter.cart.policy.tax_on)
        dialog.recall_requested.connect(self.presenter.recall)
        self._open(dialog)

    def open_void(self) -> None:
        self._open(VoidDialog(self.services, self.presenter.session.cashier.id, self))

    def open_tender(self) -> None:
        if not len(self.presenter.cart) or self.presenter.paying:
            return
        if self.presenter.lookups_pending:
            self.feedback.show_feedback(ScanFeedback(
                Tone.WARN, "One moment", "The last scan is still being looked up."))
            return
        self._open(TenderDialog(self.presenter, self.printing.print_receipt, self))

    def open_close_shift(self) -> None:
        shift = self.presenter.session.shift
        if shift is None or len(self.presenter.cart):
            self.feedback.show_feedback(ScanFeedback(
                Tone.WARN, "Cannot close the shift", "Pay or hold the cart first."
                if shift else "No shift is open on this register."))
            return
        dialog = CloseShiftDialog(self.services.shifts, self.services.cashiers, shift.id,
                                  self.printing.print_shift_report, self)
        dialog.closed.connect(lambda _report: self.backup_after_close(
            dialog.backup_box.isChecked()))
        dialog.closed.connect(self._emit_shift_closed)
        self._open(dialog)

    def _emit_shift_closed(self, report: ZReport) -> None:
        self.shift_closed.emit(report)

    def backup_after_close(self, wanted: bool) -> None:
        """The backup offered at shift close, on the read lane; it outlives this window."""
        backups = self.services.backups
        if not wanted or backups is None:
            return
        runner = self.operation_runner
        Operation(runner, backups.backup_now, lane=Lane.READ) \
            .success(lambda path: log.info("backup after shift close: %s", path)) \
            .failure(lambda error: runner.errors.known(
                f"The backup after closing the shift failed: {error}")).run()

    def open_reports(self) -> None:
        if self.services.reports is not None:
            backups = self.services.backups
            folder = backups.folder.parent / "reports" if backups is not None else None
            self._open(ReportsDialog(self.services.reports, self, folder))

    def open_settings(self) -> None:
        if self._settings is not None:
            dialog = SettingsDialog(self._settings, self.services.cashiers, self)
            dialog.saved.connect(self.settings_saved.emit)
            self._open(dialog)

    def open_sync(self) -> None:
        self._open(SyncDialog(self.services.sync, self._sync, self))

    def _ask_override(self, refusal: ScanRefusal) -> None:
        dialog = PinDialog("Manager override", f"{refusal.message}.\nA manager may sell it "
                           "anyway: manager PIN, or Cancel to leave it out.", self)
        dialog.pin_entered.connect(lambda pin: self.presenter.override(refusal, pin))
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        if self.open_dialog is not None:  # one at a time (a second F-key is ignored)
            dialog.close()
            return
        self._dialog = dialog
        self.sheet.present(dialog, self.shortcuts)

    @property
    def open_dialog(self) -> QDialog | None:
        """The dialog opened last, if it is still open (tests and the scan router use it)."""
        dialog = self._dialog
        return dialog if dialog is not None and qt_object_alive(dialog) \
            and dialog.isVisible() else None
