"""Printable documents as plain blocks (no Qt): text lines, rules, gaps and barcodes.

Receipts and shift reports are built as lists of these blocks; ``pos_app.ui.printing`` paints
them with Qt (PDF, system printers) and ``pos_app.services.escpos_printer`` sends them to an
ESC/POS receipt printer as its own commands.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Align(Enum):
    LEFT = "left"
    CENTER = "center"


@dataclass(frozen=True, slots=True)
class Text:
    left: str
    right: str = ""
    bold: bool = False
    point_size: float = 8.5
    align: Align = Align.LEFT


@dataclass(frozen=True, slots=True)
class Rule:
    pass


@dataclass(frozen=True, slots=True)
class Gap:
    mm: float = 2.0


@dataclass(frozen=True, slots=True)
class Barcode:
    code: str
    height_mm: float = 12.0


type Block = Text | Rule | Gap | Barcode
