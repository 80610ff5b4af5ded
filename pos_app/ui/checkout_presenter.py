"""The state behind the checkout screen: the cart, scans, holds and paying. No widgets here.

A scan is checked on the GUI thread first (format, check digit, already in the cart: all
microseconds), then looked up on the read lane; the item is priced and appended when the
lookup returns, one model row at a time. Paying commits on the write lane and only when the
commit succeeded is the cart cleared and the receipt printed.

A scan never vanishes: one that comes while the payment dialog is open or the sale is being
committed (the cashier starting the next shopper) is kept for the next cart and scanned into
it as soon as the sale is on disk; if the payment is abandoned instead, the kept scans are
refused with :attr:`CheckoutPresenter.scans_refused`, which the screen shows until the
cashier acknowledges it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pos_app.core.cart import Cart, CartLine, Totals
from pos_app.core.money import format_cents
from pos_app.core.pricing import PricingPolicy
from pos_app.core.sale import CompletedSale
from pos_app.core.tags import TagCode, TagError, consignor_item_code
from pos_app.core.tender import Tender
from pos_app.services.cashiers import CashierView
from pos_app.services.catalog import ItemView, ScanRefusal
from pos_app.services.changes import changes_of
from pos_app.services.checkout import add_item, precheck, refill
from pos_app.services.shifts import ShiftView
from pos_app.ui.bundle import UiServices
from pos_app.ui.cart_model import CartTableModel
from pos_app.ui.feedback import ScanFeedback, Tone, feedback_for_added, feedback_for_refusal
from pos_app.ui.manager_lines import ManagerLines
from pos_app.ui.operations import Operation, find_runner, is_known_error
from pos_app.ui.qt import QObject, Signal
from pos_app.ui.taskman import Lane

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TillSession:
    """Who is at the till, and the open shift."""

    cashier: CashierView
    shift: ShiftView | None


class CheckoutPresenter(ManagerLines):
    feedback = Signal(object)          # ScanFeedback
    totals_changed = Signal(object)    # Totals
    discount_changed = Signal(int)     # discount in force today, basis points
    override_needed = Signal(object)   # ScanRefusal the manager may override
    sale_completed = Signal(object)    # CompletedSale (committed)
    payment_failed = Signal(str)       # message for the cashier; the cart is kept
    busy_changed = Signal(bool)        # a payment is being committed
    waiting_changed = Signal(list)     # list[str]: scans kept for the next cart
    scans_refused = Signal(list, str)  # list[str] of scans not taken, and why (shown until seen)

    def __init__(self, services: UiServices, session: TillSession,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session
        self.cart = Cart()
        self.model = CartTableModel(self)
        self.last_sale: CompletedSale | None = None
        self._paying = False
        self._tendering = False  # the payment dialog is open
        self._waiting: list[str] = []  # scans kept for the next cart

    # -- start-up ---------------------------------------------------------------------------

    def load_policy(self) -> None:
        """Fetch the event's tax and discount schedule (read lane)."""
        Operation(self, self.services.catalog.policy, lane=Lane.READ) \
            .success(self._set_policy).run()

    def _set_policy(self, policy: PricingPolicy) -> None:
        self.cart.policy = policy
        self.discount_changed.emit(self.discount_bp_now())

    def discount_bp_now(self) -> int:
        return self.cart.policy.discount_bp_at(self.services.clock())

    @property
    def paying(self) -> bool:
        return self._paying

    @property
    def lookups_pending(self) -> bool:
        """A scan is still being looked up (do not start paying yet)."""
        return self.cart.lookups_pending

    @property
    def waiting(self) -> tuple[str, ...]:
        """Scans kept for the next cart (taken while paying)."""
        return tuple(self._waiting)

    def totals(self) -> Totals:
        return self.cart.totals()

    # -- scanning ---------------------------------------------------------------------------

    def scan(self, raw_code: str) -> None:
        """A scan (or a typed code): check at once, then look it up in the background."""
        if self._paying or self._tendering:
            self._keep_for_next_cart(raw_code)
            return
        checked = self._check(raw_code)
        if checked is None:
            return
        tag = checked.canonical
        Operation(self, lambda: self.services.catalog.lookup(checked), lane=Lane.READ) \
            .success(lambda found: self._looked_up(tag, found)) \
            .failure(lambda error: self._lookup_failed(tag, error)).run()

    def enter_manual(self, consignor: int, item: int) -> None:
        """The cashier typed a consignor and item number (a tag that will not scan)."""
        try:
            code = consignor_item_code(consignor, item)
        except (TagError, ValueError) as error:
            self._say(ScanFeedback(Tone.BAD, "Not a tag number", str(error)))
            return
        self.scan(code)

    def add_found(self, item: ItemView) -> None:
        """An item picked in the lookup dialog."""
        checked = self._check(item.tag_code)
        if checked is not None:
            self._add(item, checked.canonical, override=False)

    def _check(self, raw_code: str) -> TagCode | None:
        """The parsed tag, reserved in the cart until it is added or refused; or None after
        telling the cashier why not (no database). The tag is parsed here, once per scan."""
        checked = precheck(self.cart, raw_code)
        if isinstance(checked, ScanRefusal):
            self._refuse(checked)
            return None
        self.cart.reserve(checked.canonical)
        return checked

    def override(self, refusal: ScanRefusal, manager_pin: str) -> None:
        """Sell an item flagged sold, once a manager's PIN checks out."""
        item = refusal.item
        if item is None or not refusal.overridable:
            return
        Operation(self, lambda: self.services.cashiers.verify_manager(manager_pin),
                  lane=Lane.READ).success(lambda manager: self._overridden(item, manager)).run()

    def _overridden(self, item: ItemView, manager: CashierView | None) -> None:
        if manager is None:
            self._say(ScanFeedback(Tone.BAD, "Wrong manager PIN", f"{item.tag_code} not added."))
            return
        checked = self._check(item.tag_code)
        if checked is None:
            return
        log.info("manager %s overrode the sold flag of %s", manager.id, item.tag_code)
        self._add(item, checked.canonical, override=True)

    def _looked_up(self, tag: str, found: ItemView | ScanRefusal) -> None:
        if isinstance(found, ScanRefusal):
            self.cart.release(tag)
            self._refuse(found)
            return
        self._add(found, tag, override=False)

    def _lookup_failed(self, tag: str, error: BaseException) -> None:
        self.cart.release(tag)
        self._say(ScanFeedback(Tone.BAD, "Lookup failed", f"{tag}: {error}"))
        if not is_known_error(error):
            self._report(error)

    def _add(self, item: ItemView, tag: str, *, override: bool) -> None:
        self.cart.release(tag)
        if self._paying or self._tendering:  # the cart being paid for must not change
            self._keep_for_next_cart(item.tag_code)
            return
        row = add_item(self.cart, item, self.services.clock(), override=override)
        if isinstance(row, ScanRefusal):
            self._refuse(row)
            return
        line = self.cart.lines[row]
        self.model.append_line(line)
        self._say(feedback_for_added(line.description, line.tag_code,
                                     format_cents(line.price_cents)))
        self.totals_changed.emit(self.cart.totals())

    def _keep_for_next_cart(self, code: str) -> None:
        self._waiting.append(code)
        self.waiting_changed.emit(list(self._waiting))
        self._say(ScanFeedback(Tone.WARN, "Kept for the next cart",
                               f"{code}: it goes into the next cart once this one is paid."))

    def _release_waiting(self, waiting: list[str]) -> None:
        """Scan what was kept for the next cart into it (the cart was just paid)."""
        if waiting:
            self.waiting_changed.emit([])
        for code in waiting:
            self.scan(code)

    def _refuse(self, refusal: ScanRefusal) -> None:
        self._say(feedback_for_refusal(refusal))
        if refusal.overridable and refusal.item is not None:
            self.override_needed.emit(refusal)

    def _say(self, feedback: ScanFeedback) -> None:
        self.feedback.emit(feedback)

    # -- editing the cart -------------------------------------------------------------------

    def remove_line(self, row: int) -> CartLine | None:
        if self._paying or not 0 <= row < len(self.cart):
            return None
        line = self.cart.remove(row)
        self.model.remove_line(row)
        self._say(ScanFeedback(Tone.WARN, "Removed", f"{line.tag_code}  {line.description}"))
        self.totals_changed.emit(self.cart.totals())
        return line

    def _manager_busy(self) -> bool:
        return self._paying or self._tendering

    def _show_line(self, row: int | None, line: CartLine, feedback: ScanFeedback) -> None:
        """A line a manager approved: appended (``row`` None) or priced again in place."""
        if row is None:
            self.model.append_line(line)
        else:
            self.model.replace_line(row, line)
        self._say(feedback)
        self.totals_changed.emit(self.cart.totals())

    def clear(self) -> None:
        self.cart.clear()
        self.model.replace_all(self.cart.lines)
        self.totals_changed.emit(self.cart.totals())

    # -- holds ------------------------------------------------------------------------------

    def hold(self, label: str) -> None:
        lines = self.cart.lines
        if not lines or self._paying:
            self._say(ScanFeedback(Tone.WARN, "Nothing to hold", "The cart is empty."))
            return
        cashier_id = self.session.cashier.id
        Operation.call(self, self.services.holds.hold, lines, cashier_id, label) \
            .success(lambda _id: self._held(label)).run()

    def _held(self, label: str) -> None:
        self.clear()
        self._say(ScanFeedback(Tone.GOOD, "Cart held", f"{label}: recall it with F5."))

    def recall(self, hold_id: str) -> None:
        if len(self.cart) or self._paying:
            self._say(ScanFeedback(Tone.WARN, "Cart not empty",
                                   "Hold or pay the current cart before recalling another."))
            return
        holds, catalog = self.services.holds, self.services.catalog

        def take() -> tuple[list[CartLine], dict[str, ItemView]]:
            lines = holds.recall(hold_id)
            return lines, catalog.current([line.item_id for line in lines])

        Operation(self, take, changes=changes_of(holds.recall)) \
            .success(lambda taken: self._recalled(*taken)).run()

    def _recalled(self, held: list[CartLine], current: dict[str, ItemView]) -> None:
        """Back into the cart as if scanned now: today's prices, nothing sold since."""
        self.cart.clear()
        left_out = refill(self.cart, held, current, self.services.clock())
        self.model.replace_all(self.cart.lines)
        self.totals_changed.emit(self.cart.totals())
        if not left_out:
            self._say(ScanFeedback(Tone.GOOD, "Cart recalled", f"{len(self.cart)} items"))
            return
        shown = "; ".join(refusal.message for refusal in left_out[:3])
        more = f" and {len(left_out) - 3} more" if len(left_out) > 3 else ""
        self._say(ScanFeedback(
            Tone.WARN, f"Cart recalled: {len(left_out)} left out",
            f"{len(self.cart)} items back. Left out: {shown}{more}."))

    # -- paying -----------------------------------------------------------------------------

    def begin_tender(self) -> None:
        """The payment dialog opened: scans from now on are kept for the next cart."""
        self._tendering = True

    def end_tender(self) -> None:
        """The payment dialog closed. Scans kept without the sale being paid are refused."""
        if self._paying:
            return
        self._tendering = False
        waiting, self._waiting = self._waiting, []
        if waiting:
            self.waiting_changed.emit([])
            self.scans_refused.emit(waiting, "scanned while paying, and the payment was left: "
                                             "scan them again")

    def pay(self, tenders: Sequence[Tender],
            printer: Callable[[CompletedSale], object] | None = None) -> None:
        """Commit the sale (write lane); clear the cart and print only once it is on disk."""
        if self._paying or not len(self.cart) or self.cart.lookups_pending:
            return
        lines = self.cart.lines
        paid = tuple(tenders)
        cashier_id = self.session.cashier.id
        shift_id = self.session.shift.id if self.session.shift else None
        self._set_paying(True)
        Operation.call(self, self.services.sales.complete, lines, paid, cashier_id, shift_id) \
            .success(lambda sale: self._paid(sale, printer)) \
            .failure(self._not_paid).run()

    def _paid(self, sale: CompletedSale, printer: Callable[[CompletedSale], object] | None) -> None:
        self._set_paying(False)
        self._tendering = False
        waiting, self._waiting = self._waiting, []  # the next cart's, not to refuse below
        self.last_sale = sale
        self.clear()
        self.sale_completed.emit(sale)
        if printer is not None:
            printer(sale)
        self._release_waiting(waiting)

    def _not_paid(self, error: BaseException) -> None:
        self._set_paying(False)
        message = str(error) if is_known_error(error) else "The sale could not be saved."
        self.payment_failed.emit(f"NOT PAID: {message} The cart is kept.")
        if not is_known_error(error):
            self._report(error)

    def _set_paying(self, paying: bool) -> None:
        self._paying = paying
        self.busy_changed.emit(paying)

    def _report(self, error: BaseException) -> None:
        find_runner(self).report(error)
