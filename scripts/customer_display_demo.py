#!/usr/bin/env python3
"""Drive the checkout with a customer display on a second screen; report what it showed.

    xvfb-run -a -s '-screen 0 1366x768x24 -screen 1 800x480x24' \\
        .venv/bin/python scripts/customer_display_demo.py DB OUT.png TAG [TAG ...]

DB is a register database (a demo event); the TAGs are scanned, then paid in cash with $10
over the total. It saves the display during the sale as OUT-cart.png and after payment as
OUT.png, and prints a JSON report (screens, where each window is, the display's texts), which
``tests/gui/test_customer_display.py`` checks. ``docs/screenshots/customer-display*.png`` come
from it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pos_app.app import utc_now  # noqa: E402
from pos_app.core.money import format_cents  # noqa: E402
from pos_app.core.tender import Tender, TenderKind  # noqa: E402
from pos_app.services.context import load_context  # noqa: E402
from pos_app.services.demo import CASHIER_PIN  # noqa: E402
from pos_app.store.engine import Database  # noqa: E402
from pos_app.ui.bundle import UiOptions  # noqa: E402
from pos_app.ui.feedback import SilentPlayer  # noqa: E402
from pos_app.ui.main import AppShell  # noqa: E402
from pos_app.ui.qt import QApplication  # noqa: E402
from pos_app.ui.wiring import build_services  # noqa: E402


def main(db: Path, out: Path, tags: list[str]) -> dict[str, object]:
    app = QApplication(sys.argv[:1])
    database = Database.open(db)
    services = build_services(database, load_context(database), utc_now)
    shell = AppShell(services, None, UiOptions(sounds=False, interactive_errors=False),
                     sounds=SilentPlayer())
    cashier = services.cashiers.login(CASHIER_PIN)
    assert cashier is not None
    shift = services.shifts.current() or services.shifts.open(cashier.id, 10_000)
    window = shell.open_checkout(cashier, shift)
    display = shell.customer_display
    assert display is not None, "no second screen"

    def settle() -> None:
        for _ in range(3):
            while not shell.tasks.idle:
                app.processEvents()
            app.processEvents()

    def state() -> dict[str, str]:
        return {"item": display.last_item.text(), "total": display.total.text(),
                "detail": display.detail.text()}

    settle()
    report: dict[str, object] = {
        "screens": [f"{s.name()}:{s.geometry().width()}" for s in app.screens()],
        "window_screen": window.screen().geometry().width(),
        "display_screen": display.screen().geometry().width(),
        "display_size": [display.width(), display.height()],
        "visible": display.isVisible(), "empty": state()}
    for code in tags:
        window.presenter.scan(code)
        settle()
    report["scanned"] = state()
    display.grab().save(str(out.with_name(out.stem + "-cart.png")))
    presenter = window.presenter
    last, total = presenter.cart.lines[-1], presenter.totals().total_cents
    report["cart"] = {"last": [last.description, format_cents(last.price_cents)],
                      "total": format_cents(total), "paid": format_cents(total + 1_000)}
    presenter.pay([Tender(TenderKind.CASH, total, total + 1_000, 1_000)])
    settle()
    report["paid"] = state()
    display.grab().save(str(out))
    shell.tasks.shutdown()
    database.close()
    return report


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])))
