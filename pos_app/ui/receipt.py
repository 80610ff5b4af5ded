"""What a receipt and a Z report say, as printing blocks, and where they are printed.

:func:`receipt_blocks` and :func:`z_report_blocks` build the documents from committed
records; :class:`ReceiptPrinter` sends them to a printer or, when there is none (or a
directory is configured), writes one PDF per document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pos_app.core.money import format_cents
from pos_app.core.sale import CompletedSale
from pos_app.core.tender import TenderKind
from pos_app.services.shifts import ZReport
from pos_app.ui.figures import DISCOUNTS, ITEMS_SUBTOTAL, NET, TAX, TOTAL
from pos_app.ui.printing import Align, Barcode, Block, Gap, Rule, Text, print_blocks, write_pdf
from pos_app.ui.qt import QPrinter, QPrinterInfo

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


class ReceiptPrinter:
    """Prints documents on a printer, or writes PDFs into ``pdf_dir`` when there is none."""

    def __init__(self, printer_name: str | None = None, pdf_dir: Path | None = None) -> None:
        self.printer_name = printer_name
        self.pdf_dir = pdf_dir
        self.last_output: Path | str | None = None

    def uses_pdf(self) -> bool:
        if self.pdf_dir is not None:
            return True
        if self.printer_name:
            return False
        return QPrinterInfo.defaultPrinter().isNull()

    def output(self, blocks: list[Block], name: str) -> Path | str:
        """Print ``blocks``; return the PDF path or the printer name used."""
        if self.uses_pdf():
            directory = self.pdf_dir or Path.home() / "pos_app-receipts"
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
