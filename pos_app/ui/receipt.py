"""What a receipt and a Z report say, as printing blocks, and where they are printed.

:func:`receipt_blocks` and :func:`z_report_blocks` build the documents from committed
records; :class:`ReceiptPrinter` sends them to an ESC/POS receipt printer (which also opens the
cash drawer), to a system printer or, when there is none (or a directory is configured),
writes one PDF per document. ESC/POS jobs go out on one background thread, in order, so a
slow or unplugged printer never holds up the till; a job that fails is told by
:attr:`ReceiptPrinter.failed`.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pos_app.core.cart import OPEN_PRICE_PREFIX
from pos_app.core.money import format_cents
from pos_app.core.sale import CompletedSale
from pos_app.core.tender import TenderKind
from pos_app.paths import locations
from pos_app.services import escpos_printer
from pos_app.services.escpos_printer import DrawerPulse, EscposError, EscposTarget
from pos_app.services.settings import RegisterSettings
from pos_app.services.shifts import ZReport
from pos_app.ui.figures import DISCOUNTS, ITEMS_SUBTOTAL, NET, TAX, TOTAL
from pos_app.ui.printing import Align, Barcode, Block, Gap, Rule, Text, print_blocks, write_pdf
from pos_app.ui.qt import QObject, QPrinter, QPrinterInfo, Signal

log = logging.getLogger(__name__)

_TENDER_NAMES = {TenderKind.CASH: "Cash", TenderKind.CARD: "Card", TenderKind.OTHER: "Other"}


@dataclass(frozen=True, slots=True)
class ReceiptHeader:
    event_name: str
    register_id: str
    register_name: str
    cashier_name: str
    tax_rate_bp: int = 0


def receipt_code(register_id: str, seq: int) -> str:
    """The code printed as the receipt's barcode: ``<register id>-<sale number>``.

    ``SaleService.find`` accepts it, so scanning a receipt finds its sale (for a void).
    """
    return f"{register_id}-{seq:06d}"


def local_time(timestamp: str) -> str:
    """An ISO-8601 UTC timestamp as local ``YYYY-MM-DD HH:MM``."""
    try:
        moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return timestamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def receipt_blocks(sale: CompletedSale, header: ReceiptHeader, *, reprint: bool = False,
                   voided: bool = False) -> list[Block]:
    totals = sale.totals
    blocks: list[Block] = [
        Text(header.event_name or "Consignment sale", bold=True, point_size=10,
             align=Align.CENTER),
        Text(header.register_name, align=Align.CENTER),
        Gap(1.5),
        Text(local_time(sale.header.created_at), f"Sale #{sale.seq}"),
        Text(f"Cashier: {header.cashier_name}"),
    ]
    if reprint:
        blocks.append(Text("*** REPRINT ***", bold=True, align=Align.CENTER))
    if voided:
        blocks.append(Text("*** VOIDED ***", bold=True, align=Align.CENTER))
    blocks.append(Rule())
    for line in sale.lines:
        blocks.append(Text(f"{line.tag_code} {line.description}",
                           format_cents(line.unit_price_cents)))
        if line.discount_cents:
            blocks.append(Text("    discount", f"-{format_cents(line.discount_cents)}"))
        if line.item_id.startswith(OPEN_PRICE_PREFIX):
            blocks.append(Text("    open price (no readable tag)", ""))
        elif line.tag_price_cents is not None:
            blocks.append(Text(f"    price override (tag {format_cents(line.tag_price_cents)})",
                               ""))
    blocks += [Rule(), Text(ITEMS_SUBTOTAL, format_cents(totals.subtotal_cents))]
    if totals.discount_cents:
        blocks += [Text(DISCOUNTS, f"-{format_cents(totals.discount_cents)}"),
                   Text(NET, format_cents(totals.subtotal_cents - totals.discount_cents))]
    rate = f" {header.tax_rate_bp / 100:g}%" if header.tax_rate_bp else ""
    blocks += [
        Text(f"{TAX}{rate}", format_cents(totals.tax_cents)),
        Text(TOTAL.upper(), format_cents(totals.total_cents), bold=True, point_size=11),
        Gap(1),
    ]
    for tender in sale.tenders:
        name = _TENDER_NAMES[tender.kind]
        if tender.kind is TenderKind.CASH and tender.given_cents is not None:
            blocks.append(Text(f"{name} given", format_cents(tender.given_cents)))
            if tender.change_cents:
                blocks.append(Text("Change", format_cents(tender.change_cents)))
        else:
            ref = f" ref {tender.reference}" if tender.reference else ""
            blocks.append(Text(f"{name}{ref}", format_cents(tender.amount_cents)))
    code = receipt_code(header.register_id, sale.seq)
    blocks += [
        Rule(),
        Text(f"Items: {totals.item_count}", bold=True, point_size=10),
        Gap(2),
        Barcode(code),
        Text(code, align=Align.CENTER, point_size=7.5),
        Gap(1),
        Text("Thank you! Keep this receipt.", align=Align.CENTER),
    ]
    return blocks


def format_signed(cents: int) -> str:
    """``+$1.00``, ``-$1.00`` or ``$0.00``."""
    return f"-{format_cents(-cents)}" if cents < 0 else \
        f"+{format_cents(cents)}" if cents > 0 else format_cents(0)


def shift_report_name(report: ZReport, printed_at: str) -> str:
    """The document name: ``z-report-<shift>``, or ``x-report-<shift>-<time>`` (one per print).

    ``printed_at`` is an ISO-8601 UTC timestamp; it names the X report down to the second.
    """
    if report.closed_at is not None:
        return f"z-report-{report.shift_id}"
    stamp = "".join(ch for ch in printed_at if ch.isdigit() or ch == "T")[:15]
    return f"x-report-{report.shift_id}-{stamp}"


def z_report_blocks(report: ZReport, header: ReceiptHeader, *,
                    printed_at: str = "") -> list[Block]:
    """The Z report of a closed shift, or the X report (figures so far) of an open one."""
    over_short = report.over_short_cents
    is_open = report.closed_at is None
    blocks: list[Block] = [
        Text("X REPORT" if is_open else "Z REPORT", bold=True, point_size=12,
             align=Align.CENTER),
        *([Text("shift still open", align=Align.CENTER)] if is_open else []),
        Text(header.event_name, align=Align.CENTER),
        Text(header.register_name, align=Align.CENTER),
        Rule(),
        Text("Opened", local_time(report.opened_at)),
        (Text("Printed", local_time(printed_at) if printed_at else "")
         if is_open else Text("Closed", local_time(report.closed_at or ""))),
        Text("Printed by" if is_open else "Closed by", header.cashier_name),
        Rule(),
        Text("Sales", str(report.sales_count)),
        Text("Items sold", str(report.items_sold)),
        Text(ITEMS_SUBTOTAL, format_cents(report.gross_cents)),
        Text(DISCOUNTS, f"-{format_cents(report.discount_cents)}"),
        Text(NET, format_cents(report.gross_cents - report.discount_cents)),
        Text(TAX, format_cents(report.tax_cents)),
        Text(TOTAL, format_cents(report.total_cents), bold=True),
        Text(f"Voids ({report.voids_count})", format_cents(report.voided_cents)),
        Text("No sales (drawer opened)", str(report.no_sales_count)),
        Text(f"Price overrides ({report.overrides_count})",
             format_signed(-report.overrides_off_cents)),
        Text(f"Open-price items ({report.open_price_count})",
             format_cents(report.open_price_cents)),
        Text(f"Refunds ({report.refunds_count})", f"-{format_cents(report.refunds_cents)}"),
        Rule(),
    ]
    for kind, amount in sorted(report.by_tender.items()):
        blocks.append(Text(kind.title(), format_cents(amount)))
    blocks += [
        Rule(),
        Text("Opening float", format_cents(report.opening_float_cents)),
        Text("Cash drops", f"-{format_cents(report.cash_drops_cents)}"),
        Text("Expected cash", format_cents(report.expected_cash_cents), bold=True),
    ]
    if report.counted_cash_cents is not None and over_short is not None:
        label = "OVER" if over_short > 0 else "SHORT" if over_short < 0 else "Balanced"
        blocks += [
            Text("Counted cash", format_cents(report.counted_cash_cents), bold=True),
            Text(label, format_cents(over_short), bold=True, point_size=11),
        ]
    if not is_open:
        blocks += [Gap(4), Text("Signature: ____________________")]
    return blocks


class ReceiptPrinter(QObject):
    """Prints documents on an ESC/POS or system printer, or writes PDFs into ``pdf_dir``."""

    failed = Signal(str)  # an ESC/POS job did not print (emitted from the printer's thread)

    def __init__(self, printer_name: str | None = None, pdf_dir: Path | None = None, *,
                 escpos: EscposTarget | None = None, drawer: DrawerPulse | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.printer_name = printer_name
        self.pdf_dir = pdf_dir
        self.escpos = escpos
        self.drawer = drawer
        self.last_output: Path | str | None = None
        self._jobs: ThreadPoolExecutor | None = None

    def configure(self, settings: RegisterSettings) -> None:
        """Use ``settings`` (already checked) from the next document on."""
        self.printer_name = settings.printer_name
        self.pdf_dir = settings.pdf_folder()
        self.escpos = settings.escpos()
        self.drawer = settings.drawer()

    def uses_pdf(self) -> bool:
        if self.pdf_dir is not None:
            return True
        if self.printer_name or self.escpos is not None:
            return False
        return QPrinterInfo.defaultPrinter().isNull()

    def output(self, blocks: list[Block], name: str) -> Path | str:
        """Print ``blocks``; return the PDF path or the printer used."""
        if self.escpos is not None and self.pdf_dir is None:
            target = self.escpos
            self._send(target, escpos_printer.render(blocks, target.paper_mm), name)
            self.last_output = target.describe()
            return self.last_output
        if self.uses_pdf():
            directory = self.pdf_dir or locations().receipts
            path = write_pdf(blocks, directory / f"{name}.pdf")
            log.info("wrote %s", path)
            self.last_output = path
            return path
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.printer_name:
            printer.setPrinterName(self.printer_name)
        printer.setDocName(name)
        print_blocks(blocks, printer)
        self.last_output = printer.printerName()
        return printer.printerName()

    def open_drawer(self, reason: str) -> bool:
        """Kick the cash drawer (after the receipt queued before it); False: no drawer."""
        if self.escpos is None or self.drawer is None:
            return False
        log.info("cash drawer opened: %s", reason)
        self._send(self.escpos, escpos_printer.render(None, drawer=self.drawer), "drawer")
        return True

    def wait_idle(self) -> None:
        """Block until every queued ESC/POS job has been sent or has failed (tests, exit)."""
        if self._jobs is not None:
            self._jobs.submit(lambda: None).result()

    def close(self) -> None:
        if self._jobs is not None:
            self._jobs.shutdown(wait=True)
            self._jobs = None

    def _send(self, target: EscposTarget, job: bytes, name: str) -> Future[None]:
        if self._jobs is None:
            self._jobs = ThreadPoolExecutor(max_workers=1, thread_name_prefix="escpos")
        return self._jobs.submit(self._send_now, target, job, name)

    def _send_now(self, target: EscposTarget, job: bytes, name: str) -> None:
        try:
            escpos_printer.send(target, job)
        except EscposError as error:
            what = "The cash drawer did not open" if name == "drawer" else f"{name} did not print"
            log.warning("%s: %s", what, error)
            self.failed.emit(f"{what}: {error}")
        else:
            log.info("%s sent to the %s", name, target.describe())
