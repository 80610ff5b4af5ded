"""The settlement screen's files: consignor statements as PDF and the payouts as CSV.

F8 writes the selected consignor's statement; F9 the statements of every listed consignor in
one PDF, fetched a page of consignors per call (``GET .../statements``, not one call each) with
a progress bar that follows the pages; F10 exports the payouts as CSV. Every call runs on the
network lane and the PDF is painted only once every statement has come back, so a dropped
connection leaves no file. The base class of
:class:`~pos_app.ui.settlement_window.SettlementWindow`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pos_app.services.settlement import SettlementError, SettlementService
from pos_app.services.settlement_data import ConsignorBalance, Settlement, Statement
from pos_app.services.statements import statement_blocks
from pos_app.ui.operations import Operation
from pos_app.ui.qt import QFileDialog, QLabel, QProgressBar, QPushButton, QWidget, Signal
from pos_app.ui.statement_pdf import write_statements_pdf
from pos_app.ui.taskman import Lane


class SettlementFiles(QWidget):
    """Statements (PDF) and payouts (CSV): the base of the settlement window, which has the
    state and the status line these use."""

    written = Signal(object)  # Path
    progressed = Signal(int, int)  # statements fetched, wanted (emitted on the network lane)
    service: SettlementService
    settlement: Settlement | None
    event_name: str
    status: QLabel
    progress: QProgressBar
    refresh_button: QPushButton

    def say(self, text: str, *, error: bool = False) -> None:
        raise NotImplementedError

    def busy(self, text: str) -> None:
        raise NotImplementedError

    def actions_enabled(self, enabled: bool) -> None:
        raise NotImplementedError

    def _failed(self, error: BaseException, *, keep: Callable[[], None] | None = None) -> None:
        raise NotImplementedError

    def selected(self) -> ConsignorBalance | None:
        raise NotImplementedError

    def visible_rows(self) -> list[ConsignorBalance]:
        raise NotImplementedError

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
        if path is None:
            return
        numbers = [row.number for row in rows]
        if selected:
            self.write_statements(numbers, path)
        else:
            self.write_all_statements(numbers, path)

    def write_statements(self, numbers: list[int], path: Path) -> None:
        """Fetch the statements one call each (network lane), then paint them into one PDF."""
        self.busy(f"Fetching {len(numbers)} statement(s)...")
        Operation(self, lambda: self.service.statements(numbers), lane=Lane.NETWORK) \
            .success(lambda found: self._paint_pdf(found, path)).failure(self._pages_failed).run()

    def write_all_statements(self, numbers: list[int], path: Path) -> None:
        """Fetch the statements a page of consignors per call, the progress bar following."""
        self.busy(f"Fetching {len(numbers)} statement(s)...")
        self.progress.setRange(0, max(len(numbers), 1))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        # Called on the network lane: the signal queues each step to the GUI thread.
        Operation(self, lambda: self.service.all_statements(numbers, self.progressed.emit),
                  lane=Lane.NETWORK) \
            .success(lambda found: self._paint_pdf(found, path)).failure(self._pages_failed).run()

    def show_progress(self, found: int, wanted: int) -> None:
        self.progress.setValue(found)
        self.say(f"Fetched {found} of {wanted} statement(s)...")

    def _pages_failed(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        self._failed(error)
        self.say(self.status.text() + " No PDF was written.", error=True)

    def _paint_pdf(self, statements: list[Statement], path: Path) -> None:
        self.progress.setVisible(False)
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
