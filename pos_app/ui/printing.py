"""A tiny layout engine for 80 mm paper: text lines, rules and barcodes, painted with QPainter.

Documents (receipts, Z reports) are lists of blocks (``pos_app.services.documents``); this module
measures them, sizes the page to fit (80 mm wide, as long as needed), and paints them onto a
QPrinter, a PDF file or a QImage. Sizes are in millimetres and points, so the same document
looks the same at 203 dpi on a thermal printer and at 1200 dpi in a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pos_app.services.documents import Align, Barcode, Block, Gap, Rule, Text
from pos_app.ui.barcode_painter import paint_code128
from pos_app.ui.qt import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPointF,
    QPrinter,
    QRectF,
    QSizeF,
    Qt,
)

PAPER_WIDTH_MM = 80.0
MARGIN_MM = 4.0
FONT_FAMILY = "DejaVu Sans Mono"
MM_PER_INCH = 25.4
MIN_POINT_SIZE = 6.5

__all__ = ["Align", "Barcode", "Block", "Gap", "Rule", "Text", "paint_document",
           "print_blocks", "render_image", "write_pdf"]


def _font(block: Text) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(block.point_size)
    font.setBold(block.bold)
    return font


def _line_height_mm(block: Text) -> float:
    return block.point_size * 0.3528 * 1.3  # points to mm, plus leading


def _height_mm(block: Block) -> float:
    match block:
        case Text():
            return _line_height_mm(block)
        case Rule():
            return 2.5
        case Gap(mm=mm):
            return mm
        case Barcode(height_mm=height):
            return height + 1.0


def document_height_mm(blocks: Sequence[Block]) -> float:
    return 2 * MARGIN_MM + sum(_height_mm(block) for block in blocks)


def paint_document(painter: QPainter, blocks: Sequence[Block], dots_per_mm: float,
                   width_mm: float = PAPER_WIDTH_MM, margin_mm: float = MARGIN_MM) -> None:
    """Paint ``blocks`` from the top-left of the paper (80 mm wide unless ``width_mm``)."""
    width = (width_mm - 2 * margin_mm) * dots_per_mm
    x, y = margin_mm * dots_per_mm, margin_mm * dots_per_mm
    painter.setPen(QPen(QColor("black")))
    for block in blocks:
        height = _height_mm(block) * dots_per_mm
        match block:
            case Text():
                _paint_text(painter, block, QRectF(x, y, width, height))
            case Rule():
                pen = QPen(QColor("black"))
                pen.setWidthF(0.25 * dots_per_mm)
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.save()
                painter.setPen(pen)
                painter.drawLine(QPointF(x, y + height / 2), QPointF(x + width, y + height / 2))
                painter.restore()
            case Barcode(code=code, height_mm=bar_height):
                paint_code128(painter, QRectF(x, y, width, bar_height * dots_per_mm), code)
            case Gap():
                pass
        y += height


def _paint_text(painter: QPainter, block: Text, rect: QRectF) -> None:
    font = _font(block)
    vcenter = Qt.AlignmentFlag.AlignVCenter
    if block.align is Align.CENTER:
        while (font.pointSizeF() > MIN_POINT_SIZE and QFontMetricsF(font, painter.device())
               .horizontalAdvance(block.left) > rect.width()):
            font.setPointSizeF(font.pointSizeF() - 0.5)  # shrink a long title to fit
        painter.setFont(font)
        text = QFontMetricsF(font, painter.device()).elidedText(
            block.left, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter | vcenter), text)
        return
    painter.setFont(font)
    right_width = QFontMetricsF(font, painter.device()).horizontalAdvance(block.right + " ")
    left_rect = rect.adjusted(0, 0, -right_width, 0)
    metrics = QFontMetricsF(font, painter.device())
    left = metrics.elidedText(block.left, Qt.TextElideMode.ElideRight, left_rect.width())
    painter.drawText(left_rect, int(Qt.AlignmentFlag.AlignLeft | vcenter), left)
    if block.right:
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | vcenter), block.right)


def page_layout(blocks: Sequence[Block]) -> QPageLayout:
    size = QPageSize(QSizeF(PAPER_WIDTH_MM, document_height_mm(blocks)),
                     QPageSize.Unit.Millimeter, "Receipt", QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Millimeter)


def write_pdf(blocks: Sequence[Block], path: Path, resolution: int = 600) -> Path:
    """Write ``blocks`` as a one-page PDF sized to fit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(resolution)
    writer.setPageLayout(page_layout(blocks))
    writer.setTitle("Receipt")
    painter = QPainter(writer)
    try:
        paint_document(painter, blocks, resolution / MM_PER_INCH)
    finally:
        painter.end()
    return path


def print_blocks(blocks: Sequence[Block], printer: QPrinter) -> None:
    """Print ``blocks`` on ``printer`` (a receipt printer, or a PDF-file QPrinter)."""
    printer.setFullPage(True)
    printer.setPageLayout(page_layout(blocks))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(f"The printer {printer.printerName() or '(default)'} is not available")
    try:
        paint_document(painter, blocks, printer.resolution() / MM_PER_INCH)
    finally:
        painter.end()


def render_image(blocks: Sequence[Block], dpi: int = 203) -> QImage:
    """Render ``blocks`` to a white image at ``dpi`` (203 is a thermal printer's)."""
    dots_per_mm = dpi / MM_PER_INCH
    image = QImage(round(PAPER_WIDTH_MM * dots_per_mm),
                   round(document_height_mm(blocks) * dots_per_mm), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dots_per_mm * 1000))
    image.setDotsPerMeterY(round(dots_per_mm * 1000))
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        paint_document(painter, blocks, dots_per_mm)
    finally:
        painter.end()
    return image
