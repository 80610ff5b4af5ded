"""The enrollment sheet: one QR code per register, for each register's first start.

A4 portrait, two columns by three rows of cards. Each card has the register's name, its QR
code (segno's module matrix, painted square by square, 4 modules of quiet zone), the event,
when the code stops working, and what to do with it. The QR holds the
:class:`~pos_app.services.enrollment.EnrollmentTicket` payload; the code in it works once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pos_app.services.enrollment import EnrollmentTicket
from pos_app.ui.qt import (
    QColor,
    QFont,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QRectF,
    Qt,
)

DPI = 300
COLUMNS, ROWS = 2, 3
PER_PAGE = COLUMNS * ROWS
MARGIN_MM, QR_MM, QUIET_MODULES = 12.0, 55.0, 4
FONT_FAMILY = "DejaVu Sans"


@dataclass(frozen=True, slots=True)
class SheetCard:
    register_name: str
    event_name: str
    expires_at: str
    ticket: EnrollmentTicket


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR code's dark modules (error correction M), without the quiet zone."""
    import segno

    code = segno.make_qr(payload, error="m", boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix]


def paint_qr(painter: QPainter, rect: QRectF, payload: str) -> None:
    """Paint the QR of ``payload`` into the square ``rect``, quiet zone included."""
    matrix = qr_matrix(payload)
    size = len(matrix) + 2 * QUIET_MODULES
    module = rect.width() / size
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(QRectF(rect.left() + (x + QUIET_MODULES) * module,
                                        rect.top() + (y + QUIET_MODULES) * module,
                                        module, module))
    painter.restore()


def _font(point_size: float, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def _paint_card(painter: QPainter, rect: QRectF, card: SheetCard, dots_per_mm: float) -> None:
    mm = dots_per_mm
    pen = QPen(QColor("#888888"))
    pen.setStyle(Qt.PenStyle.DashLine)
    pen.setWidthF(0.2 * mm)
    painter.setPen(pen)
    painter.drawRect(rect)
    painter.setPen(QColor("black"))
    inner = rect.adjusted(4 * mm, 3 * mm, -4 * mm, -3 * mm)
    painter.setFont(_font(15, bold=True))
    title = QRectF(inner.left(), inner.top(), inner.width(), 9 * mm)
    painter.drawText(title, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                     card.register_name)
    qr = QRectF(inner.center().x() - QR_MM * mm / 2, title.bottom() + 1 * mm,
                QR_MM * mm, QR_MM * mm)
    paint_qr(painter, qr, card.ticket.payload())
    painter.setFont(_font(8))
    lines = (f"Event: {card.event_name}", f"Register id: {card.ticket.register_id}",
             f"Works once, until {card.expires_at[:16].replace('T', ' ')} UTC",
             "First start: scan this code with the register's scanner.")
    text = QRectF(inner.left(), qr.bottom() + 1 * mm, inner.width(),
                  inner.bottom() - qr.bottom() - 1 * mm)
    painter.drawText(text, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                     "\n".join(lines))


def write_sheet(cards: Sequence[SheetCard], path: Path) -> int:
    """Write the cards as an A4 PDF, six to a page; return the number of pages."""
    if not cards:
        raise ValueError("no registers to put on the sheet")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setTitle("pos_app enrollment sheet")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    mm = DPI / 25.4
    page = writer.pageLayout().fullRect(QPageLayout.Unit.Millimeter)
    width = (page.width() - 2 * MARGIN_MM) / COLUMNS
    height = (page.height() - 2 * MARGIN_MM) / ROWS
    painter = QPainter(writer)
    pages = 1
    try:
        for index, card in enumerate(cards):
            slot = index % PER_PAGE
            if index and slot == 0:
                writer.newPage()
                pages += 1
            column, row = slot % COLUMNS, slot // COLUMNS
            rect = QRectF((MARGIN_MM + column * width) * mm, (MARGIN_MM + row * height) * mm,
                          width * mm, height * mm)
            _paint_card(painter, rect.adjusted(mm, mm, -mm, -mm), card, mm)
    finally:
        painter.end()
    return pages
