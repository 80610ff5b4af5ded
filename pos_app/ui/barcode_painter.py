"""Code128 barcodes painted with QPainter from python-barcode's module string.

QtSvg draws python-barcode's SVG output wrongly, so only the encoder is used: ``build()``
gives the bars as a string of ``'1'`` (bar) and ``'0'`` (space) modules, which are painted
here as filled rectangles, with the quiet zones the standard asks for. python-barcode is
imported on the first barcode, not at start-up (it pulls in PIL and xml.dom: about 35 ms).
"""

from __future__ import annotations

import math

from pos_app.ui.qt import QColor, QPainter, QRectF

QUIET_ZONE_MODULES = 10


def code128_modules(text: str) -> str:
    """The bar/space modules of ``text`` encoded as Code128 (``'1'`` is a bar)."""
    import barcode

    encoder = barcode.get_barcode_class("code128")(text)
    modules: str = encoder.build()[0]
    return modules


def module_width(modules: str, width: float) -> float:
    """The width of one module when ``modules`` and quiet zones fill ``width``."""
    return width / (len(modules) + 2 * QUIET_ZONE_MODULES)


def paint_modules(painter: QPainter, rect: QRectF, modules: str) -> None:
    """Fill ``rect`` with the bars of ``modules`` (quiet zones included, centred).

    When a module is at least two device dots wide its width is rounded down to whole dots,
    so every bar of a thermal print has the same width (what scanners read best).
    """
    unit = module_width(modules, rect.width())
    if unit >= 2:
        unit = math.floor(unit)
    x = rect.left() + (rect.width() - len(modules) * unit) / 2
    run_start: int | None = None
    for index, module in enumerate(modules + "0"):
        if module == "1" and run_start is None:
            run_start = index
        elif module != "1" and run_start is not None:
            painter.fillRect(QRectF(x + run_start * unit, rect.top(),
                                    (index - run_start) * unit, rect.height()), QColor("black"))
            run_start = None


def paint_code128(painter: QPainter, rect: QRectF, text: str) -> None:
    paint_modules(painter, rect, code128_modules(text))
