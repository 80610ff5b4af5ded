"""A demo checkout on a real X display, reporting what it does as JSON lines on stdout.

Run by the Xvfb tests (``python till_app.py FOLDER`` with DISPLAY set): it creates the demo
event in FOLDER, logs the cashier in with an open shift and shows the checkout. Each scan
the filter recognises, each cart change, each sale, each feedback message, each refused
scan and each dialog shown is printed, so the test can drive the window with ``xdotool``
and wait for what it expects.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time
from pathlib import Path

from pos_app.core.sale import CompletedSale
from pos_app.core.scanner import ScannerConfig
from pos_app.services.cashiers import CashierView
from pos_app.services.context import load_context
from pos_app.services.demo import CASHIER_PIN, create_demo_event
from pos_app.store.engine import Database
from pos_app.ui.bundle import UiOptions
from pos_app.ui.feedback import ScanFeedback
from pos_app.ui.main import AppShell
from pos_app.ui.qt import QApplication, QEvent, QObject, QTimer, QWidget
from pos_app.ui.receipt import ReceiptPrinter
from pos_app.ui.widgets import apply_style
from pos_app.ui.wiring import build_services

TODAY = date(2026, 5, 16)


def emit(kind: str, **fields: object) -> None:
    print(json.dumps({"kind": kind, **fields}), flush=True)


class DialogWatcher(QObject):
    """Reports each dialog as it is shown, with its X window id."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) \
                and watched.isWindow():
            emit("shown", name=watched.objectName(), window=int(watched.winId()))
        return False


def main(folder: Path) -> int:
    now = datetime.combine(TODAY, time(12, 0)).astimezone()
    database = Database.open(folder / "register.sqlite3")
    create_demo_event(database, items=300, today=TODAY)
    services = build_services(database, load_context(database), lambda: now)
    app = QApplication(sys.argv[:1])
    apply_style(app)
    receipts = folder / "receipts"
    # xdotool is a process on a shared machine: the scheduler can hold back one of its keys
    # for tens of milliseconds, which a hardware scanner never does. The slowest keystroke
    # counted as a scan is set as a register's settings can (focus, Shift and the timing of
    # the payment are what this lane tests, not the gap threshold; tests/gui covers that).
    scanner = ScannerConfig(max_gap_s=0.25)
    options = UiOptions(scanner=scanner, sounds=False, interactive_errors=False,
                        receipt_dir=receipts)
    shell = AppShell(services, None, options, receipts=ReceiptPrinter(pdf_dir=receipts))
    shell.scanner.install(app)
    watcher = DialogWatcher(app)
    app.installEventFilter(watcher)
    shell.scanner.scanned.connect(lambda code: emit("scan", code=code))
    cashier = services.cashiers.login(CASHIER_PIN)
    assert isinstance(cashier, CashierView)
    shift = services.shifts.open(cashier.id, 10_000)
    window = shell.open_checkout(cashier, shift)
    presenter = window.presenter

    def cart(_totals: object) -> None:
        emit("cart", tags=[line.tag_code for line in presenter.model.lines])

    def sale(done: CompletedSale) -> None:
        emit("sale", tags=[line.tag_code for line in done.lines])

    def feedback(said: ScanFeedback) -> None:
        emit("feedback", headline=said.headline, detail=said.detail)

    presenter.totals_changed.connect(cart)
    presenter.sale_completed.connect(sale)
    presenter.feedback.connect(feedback)
    presenter.scans_refused.connect(lambda codes, why: emit("refused", codes=codes, why=why))
    window.activateWindow()
    QTimer.singleShot(0, lambda: emit("ready", window=int(window.winId())))
    status = app.exec()
    shell.shutdown(app)
    database.close()
    return int(status)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
