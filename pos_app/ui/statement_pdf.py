"""Consignor statements on US-letter pages: one PDF for one statement or for all of them.

The blocks come from ``pos_app.services.statements``; they are painted with the receipts'
painter (``pos_app.ui.printing``) on a letter page's width, split into pages where they no
longer fit, each statement from a new page. ``render_statement_png`` draws a statement's first
page as an image (the README's screenshot).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pos_app.services.documents import Block
from pos_app.ui.printing import MM_PER_INCH, document_height_mm, paint_document
from pos_app.ui.qt import QColor, QImage, QMarginsF, QPageLayout, QPageSize, QPainter, QPdfWriter

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 215.9, 279.4
MARGIN_MM = 15.0
USABLE_MM = PAGE_HEIGHT_MM - 2 * MARGIN_MM


def pages_of(blocks: Sequence[Block]) -> list[list[Block]]:
    """``blocks`` cut into pages that fit a letter page's height."""
    pages: list[list[Block]] = [[]]
    used = 0.0
    for block in blocks:
        height = document_height_mm([block]) - 2 * 4.0  # printing's own margins left out
        if pages[-1] and used + height > USABLE_MM:
            pages.append([])
            used = 0.0
        pages[-1].append(block)
        used += height
    return pages


def _paint(painter: QPainter, page: Sequence[Block], dots_per_mm: float) -> None:
    paint_document(painter, page, dots_per_mm, width_mm=PAGE_WIDTH_MM, margin_mm=MARGIN_MM)


def write_statements_pdf(statements: Sequence[Sequence[Block]], path: Path,
                         resolution: int = 300) -> int:
    """Write every statement into one PDF at ``path``; returns the number of pages.

    Written beside ``path`` and renamed, so a failure leaves no half-written file.
    """
    if not statements:
        raise ValueError("No statements to write")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    writer = QPdfWriter(str(partial))
    writer.setResolution(resolution)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle("Consignor statements")
    painter = QPainter()
    if not painter.begin(writer):
        partial.unlink(missing_ok=True)
        raise OSError(f"Cannot write {path}")
    pages = 0
    try:
        for blocks in statements:
            for page in pages_of(blocks):
                if pages:
                    writer.newPage()
                _paint(painter, page, resolution / MM_PER_INCH)
                pages += 1
    finally:
        painter.end()
    partial.replace(path)
    return pages


def render_statement_png(blocks: Sequence[Block], path: Path, dpi: int = 100) -> Path:
    """The statement's first page as a PNG at ``dpi``."""
    dots_per_mm = dpi / MM_PER_INCH
    image = QImage(round(PAGE_WIDTH_MM * dots_per_mm), round(PAGE_HEIGHT_MM * dots_per_mm),
                   QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        _paint(painter, pages_of(blocks)[0], dots_per_mm)
    finally:
        painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise OSError(f"Could not write {path}")
    return path
