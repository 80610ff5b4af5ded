"""Finding an item without its tag: search by consignor number, ``1042-17`` or words (F2).

The search runs on the read lane as the cashier types (debounced); older answers that come
back after a newer search started are dropped.
"""

from __future__ import annotations

from pos_app.core.money import format_cents
from pos_app.services.catalog import CatalogService, ItemView
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation
from pos_app.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import title_label

DEBOUNCE_MS = 200
COLUMNS = ("Tag", "Item", "Size", "Category", "Price", "Status")


class LookupPresenter(QObject):
    results = Signal(list)  # list[ItemView]

    def __init__(self, catalog: CatalogService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._generation = 0
        self.items: list[ItemView] = []

    def search(self, text: str) -> None:
        self._generation += 1
        generation, text = self._generation, text.strip()
        if not text:
            self._show(generation, [])
            return
        Operation(self, lambda: self._catalog.search(text, 100), lane=Lane.READ) \
            .success(lambda found: self._show(generation, found)).run()

    def _show(self, generation: int, found: list[ItemView]) -> None:
        if generation == self._generation:
            self.items = found
            self.results.emit(found)


class LookupDialog(KeyDialog):
    """Emits :attr:`chosen` with the item the cashier picked (Enter or double-click)."""

    chosen = Signal(object)  # ItemView

    def __init__(self, catalog: CatalogService, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lookupDialog")
        self.setWindowTitle("Find an item")
        self.resize(900, 560)
        self.presenter = LookupPresenter(catalog, self)
        self.presenter.results.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Find an item (F2)", self))
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Consignor number, 1042-17, or words: 'red dress'")
        layout.addWidget(self.query)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(self.choose)
        layout.addWidget(self.table, 1)
        self.status = QLabel("Type to search", self)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        add = QPushButton("Enter  Add to cart", self)
        add.clicked.connect(self.choose)
        close = QPushButton("Esc  Close", self)
        close.clicked.connect(self.reject)
        row.addWidget(add)
        row.addWidget(close)
        layout.addLayout(row)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.presenter.search(self.query.text()))
        self.query.textChanged.connect(lambda _text: self._debounce.start())
        self.query.setFocus()

    def _show(self, items: list[ItemView]) -> None:
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            status = "sold" if item.status == "sold" else "" if item.status == "approved" \
                else item.status
            for column, text in enumerate((item.tag_code, item.description, item.size,
                                           item.category, format_cents(item.price_cents),
                                           status)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        if items:
            self.table.selectRow(0)
        self.status.setText(f"{len(items)} found" if self.query.text().strip() else
                            "Type to search")

    def enter_pressed(self) -> None:
        self.choose()

    def choose(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.presenter.items):
            self.chosen.emit(self.presenter.items[row])
            self.accept()

    def handle_scan(self, code: str) -> None:
        self.query.setText(code)
