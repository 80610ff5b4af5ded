"""Finding an item without its tag: search by consignor number, ``1042-17`` or words (F2).

The search runs on the read lane as the cashier types (debounced); older answers that come
back after a newer search started are dropped. A page shows 100 items; when more match, the
status says so and F5 shows 100 more (up to the store's limit), or the cashier types more to
narrow. Up, Down, Page Up and Page Down move the selection while typing in the search box.
"""

from __future__ import annotations

from pos_app.core.money import format_cents
from pos_app.services.catalog import CatalogService, ItemView
from pos_app.store.catalog import SEARCH_LIMIT_MAX
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation
from pos_app.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    QShortcut,
    Qt,
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
PAGE = 100
COLUMNS = ("Tag", "Item", "Size", "Category", "Price", "Status")
_STEPS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -10,
          Qt.Key.Key_PageDown: 10}


class LookupPresenter(QObject):
    results = Signal(list)  # list[ItemView]

    def __init__(self, catalog: CatalogService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._generation = 0
        self._text = ""
        self.items: list[ItemView] = []
        self.more = False  # more items match than are shown

    def search(self, text: str, shown: int = PAGE) -> None:
        """Search ``text``; ``shown`` items at most (one more is read to know if more match)."""
        self._generation += 1
        generation, self._text = self._generation, text.strip()
        query = self._text
        if not query:
            self._show(generation, [], shown)
            return
        Operation(self, lambda: self._catalog.search(query, shown + 1), lane=Lane.READ) \
            .success(lambda found: self._show(generation, found, shown)).run()

    def show_more(self) -> None:
        if self.more:
            self.search(self._text, len(self.items) + PAGE)

    def _show(self, generation: int, found: list[ItemView], shown: int) -> None:
        if generation == self._generation:
            self.more = len(found) > shown
            self.items = found[:shown]
            self.results.emit(self.items)


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
        self.status.setObjectName("lookupStatus")
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        self.more_button = QPushButton("F5  Show more", self)
        self.more_button.clicked.connect(self.presenter.show_more)
        self.more_button.setEnabled(False)
        more = QShortcut(QKeySequence("F5"), self)
        more.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        more.activated.connect(self.presenter.show_more)
        row.addWidget(self.more_button)
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
        self.more_button.setEnabled(self.presenter.more)
        self.status.setText(self._status(len(items)))

    def _status(self, count: int) -> str:
        if not self.query.text().strip():
            return "Type to search"
        if not self.presenter.more:
            return f"{count} found"
        if count >= SEARCH_LIMIT_MAX:
            return f"More than {count} match: type more to narrow the search"
        return f"First {count} shown, more match: F5 shows more, or type more to narrow"

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Arrow and page keys move the selection, even from the search box."""
        step = _STEPS.get(Qt.Key(event.key()))
        if step is None or not self.presenter.items:
            super().keyPressEvent(event)
            return
        last = len(self.presenter.items) - 1
        self.table.selectRow(max(0, min(last, self.table.currentRow() + step)))
        event.accept()

    def enter_pressed(self) -> None:
        self.choose()

    def choose(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.presenter.items):
            self.chosen.emit(self.presenter.items[row])
            self.accept()

    def handle_scan(self, code: str) -> None:
        self.query.setText(code)
