"""An item the catalog lacks, entered on the spot at drop-off check-in (issue 13).

Opened by the hall's check-in screen for a scanned tag the catalog does not know (the tag is
kept), or with F3 for an item that came without a tag (the register numbers it from its own
block). Keyboard only: Tab between the fields, Enter enters the item (a :class:`KeyDialog`:
Enter never cancels), Escape cancels. A scan while it is open fills the tag. The item is
written on the write lane by :class:`NewItemService`; a refused field keeps the dialog open
with the reason, and the field at fault takes the focus.
"""

from __future__ import annotations

from pos_app.core.new_items import NewItem
from pos_app.core.tags import TagError, parse_tag
from pos_app.services.new_items import NewItemDraft, NewItemError, NewItemService
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation, find_runner
from pos_app.ui.qt import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import title_label


class NewItemDialog(KeyDialog):
    """Emits :attr:`entered` with the new item (then closes), :attr:`refused` with a reason."""

    entered = Signal(object)  # NewItem
    refused = Signal(str)

    def __init__(self, service: NewItemService, cashier_id: str, tag: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newItemDialog")
        self.setWindowTitle("New item at check-in")
        self.setMinimumWidth(620)
        self._service, self._cashier_id = service, cashier_id
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("New item at check-in", self))
        note = QLabel(f"Tag {tag} is not in the catalog." if tag else
                      "No tag yet: one is printed with this register's next number.", self)
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.tag = QLineEdit(tag, self)
        self.tag.setPlaceholderText("empty: a tag is printed with this register's next number")
        self.consignor = QLineEdit(self)
        self.description = QLineEdit(self)
        self.description.setPlaceholderText("e.g. red wagon, wooden")
        self.size_edit = QLineEdit(self)
        self.category = QLineEdit(self)
        self.price = QLineEdit(self)
        self.price.setPlaceholderText("e.g. 12.50")
        self.discountable = QCheckBox("May be discounted on discount days", self)
        self.discountable.setChecked(True)
        self.donate = QCheckBox("Donate if unsold", self)
        self.fields: dict[str, QWidget] = {
            "tag": self.tag, "consignor": self.consignor, "description": self.description,
            "size": self.size_edit, "category": self.category, "price": self.price}
        for label, field in (("Tag", self.tag), ("Consignor number", self.consignor),
                             ("Description", self.description), ("Size", self.size_edit),
                             ("Category", self.category), ("Price", self.price),
                             ("", self.discountable), ("", self.donate)):
            form.addRow(label, field)
        layout.addLayout(form)
        self.message = QLabel("Enter: check the item in and print its tag.  Esc: cancel", self)
        self.message.setObjectName("newItemMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.enter_button = QPushButton("Enter  Check in and print the tag", self)
        self.enter_button.clicked.connect(self.submit)
        layout.addWidget(self.enter_button)
        tagged = _consignor_of(tag)
        if tagged is not None:
            self.consignor.setText(str(tagged))  # the tag names the consignor
        (self.consignor if tagged is None else self.description).setFocus()

    def handle_scan(self, code: str) -> None:
        """A tag scanned while the form is open is the item's tag."""
        self.tag.setText(code)

    def enter_pressed(self) -> None:
        self.submit()

    def draft(self) -> NewItemDraft:
        return NewItemDraft(
            consignor=self.consignor.text(), description=self.description.text(),
            price=self.price.text(), size=self.size_edit.text(), category=self.category.text(),
            discountable=self.discountable.isChecked(),
            donate_if_unsold=self.donate.isChecked(), tag=self.tag.text())

    def submit(self) -> None:
        if not self.enter_button.isEnabled():
            return  # the item is being written
        self.enter_button.setEnabled(False)
        Operation.call(self, self._service.enter, self.draft(), self._cashier_id) \
            .success(self._entered).failure(self._refused).run()

    def _entered(self, item: NewItem) -> None:
        self.entered.emit(item)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.enter_button.setEnabled(True)
        if not isinstance(error, NewItemError):
            find_runner(self).report(error, self)  # a disk error or a bug: the one place
            return
        self.message.setText(str(error))
        field = self.fields.get(error.field)
        if field is not None:
            field.setFocus()
        self.refused.emit(str(error))


def _consignor_of(tag: str) -> int | None:
    """The consignor number a consignor-item tag carries, if ``tag`` is one."""
    try:
        return parse_tag(tag).consignor_number if tag.strip() else None
    except TagError:
        return None
