"""The cash drawer: opened after every sale with a cash tender, and by a manager's no-sale.

The drawer hangs on the ESC/POS receipt printer's drawer port, so :class:`ReceiptPrinter`
sends the pulse (after the receipt queued before it). This module decides when: it follows the
checkout's ``sale_completed`` signal (the same notification the receipt follows), and adds
the no-sale key (Ctrl+D), which opens the drawer only after a manager's PIN and logs who did.
A register without a drawer ignores both.
"""

from __future__ import annotations

import logging

from pos_app.core.sale import CompletedSale
from pos_app.core.tender import TenderKind
from pos_app.services.cashiers import CashierService, CashierView
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.operations import Operation
from pos_app.ui.pin_dialog import PinDialog
from pos_app.ui.qt import QKeySequence, QObject, QShortcut, QWidget
from pos_app.ui.receipt import ReceiptPrinter

log = logging.getLogger(__name__)

NO_SALE_KEY = "Ctrl+D"


def has_cash(sale: CompletedSale) -> bool:
    return any(tender.kind is TenderKind.CASH for tender in sale.tenders)


class CashDrawer(QObject):
    """Opens the drawer through ``receipts`` for cash sales and a manager's no-sale."""

    def __init__(self, receipts: ReceiptPrinter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.receipts = receipts

    def attach(self, window: QWidget, presenter: CheckoutPresenter,
               cashiers: CashierService) -> None:
        """Follow ``presenter``'s sales and put the no-sale key on ``window``."""
        presenter.sale_completed.connect(self.sale_completed)
        shortcut = QShortcut(QKeySequence(NO_SALE_KEY), window)
        shortcut.activated.connect(lambda: self.ask_no_sale(window, cashiers))

    def sale_completed(self, sale: CompletedSale) -> None:
        if has_cash(sale):
            self.receipts.open_drawer(f"cash sale #{sale.seq}")

    def ask_no_sale(self, window: QWidget, cashiers: CashierService) -> PinDialog | None:
        """The manager's PIN, then the drawer opens; None when there is no drawer."""
        if self.receipts.drawer is None or self.receipts.escpos is None:
            log.info("no-sale asked, but this register has no cash drawer")
            return None
        dialog = PinDialog("No sale", "Open the cash drawer: a manager's PIN.", window)
        dialog.setObjectName("noSaleDialog")
        dialog.pin_entered.connect(lambda pin: self._check(dialog, cashiers, pin))
        dialog.show()
        return dialog

    def _check(self, dialog: PinDialog, cashiers: CashierService, pin: str) -> None:
        Operation(self, lambda: cashiers.as_manager(pin, lambda manager: manager)) \
            .success(lambda manager: self._no_sale(dialog, manager)).run()

    def _no_sale(self, dialog: PinDialog, manager: CashierView | None) -> None:
        if manager is None:
            log.warning("no-sale refused: not a manager's PIN")
            dialog.message.setText("Not a manager's PIN: the drawer stays shut.")
            dialog.show()
            return
        self.receipts.open_drawer(f"no sale by manager {manager.id}")
