"""Receipts and Z reports: 80 mm documents with a Code128 barcode painted from its modules."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from guikit import Till

from pos_app.core.cart import CartLine, totals_of
from pos_app.core.pricing import PricingPolicy
from pos_app.core.sale import CompletedSale, SaleHeader, build_sale
from pos_app.core.tender import Tender, TenderKind
from pos_app.ui.barcode_painter import code128_modules
from pos_app.ui.printing import Barcode, Block, Text, render_image, write_pdf
from pos_app.ui.qt import QImage
from pos_app.ui.receipt import ReceiptHeader, ReceiptPrinter, receipt_blocks, receipt_code

pytestmark = pytest.mark.usefixtures("qapp")  # fonts need a QGuiApplication

HEADER = ReceiptHeader("Spring Kids Sale", "demo-register-1", "Register 1", "Dana", 825)


def _sale(lines: int = 3) -> CompletedSale:
    cart = [CartLine(f"item-{n}", f"1001-{n:04d}", 1001, f"Thing {n}", 1_000, 500)
            for n in range(1, lines + 1)]
    policy = PricingPolicy(tax_rate_bp=825)
    totals = totals_of(cart, policy)
    header = SaleHeader("sale-1", "event", "demo-register-1", None, "cashier",
                        "2026-05-16T12:00:00.000Z")
    paid = [Tender(TenderKind.CASH, totals.total_cents, totals.total_cents + 25, 25)]
    return build_sale(header, 42, cart, paid, policy)


def _bar_runs(image: QImage, y: int) -> list[tuple[bool, int]]:
    """Run lengths of dark/light pixels along row ``y`` (between the first and last bar)."""
    dark = [image.pixelColor(x, y).lightness() < 128 for x in range(image.width())]
    first, last = dark.index(True), len(dark) - 1 - dark[::-1].index(True)
    runs: list[tuple[bool, int]] = []
    for value in dark[first:last + 1]:
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    return runs


def _module_runs(modules: str) -> list[tuple[bool, int]]:
    runs: list[tuple[bool, int]] = []
    for module in modules.strip("0"):
        value = module == "1"
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    return runs


def test_the_barcode_is_painted_bar_for_bar_from_the_encoder_modules() -> None:
    code = receipt_code("demo-register-1", 42)
    assert code == "demo-register-1-000042"
    image = render_image([Barcode(code, height_mm=10)], dpi=300)
    runs = _bar_runs(image, image.height() // 2)
    expected = _module_runs(code128_modules(code))
    assert [dark for dark, _ in runs] == [dark for dark, _ in expected]
    unit = runs[0][1] / expected[0][1]
    assert unit >= 2  # whole device dots per module
    assert [width for _, width in runs] == [round(n * unit) for _, n in expected]


def test_receipt_lists_items_totals_tenders_and_the_item_count() -> None:
    texts = [b.left + " " + b.right for b in receipt_blocks(_sale(), HEADER) if
             isinstance(b, Text)]
    joined = "\n".join(texts)
    assert "Sale #42" in joined
    assert "1001-0001 Thing 1 $10.00" in joined
    assert "Items: 3" in joined
    assert "Tax 8.25%" in joined
    assert "Change $0.25" in joined
    blocks = receipt_blocks(_sale(), HEADER)
    assert Barcode("demo-register-1-000042") in blocks


def test_reprint_and_void_are_marked() -> None:
    texts = [b.left for b in receipt_blocks(_sale(), HEADER, reprint=True, voided=True)
             if isinstance(b, Text)]
    assert "*** REPRINT ***" in texts and "*** VOIDED ***" in texts


def test_receipt_pdf_is_80_mm_wide_and_its_barcode_scans(tmp_path: Path) -> None:
    blocks = receipt_blocks(_sale(30), HEADER)
    path = write_pdf(blocks, tmp_path / "receipt.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    media_box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert media_box is not None
    assert float(media_box.group(1)) == pytest.approx(80 / 25.4 * 72, abs=1)  # 80 mm wide
    assert float(media_box.group(2)) > 300  # as long as 30 lines need
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(path), str(tmp_path / "page")],
                   check=True, timeout=60)
    page = QImage(str(next(tmp_path.glob("page*.png"))))
    assert page.width() == pytest.approx(80 / 25.4 * 200, abs=2)
    assert _decode(tmp_path / "page-1.png") == ["demo-register-1-000042"]


def _decode(png: Path) -> list[str]:
    pyzbar = pytest.importorskip("pyzbar.pyzbar")
    image_module = pytest.importorskip("PIL.Image")
    try:
        found = pyzbar.decode(image_module.open(png))
    except (ImportError, OSError) as error:  # libzbar missing
        pytest.skip(f"zbar is not available: {error}")
    return [symbol.data.decode() for symbol in found]


def test_rendered_receipt_image_barcode_scans(tmp_path: Path) -> None:
    image = render_image(receipt_blocks(_sale(), HEADER))
    png = tmp_path / "receipt.png"
    assert image.save(str(png))
    assert _decode(png) == ["demo-register-1-000042"]


def test_paying_prints_and_f6_reprints_the_last_receipt(till: Till) -> None:
    till.scan_and_wait("1006-0001")
    presenter = till.window.presenter
    total = presenter.totals().total_cents
    with till.qtbot.wait_signal(presenter.sale_completed, timeout=5000) as done:
        presenter.pay([Tender(TenderKind.CASH, total, total)], till.window.print_receipt)
    seq = done.args[0].seq
    till.window.reprint_last()
    till.wait_idle()
    names = sorted(p.name for p in till.receipts_dir.glob("*.pdf"))
    assert names == [f"receipt-{seq:06d}-reprint.pdf", f"receipt-{seq:06d}.pdf"]
    feedback = till.window.feedback
    assert feedback.headline.text() == f"Receipt #{seq} reprinted"
    assert feedback.detail.text() == \
        f"PDF saved to {till.receipts_dir / f'receipt-{seq:06d}-reprint.pdf'}"


def test_a_printer_that_fails_is_told_but_the_sale_stands(till: Till) -> None:
    class BrokenPrinter(ReceiptPrinter):
        def output(self, blocks: list[Block], name: str) -> str:
            raise OSError("paper out")

    till.window.printing.receipts = BrokenPrinter()
    till.scan_and_wait("1006-0002")
    presenter = till.window.presenter
    total = presenter.totals().total_cents
    with till.qtbot.wait_signal(presenter.sale_completed, timeout=5000) as done:
        presenter.pay([Tender(TenderKind.CASH, total, total)], till.window.print_receipt)
    errors = till.shell.errors.history
    assert errors and "receipt did not print: paper out" in errors[-1].message
    assert till.services.sales.get(done.args[0].id) is not None
