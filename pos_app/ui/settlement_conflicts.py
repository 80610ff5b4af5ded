"""The settlement screen's conflicts view (F3): the event's unresolved conflicts in words, a
page at a time, and resolving the selected one.

An event may have millions of open conflicts, so the view never asks for all of them: it
loads the first page (``GET .../conflicts``, by conflict id) on the network lane, and the
next one on F5 ("Show more") or when the selection or the scroll bar reaches the last row
shown; a page the server examined without finding any (one consignor's, say) is followed at
once by the next. Up and Down pick a conflict; its resolution shows below it: a consignor
number for an unknown item, the winning sale for a sold-twice item, or "accept as sold" for
a price or discount mismatch and the other kinds. Enter resolves (a :class:`KeyDialog`:
never cancels), Escape closes. The dialog only says what to send; the window sends it on the
network lane, then reloads the settlement (its count of open conflicts).
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.services.settlement import SettlementError
from pos_app.services.settlement_conflicts import (
    ACCEPT,
    ASSIGN,
    PICK_WINNER,
    Resolution,
    action_for,
    in_words,
)
from pos_app.services.settlement_data import Conflict, ConflictPage, MalformedReply
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation, find_runner
from pos_app.ui.qt import (
    QComboBox,
    QFormLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QPushButton,
    QShortcut,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.settlement_dialogs import dialog_buttons
from pos_app.ui.taskman import Lane
from pos_app.ui.widgets import title_label

type PageLoader = Callable[[int], ConflictPage]  # the page after a conflict id (0: the first)


class ConflictsDialog(KeyDialog):
    """Pick a conflict and its resolution; ``resolution`` is set when Enter accepts.

    ``load_page(after)`` runs on the network lane; ``open_count`` is the settlement's count
    (of the event, or of ``consignor`` when the view lists only theirs).
    """

    def __init__(self, load_page: PageLoader, open_count: int,
                 parent: QWidget | None = None, *, consignor: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Unresolved conflicts")
        self.resize(900, 480)
        self.load_page = load_page
        self.conflicts: list[Conflict] = []
        self.next_after: int | None = 0  # the next page's ``after``; None once all are shown
        self.loading = False
        self.resolution: Resolution | None = None
        layout = QVBoxLayout(self)
        of = f" of consignor {consignor}" if consignor is not None else ""
        self.title = title_label(f"{open_count} unresolved conflict(s){of}", self)
        layout.addWidget(self.title)
        self.list = QListWidget(self)
        self.list.setObjectName("conflictList")
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        self.shown = QLabel("Loading the first page...", self)
        self.shown.setObjectName("conflictsShown")
        layout.addWidget(self.shown)
        form = QFormLayout()
        self.consignor = QSpinBox(self)
        self.consignor.setRange(0, 999_999_999)
        self.winner = QComboBox(self)
        self.how = QLabel("", self)
        self.how.setWordWrap(True)
        form.addRow("Resolution", self.how)
        form.addRow("&Consignor number", self.consignor)
        form.addRow("&Winning sale", self.winner)
        layout.addLayout(form)
        self.error = QLabel("", self)
        self.error.setObjectName("dialogError")
        layout.addWidget(self.error)
        self.more_button = QPushButton("F5  Show more", self)
        self.more_button.setEnabled(False)
        self.more_button.clicked.connect(self.load_more)
        more = QShortcut(QKeySequence("F5"), self)
        more.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        more.activated.connect(self.load_more)
        layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        dialog_buttons(self, "Resolve", layout)
        self.list.currentRowChanged.connect(self._show)
        self.list.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.list.setFocus()
        self._show(-1)
        self.load_more()

    # -- paging -----------------------------------------------------------------------------

    def load_more(self) -> None:
        """The next page, on the network lane (nothing once all are shown or while one is
        on its way)."""
        after = self.next_after
        if after is None or self.loading:
            return
        self.loading = True
        self.more_button.setEnabled(False)
        Operation(self, lambda: self.load_page(after), lane=Lane.NETWORK) \
            .success(self._page).failure(self._page_error).run()

    def _page(self, page: ConflictPage) -> None:
        self.loading = False
        first = not self.conflicts
        self.conflicts += page.conflicts
        self.list.addItems([f"#{c.id}  {in_words(c)}" for c in page.conflicts])
        self.next_after = page.next_after
        if not page.conflicts and page.next_after is not None:
            self.shown.setText(f"{len(self.conflicts)} shown; looking further...")
            self.load_more()  # the server examined a window with none of these: go on
            return
        self.more_button.setEnabled(page.next_after is not None)
        more = "; F5 (or going past the last) shows more" if page.next_after is not None else ""
        self.shown.setText(f"{len(self.conflicts)} shown{more}." if self.conflicts
                           else "No unresolved conflicts left.")
        if first and self.conflicts:
            self.list.setCurrentRow(0)

    def _page_error(self, error: BaseException) -> None:
        self.loading = False
        self.more_button.setEnabled(self.next_after is not None)
        if not isinstance(error, SettlementError | MalformedReply):
            find_runner(self).report(error, self)
            return
        self.shown.setText(f"{len(self.conflicts)} shown; the next page did not come: {error} "
                           "(F5 to try again)")

    def _scrolled(self, value: int) -> None:
        if value > 0 and value == self.list.verticalScrollBar().maximum():
            self.load_more()

    # -- the selected conflict --------------------------------------------------------------

    def current(self) -> Conflict | None:
        r = self.list.currentRow()
        return self.conflicts[r] if 0 <= r < len(self.conflicts) else None

    def _show(self, row: int) -> None:
        if row >= 0 and row == len(self.conflicts) - 1:
            self.load_more()  # the selection reached the last row shown
        conflict = self.current()
        action = action_for(conflict.kind) if conflict else None
        self.consignor.setEnabled(action == ASSIGN)
        self.winner.setEnabled(action == PICK_WINNER)
        self.winner.clear()
        self.error.setText("")
        if conflict is None:
            self.how.setText("")
        elif action is None:
            self.how.setText("No resolution for this kind of conflict.")
        elif action == ASSIGN:
            self.how.setText("Assign the item to the consignor below (it then counts in "
                             "their gross).")
            self.consignor.setValue(conflict.consignor_number or 0)
        elif action == PICK_WINNER:
            self.how.setText("The winning sale below holds the item; the other sale's line "
                             "no longer counts.")
            if conflict.winning_sale_id:
                self.winner.addItem(f"Sale {conflict.winning_sale_id} at register "
                                    f"{conflict.winning_register_id} (holds it now)",
                                    conflict.winning_sale_id)
            self.winner.addItem(f"Sale {conflict.sale_id} at register {conflict.register_id}",
                                conflict.sale_id)
        else:
            self.how.setText("Accept the figures as sold.")

    def chosen(self) -> Resolution | None:
        """The resolution the fields describe for the selected conflict, if any."""
        conflict = self.current()
        action = action_for(conflict.kind) if conflict else None
        if conflict is None or action is None:
            return None
        if action == ASSIGN:
            return Resolution(conflict.id, ASSIGN, consignor_number=self.consignor.value())
        if action == PICK_WINNER:
            return Resolution(conflict.id, PICK_WINNER,
                              winning_sale_id=str(self.winner.currentData() or ""))
        return Resolution(conflict.id, ACCEPT)

    def enter_pressed(self) -> None:
        resolution = self.chosen()
        if resolution is None:
            self.error.setText("This conflict cannot be resolved here.")
            return
        self.resolution = resolution
        self.accept()
