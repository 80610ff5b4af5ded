"""The settlement screen's conflicts view (F3): every unresolved conflict of the event in
words, and resolving the selected one.

Up and Down pick a conflict; its resolution shows below it: a consignor number for an unknown
item, the winning sale for a sold-twice item, or "accept as sold" for a price or discount
mismatch and the other kinds. Enter resolves (a :class:`KeyDialog`: never cancels), Escape
closes. The dialog only says what to send; the window sends it on the network lane, then
reloads the settlement.
"""

from __future__ import annotations

from pos_app.services.settlement_conflicts import (
    ACCEPT,
    ASSIGN,
    PICK_WINNER,
    Resolution,
    action_for,
    in_words,
)
from pos_app.services.settlement_data import Conflict
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.qt import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.settlement_dialogs import dialog_buttons
from pos_app.ui.widgets import title_label


class ConflictsDialog(KeyDialog):
    """Pick a conflict and its resolution; ``resolution`` is set when Enter accepts."""

    def __init__(self, conflicts: list[Conflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Unresolved conflicts")
        self.resize(900, 480)
        self.conflicts = conflicts
        self.resolution: Resolution | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(f"{len(conflicts)} unresolved conflict(s)", self))
        self.list = QListWidget(self)
        self.list.setObjectName("conflictList")
        self.list.setWordWrap(True)
        self.list.addItems([f"#{c.id}  {in_words(c)}" for c in conflicts])
        layout.addWidget(self.list, 1)
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
        dialog_buttons(self, "Resolve", layout)
        self.list.currentRowChanged.connect(self._show)
        self.list.setCurrentRow(0)
        self.list.setFocus()

    def current(self) -> Conflict | None:
        r = self.list.currentRow()
        return self.conflicts[r] if 0 <= r < len(self.conflicts) else None

    def _show(self, _row: int) -> None:
        conflict = self.current()
        action = action_for(conflict.kind) if conflict else None
        self.consignor.setEnabled(action == ASSIGN)
        self.winner.setEnabled(action == PICK_WINNER)
        self.winner.clear()
        self.error.setText("")
        if conflict is None or action is None:
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
