"""The checkout screen: the cart, the total, scan feedback, and F-keys for everything else.

Presentation only: the cart, scans and payment live in :class:`CheckoutPresenter`; each
dialog has its own presenter, and the dialogs are opened by :class:`CheckoutDialogs` (this
window's base); printing is :class:`CheckoutPrinting`. After a cash sale the change due
takes the total's place, larger, until the next scan changes the cart. Scans that could not
be taken stay listed in red above the cart until acknowledged (F7).
"""

from __future__ import annotations

import logging

from pos_app.core.cart import Totals
from pos_app.core.money import format_cents
from pos_app.core.sale import CompletedSale
from pos_app.core.tender import TenderKind
from pos_app.services.changes import Changes
from pos_app.services.holds import HeldCartView
from pos_app.services.sales import SaleRecord
from pos_app.services.settings import SettingsStore
from pos_app.ui.cart_delegate import CartDelegate
from pos_app.ui.cart_model import Column
from pos_app.ui.cart_view import CartView
from pos_app.ui.checkout_dialogs import CheckoutDialogs
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.checkout_printing import CheckoutPrinting
from pos_app.ui.feedback import ScanFeedback, SoundPlayer, Tone
from pos_app.ui.feedback_panel import FeedbackPanel
from pos_app.ui.figures import DISCOUNTS, ITEMS_SUBTOTAL, NET, TAX, TOTAL
from pos_app.ui.operations import Operation, OperationRunner
from pos_app.ui.qt import (
    QAbstractItemView,
    QCloseEvent,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRegularExpression,
    QRegularExpressionValidator,
    QShortcut,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.receipt import ReceiptPrinter, local_time
from pos_app.ui.refused_scans import RefusedScansBanner
from pos_app.ui.sheet import Sheet
from pos_app.ui.sync_status import SyncStatusAdapter, SyncStatusWidget
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import fkey_button

DISCOUNT_CHECK_MS = 60_000
ROW_HEIGHT = 36
TOTAL_STYLE = "font-size: 44pt; font-weight: 800; color: #111827;"
CHANGE_STYLE = "font-size: 64pt; font-weight: 800; color: #15803d;"

log = logging.getLogger(__name__)


class CheckoutWindow(CheckoutDialogs):
    closed = Signal()

    def __init__(self, presenter: CheckoutPresenter, runner: OperationRunner,
                 sounds: SoundPlayer, receipts: ReceiptPrinter,
                 sync: SyncStatusAdapter, *, settings: SettingsStore | None = None) -> None:
        super().__init__()
        self.operation_runner = runner
        self.presenter = presenter
        self.services = presenter.services
        self._sync = sync
        self._settings = settings
        self._dialog: QDialog | None = None
        self._change_shown = False  # the total's place shows the change due
        self.setObjectName("checkoutWindow")
        context = self.services.context
        self.setWindowTitle(f"{self.services.event_name or 'Checkout'} - {context.register_name}")
        self.resize(1366, 768)
        self.feedback = FeedbackPanel(sounds, self)
        self.printing = CheckoutPrinting(presenter, receipts, runner, self,
                                         self.feedback.show_feedback)
        self.refused = RefusedScansBanner(self, self._refusals_seen)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(self._header())
        layout.addWidget(self.refused)
        body = QHBoxLayout()
        body.addWidget(self._cart_view(), 3)
        body.addWidget(self._side_panel(), 1)
        layout.addLayout(body, 1)
        layout.addLayout(self._buttons())
        self.setCentralWidget(central)
        self.statusBar().addWidget(SyncStatusWidget(sync, self), 1)
        self.shortcuts = [shortcut for shortcut in self.findChildren(QShortcut)
                          if shortcut.key() != QKeySequence("F7")]  # F7: refused scans seen
        self.sheet = Sheet(self)
        self._connect()
        self._discount_timer = QTimer(self)
        self._discount_timer.setInterval(DISCOUNT_CHECK_MS)
        self._discount_timer.timeout.connect(self._check_discount)
        self._discount_timer.start()
        self._show_totals(presenter.totals())
        self._show_discount(0)
        presenter.load_policy()
        self._refresh_holds()

    # -- layout -----------------------------------------------------------------------------

    def _header(self) -> QVBoxLayout:
        column = QVBoxLayout()
        session = self.presenter.session
        shift = (f"shift open since {local_time(session.shift.opened_at)[11:]}"
                 if session.shift else "no shift open")
        self.header = QLabel(f"{self.services.event_name}   |   "
                             f"{self.services.context.register_name}   |   "
                             f"Cashier: {session.cashier.name}   |   {shift}", self)
        self.header.setObjectName("headerLabel")
        self.discount_banner = QLabel("", self)
        self.discount_banner.setObjectName("discountBanner")
        self.discount_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.header)
        column.addWidget(self.discount_banner)
        return column

    def _cart_view(self) -> QTableView:
        view = CartView(self)
        view.setObjectName("cartView")
        view.setModel(self.presenter.model)
        view.setItemDelegate(CartDelegate(self.presenter.model, view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        vertical = view.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.NUMBER, 50), (Column.TAG, 130), (Column.SIZE, 70),
                              (Column.PRICE, 105), (Column.DISCOUNT, 115), (Column.NET, 115)):
            view.setColumnWidth(column, width)
        self.cart_view = view
        return view

    def _side_panel(self) -> QWidget:
        panel = QFrame(self)
        panel.setMinimumWidth(340)
        layout = QVBoxLayout(panel)
        self.total_caption = QLabel(TOTAL, panel)
        self.total_caption.setObjectName("totalCaption")
        layout.addWidget(self.total_caption)
        self.total_label = QLabel("", panel)
        self.total_label.setObjectName("totalLabel")
        self.total_label.setStyleSheet(TOTAL_STYLE)
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.total_label)
        self.item_count_label = QLabel("", panel)
        self.item_count_label.setObjectName("itemCountLabel")
        self.item_count_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.item_count_label)
        grid = QGridLayout()
        self.subtotal_label, self.savings_label, self.net_label, self.tax_label = (
            QLabel("", panel), QLabel("", panel), QLabel("", panel), QLabel("", panel))
        for row, (caption, label) in enumerate(((ITEMS_SUBTOTAL, self.subtotal_label),
                                                (DISCOUNTS, self.savings_label),
                                                (NET, self.net_label),
                                                (TAX, self.tax_label))):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(QLabel(caption, panel), row, 0)
            grid.addWidget(label, row, 1)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(QLabel("F3  Type a tag (consignor, item):", panel))
        manual = QHBoxLayout()
        digits = QRegularExpressionValidator(QRegularExpression(r"^\d{0,6}$"), self)
        self.consignor_edit, self.item_edit = QLineEdit(panel), QLineEdit(panel)
        for edit, hint in ((self.consignor_edit, "Consignor"), (self.item_edit, "Item")):
            edit.setValidator(digits)
            edit.setPlaceholderText(hint)
            manual.addWidget(edit)
        add = QPushButton("Add", panel)
        add.clicked.connect(self.add_manual)
        manual.addWidget(add)
        self.item_edit.returnPressed.connect(self.add_manual)
        self.consignor_edit.returnPressed.connect(self.item_edit.setFocus)
        layout.addLayout(manual)
        layout.addSpacing(8)
        layout.addWidget(self.feedback)
        layout.addStretch(1)
        return panel

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        specs = (("F2", "Lookup", "lookup", self.open_lookup, "lookupButton"),
                 ("F3", "Type tag", "manual", self.focus_manual, ""),
                 ("F4", "Hold", "hold", self.open_hold, "holdButton"),
                 ("F5", "Recall", "recall", self.open_recall, "recallButton"),
                 ("F6", "Reprint", "reprint", self.reprint_last, "reprintButton"),
                 ("F8", "Void sale", "void", self.open_void, "voidButton"),
                 ("F9", "Remove", "remove", self.remove_selected, "removeButton"),
                 ("F10", "Close shift", "shift", self.open_close_shift, ""),
                 ("F11", "Sync", "sync", self.open_sync, ""),
                 ("F12", "Pay", "pay-light", self.open_tender, "payButton"))
        self.buttons: dict[str, QPushButton] = {}
        for key, label, icon_name, slot, name in specs:
            button = fkey_button(key, label, icon_name, slot, window=self, object_name=name)
            self.buttons[key] = button
            row.addWidget(button, 2 if key == "F12" else 1)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self).activated.connect(self.remove_selected)
        QShortcut(QKeySequence("Ctrl+R"), self).activated.connect(self.open_reports)
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(self.open_no_sale)
        QShortcut(QKeySequence("Ctrl+P"), self).activated.connect(self.open_price_override)
        QShortcut(QKeySequence("Ctrl+O"), self).activated.connect(self.open_open_price)
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.open_refund)
        QShortcut(QKeySequence("Ctrl+,"), self).activated.connect(self.open_settings)
        return row

    def _connect(self) -> None:
        p = self.presenter
        p.feedback.connect(self.feedback.show_feedback)
        p.totals_changed.connect(self._show_totals)
        p.discount_changed.connect(self._show_discount)
        p.override_needed.connect(self._ask_override)
        p.sale_completed.connect(self._sale_done)
        p.scans_refused.connect(self.refuse_scans)
        p.busy_changed.connect(lambda busy: self.buttons["F12"].setEnabled(not busy))
        p.model.rowsInserted.connect(lambda _parent, _first, _last: self.cart_view.scrollToBottom())
        self.operation_runner.changed.connect(self._on_changes)

    # -- presenting state -------------------------------------------------------------------

    def _show_totals(self, totals: Totals) -> None:
        if self._change_shown:  # a restyle re-polishes the label: only back from change due
            self._change_shown = False
            self.total_caption.setText(TOTAL)
            self.total_label.setStyleSheet(TOTAL_STYLE)
        self.total_label.setText(format_cents(totals.total_cents))
        count = totals.item_count
        self.item_count_label.setText(f"{count} item{'s' if count != 1 else ''}")
        self.subtotal_label.setText(format_cents(totals.subtotal_cents))
        self.savings_label.setText(f"-{format_cents(totals.discount_cents)}")
        self.net_label.setText(format_cents(totals.subtotal_cents - totals.discount_cents))
        self.tax_label.setText(format_cents(totals.tax_cents))

    def _show_discount(self, basis_points: int) -> None:
        self.discount_banner.setVisible(basis_points > 0)
        self.discount_banner.setText(f"{basis_points / 100:g}% off discountable items today")
        self.cart_view.setColumnHidden(Column.DISCOUNT, basis_points == 0)

    def _check_discount(self) -> None:
        self._show_discount(self.presenter.discount_bp_now())

    def _on_changes(self, changes: Changes) -> None:
        if changes & Changes.HOLDS:
            self._refresh_holds()

    def _refresh_holds(self) -> None:
        Operation(self, self.services.holds.list, lane=Lane.READ) \
            .success(self._show_holds).run()

    def _show_holds(self, held: list[HeldCartView]) -> None:
        self.buttons["F5"].setText(f"F5  Recall ({len(held)})" if held else "F5  Recall")

    def _sale_done(self, sale: CompletedSale) -> None:
        change = sum(t.change_cents for t in sale.tenders)
        detail = f"Sale #{sale.seq}: {sale.totals.item_count} items, " \
                 f"{format_cents(sale.total_cents)}"
        headline = f"Change due {format_cents(change)}" if change else "Paid - thank you"
        self.feedback.show_feedback(ScanFeedback(Tone.GOOD, headline, detail))
        if any(tender.kind is TenderKind.CASH for tender in sale.tenders):
            self.show_change_due(change)

    def show_change_due(self, cents: int) -> None:
        """The change due in the total's place, larger than anything else, until a scan."""
        self._change_shown = True
        self.total_caption.setText("Change due")
        self.total_label.setStyleSheet(CHANGE_STYLE)
        self.total_label.setText(format_cents(cents))

    def refuse_scans(self, codes: list[str], why: str) -> None:
        """Scans that could not be taken: listed until the cashier acknowledges them."""
        self.refused.add(codes, why)
        self.feedback.show_feedback(ScanFeedback(
            Tone.BAD, "Scan NOT in the cart", f"{', '.join(codes)}: {why}."))

    def _refusals_seen(self) -> None:
        self.feedback.show_feedback(ScanFeedback(Tone.WARN, "Scan again",
                                                 "Scan the refused tags again."))

    # -- actions ----------------------------------------------------------------------------

    def handle_scan(self, code: str) -> None:
        self.presenter.scan(code)

    def add_manual(self) -> None:
        consignor, item = self.consignor_edit.text(), self.item_edit.text()
        if not (consignor and item):
            self.focus_manual()
            return
        self.presenter.enter_manual(int(consignor), int(item))
        self.consignor_edit.clear()
        self.item_edit.clear()
        self.consignor_edit.setFocus()

    def focus_manual(self) -> None:
        self.consignor_edit.setFocus()

    def remove_selected(self) -> None:
        rows = self.cart_view.selectionModel().selectedRows()
        row = rows[0].row() if rows else len(self.presenter.cart) - 1
        self.presenter.remove_line(row)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.presenter.paying:  # a sale is being committed: never walk away from it
            event.ignore()
            return
        if len(self.presenter.cart):
            answer = QMessageBox.question(
                self, "Quit", f"{len(self.presenter.cart)} items are in the cart and will be "
                "lost (hold the cart with F4 to keep it). Quit anyway?")
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        super().closeEvent(event)
        self.closed.emit()

    # -- printing -------------------------------------------------------------------------

    @property
    def receipts(self) -> ReceiptPrinter:
        return self.printing.receipts

    def print_receipt(self, sale: CompletedSale) -> None:
        self.printing.print_receipt(sale)

    def reprint_last(self) -> None:
        Operation(self, self.services.sales.last, lane=Lane.READ) \
            .success(self._reprint).run()

    def _reprint(self, record: SaleRecord | None) -> None:
        self.printing.reprint(record.sale if record else None,
                              voided=record.voided if record else False)
