"""The organiser's settlement screen (issue 14): every consignor's balance, and paying them.

Manager only, online only. The table is the central server's settlement (one row per
consignor, with its count of unresolved conflicts, and a totals row), filtered by balance due
or unresolved conflicts. F3 lists the unresolved conflicts a page at a time (Shift+F3 the
selected consignor's) and resolves them, F11 marks the event settled (refused, and said so,
while a conflict is open). F6 pays the selected consignor, F4 corrects one of their payouts
(a negative payout naming it), F7 pays every payable balance by check; F8, F9 and F10 write
statements and payouts (``settlement_files``), F5 reloads. Every call runs on the network
lane; the table reloads after each change. Offline, or without admin credentials, the screen
says so and every action stays disabled: nothing is half-done. A payout (or batch) the server
did not confirm is kept; Retry (Ctrl+R) re-sends it with the same ids: recorded once.
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.core.money import format_cents
from pos_app.services.cashiers import CashierView
from pos_app.services.settlement import (
    CONFLICTS_PAGE,
    BatchStopped,
    Filter,
    PayoutBatch,
    Refused,
    SettlementError,
    SettlementService,
    filtered,
)
from pos_app.services.settlement_conflicts import Resolution
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
from pos_app.ui.operations import Operation, OperationRunner
from pos_app.ui.qt import (
    QAbstractItemView,
    QCloseEvent,
    QComboBox,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QProgressBar,
    QPushButton,
    QShortcut,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.settlement_conflicts import ConflictsDialog
from pos_app.ui.settlement_dialogs import BatchPayDialog, CorrectionDialog, PayDialog
from pos_app.ui.settlement_files import SettlementFiles
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
            str(row.unresolved_conflicts) if row.unresolved_conflicts else ""]


class SettlementWindow(SettlementFiles):
    """The settlement of the register's event; signals say when each call has finished."""

    loaded = Signal(object)  # Settlement
    recorded = Signal(object)  # tuple[RecordedPayout, ...]
    resolved = Signal(str)  # the server's words for the resolution
    settled = Signal(str)  # settled_at
    failed = Signal(str)
    closed = Signal()
    conflicts_page = CONFLICTS_PAGE  # open conflicts a page of the conflicts view loads

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
        self.progress = QProgressBar(self)
        self.progress.setObjectName("statementsProgress")
        self.progress.setVisible(False)
        self.progressed.connect(self.show_progress)
        layout.addWidget(self.progress)
        layout.addLayout(self._button_row())
        QShortcut(QKeySequence("Escape"), self).activated.connect(self.close)
        QShortcut(QKeySequence("Shift+F3"), self).activated.connect(
            lambda: self.show_conflicts(of_selected=True))
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
                ("F3", "conflicts", "Conflicts", self.show_conflicts),
                ("F6", "pay", "Pay selected", self.pay_selected),
                ("F4", "correct", "Correct a payout", self.correct_selected),
                ("F7", "batch", "Pay all by check", self.pay_all_by_check),
                ("F8", "statement", "Statement (PDF)", self.choose_one_pdf),
                ("F9", "statements", "All listed statements", self.choose_all_pdf),
                ("F10", "csv", "Payouts CSV", self.choose_csv),
                ("F11", "settle", "Mark event settled", self.mark_settled),
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
        conflicts = (f"{settlement.unresolved_conflicts} unresolved conflict(s) (F3; Shift+F3 "
                     "the selected consignor's)" if settlement.unresolved_conflicts
                     else "no unresolved conflicts")
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
            if c != 1:  # every column but the name is a number
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

    def correct_selected(self) -> None:
        """Fetch the selected consignor's payouts (statement), then open the correction."""
        row = self.selected()
        if row is None or self.settlement is None:
            self.say("Select a consignor first.", error=True)
            return
        self.busy(f"Fetching consignor {row.number}'s payouts...")
        Operation(self, lambda: self.service.statements([row.number]), lane=Lane.NETWORK) \
            .success(lambda found: self._open_correction(row, found[0])) \
            .failure(self._failed).run()

    def _open_correction(self, row: ConsignorBalance, statement: Statement) -> None:
        self.refresh_button.setEnabled(True)
        self.actions_enabled(True)
        self.say("")
        if not any(p.amount_cents > 0 for p in statement.payouts):
            self.say(f"Consignor {row.number} has no payout to correct.", error=True)
            return
        dialog = CorrectionDialog(row, list(statement.payouts), self.service.new_id(), self)
        dialog.accepted.connect(lambda: self._send_payout(dialog.payout()))
        dialog.finished.connect(lambda _result: self.activateWindow())
        dialog.open()

    # -- conflicts and settling -------------------------------------------------------------

    def show_conflicts(self, *, of_selected: bool = False) -> ConflictsDialog | None:
        """The conflicts view (Shift+F3: the selected consignor's), a page at a time."""
        row = self.selected() if of_selected else None
        if of_selected:
            count = row.unresolved_conflicts if row else 0
        else:
            count = self.settlement.unresolved_conflicts if self.settlement else 0
        if not count:
            self.say(f"No unresolved conflicts{f' of consignor {row.number}' if row else ''}.")
            return None
        page, number = self.conflicts_page, row.number if row else None
        dialog = ConflictsDialog(lambda after: self.service.conflicts_page(
            after, consignor=number, limit=page), count, self, consignor=number)
        dialog.accepted.connect(lambda: self._send_resolution(dialog.resolution))
        dialog.finished.connect(lambda _result: self.activateWindow())  # F-keys here again
        dialog.open()
        return dialog

    def _send_resolution(self, resolution: Resolution | None) -> None:
        if resolution is None:
            return
        self.busy(f"Resolving conflict {resolution.conflict_id}...")
        Operation(self, lambda: self.service.resolve(resolution), lane=Lane.NETWORK) \
            .success(lambda detail: self._after_change(
                f"Conflict {resolution.conflict_id} resolved ({detail}).",
                lambda: self.resolved.emit(detail))) \
            .failure(self._failed).run()

    def mark_settled(self) -> None:
        self.busy("Marking the event settled...")
        Operation(self, self.service.settle, lane=Lane.NETWORK) \
            .success(lambda at: self._after_change(f"The event is settled ({at[:16]}).",
                                                   lambda: self.settled.emit(at))) \
            .failure(self._settle_refused).run()

    def _settle_refused(self, error: BaseException) -> None:
        self._failed(error)
        if isinstance(error, Refused) and error.code == "unresolved_conflicts":
            self.say("The event is NOT settled: every conflict must be resolved first "
                     f"({self.settlement.unresolved_conflicts if self.settlement else '?'} "
                     "open). F3 lists them.", error=True)

    def _after_change(self, text: str, done: Callable[[], None]) -> None:
        """Reload the figures after a resolution or the settling, then say what changed."""
        Operation(self, self.service.load, lane=Lane.NETWORK) \
            .success(lambda s: self._changed(s, text, done)).failure(self._load_failed).run()

    def _changed(self, settlement: Settlement, text: str, done: Callable[[], None]) -> None:
        self._loaded(settlement)
        self.say(f"{text} {self.status.text()}")
        done()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.closed.emit()
        super().closeEvent(event)
