"""Printing from the checkout: receipts, reprints and shift reports, and saying where they went.

A receipt is printed only once its sale is committed; a printer problem is told without
losing the sale. Each output returns where it went (a PDF path or a printer name), so a
reprint or an X report can confirm it to the cashier.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pos_app.core.sale import CompletedSale, utc_timestamp
from pos_app.services.shifts import ZReport
from pos_app.ui.bundle import UiServices
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.feedback import ScanFeedback, Tone
from pos_app.ui.operations import OperationRunner
from pos_app.ui.printing import Block
from pos_app.ui.qt import QWidget
from pos_app.ui.receipt import (
    ReceiptHeader,
    ReceiptPrinter,
    receipt_blocks,
    shift_report_name,
    z_report_blocks,
)


def destination_text(where: Path | str) -> str:
    """Where a document went, in the cashier's words."""
    return f"PDF saved to {where}" if isinstance(where, Path) else f"Sent to printer {where}"


class CheckoutPrinting:
    """Prints for one checkout window; failures go to the runner's error reporter."""

    def __init__(self, presenter: CheckoutPresenter, receipts: ReceiptPrinter,
                 runner: OperationRunner, parent: QWidget,
                 say: Callable[[ScanFeedback], None]) -> None:
        self._presenter = presenter
        self._services: UiServices = presenter.services
        self.receipts = receipts
        self._runner = runner
        self._parent = parent
        self._say = say

    def receipt_header(self) -> ReceiptHeader:
        context = self._services.context
        return ReceiptHeader(self._services.event_name, context.register_id,
                             context.register_name, self._presenter.session.cashier.name,
                             self._presenter.cart.policy.tax_rate_bp)

    def print_receipt(self, sale: CompletedSale, *, reprint: bool = False,
                      voided: bool = False) -> Path | str | None:
        """Print (only ever called once the sale is committed); a printer problem is told."""
        blocks = receipt_blocks(sale, self.receipt_header(), reprint=reprint, voided=voided)
        name = f"receipt-{sale.seq:06d}{'-reprint' if reprint else ''}"
        return self._output(blocks, name, "The sale is saved, but the receipt did not print")

    def print_shift_report(self, report: ZReport) -> Path | str | None:
        """The Z report of a closed shift, or an X report (figures so far) of an open one."""
        now = utc_timestamp(self._services.clock())
        kind = "X" if report.closed_at is None else "Z"
        return self._output(z_report_blocks(report, self.receipt_header(), printed_at=now),
                            shift_report_name(report, now), f"The {kind} report did not print")

    def reprint(self, sale: CompletedSale | None, *, voided: bool = False) -> None:
        """Reprint the last sale's receipt and say where it went."""
        if sale is None:
            self._say(ScanFeedback(Tone.WARN, "No sale yet", "Nothing to reprint."))
            return
        where = self.print_receipt(sale, reprint=True, voided=voided)
        if where is not None:
            self._say(ScanFeedback(Tone.GOOD, f"Receipt #{sale.seq} reprinted",
                                   destination_text(where)))

    def _output(self, blocks: list[Block], name: str, failure: str) -> Path | str | None:
        try:
            return self.receipts.output(blocks, name)
        except OSError as error:
            self._runner.errors.known(f"{failure}: {error}", self._parent)
            return None
