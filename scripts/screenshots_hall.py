#!/usr/bin/env python3
"""Reproduce the hall's screenshots in docs/screenshots/ (issue 13): the job chosen after
login, drop-off check-in (approvals, a rejection), an item entered on the spot, pick-up
(returns, what is missing and sold) and the consignor lookup.

Run under a virtual X server (or with QT_QPA_PLATFORM=offscreen):

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshots_hall.py

It builds a demo register in a temporary SQLite file (one consignor's items set back to
pending, as before drop-off) and drives the real windows and services.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screenshots import save, settle  # noqa: E402  (scripts/screenshots.py: one copy of them)
from sqlalchemy import update  # noqa: E402

from pos_app.core.cart import Cart  # noqa: E402
from pos_app.core.tender import TenderSession  # noqa: E402
from pos_app.services.catalog import ItemView  # noqa: E402
from pos_app.services.checkout import add_item  # noqa: E402
from pos_app.services.context import load_context  # noqa: E402
from pos_app.services.demo import MANAGER_PIN, create_demo_event  # noqa: E402
from pos_app.store import models  # noqa: E402
from pos_app.store.engine import Database  # noqa: E402
from pos_app.ui.bundle import UiOptions, UiServices  # noqa: E402
from pos_app.ui.feedback import SilentPlayer  # noqa: E402
from pos_app.ui.hall_window import HallMode, HallWindow  # noqa: E402
from pos_app.ui.main import AppShell  # noqa: E402
from pos_app.ui.mode_dialog import ModeDialog  # noqa: E402
from pos_app.ui.qt import QApplication  # noqa: E402
from pos_app.ui.receipt import ReceiptPrinter  # noqa: E402
from pos_app.ui.widgets import apply_style  # noqa: E402
from pos_app.ui.wiring import build_services  # noqa: E402

NOW = datetime.now().astimezone().replace(hour=14, minute=5, second=0, microsecond=0)
PENDING = 1001


def sell(services: UiServices, *codes: str) -> None:
    cart = Cart(services.catalog.policy())
    for code in codes:
        item = services.catalog.lookup(code)
        assert isinstance(item, ItemView)
        add_item(cart, item, NOW)
    tenders = TenderSession(cart.totals().total_cents)
    tenders.add_cash(cart.totals().total_cents)
    services.sales.complete(cart.lines, tenders.finish(), "demo-cashier", None)


def scan_all(app: QApplication, shell: AppShell, hall: HallWindow, codes: list[str]) -> None:
    for code in codes:
        hall.handle_scan(code)
        settle(app, shell)


def main() -> None:  # noqa: PLR0915  (one screenshot after another, in order)
    app = QApplication(sys.argv)
    apply_style(app)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        database = Database.open(work / "register.sqlite3")
        create_demo_event(database, items=2_000, today=NOW.date())
        with database.engine.begin() as connection:
            connection.execute(update(models.items).where(
                models.items.c.consignor_number == PENDING).values(status="pending"))
        services = build_services(database, load_context(database), lambda: NOW)
        shell = AppShell(services, None, UiOptions(sounds=False), sounds=SilentPlayer(),
                         receipts=ReceiptPrinter(pdf_dir=work / "receipts"))
        shell.scanner.install(app)
        manager = services.cashiers.login(MANAGER_PIN)
        assert manager is not None
        modes = ModeDialog(manager)
        modes.show()
        settle(app, shell)
        save(modes, "mode-choice.png")
        modes.close()

        hall = shell.open_hall(manager, HallMode.CHECK_IN)
        hall.resize(1366, 740)
        scan_all(app, shell, hall, [f"{PENDING}-{n:04d}" for n in range(1, 9)])
        hall.reject_button.setChecked(True)
        hall.reason.setCurrentText("stained")
        scan_all(app, shell, hall, [f"{PENDING}-0009"])
        hall.panel.settle()
        save(hall, "hall-check-in.png")
        hall.handle_scan(f"{PENDING}-0777")  # not in the catalog: entered on the spot
        settle(app, shell)
        entry = hall.entry_dialog
        assert entry is not None
        for field, text in ((entry.description, "Red wagon, wooden"), (entry.size_edit, ""),
                            (entry.category, "Toys"), (entry.price, "24.50")):
            field.setText(text)
        entry.donate.setChecked(True)
        settle(app, shell)
        save(entry, "hall-new-item.png")
        entry.reject()
        hall.close()

        sell(services, "1002-0003", "1002-0007")
        hall = shell.open_hall(manager, HallMode.PICK_UP)
        hall.resize(1366, 740)
        scan_all(app, shell, hall, [f"1002-{n:04d}" for n in (1, 2, 4, 5)])
        hall.handle_scan("1002-0003")  # sold: refused in red
        settle(app, shell)
        save(hall, "hall-pick-up.png")
        hall.close()

        hall = shell.open_hall(manager, HallMode.LOOKUP)
        hall.resize(1366, 740)
        hall.show_consignor(1002)
        settle(app, shell)
        save(hall, "hall-lookup.png")
        hall.close()
        shell.shutdown(app)
        database.close()


if __name__ == "__main__":
    main()
