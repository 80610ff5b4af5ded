"""Cart lines a manager approves, as a base of the checkout presenter: a price override of a
line (Ctrl+P) and an open-price item for a tag that will not scan (Ctrl+O).

The manager's PIN is checked on the read lane; the line is then priced (or added) on the GUI
thread, where the cart lives, and :attr:`ManagerLines.price_override_done` tells the dialog.
"""

from __future__ import annotations

import logging

from pos_app.core.cart import Cart, CartError, CartLine, open_price_line, override_price
from pos_app.core.ids import new_id
from pos_app.core.money import format_cents
from pos_app.services.cashiers import CashierView
from pos_app.ui.bundle import UiServices
from pos_app.ui.feedback import ScanFeedback, Tone
from pos_app.ui.operations import Operation
from pos_app.ui.qt import QObject, Signal
from pos_app.ui.taskman import Lane

log = logging.getLogger(__name__)


class ManagerLines(QObject):
    """The presenter sets :attr:`services` and :attr:`cart` and shows the lines."""

    price_override_done = Signal(bool, str)  # done?, what to tell the manager

    services: UiServices
    cart: Cart

    def _manager_busy(self) -> bool:
        raise NotImplementedError

    def _show_line(self, row: int | None, line: CartLine, feedback: ScanFeedback) -> None:
        raise NotImplementedError

    def override_price(self, row: int, price_cents: int, reason: str, manager_pin: str) -> None:
        """Sell row ``row`` at ``price_cents`` once a manager's PIN checks out (read lane)."""
        if self._manager_busy() or not 0 <= row < len(self.cart):
            self.price_override_done.emit(False, "Pick a line of the cart first")
            return
        item_id = self.cart.lines[row].item_id
        Operation(self, lambda: self.services.cashiers.verify_manager(manager_pin),
                  lane=Lane.READ) \
            .success(lambda manager: self._price_approved(item_id, price_cents, reason,
                                                          manager)).run()

    def _price_approved(self, item_id: str, price_cents: int, reason: str,
                        manager: CashierView | None) -> None:
        if manager is None:
            self.price_override_done.emit(False, "Wrong manager PIN: the price is unchanged")
            return
        rows = [n for n, line in enumerate(self.cart.lines) if line.item_id == item_id]
        if not rows or self._manager_busy():
            self.price_override_done.emit(False, "That line is no longer in the cart")
            return
        try:
            line = override_price(self.cart.lines[rows[0]], price_cents, reason, manager.id)
        except CartError as error:
            self.price_override_done.emit(False, str(error))
            return
        self.cart.replace(rows[0], line)
        log.info("manager %s set %s to %s: %s", manager.id, line.tag_code,
                 format_cents(price_cents), line.override_reason)
        self._show_line(rows[0], line, ScanFeedback(
            Tone.GOOD, "Price overridden", f"{line.tag_code} now {format_cents(price_cents)} "
            f"(tag {format_cents(line.tag_price_cents or 0)})"))
        self.price_override_done.emit(True, "")

    def add_open_price(self, consignor_number: int, description: str, price_cents: int,
                       manager_pin: str) -> None:
        """A line with no readable tag, at a manager's price, once the PIN checks out."""
        if self._manager_busy():
            self.price_override_done.emit(False, "Finish the payment first")
            return
        Operation(self, lambda: self.services.cashiers.verify_manager(manager_pin),
                  lane=Lane.READ) \
            .success(lambda manager: self._open_price_approved(
                consignor_number, description, price_cents, manager)).run()

    def _open_price_approved(self, consignor_number: int, description: str, price_cents: int,
                             manager: CashierView | None) -> None:
        if manager is None:
            self.price_override_done.emit(False, "Wrong manager PIN: nothing added")
            return
        try:
            line = open_price_line(new_id(), consignor_number, description, price_cents,
                                   manager.id)
            self.cart.add(line)
        except CartError as error:
            self.price_override_done.emit(False, str(error))
            return
        self._show_line(None, line, ScanFeedback(
            Tone.GOOD, "Open-price item added",
            f"{line.description}, consignor {consignor_number}: {format_cents(price_cents)}"))
        self.price_override_done.emit(True, "")
