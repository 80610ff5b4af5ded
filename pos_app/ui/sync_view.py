"""The manager's sync view (F11): the sync state, "sync now", the quarantined entries and the
conflicts the server recorded.

A quarantined entry is a sale or void the server rejected as invalid; it is kept (never
lost) and shown here with a headline and the server's reason, and never blocks the entries
behind it. A conflict is something the server kept but flagged for the organiser (an item
sold twice, a price off the catalog, a clock ahead of the server), in readable words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pos_app.ui.bundle import SyncControls
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation
from pos_app.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QObject,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.receipt import local_time
from pos_app.ui.sync_status import SyncStatusAdapter, describe
from pos_app.ui.sync_texts import conflict_row, refusal_text
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import title_label

COLUMNS = ("#", "Kind", "Sale / void", "Problem", "Server's reason", "Held since")
CONFLICT_COLUMNS = ("#", "What happened", "Sale", "Item", "Other register (sale)")


class SyncPresenter(QObject):
    quarantined_loaded = Signal(list)
    conflicts_loaded = Signal(list)

    def __init__(self, controls: SyncControls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controls = controls

    def load(self) -> None:
        listing = self.controls.quarantined
        if listing is None:
            self.quarantined_loaded.emit([])
            return
        Operation(self, lambda: list(listing()), lane=Lane.READ) \
            .success(self.quarantined_loaded.emit).run()
        conflicts = self.controls.conflicts
        if conflicts is not None:
            Operation(self, lambda: list(conflicts()), lane=Lane.READ) \
                .success(self.conflicts_loaded.emit).run()

    def sync_now(self) -> None:
        action = self.controls.sync_now
        if action is not None:
            Operation(self, action, lane=Lane.NETWORK).run()  # the runner's round refreshes


class SyncDialog(KeyDialog):
    """Enter syncs now (when this register syncs); Escape closes."""

    def __init__(self, controls: SyncControls, adapter: SyncStatusAdapter,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("syncDialog")
        self.setWindowTitle("Sync")
        self.resize(900, 480)
        self.presenter = SyncPresenter(controls, self)
        self.presenter.quarantined_loaded.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Sync (manager)", self))
        self.status = QLabel(describe(adapter.latest).text, self)
        self.status.setWordWrap(True)
        adapter.status_changed.connect(self._status_changed)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("Held back by the server (quarantined):", self))
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Recorded by the server for the organiser (conflicts):", self))
        self.conflicts = _table(CONFLICT_COLUMNS, stretch=1, parent=self)
        self.presenter.conflicts_loaded.connect(self._show_conflicts)
        layout.addWidget(self.conflicts, 1)
        row = QHBoxLayout()
        self.sync_button = QPushButton("Sync now", self)
        self.sync_button.setEnabled(controls.sync_now is not None)
        self.sync_button.clicked.connect(self.presenter.sync_now)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        row.addWidget(self.sync_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.presenter.load()

    def enter_pressed(self) -> None:
        if self.sync_button.isEnabled():
            self.presenter.sync_now()

    def _status_changed(self, status: Any) -> None:
        self.status.setText(describe(status).text)

    def _show(self, entries: Sequence[Any]) -> None:
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            reason = str(getattr(entry, "reason", ""))
            values = (str(getattr(entry, "seq", "")), str(getattr(entry, "kind", "")),
                      str(getattr(entry, "ref_id", "")), refusal_text(reason), reason,
                      local_time(str(getattr(entry, "quarantined_at", ""))))
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def _show_conflicts(self, conflicts: Sequence[Any]) -> None:
        self.conflicts.setRowCount(len(conflicts))
        for row, conflict in enumerate(conflicts):
            values = (str(getattr(conflict, "id", "")), *conflict_row(conflict))
            for column, text in enumerate(values):
                self.conflicts.setItem(row, column, QTableWidgetItem(text))
        self.conflicts.resizeColumnsToContents()


def _table(columns: Sequence[str], stretch: int, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table
