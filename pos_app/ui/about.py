"""About pos_app (F1 in the checkout): the version, and where this register keeps its files.

The folders are the ones in use: the database actually open, its backups folder, where PDF
receipts go (the settings' folder, else the platform's default) and the log folder.
"""

from __future__ import annotations

from pathlib import Path

from pos_app import __version__
from pos_app.paths import locations
from pos_app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    Qt,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.widgets import title_label


def folder_rows(backups: Path | None, receipts: Path | None) -> list[tuple[str, Path]]:
    """(what, where): the given folders, the platform's defaults for the rest. The database
    is the folder the backups folder sits in."""
    default = locations()
    return [("Database and settings", backups.parent if backups else default.data),
            ("Backups", backups or default.backups),
            ("Receipts (PDF)", receipts or default.receipts),
            ("Logs", default.logs)]


class AboutDialog(QDialog):
    """The version and the folders, each selectable to copy."""

    def __init__(self, rows: list[tuple[str, Path]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About pos_app")
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"pos_app {__version__}", self))
        layout.addWidget(QLabel("Offline-first checkout for consignment sale events.", self))
        form = QFormLayout()
        self.paths: dict[str, QLabel] = {}
        for what, path in rows:
            label = QLabel(str(path), self)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.paths[what] = label
            form.addRow(what, label)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
