"""The cart as a Qt table model: one row per line, appended and removed one row at a time.

Rows are inserted with ``beginInsertRows`` for the one new line and removed with
``beginRemoveRows``, never a model reset, so a 300-line cart stays smooth and the view keeps
its scroll position and selection. Only a recalled cart or a new sale resets the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from pos_app.core.cart import OPEN_PRICE_PREFIX, CartLine
from pos_app.core.money import format_cents
from pos_app.ui.qt import (
    QAbstractTableModel,
    QColor,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

type AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NUMBER = 0
    TAG = 1
    DESCRIPTION = 2
    SIZE = 3
    PRICE = 4
    DISCOUNT = 5
    NET = 6


HEADERS = {
    Column.NUMBER: "#", Column.TAG: "Tag", Column.DESCRIPTION: "Item", Column.SIZE: "Size",
    Column.PRICE: "Price", Column.DISCOUNT: "Discount", Column.NET: "You pay",
}
_RIGHT = {Column.NUMBER, Column.PRICE, Column.DISCOUNT, Column.NET}
DISCOUNT_COLOUR = QColor("#b45309")
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
ALIGNMENTS = tuple(
    (Qt.AlignmentFlag.AlignRight if column in _RIGHT else Qt.AlignmentFlag.AlignLeft)
    | Qt.AlignmentFlag.AlignVCenter
    for column in Column
)


class CartTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[CartLine] = []
        self._texts: list[tuple[str, ...]] = []  # each line's cells, formatted once

    @property
    def lines(self) -> Sequence[CartLine]:
        return self._lines

    def append_line(self, line: CartLine) -> int:
        row = len(self._lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.append(line)
        self._texts.append(_texts(line))
        self.endInsertRows()
        return row

    def remove_line(self, row: int) -> CartLine:
        self.beginRemoveRows(QModelIndex(), row, row)
        line = self._lines.pop(row)
        del self._texts[row]
        self.endRemoveRows()
        if row < len(self._lines):  # the "#" column of the rows below changed
            self.dataChanged.emit(self.index(row, Column.NUMBER),
                                  self.index(len(self._lines) - 1, Column.NUMBER))
        return line

    def replace_line(self, row: int, line: CartLine) -> None:
        """Row ``row`` priced again (a price override); its cell texts formatted again."""
        self._lines[row] = line
        self._texts[row] = _texts(line)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def replace_all(self, lines: Sequence[CartLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self._texts = [_texts(line) for line in self._lines]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

    def cell_text(self, row: int, column: int) -> str:
        """What a cell shows (the delegate's fast path; the same text as ``data``)."""
        if column == Column.NUMBER:
            return str(row + 1)
        return self._texts[row][column]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role on each repaint: plain ints, no enum work.
        role = int(role)
        if role == _DISPLAY:
            return self.cell_text(index.row(), index.column())
        if role == _ALIGNMENT:
            return ALIGNMENTS[index.column()]
        if role == _FOREGROUND and index.column() == Column.DISCOUNT:
            return DISCOUNT_COLOUR
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None



# Indexed by column number, in Column order.
_CELLS: tuple[Callable[[CartLine, int], str], ...] = (
    lambda line, row: str(row + 1),
    lambda line, row: line.tag_code,
    lambda line, row: f"{line.description} (open price)"
    if line.item_id.startswith(OPEN_PRICE_PREFIX)
    else f"{line.description} (price override)" if line.overridden else line.description,
    lambda line, row: line.size,
    lambda line, row: format_cents(line.unit_price_cents),
    lambda line, row: f"-{format_cents(line.discount_cents)}" if line.discount_cents else "",
    lambda line, row: format_cents(line.price_cents),
)


def _texts(line: CartLine) -> tuple[str, ...]:
    """The line's cell texts by column ("#" depends on the row: left empty here)."""
    return ("", *(cell(line, 0) for cell in _CELLS[1:]))
