#!/usr/bin/env python3
"""Reproduce docs/screenshots/: the checkout with a 40-line cart, a bad scan, the tender
sheet, the change due after a cash sale, a rendered 80 mm receipt, a scan kept for the next
cart and refused when the payment is left, the lookup (F2) with more than a page, the recall
list (F5) with its figures, the shift dialog (F10) after an X report, the register
settings (Ctrl+,), no sale (Ctrl+N), a price override (Ctrl+P), an open-price item (Ctrl+O)
and a line refund (Ctrl+F).

Run under a virtual X server (or with QT_QPA_PLATFORM=offscreen):

    xvfb-run -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshots.py

It builds a demo register in a temporary SQLite file and drives the real GUI and services:
40 scans, a payment (card $20 + cash), the receipt PDF, then PNGs of each. The receipt PNG
comes from the PDF through ``pdftoppm`` (poppler-utils) when it is installed, else from
rendering the same receipt to an image.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pos_app.services.context import load_context  # noqa: E402
from pos_app.services.demo import CASHIER_PIN, create_demo_event  # noqa: E402
from pos_app.services.settings import SettingsStore  # noqa: E402
from pos_app.store.engine import Database  # noqa: E402
from pos_app.ui.bundle import UiOptions  # noqa: E402
from pos_app.ui.checkout_window import CheckoutWindow  # noqa: E402
from pos_app.ui.feedback import SilentPlayer  # noqa: E402
from pos_app.ui.holds_dialog import RecallDialog  # noqa: E402
from pos_app.ui.lookup_dialog import LookupDialog  # noqa: E402
from pos_app.ui.main import AppShell  # noqa: E402
from pos_app.ui.no_sale_dialog import NoSaleDialog  # noqa: E402
from pos_app.ui.open_price_dialog import OpenPriceDialog  # noqa: E402
from pos_app.ui.price_override_dialog import PriceOverrideDialog  # noqa: E402
from pos_app.ui.printing import render_image  # noqa: E402
from pos_app.ui.qt import QApplication, QWidget  # noqa: E402
from pos_app.ui.receipt import ReceiptPrinter, receipt_blocks  # noqa: E402
from pos_app.ui.refund_dialog import RefundDialog  # noqa: E402
from pos_app.ui.settings_dialog import SettingsDialog  # noqa: E402
from pos_app.ui.shift_dialogs import CloseShiftDialog  # noqa: E402
from pos_app.ui.tender_dialog import TenderDialog  # noqa: E402
from pos_app.ui.widgets import apply_style  # noqa: E402
from pos_app.ui.wiring import build_services  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CART_LINES = 40
NOW = datetime.now().astimezone().replace(hour=14, minute=5, second=0, microsecond=0)


def wait_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 20) -> None:
    deadline = datetime.now().timestamp() + timeout_s
    while not done():
        if datetime.now().timestamp() > deadline:
            raise TimeoutError("the GUI did not get there in time")
        app.processEvents()


def settle(app: QApplication, shell: AppShell) -> None:
    wait_until(app, lambda: shell.tasks.idle)
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, name: str) -> Path:
    path = OUT / name
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def start_till(app: QApplication, work: Path) -> tuple[AppShell, CheckoutWindow, Database]:
    database = Database.open(work / "register.sqlite3")
    create_demo_event(database, items=2_000, today=NOW.date())
    services = build_services(database, load_context(database), lambda: NOW)
    shell = AppShell(services, None, UiOptions(sounds=False), sounds=SilentPlayer(),
                     receipts=ReceiptPrinter(pdf_dir=work / "receipts"))
    shell.scanner.install(app)
    cashier = services.cashiers.login(CASHIER_PIN)
    assert cashier is not None
    window = shell.open_checkout(cashier, services.shifts.open(cashier.id, 10_000))
    window.resize(1366, 740)
    settle(app, shell)
    return shell, window, database


def shoot_checkout(app: QApplication, shell: AppShell, window: CheckoutWindow) -> None:
    presenter = window.presenter
    for n in range(CART_LINES):
        presenter.scan(f"{1001 + n:04d}-{n % 7 + 1:04d}")
        settle(app, shell)
    wait_until(app, lambda: presenter.model.rowCount() == CART_LINES)
    presenter.scan("1003-0003")  # a double scan: amber, not added
    settle(app, shell)
    window.feedback.settle()  # the colour that stays, not the mid-flash one
    save(window, "checkout.png")
    presenter.scan("4006381333932")  # a manufacturer code with a wrong check digit
    settle(app, shell)
    save(window, "checkout-bad-scan.png")


def shoot_tender(app: QApplication, shell: AppShell, window: CheckoutWindow) -> TenderDialog:
    window.open_tender()
    dialog = window.open_dialog
    assert isinstance(dialog, TenderDialog)
    dialog.card_amount.setText("20.00")
    dialog.card_reference.setText("AUTH-4417")
    dialog.take_card()
    settle(app, shell)
    save(window, "tender.png")
    return dialog


def shoot_receipt(app: QApplication, shell: AppShell, window: CheckoutWindow,
                  dialog: TenderDialog) -> None:
    presenter = window.presenter
    rest = dialog.presenter.state.remaining_cents
    dialog.presenter.add_cash(-(-rest // 2_000) * 2_000)  # the next $20 bill
    dialog.pay()
    wait_until(app, lambda: presenter.last_sale is not None)
    settle(app, shell)
    sale = presenter.last_sale
    assert sale is not None
    window.feedback.settle()
    save(window, "change-due.png")
    pdf, png = window.receipts.last_output, OUT / "receipt.png"
    if isinstance(pdf, Path) and shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf),
                        str(png.with_suffix(""))], check=True, timeout=60)
    else:
        render_image(receipt_blocks(sale, window.printing.receipt_header()), dpi=150).save(str(png))
    print(f"wrote {png.relative_to(ROOT)}")


def shoot_kept_and_refused(app: QApplication, shell: AppShell, window: CheckoutWindow) -> None:
    presenter = window.presenter
    for code in ("1012-0003", "1013-0004"):
        presenter.scan(code)
        settle(app, shell)
    window.open_tender()
    dialog = window.open_dialog
    assert isinstance(dialog, TenderDialog)
    shell.route_scan("1014-0005")  # the next shopper's tag, scanned while paying
    settle(app, shell)
    save(window, "tender-kept-scan.png")
    dialog.reject()
    settle(app, shell)
    window.feedback.settle()
    save(window, "refused-scan.png")
    window.refused.acknowledge()
    window.presenter.clear()


def shoot_lookup_and_recall(app: QApplication, shell: AppShell, window: CheckoutWindow) -> None:
    window.open_lookup()
    lookup = window.open_dialog
    assert isinstance(lookup, LookupDialog)
    lookup.query.setText("e")  # a wide search: more than a page
    wait_until(app, lambda: lookup.table.rowCount() > 0)
    lookup.table.selectRow(3)
    settle(app, shell)
    save(window, "lookup.png")
    lookup.reject()
    presenter = window.presenter
    for code in ("1020-0001", "1021-0002", "1022-0003"):
        presenter.scan(code)
        settle(app, shell)
    presenter.hold("Mrs Garcia")
    settle(app, shell)
    window.open_recall()
    recall = window.open_dialog
    assert isinstance(recall, RecallDialog)
    wait_until(app, lambda: recall.list.count() > 0)
    settle(app, shell)
    save(window, "recall.png")
    recall.reject()


def shoot_shift_and_settings(app: QApplication, shell: AppShell, window: CheckoutWindow,
                             work: Path) -> None:
    shift = window.presenter.session.shift
    assert shift is not None
    window.services.shifts.cash_drop(shift.id, 20_000)
    window.open_close_shift()
    dialog = window.open_dialog
    assert isinstance(dialog, CloseShiftDialog)
    wait_until(app, dialog.drop_button.isEnabled)
    dialog.print_x_report()
    settle(app, shell)
    save(window, "shift.png")
    dialog.reject()
    settings = SettingsDialog(SettingsStore(work / "settings.json"), window.services.cashiers,
                              window, printers=["Star TSP143 (front)", "Epson TM-T88V"])
    settings.show()
    settle(app, shell)
    save(settings, "settings.png")
    settings.reject()


def shoot_till_functions(app: QApplication, shell: AppShell, window: CheckoutWindow) -> None:
    """No sale (Ctrl+N), price override (Ctrl+P), an open-price item (Ctrl+O) and a line refund
    (Ctrl+F), filled in."""
    window.open_no_sale()
    no_sale = window.open_dialog
    assert isinstance(no_sale, NoSaleDialog)
    no_sale.reason.setText("Change for a $50 bill at the next table")
    settle(app, shell)
    save(window, "no-sale.png")
    no_sale.reject()
    presenter = window.presenter
    for code in ("1030-0001", "1031-0002"):
        presenter.scan(code)
        settle(app, shell)
    window.open_price_override()
    override = window.open_dialog
    assert isinstance(override, PriceOverrideDialog)
    override.price.setText("4.00")
    override.reason.setText("Stain on the sleeve")
    settle(app, shell)
    save(window, "price-override.png")
    override.reject()
    window.open_open_price()
    open_price = window.open_dialog
    assert isinstance(open_price, OpenPriceDialog)
    open_price.consignor.setText("1042")
    open_price.description.setText("Blue rain jacket, size 6 (tag torn off)")
    open_price.price.setText("6.00")
    settle(app, shell)
    save(window, "open-price.png")
    open_price.reject()
    presenter.clear()
    window.open_refund()
    refund = window.open_dialog
    assert isinstance(refund, RefundDialog)
    wait_until(app, lambda: refund.lines.count() > 0)
    refund.lines.setCurrentRow(min(2, refund.lines.count() - 1))
    refund.reason.setText("Wrong size, unworn")
    settle(app, shell)
    save(window, "refund.png")
    refund.reject()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    work = Path(tempfile.mkdtemp(prefix="pos-shots-"))
    shell, window, database = start_till(app, work)
    try:
        shoot_checkout(app, shell, window)
        dialog = shoot_tender(app, shell, window)
        shoot_receipt(app, shell, window, dialog)
        shoot_kept_and_refused(app, shell, window)
        shoot_lookup_and_recall(app, shell, window)
        shoot_shift_and_settings(app, shell, window, work)
        shoot_till_functions(app, shell, window)
    finally:
        window.presenter.clear()
        window.close()
        shell.shutdown(app)
        database.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
