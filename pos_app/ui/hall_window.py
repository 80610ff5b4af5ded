"""The hall's other jobs on the same register: drop-off check-in, pick-up, consignor lookup.

One window in one of three :class:`HallMode` s, chosen after login (issue 13). Every scan
comes through the application's scanner filter (``AppShell.route_scan``) to
:meth:`HallWindow.handle_scan` and ends in the same feedback as at the till: a colour, a
sound and a message. Check-in approves a scanned tag, or rejects it when the reject key (F2)
was pressed first, with the reason picked from the short list; the consignor's progress shows
checked in / expected / rejected. Pick-up lists a consignor's items: a scan marks one
returned, and the summary shows what is still missing and what was sold; a manager closes
pick-up (every unsold, uncollected item is donated). The lookup only shows a consignor's items
and their statuses. Writes run as :class:`Operation` s of :class:`ItemLifecycleService`.
At check-in a tag the catalog lacks opens the new item form (F3 opens it for an untagged
item); the item is created approved and its tag printed at once, as a label PDF and PNG.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pos_app.core.item_events import ItemEvent
from pos_app.core.items import ItemStatus
from pos_app.core.money import format_cents
from pos_app.core.new_items import NewItem
from pos_app.core.sale import utc_timestamp
from pos_app.paths import locations
from pos_app.services.cashiers import CashierView
from pos_app.services.donations import (
    CharityRunRow,
    DonationReceipt,
    DonationRun,
    DonationService,
)
from pos_app.services.hall_reports import HallReportService
from pos_app.services.lifecycle import (
    REJECT_REASONS,
    ConsignorItems,
    ItemLifecycleService,
    LifecycleError,
    UnknownTag,
)
from pos_app.services.new_items import NewItemService
from pos_app.services.tag_reprints import TagLabel, tag_blocks
from pos_app.ui.feedback import ScanFeedback, SoundPlayer, Tone
from pos_app.ui.feedback_panel import FeedbackPanel
from pos_app.ui.hall_receipts import consignor_receipt_blocks, donation_receipt_blocks
from pos_app.ui.labels import label_pdf, label_png
from pos_app.ui.new_item_dialog import NewItemDialog
from pos_app.ui.operations import Operation, OperationRunner
from pos_app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QShortcut,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.receipt import ReceiptPrinter
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import title_label

COLUMNS = ("Tag", "Description", "Size", "Price", "Status")


class HallMode(StrEnum):
    CHECK_IN = "check-in"
    PICK_UP = "pick-up"
    LOOKUP = "consignor lookup"


_TITLES = {HallMode.CHECK_IN: "Drop-off check-in", HallMode.PICK_UP: "Pick-up",
           HallMode.LOOKUP: "Consignor lookup"}


def progress_text(mode: HallMode, found: ConsignorItems) -> str:
    """The one-line summary of a consignor for ``mode``."""
    p = found.progress
    who = f"Consignor {p.consignor_number}" + (f" ({p.name})" if p.name else "")
    if mode is HallMode.CHECK_IN:
        return (f"{who}: checked in {p.checked_in} / expected {p.expected}, "
                f"rejected {p.count(ItemStatus.REJECTED)}")
    if mode is HallMode.LOOKUP:
        return who + ": " + ", ".join(f"{status.value} {n}" for status in ItemStatus
                                       if (n := p.count(status)))
    missing = len(found.with_status(ItemStatus.APPROVED, ItemStatus.REJECTED))
    return (f"{who}: missing {missing}, returned {p.count(ItemStatus.RETURNED)}, "
            f"sold {p.count(ItemStatus.SOLD)}, donated {p.count(ItemStatus.DONATED)}")


class HallWindow(QWidget):
    """Check-in, pick-up or lookup; emits :attr:`feedback` after each scan's outcome."""

    feedback = Signal(object)  # ScanFeedback
    shown = Signal(object)  # ConsignorItems
    donated = Signal(list)  # the close of pick-up's ItemEvents
    donation_printed = Signal(object)  # where a charity run's receipt went (Path or printer)
    closed = Signal()
    tag_printed = Signal(object)  # the new item's tag, as a PNG Path (a PDF lies beside it)

    def __init__(self, lifecycle: ItemLifecycleService, cashier: CashierView, mode: HallMode,
                 sounds: SoundPlayer, runner: OperationRunner, *,
                 reports: HallReportService | None = None,
                 donations: DonationService | None = None,
                 receipts: ReceiptPrinter | None = None, event_name: str = "",
                 clock: Callable[[], datetime] | None = None,
                 new_items: NewItemService | None = None, tag_dir: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_items, self.tag_dir = new_items, tag_dir
        self.entry_dialog: NewItemDialog | None = None
        self.operation_runner = runner
        self.reports, self.receipts, self.event_name = reports, receipts, event_name
        self.donations = donations
        self._clock = clock or (lambda: datetime.now(UTC))
        self.setObjectName("hallWindow")
        self.lifecycle, self.cashier, self.mode = lifecycle, cashier, mode
        self.setWindowTitle(f"pos_app: {_TITLES[mode]}")
        self.resize(1100, 720)
        self.consignor: ConsignorItems | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"{_TITLES[mode]}  ({cashier.name})", self))
        layout.addLayout(self._controls())
        self.progress = QLabel("Scan a tag or type a consignor number", self)
        self.progress.setObjectName("hallProgress")
        layout.addWidget(self.progress)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.panel = FeedbackPanel(sounds, self)
        layout.addWidget(self.panel)
        self.consignor_edit.setFocus()

    def _controls(self) -> QHBoxLayout:
        """The consignor field and the buttons this job and this person use."""
        row = QHBoxLayout()
        self.consignor_edit = QLineEdit(self)
        self.consignor_edit.setPlaceholderText("Consignor number, then Enter (or scan a tag)")
        self.consignor_edit.returnPressed.connect(self._consignor_typed)
        row.addWidget(self.consignor_edit, 1)
        self.reason = QComboBox(self)
        self.reason.addItems(list(REJECT_REASONS))
        self.reject_button = QPushButton("F2  Reject next scan", self)
        self.reject_button.setCheckable(True)
        QShortcut(QKeySequence("F2"), self).activated.connect(self.reject_button.toggle)
        self.charity_edit = QLineEdit(self)
        self.charity_edit.setPlaceholderText("Charity receiving the donations")
        self.close_button = QPushButton("Close pick-up (donate the rest)", self)
        self.close_button.clicked.connect(self.close_pickup)
        self.reprint_donation_button = QPushButton("Reprint donation receipt", self)
        self.reprint_donation_button.clicked.connect(self.reprint_last_donation_receipt)
        self.receipt_button = QPushButton("F4  Print receipt", self)
        self.receipt_button.clicked.connect(self.print_receipt)
        QShortcut(QKeySequence("F4"), self).activated.connect(self.print_receipt)
        self.new_item_button = QPushButton("F3  New item (no tag)", self)
        self.new_item_button.clicked.connect(lambda: self.open_new_item(""))
        if self.mode is HallMode.CHECK_IN and self.new_items is not None:
            QShortcut(QKeySequence("F3"), self).activated.connect(
                self.new_item_button.click)
        self.report_button = QPushButton("Report (CSV)", self)
        self.report_button.clicked.connect(self._choose_report_file)
        check_in, pick_up = self.mode is HallMode.CHECK_IN, self.mode is HallMode.PICK_UP
        manager = self.cashier.is_manager
        for widget, wanted in (
                (self.reason, check_in),
                (self.reject_button, check_in),
                (self.charity_edit, pick_up and manager),
                (self.new_item_button, check_in and self.new_items is not None),
                (self.close_button, pick_up and manager),
                (self.reprint_donation_button,
                 pick_up and manager and self.donations is not None),
                (self.receipt_button,
                 self.mode is not HallMode.LOOKUP and self.receipts is not None),
                (self.report_button, manager and self.reports is not None)):
            widget.setVisible(wanted)
            row.addWidget(widget)
        return row

    # -- scans ------------------------------------------------------------------------------

    def handle_scan(self, code: str) -> None:
        """A tag from the scanner filter: approve / reject / return it, or look it up."""
        if self.mode is HallMode.LOOKUP:
            Operation(self, lambda: self.lifecycle.item(code), lane=Lane.READ) \
                .success(lambda item: self.show_consignor(item.consignor_number)) \
                .failure(self._refused).run()
            return
        if self.mode is HallMode.PICK_UP:
            operation = Operation.call(self, self.lifecycle.return_item, code, self.cashier.id)
        elif self.reject_button.isChecked():
            self.reject_button.setChecked(False)
            operation = Operation.call(self, self.lifecycle.reject, code,
                                       self.reason.currentText(), self.cashier.id)
        else:
            operation = Operation.call(self, self.lifecycle.approve, code, self.cashier.id)
        operation.success(self._recorded).failure(self._refused).run()

    def _recorded(self, event: ItemEvent) -> None:
        tag = event.tag_code
        if event.to_status is ItemStatus.REJECTED:
            self._say(ScanFeedback(Tone.WARN, f"Rejected: {event.reason}", tag))
        elif event.to_status is ItemStatus.RETURNED:
            self._say(ScanFeedback(Tone.GOOD, "Returned to the consignor", tag))
        else:
            self._say(ScanFeedback(Tone.GOOD, "Checked in", tag))
        Operation(self, lambda: self.lifecycle.item(tag), lane=Lane.READ) \
            .success(lambda item: self.show_consignor(item.consignor_number)).run()

    def _refused(self, error: BaseException) -> None:
        new_items = self.new_items
        if isinstance(error, UnknownTag) and self.mode is HallMode.CHECK_IN \
                and new_items is not None:
            Operation(self, lambda: new_items.refusal(error.code), lane=Lane.READ) \
                .success(lambda why: self._unknown_tag(error.code, why)).run()
            return
        if not isinstance(error, LifecycleError):
            self.operation_runner.report(error, self)  # a disk error or a bug: the one place
            return
        self._say(ScanFeedback(Tone.BAD, "Not taken", str(error)))

    def _say(self, feedback: ScanFeedback) -> None:
        self.panel.show_feedback(feedback)
        self.feedback.emit(feedback)

    # -- an item the catalog lacks -----------------------------------------------------------

    def _unknown_tag(self, code: str, refusal: str | None) -> None:
        if refusal is not None:
            self._say(ScanFeedback(Tone.BAD, "Not taken", refusal))
            return
        self._say(ScanFeedback(Tone.WARN, "Not in the catalog: enter it", code))
        self.open_new_item(code)

    def open_new_item(self, tag: str) -> NewItemDialog | None:
        """The entry form for ``tag`` ("" for an untagged item); modal, keyboard only."""
        if self.new_items is None or self.mode is not HallMode.CHECK_IN:
            return None
        dialog = NewItemDialog(self.new_items, self.cashier.id, tag, self)
        dialog.entered.connect(self._item_entered)
        self.entry_dialog = dialog
        dialog.open()
        return dialog

    def _item_entered(self, item: NewItem) -> None:
        png = self.print_tag(item)
        printed = self._print_tag_on_the_printer(item)
        self._say(ScanFeedback(Tone.GOOD, "New item checked in, tag printed",
                               f"{item.tag_code}: {printed or png.with_suffix('.pdf')}"))
        self.tag_printed.emit(png)
        self.show_consignor(item.consignor_number)

    def print_tag(self, item: NewItem) -> Path:
        """Write the item's tag as a label PDF (one label a page) and a PNG; return the PNG."""
        pdf_dir = self.receipts.pdf_dir if self.receipts is not None else None
        directory = self.tag_dir or pdf_dir or locations().receipts
        directory.mkdir(parents=True, exist_ok=True)
        label = TagLabel.of(item)
        label_pdf(label, directory / f"tag-{item.tag_code}.pdf")
        return label_png(label, directory / f"tag-{item.tag_code}.png")

    def _print_tag_on_the_printer(self, item: NewItem) -> str | None:
        """The tag on the station's printer (ESC/POS or system), when it has one, not PDFs."""
        if self.receipts is None or self.receipts.uses_pdf():
            return None
        return str(self.receipts.output(tag_blocks(TagLabel.of(item)), f"tag-{item.tag_code}"))

    # -- consignors -------------------------------------------------------------------------

    def _consignor_typed(self) -> None:
        text = self.consignor_edit.text().strip()
        if not text.isdigit():
            self._say(ScanFeedback(Tone.BAD, "Not a consignor number", text))
            return
        self.show_consignor(int(text))

    def show_consignor(self, number: int) -> None:
        """Load and show consignor ``number`` (read lane)."""
        Operation(self, lambda: self.lifecycle.consignor(number), lane=Lane.READ) \
            .success(self._show).failure(self._refused).run()

    def _show(self, found: ConsignorItems) -> None:
        self.consignor = found
        self.progress.setText(progress_text(self.mode, found))
        items = found.items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            status = "missing" if self.mode is HallMode.PICK_UP and item.status in (
                ItemStatus.APPROVED, ItemStatus.REJECTED) else item.status.value
            for column, text in enumerate((item.tag_code, item.description, item.size,
                                           format_cents(item.price_cents), status)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.shown.emit(found)

    # -- closing pick-up --------------------------------------------------------------------

    def close_pickup(self, *, confirm: bool = True) -> None:
        """Donate every unsold, uncollected item to the charity named (a manager; asks first
        unless told not to), then print the run's donation receipt."""
        charity = " ".join(self.charity_edit.text().split())
        if not charity:
            self._say(ScanFeedback(Tone.BAD, "Name the charity first",
                                   "The donation receipt is made out to it"))
            self.charity_edit.setFocus()
            return
        if confirm and QMessageBox.question(
                self, "Close pick-up",
                f"Donate every item that was neither sold nor collected to {charity}?") \
                != QMessageBox.StandardButton.Yes:
            return
        Operation.call(self, self.lifecycle.close_pickup, self.cashier.id, charity) \
            .success(self._closed).failure(self._refused).run()

    def _closed(self, run: DonationRun) -> None:
        self._say(ScanFeedback(Tone.GOOD, "Pick-up closed",
                               f"{len(run.events)} items donated to {run.charity} "
                               f"(run {run.number})"))
        self.donated.emit(run.events)
        self.print_donation_receipt(run.id)
        if self.consignor is not None:
            self.show_consignor(self.consignor.progress.consignor_number)

    def print_donation_receipt(self, run_id: str) -> None:
        """Print charity run ``run_id``'s receipt (read lane, then the printer or a PDF)."""
        donations, receipts = self.donations, self.receipts
        if donations is None or receipts is None:
            return
        Operation(self, lambda: donations.receipt(run_id), lane=Lane.READ) \
            .success(lambda receipt: self._print_donation(receipt, receipts)).run()

    def reprint_last_donation_receipt(self) -> None:
        """Print the latest charity run's receipt again (a jammed printer, a lost page)."""
        donations = self.donations
        if donations is None:
            return
        Operation(self, donations.runs, lane=Lane.READ).success(self._reprint_last).run()

    def _reprint_last(self, runs: list[CharityRunRow]) -> None:
        if not runs:
            self._say(ScanFeedback(Tone.WARN, "No donation receipt yet",
                                   "Close pick-up first"))
            return
        self.print_donation_receipt(runs[-1].id)

    def _print_donation(self, receipt: DonationReceipt, receipts: ReceiptPrinter) -> None:
        blocks = donation_receipt_blocks(receipt, printed_at=utc_timestamp(self._clock()))
        where = receipts.output(blocks, f"donation-run-{receipt.run.number}")
        self.donation_printed.emit(where)

    # -- the consignor's receipt ------------------------------------------------------------

    def print_receipt(self) -> Path | str | None:
        """Print the shown consignor's drop-off or pick-up receipt; return where it went."""
        if self.receipts is None or self.consignor is None or self.mode is HallMode.LOOKUP:
            return None
        blocks = consignor_receipt_blocks(
            self.consignor, pick_up=self.mode is HallMode.PICK_UP, event_name=self.event_name,
            volunteer=self.cashier.name, printed_at=utc_timestamp(self._clock()))
        number = self.consignor.progress.consignor_number
        where = self.receipts.output(blocks, f"{self.mode.value}-{number}")
        self._say(ScanFeedback(Tone.GOOD, "Receipt printed", str(where)))
        return where

    # -- the hall report ---------------------------------------------------------------------

    def _choose_report_file(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, "Save the hall report", "hall.csv",
                                                    "CSV files (*.csv)")
        if name:
            self.export_report(Path(name))

    def export_report(self, path: Path) -> None:
        """Write the check-in, pick-up and donation figures to ``path`` (read lane)."""
        reports = self.reports
        if reports is None:
            return
        Operation(self, lambda: reports.write_csv(path), lane=Lane.READ) \
            .success(lambda written: self._say(ScanFeedback(
                Tone.GOOD, "Report saved", str(written)))).run()

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        self.closed.emit()
        super().closeEvent(event)  # type: ignore[arg-type]
