"""The cart table view: a row added at the end repaints that row, not the whole table.

``QTableView`` answers any change in its row count (its vertical header's
``sectionCountChanged``) with a delayed layout of all its items and a repaint of its whole
viewport: on a scan, about 15 visible rows of 7 cells painted again for the one new row at
the bottom. Rows here are fixed in height and columns in width, so rows added at the end
move nothing: :class:`CartView` takes that signal over, and for rows added it only brings the
scroll range up to date and repaints the new rows (the scroll to the bottom that follows a
scan then blits the table up by a row). Rows removed, and a reset, go through Qt's own
full layout as before.
"""

from __future__ import annotations

from pos_app.ui.qt import QAbstractItemView, QRect, QTableView, QWidget


class CartView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # By pixel: by item, a row added under a partly shown last row shifts the offset by
        # part of a row when the scroll range grows, which only a full repaint would hide.
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.verticalHeader()
        header.sectionCountChanged.disconnect()  # only QTableView.rowCountChanged listens
        header.sectionCountChanged.connect(self._row_count_changed)

    def _row_count_changed(self, old: int, new: int) -> None:
        if self.model() is None or new <= old or old == 0:
            self.rowCountChanged(old, new)  # Qt's own path: lay out and repaint everything
            return
        self.updateGeometries()  # the scroll bar's range
        top = self.rowViewportPosition(old)
        bottom = self.rowViewportPosition(new - 1) + self.rowHeight(new - 1)
        self.viewport().update(QRect(0, top, self.viewport().width(), bottom - top))
