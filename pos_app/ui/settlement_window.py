"""The organiser's settlement screen (issue 14): every consignor's balance, and paying them.

Manager only, online only. The table is the central server's settlement (one row per
consignor and a totals row), filtered by balance due or unresolved conflicts. F6 pays the
selected consignor, F7 pays every payable balance by check, F8 writes the selected
consignor's statement as PDF, F9 the statements of every listed consignor in one PDF, F10
exports the payouts as CSV, F5 reloads. Every call runs on the network lane; the table reloads
after each payout. Offline, or without admin credentials, the screen says so and every action
stays disabled: nothing is half-done. A payout (or batch) the server did not confirm is kept,
and Retry (Ctrl+R) re-sends it with the same ids, so it is recorded once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pos_app.core.money import format_cents
from pos_app.services.cashiers import CashierView
from pos_app.services.settlement import (
    BatchStopped,
    Filter,
    PayoutBatch,
    SettlementError,
    SettlementService,
    filtered,
)
from pos_app.services.settlement_data import (
    ConsignorBalance,
    MalformedReply,
    PayoutRequest,
    RecordedPayout,
    Settlement,
    Statement,
    Totals,
    totals_of,
)
from pos_app.services.statements import statement_blocks
from pos_app.ui.operations import Operation, OperationRunner
from pos_app.ui.qt import (
    QAbstractItemView,
    QCloseEvent,
    QComboBox,
    QFileDialog,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QPushButton,
    QShortcut,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.settlement_dialogs import BatchPayDialog, PayDialog
from pos_app.ui.statement_pdf import write_statements_pdf
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import title_label

COLUMNS = ("Number", "Name", "Items sold", "Gross", "Split", "Share", "Fees", "Paid",
           "Balance", "Conflicts")
FILTERS = ((Filter.ALL, "All consignors"), (Filter.BALANCE_DUE, "Balance due"),
           (Filter.CONFLICTS, "Has conflicts"))


def row_cells(row: ConsignorBalance | Totals, label: str = "") -> list[str]:
    """The table's texts for a consignor (or, with ``label``, the totals)."""
    money = [format_cents(row.gross_cents), "", format_cents(row.share_cents),
             format_cents(row.fees_cents), format_cents(row.paid_cents),
             format_cents(row.balance_cents)]
    if isinstance(row, Totals):
        return ["", label, str(row.items_sold), *money, ""]
    money[1] = f"{row.split_bp / 100:g}%"
    return [str(row.number), row.name, str(row.items_sold), *money,
            ", ".join(c.kind for c in row.conflicts)]


class SettlementWindow(QWidget):
    """The settlement of the register's event; signals say when each call has finished."""

    loaded = Signal(object)  # Settlement
    recorded = Signal(object)  # tuple[RecordedPayout, ...]
    written = Signal(object)  # Path
    failed = Signal(str)
    closed = Signal()

    def __init__(self, service: SettlementService, cashier: CashierView,
                 runner: OperationRunner, *, event_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operation_runner = runner
        self.service, self.cashier, self.event_name = service, cashier, event_name
        self.settlement: Settlement | None = None
        self.retry: Callable[[], None] | None = None
        self.setObjectName("settlementWindow")
        self.setWindowTitle("pos_app: settlement and payouts")
        self.resize(1200, 720)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"Settlement: {event_name or service.event_id}", self))
        self.status = QLabel("", self)
        self.status.setObjectName("settlementStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addLayout(self._filter_row())
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._button_row())
        QShortcut(QKeySequence("Escape"), self).activated.connect(self.close)
        self.actions_enabled(False)
        if not cashier.is_manager:
            self.say("The settlement is for managers only.", error=True)
            for button in self.buttons.values():
                button.setEnabled(False)
        else:
            self.reload()

    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.filter = QComboBox(self)
        for which, label in FILTERS:
            self.filter.addItem(label, which)
        self.filter.currentIndexChanged.connect(lambda _index: self.show_rows())
        QShortcut(QKeySequence("F2"), self).activated.connect(
            lambda: self.filter.setCurrentIndex((self.filter.currentIndex() + 1) % len(FILTERS)))
        row.addWidget(QLabel("F2  Show:", self))
        row.addWidget(self.filter)
        row.addStretch(1)
        return row

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, name, label, action in (
                ("F5", "refresh", "Reload", self.reload),
                ("F6", "pay", "Pay selected", self.pay_selected),
                ("F7", "batch", "Pay all by check", self.pay_all_by_check),
                ("F8", "statement", "Statement (PDF)", self.choose_one_pdf),
                ("F9", "statements", "All listed statements", self.choose_all_pdf),
                ("F10", "csv", "Payouts CSV", self.choose_csv),
                ("Ctrl+R", "retry", "Retry", self.run_retry)):
            button = QPushButton(f"{key}  {label}", self)
            button.setObjectName(f"{name}Button")
            button.clicked.connect(action)
            QShortcut(QKeySequence(key), self).activated.connect(button.click)
            row.addWidget(button)
            self.buttons[name] = button
        self.refresh_button = self.buttons["refresh"]
        self.buttons["retry"].setVisible(False)
        return row

    # -- state ------------------------------------------------------------------------------

    def actions_enabled(self, enabled: bool) -> None:
        for name, button in self.buttons.items():
            if name not in ("refresh", "retry"):
                button.setEnabled(enabled)

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        self.status.setStyleSheet("color: #b00020; font-weight: bold;" if error else "")

    def busy(self, text: str) -> None:
        self.actions_enabled(False)
        self.refresh_button.setEnabled(False)
        self.buttons["retry"].setEnabled(False)
        self.say(text)

    def _failed(self, error: BaseException, *, keep: Callable[[], None] | None = None) -> None:
        """A call did not happen: say why; a kept call can be retried with the same ids."""
        if isinstance(error, MalformedReply):
            error = SettlementError(f"{error}. Is the server's version older than this app's?")
        elif not isinstance(error, SettlementError):
            self.operation_runner.report(error, self)
            error = SettlementError("Unexpected error (see the crash report).")
        self.retry = keep
        self.buttons["retry"].setVisible(keep is not None)
        self.buttons["retry"].setEnabled(keep is not None)
        self.refresh_button.setEnabled(True)
        self.actions_enabled(self.settlement is not None and keep is None)
        message = str(error) + (" Ctrl+R re-sends it with the same id(s)." if keep else "")
        self.say(message, error=True)
        self.failed.emit(message)

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.busy("Loading the settlement from the central server...")
        Operation(self, self.service.load, lane=Lane.NETWORK) \
            .success(self._loaded).failure(self._load_failed).run()

    def _load_failed(self, error: BaseException) -> None:
        self.settlement = None
        self.table.setRowCount(0)
        self._failed(error, keep=self.retry)
        if isinstance(error, SettlementError):
            self.say(f"{error} The settlement needs the central server: nothing can be "
                     "recorded until it answers (F5 to try again).", error=True)

    def _loaded(self, settlement: Settlement) -> None:
        self.settlement = settlement
        self.refresh_button.setEnabled(True)
        self.actions_enabled(self.retry is None)
        self.buttons["retry"].setEnabled(self.retry is not None)
        conflicts = (f"{settlement.unresolved_conflicts} unresolved conflict(s)"
                     if settlement.unresolved_conflicts else "no unresolved conflicts")
        settled = f"; settled {settlement.settled_at[:16]}" if settlement.settled_at else ""
        self.say(f"Figures as of {settlement.generated_at[:19].replace('T', ' ')} UTC; "
                 f"{conflicts}; minimum payout {format_cents(settlement.min_payout_cents)}"
                 f"{settled}.")
        self.show_rows()
        self.loaded.emit(settlement)

    def visible_rows(self) -> list[ConsignorBalance]:
        if self.settlement is None:
            return []
        return filtered(self.settlement.consignors, Filter(self.filter.currentData()))

    def show_rows(self) -> None:
        rows = self.visible_rows()
        self.table.setRowCount(len(rows) + 1)
        for r, row in enumerate(rows):
            self._set_row(r, row_cells(row))
        self._set_row(len(rows), row_cells(totals_of(rows), f"Total ({len(rows)} consignors)"),
                      bold=True)
        if rows:
            self.table.selectRow(0)
        self.table.setFocus()

    def _set_row(self, r: int, cells: list[str], *, bold: bool = False) -> None:
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c not in (1, 9):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(r, c, item)

    def selected(self) -> ConsignorBalance | None:
        rows, r = self.visible_rows(), self.table.currentRow()
        return rows[r] if 0 <= r < len(rows) else None

    # -- payouts ----------------------------------------------------------------------------

    def pay_selected(self) -> PayDialog | None:
        row = self.selected()
        if row is None or self.settlement is None:
            self.say("Select a consignor first.", error=True)
            return None
        dialog = PayDialog(row, self.service.new_id(), self)
        dialog.accepted.connect(lambda: self._send_payout(dialog.payout()))
        dialog.open()
        return dialog

    def _send_payout(self, payout: PayoutRequest | None) -> None:
        if payout is None:
            return
        self.busy(f"Recording {format_cents(payout.amount_cents)} to consignor "
                  f"{payout.consignor_number}...")
        Operation(self, lambda: (self.service.record(payout),), lane=Lane.NETWORK) \
            .success(self._recorded) \
            .failure(lambda e: self._failed(e, keep=lambda: self._send_payout(payout))).run()

    def pay_all_by_check(self) -> BatchPayDialog | None:
        if self.settlement is None:
            return None
        dialog = BatchPayDialog(self.service, self.settlement, self)
        dialog.accepted.connect(lambda: self._send_batch(dialog.batch))
        dialog.open()
        return dialog

    def _send_batch(self, batch: PayoutBatch | None) -> None:
        if batch is None:
            return
        self.busy(f"Recording {len(batch.payouts)} check(s)...")
        Operation(self, lambda: self.service.pay_batch(batch), lane=Lane.NETWORK) \
            .success(self._recorded).failure(lambda e: self._batch_failed(e, batch)).run()

    def _batch_failed(self, error: BaseException, batch: PayoutBatch) -> None:
        self._failed(error, keep=lambda: self._send_batch(batch))
        if isinstance(error, BatchStopped) and error.recorded:
            self.recorded.emit(error.recorded)

    def run_retry(self) -> None:
        again, self.retry = self.retry, None
        self.buttons["retry"].setVisible(False)
        if again is not None:
            again()

    def _recorded(self, payouts: tuple[RecordedPayout, ...]) -> None:
        self.retry = None
        self.buttons["retry"].setVisible(False)
        self.recorded.emit(payouts)
        Operation(self, self.service.load, lane=Lane.NETWORK) \
            .success(lambda s: self._after_payouts(s, payouts)) \
            .failure(self._load_failed).run()

    def _after_payouts(self, settlement: Settlement, payouts: tuple[RecordedPayout, ...]) -> None:
        self._loaded(settlement)
        total = sum(p.amount_cents for p in payouts)
        self.say(f"Recorded {len(payouts)} payout(s), {format_cents(total)}. "
                 + self.status.text())

    # -- files ------------------------------------------------------------------------------

    def _save_path(self, caption: str, name: str, kind: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), kind)
        return Path(chosen) if chosen else None

    def choose_one_pdf(self) -> None:
        self.choose_pdf(selected=True)

    def choose_all_pdf(self) -> None:
        self.choose_pdf(selected=False)

    def choose_pdf(self, *, selected: bool) -> None:
        rows = [row for row in [self.selected()] if row] if selected else self.visible_rows()
        if not rows:
            self.say("No consignor to write a statement for.", error=True)
            return
        name = f"statement-{rows[0].number}.pdf" if selected else "statements.pdf"
        path = self._save_path("Save statements", name, "PDF (*.pdf)")
        if path is not None:
            self.write_statements([row.number for row in rows], path)

    def write_statements(self, numbers: list[int], path: Path) -> None:
        """Fetch the statements (network lane), then paint them into one PDF."""
        self.busy(f"Fetching {len(numbers)} statement(s)...")
        Operation(self, lambda: self.service.statements(numbers), lane=Lane.NETWORK) \
            .success(lambda found: self._paint_pdf(found, path)).failure(self._failed).run()

    def _paint_pdf(self, statements: list[Statement], path: Path) -> None:
        blocks = [statement_blocks(s, self.event_name) for s in statements]
        try:
            pages = write_statements_pdf(blocks, path)
        except (OSError, ValueError) as error:
            self._failed(SettlementError(f"The PDF was not written: {error}"))
            return
        self._file_done(path, f"{len(blocks)} statement(s), {pages} page(s)")

    def choose_csv(self) -> None:
        path = self._save_path("Export payouts", "payouts.csv", "CSV (*.csv)")
        if path is not None:
            self.export_csv(path)

    def export_csv(self, path: Path) -> None:
        names = {row.number: row.name for row in self.settlement.consignors} \
            if self.settlement else {}
        self.busy("Exporting the payouts...")
        Operation(self, lambda: self.service.export_payouts_csv(path, names), lane=Lane.NETWORK) \
            .success(lambda count: self._file_done(path, f"{count} payout(s)")) \
            .failure(self._failed).run()

    def _file_done(self, path: Path, what: str) -> None:
        self.refresh_button.setEnabled(True)
        self.actions_enabled(self.settlement is not None)
        self.say(f"{what} saved to {path}")
        self.written.emit(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.closed.emit()
        super().closeEvent(event)
