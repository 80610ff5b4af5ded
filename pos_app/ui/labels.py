"""Item tags for reprints: one label, or a sheet of Avery 5160-style labels (30 per page).

Each tag shows the consignor and item numbers, description, size, price, a ½ mark when the
item is discountable, a DONATE mark when it is donated if unsold, and the Code128 barcode of
its tag code, painted bar by bar (see barcode_painter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pos_app.core.money import format_cents
from pos_app.ui.barcode_painter import paint_code128
from pos_app.ui.qt import (
    QColor,
    QFont,
    QImage,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRectF,
    QSizeF,
    Qt,
)

DPI = 300
LABEL_W_IN, LABEL_H_IN = 2.625, 1.0  # Avery 5160
COLUMNS, ROWS = 3, 10
LEFT_IN, TOP_IN, PITCH_X_IN = 0.1875, 0.5, 2.75  # letter paper, 1/8" between columns


@dataclass(frozen=True, slots=True)
class TagLabel:
    tag_code: str
    consignor_number: int
    item_number: int
    description: str
    size: str
    price_cents: int
    discountable: bool
    donate_if_unsold: bool


def paint_label(painter: QPainter, rect: QRectF, label: TagLabel) -> None:
    """Paint one tag into ``rect`` (device units of the painter)."""
    pad = rect.height() * 0.06
    inner = rect.adjusted(pad, pad, -pad, -pad)
    text_h = inner.height() * 0.42
    painter.setPen(QColor("black"))
    _text(painter, QRectF(inner.left(), inner.top(), inner.width() * 0.62, text_h * 0.45),
          f"#{label.consignor_number}  item {label.item_number}", bold=True)
    _text(painter, QRectF(inner.left(), inner.top() + text_h * 0.5, inner.width() * 0.62,
                          text_h * 0.45),
          f"{label.description[:28]}  {label.size}".strip())
    _text(painter, QRectF(inner.left() + inner.width() * 0.62, inner.top(),
                          inner.width() * 0.38, text_h * 0.6),
          format_cents(label.price_cents), bold=True, right=True)
    marks = "  ".join(m for m, on in (("½", label.discountable),
                                      ("DONATE", label.donate_if_unsold)) if on)
    _text(painter, QRectF(inner.left() + inner.width() * 0.62, inner.top() + text_h * 0.6,
                          inner.width() * 0.38, text_h * 0.4), marks, right=True)
    bars = QRectF(inner.left(), inner.top() + text_h + pad * 0.5, inner.width(),
                  inner.height() - text_h - pad * 0.5)
    paint_code128(painter, bars, label.tag_code)


def _text(painter: QPainter, rect: QRectF, text: str, *, bold: bool = False,
          right: bool = False) -> None:
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(6, int(rect.height() * 0.8)))
    font.setBold(bold)
    painter.setFont(font)
    align = (Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft)
    painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, text)


def label_image(label: TagLabel, dpi: int = DPI) -> QImage:
    """One tag as an image at ``dpi`` (white background)."""
    image = QImage(int(LABEL_W_IN * dpi), int(LABEL_H_IN * dpi), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_label(painter, QRectF(0, 0, image.width(), image.height()), label)
    painter.end()
    return image


def label_pdf(label: TagLabel, path: Path) -> Path:
    """One tag on a page of its own size, for a label printer."""
    writer = _writer(path, QPageSize(QSizeF(LABEL_W_IN, LABEL_H_IN), QPageSize.Unit.Inch))
    painter = QPainter(writer)
    paint_label(painter, QRectF(0, 0, writer.width(), writer.height()), label)
    painter.end()
    return path


def sheet_pdf(labels: Sequence[TagLabel], path: Path) -> int:
    """Avery 5160 sheets (letter, 3 x 10); returns the number of pages written."""
    writer = _writer(path, QPageSize(QPageSize.PageSizeId.Letter))
    painter = QPainter(writer)
    per_page = COLUMNS * ROWS
    pages = max(1, -(-len(labels) // per_page))
    for index, label in enumerate(labels):
        if index and index % per_page == 0:
            writer.newPage()
        slot = index % per_page
        row, column = divmod(slot, COLUMNS)
        rect = QRectF((LEFT_IN + column * PITCH_X_IN) * DPI, (TOP_IN + row * LABEL_H_IN) * DPI,
                      LABEL_W_IN * DPI, LABEL_H_IN * DPI)
        paint_label(painter, rect, label)
    painter.end()
    return pages


def _writer(path: Path, size: QPageSize) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Inch))
    writer.setTitle("pos_app tags")
    return writer
