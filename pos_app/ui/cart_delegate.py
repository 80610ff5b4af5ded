"""The cart table's cell painter: the few things a cart cell shows, drawn directly.

Each scan scrolls the cart by a row, so the whole visible table is repainted (about 15 rows of
7 cells). Qt's standard delegate asks the model for about ten roles per cell (each a Python
call into :class:`CartTableModel`) and lays the text out through the style sheet's item rules
on every paint: about 6 ms of CPU per repaint here, most of a scan's. This delegate reads the
line's cell texts, formatted once when the line was added, and draws each with one call:
the alternating row colour or the selection, the text aligned and elided as before, the
discount in its colour.
"""

from __future__ import annotations

from pos_app.ui.cart_model import ALIGNMENTS, DISCOUNT_COLOUR, CartTableModel, Column
from pos_app.ui.qt import (
    QModelIndex,
    QObject,
    QPainter,
    QPersistentModelIndex,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)

PADDING = 3
_SELECTED = QStyle.StateFlag.State_Selected


class CartDelegate(QStyledItemDelegate):
    def __init__(self, model: CartTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._flags = tuple(int(alignment) for alignment in ALIGNMENTS)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row, column = index.row(), index.column()
        rect = option.rect
        palette = option.palette
        selected = bool(option.state & _SELECTED)
        if selected:
            painter.fillRect(rect, palette.highlight())
        elif row % 2:
            painter.fillRect(rect, palette.alternateBase())
        text = self._model.cell_text(row, column)
        if not text:
            return
        width = rect.width() - 2 * PADDING
        metrics = option.fontMetrics
        if metrics.horizontalAdvance(text) > width:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        painter.setFont(option.font)
        if column == Column.DISCOUNT and not selected:
            painter.setPen(DISCOUNT_COLOUR)
        else:
            painter.setPen(palette.highlightedText().color() if selected
                           else palette.text().color())
        painter.drawText(rect.adjusted(PADDING, 0, -PADDING, 0), self._flags[column], text)
