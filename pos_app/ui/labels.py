"""Item tags for reprints, painted with QPainter: one label (PDF or PNG), or Avery 5160 sheets.

A tag shows the consignor number and item number, the description and size, the price, a
DISCOUNT mark when the item may be discounted, a DONATE mark when it is donated if unsold, and
the Code128 barcode of its tag code with the code in plain text under it. The bars come from
:mod:`pos_app.ui.barcode_painter` (python-barcode's modules, never its SVG).

Avery 5160 on US letter: 3 columns x 10 rows of 2.625 in x 1 in labels; the sheet has a
0.5 in top margin, a 0.1875 in side margin and 0.125 in between columns (pitch 2.75 in), so
everything is placed from the page's corner with no printer margin added.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pos_app.core.money import format_cents
from pos_app.services.tag_reprints import DISCOUNT_MARK, DONATE_MARK, TagLabel
from pos_app.ui.barcode_painter import paint_code128
from pos_app.ui.qt import (
    QColor,
    QFont,
    QImage,
    QImageWriter,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRectF,
    QSizeF,
    Qt,
)

__all__ = ["COLUMNS", "DPI", "PER_PAGE", "ROWS", "TagLabel", "label_image", "label_pdf",
           "label_png", "paint_label", "sheet_pdf", "slot_rect"]

DPI = 300
LABEL_W_IN, LABEL_H_IN = 2.625, 1.0  # Avery 5160 / 8160 / 5260
COLUMNS, ROWS = 3, 10
PER_PAGE = COLUMNS * ROWS
LEFT_IN, TOP_IN = 0.1875, 0.5
PITCH_X_IN, PITCH_Y_IN = 2.75, 1.0
FONT_FAMILY = "DejaVu Sans"
# Bands of the label's inner height, top to bottom (fractions of the label's height).
_PAD, _HEAD, _TEXT, _MARKS, _GAP, _BARS, _HUMAN = 0.06, 0.21, 0.13, 0.12, 0.02, 0.26, 0.10
_AlignLeft, _AlignRight = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
_AlignCenter = Qt.AlignmentFlag.AlignHCenter


def paint_label(painter: QPainter, rect: QRectF, label: TagLabel) -> None:
    """Paint one tag into ``rect`` (device units of the painter; any size, 8:3 is best)."""
    unit = rect.height()
    inner = rect.adjusted(unit * _PAD, unit * _PAD, -unit * _PAD, -unit * _PAD)
    left, width = inner.left(), inner.width()
    bands = _bands(inner.top(), unit)
    painter.save()
    painter.setPen(QColor("black"))
    head, text, marks, bars, human = bands
    price = format_cents(label.price_cents)
    price_w = _fit(painter, price, QRectF(left, head[0], width * 0.5, head[1]), bold=True,
                   align=_AlignRight | Qt.AlignmentFlag.AlignVCenter, anchor_right=inner.right())
    _fit(painter, f"{label.consignor_number}", QRectF(left, head[0], width * 0.3, head[1]),
         bold=True)
    number_w = painter.fontMetrics().horizontalAdvance(f"{label.consignor_number} ")
    _fit(painter, f"item {label.item_number}",
         QRectF(left + number_w, head[0] + head[1] * 0.3, width - number_w - price_w,
                head[1] * 0.7))
    size_w = _fit(painter, label.size, QRectF(left, text[0], width * 0.3, text[1]), bold=True,
                  align=_AlignRight | Qt.AlignmentFlag.AlignVCenter, anchor_right=inner.right())
    _fit(painter, label.description, QRectF(left, text[0], width - size_w - unit * 0.04,
                                             text[1]), elide=True)
    _marks(painter, QRectF(left, marks[0], width, marks[1]), label)
    paint_code128(painter, QRectF(left, bars[0], width, bars[1]), label.tag_code)
    _fit(painter, label.tag_code, QRectF(left, human[0], width, human[1]),
         align=_AlignCenter | Qt.AlignmentFlag.AlignVCenter)
    painter.restore()


def _bands(top: float, unit: float) -> list[tuple[float, float]]:
    """(top, height) of the head, text, marks, bars and human-readable bands."""
    result, y = [], top
    for height, gap_after in ((_HEAD, 0.0), (_TEXT, 0.0), (_MARKS, _GAP), (_BARS, 0.0),
                              (_HUMAN, 0.0)):
        result.append((y, height * unit))
        y += (height + gap_after) * unit
    return result


def _font(pixels: float, *, bold: bool) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPixelSize(max(4, int(pixels)))
    font.setBold(bold)
    return font


def _fit(painter: QPainter, text: str, rect: QRectF, *, bold: bool = False,
         align: Qt.AlignmentFlag = _AlignLeft | Qt.AlignmentFlag.AlignVCenter,
         elide: bool = False, anchor_right: float | None = None) -> float:
    """Draw ``text`` as large as ``rect``'s height allows, shrunk (or elided) to its width.

    With ``anchor_right`` the box is moved to end there. Returns the width drawn.
    """
    if not text:
        return 0.0
    pixels = rect.height() * 0.82
    painter.setFont(_font(pixels, bold=bold))
    advance = painter.fontMetrics().horizontalAdvance(text)
    if elide:
        text = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                int(rect.width()))
    elif advance > rect.width():
        painter.setFont(_font(pixels * rect.width() / advance, bold=bold))
    drawn = min(float(painter.fontMetrics().horizontalAdvance(text)), rect.width())
    if anchor_right is not None:
        rect = QRectF(anchor_right - rect.width(), rect.top(), rect.width(), rect.height())
    painter.drawText(rect, align, text)
    return drawn


def _marks(painter: QPainter, rect: QRectF, label: TagLabel) -> None:
    """DISCOUNT and DONATE as white-on-black pills, left to right."""
    x = rect.left()
    painter.setFont(_font(rect.height() * 0.72, bold=True))
    metrics = painter.fontMetrics()
    for mark, on in ((DISCOUNT_MARK, label.discountable), (DONATE_MARK, label.donate_if_unsold)):
        if not on:
            continue
        pill = QRectF(x, rect.top(), metrics.horizontalAdvance(mark) + rect.height() * 0.8,
                      rect.height())
        painter.setBrush(QColor("black"))
        painter.drawRoundedRect(pill, rect.height() * 0.3, rect.height() * 0.3)
        painter.setPen(QColor("white"))
        painter.drawText(pill, _AlignCenter | Qt.AlignmentFlag.AlignVCenter, mark)
        painter.setPen(QColor("black"))
        x = pill.right() + rect.height() * 0.5


def slot_rect(slot: int, dpi: int = DPI) -> QRectF:
    """Where label ``slot`` (0-29, row by row from the top left) sits on a sheet, in dots."""
    if not 0 <= slot < PER_PAGE:
        raise ValueError(f"an Avery 5160 sheet has slots 0-{PER_PAGE - 1}, not {slot}")
    row, column = divmod(slot, COLUMNS)
    return QRectF((LEFT_IN + column * PITCH_X_IN) * dpi, (TOP_IN + row * PITCH_Y_IN) * dpi,
                  LABEL_W_IN * dpi, LABEL_H_IN * dpi)


def label_image(label: TagLabel, dpi: int = DPI) -> QImage:
    """One tag as an image at ``dpi`` (white background)."""
    image = QImage(round(LABEL_W_IN * dpi), round(LABEL_H_IN * dpi), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint_label(painter, QRectF(0, 0, image.width(), image.height()), label)
    painter.end()
    return image


def label_png(label: TagLabel, path: Path, dpi: int = DPI) -> Path:
    """One tag as a PNG file (for a label printer's own software); returns ``path``."""
    writer = QImageWriter(str(path), b"PNG")  # QImage.save(path, b"PNG") raises in 6.12
    if not writer.write(label_image(label, dpi)):
        raise OSError(f"could not write {path}: {writer.errorString()}")
    return path


def label_pdf(label: TagLabel | Sequence[TagLabel], path: Path) -> Path:
    """Tags on pages of their own size (2.625 in x 1 in, one per page) for a label printer."""
    labels = [label] if isinstance(label, TagLabel) else list(label)
    if not labels:
        raise ValueError("no tags to print")
    writer = _writer(path, QPageSize(QSizeF(LABEL_W_IN, LABEL_H_IN), QPageSize.Unit.Inch,
                                     "Avery 5160 label"))
    painter = QPainter(writer)
    for index, one in enumerate(labels):
        if index:
            writer.newPage()
        paint_label(painter, QRectF(0, 0, writer.width(), writer.height()), one)
    painter.end()
    return path


def sheet_pdf(labels: Sequence[TagLabel], path: Path, *, first_slot: int = 0) -> int:
    """Avery 5160 sheets (letter, 3 x 10); returns the number of pages written.

    ``first_slot`` skips labels already used on the first sheet (0-29, row by row).
    """
    if not labels:
        raise ValueError("no tags to print")
    slot_rect(first_slot)  # validates it
    writer = _writer(path, QPageSize(QPageSize.PageSizeId.Letter))
    painter = QPainter(writer)
    for index, label in enumerate(labels, start=first_slot):
        if index != first_slot and index % PER_PAGE == 0:
            writer.newPage()
        paint_label(painter, slot_rect(index % PER_PAGE), label)
    painter.end()
    return (first_slot + len(labels) + PER_PAGE - 1) // PER_PAGE


def _writer(path: Path, size: QPageSize) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Inch))
    writer.setTitle("pos_app tags")
    writer.setCreator("pos_app")
    return writer
