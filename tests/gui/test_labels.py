"""Tag reprints: the barcode on a rendered label decodes back to the same tag code."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from pos_app.ui.labels import COLUMNS, ROWS, TagLabel, label_image, label_pdf, sheet_pdf

zbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar needs libzbar0 (scripts/test.sh)")


def _label(tag: str = "1042-0017", number: int = 17) -> TagLabel:
    return TagLabel(tag, 1042, number, "Fleece hoodie", "4T", 1250, True, True)


def _decode(path: Path) -> list[str]:
    return sorted(symbol.data.decode() for symbol in zbar.decode(Image.open(path)))


def test_single_label_barcode_decodes_to_the_tag(qapp: object, tmp_path: Path) -> None:
    png = tmp_path / "label.png"
    assert label_image(_label()).save(str(png))

    assert _decode(png) == ["1042-0017"]


def test_label_pdf_is_written(qapp: object, tmp_path: Path) -> None:
    pdf = label_pdf(_label(), tmp_path / "label.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_avery_sheet_holds_30_decodable_labels_per_page(qapp: object, tmp_path: Path) -> None:
    labels = [_label(f"1042-{n:04d}", n) for n in range(1, 36)]
    pdf = tmp_path / "sheet.pdf"

    pages = sheet_pdf(labels, pdf)

    assert pages == 2
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    first, second = sorted(tmp_path.glob("page*.png"))
    assert _decode(first) == [f"1042-{n:04d}" for n in range(1, COLUMNS * ROWS + 1)]
    assert _decode(second) == [f"1042-{n:04d}" for n in range(31, 36)]
