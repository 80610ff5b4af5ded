"""The manager's sync view (F11): the sync state, "sync now", and the quarantined entries.

A quarantined entry is a sale or void the server rejected as invalid; it is kept (never
lost) and shown here with the server's reason, and never blocks the entries behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pos_app.services.changes import Changes
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
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import title_label

COLUMNS = ("#", "Kind", "Sale / void", "Server's reason", "Held since")


class SyncPresenter(QObject):
    quarantined_loaded = Signal(list)

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

    def sync_now(self) -> None:
        action = self.controls.sync_now
        if action is not None:
            Operation(self, action, lane=Lane.NETWORK, changes=Changes.OUTBOX).run()


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
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
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
            values = (str(getattr(entry, "seq", "")), str(getattr(entry, "kind", "")),
                      str(getattr(entry, "ref_id", "")), str(getattr(entry, "reason", "")),
                      local_time(str(getattr(entry, "quarantined_at", ""))))
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
