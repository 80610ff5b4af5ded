#!/usr/bin/env python3
"""Reproduce the settlement screenshots in docs/screenshots/ (issue 14): the organiser's
settlement screen, its conflicts view (F3) and one consignor's statement page.

Run under a virtual X server (or with QT_QPA_PLATFORM=offscreen):

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshots_settlement.py

It starts a local Worker (``wrangler dev``, state in a temporary folder), sets up an event of
twelve consignors, sells from two registers (eleven items twice: conflicts on several
consignors; the conflicts view shown with pages of eight, so its "F5 shows more"), sets a consignor
fee and a pulled-item fee, records a few payouts, then drives the real screen and renders a
statement from the real endpoint.
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from screenshots import OUT, save, wait_until  # noqa: E402

from pos_app.devtools.admin_client import AdminClient, dates_around_today  # noqa: E402
from pos_app.devtools.local_worker import start_local_worker  # noqa: E402
from pos_app.services.cashiers import CashierView  # noqa: E402
from pos_app.services.settlement import SettlementService  # noqa: E402
from pos_app.services.statements import statement_blocks  # noqa: E402
from pos_app.sync.settlement_api import connector  # noqa: E402
from pos_app.ui.errors import ErrorReporter  # noqa: E402
from pos_app.ui.operations import OperationRunner  # noqa: E402
from pos_app.ui.qt import QApplication  # noqa: E402
from pos_app.ui.settlement_window import SettlementWindow  # noqa: E402
from pos_app.ui.statement_pdf import render_statement_png  # noqa: E402
from pos_app.ui.taskman import TaskManager  # noqa: E402
from pos_app.ui.widgets import apply_style  # noqa: E402
from tests.integration.test_settlement_e2e import SellingRegister  # noqa: E402

EVENT = "spring-26"
NAMES = ("Ana Alvarez", "Ben Brooks", "Chloe Chen", "Dev Desai", "Emma Evans", "Finn Foster",
         "Grace Gupta", "Hugo Hall", "Ivy Ito", "Jack Jones", "Kim Kowalski", "Leo Lopez")
THINGS = ("Stroller, city", "Rain boots 7", "Puzzle 500 pc", "Snow suit 4T", "Bike helmet",
          "Board book set", "Crib sheets (3)", "Dress, party 6")


def seed(admin: AdminClient, http: httpx.Client) -> None:
    admin.put_event(EVENT, name="Spring Sale 2026", **dates_around_today())
    admin.upsert_consignors(EVENT, [{"number": 1001 + n, "name": name,
                                     "split_bp": 6000 + 500 * (n % 3)}
                                    for n, name in enumerate(NAMES)])
    items = {f"{EVENT}-{c}-{k}": (c, 350 + 275 * ((c * 7 + k * 3) % 11))
             for c in range(1001, 1001 + len(NAMES)) for k in range(len(THINGS))}
    admin.upsert_items(EVENT, [
        {"id": item, "consignor_number": c, "item_number": k % len(THINGS) + 1,
         "tag_code": f"{c}-{k % len(THINGS) + 1:04d}", "description": THINGS[k % len(THINGS)],
         "price_cents": price} for k, (item, (c, price)) in enumerate(items.items())])
    ids = list(items)
    a = SellingRegister(http, EVENT, "front-1", admin.create_register(EVENT, "front-1"))
    b = SellingRegister(http, EVENT, "front-2", admin.create_register(EVENT, "front-2"))
    sold = [item for n, item in enumerate(ids) if n % 3 != 2]
    a.push(*[a.sell([(item, *items[item], 0) for item in sold[k:k + 6]])
             for k in range(0, len(sold), 6)])
    again = sold[::6][:11]  # sold twice: a conflict each, on several consignors
    b.push(b.sell([(item, *items[item], 0) for item in again]))
    admin.put_fees(EVENT, consignor_fee_cents=200, min_payout_cents=500, item_fees=[
        {"item_id": ids[10], "kind": "pulled", "amount_cents": 100}])
    settlement = {r["consignor_number"]: r for r in admin.settlement(EVENT)["consignors"]}
    for number, reference in ((1002, "check 1001"), (1003, "check 1002"), (1005, "etr 88")):
        admin.record_payout(EVENT, {
            "id": str(uuid.uuid4()), "consignor_number": number,
            "amount_cents": settlement[number]["balance_cents"] // (1 if number != 1005 else 2),
            "method": "check" if reference.startswith("check") else "e_transfer",
            "reference": reference})


def main() -> None:
    app = QApplication(sys.argv)
    apply_style(app)
    with tempfile.TemporaryDirectory() as tmp, start_local_worker(Path(tmp)) as worker:
        with AdminClient(worker.url, worker.admin_token) as admin, \
                httpx.Client(base_url=worker.url, timeout=30.0) as http:
            seed(admin, http)
        service = SettlementService(connector(worker.url, worker.admin_token), EVENT)
        tasks = TaskManager()
        runner = OperationRunner(tasks, ErrorReporter(interactive=False))
        window = SettlementWindow(service, CashierView("m1", "Morgan (manager)", "manager"),
                                  runner, event_name="Spring Sale 2026")
        window.resize(1366, 700)
        window.show()
        wait_until(app, lambda: window.settlement is not None, timeout_s=60)
        window.table.selectRow(3)
        for _ in range(5):
            app.processEvents()
        save(window, "settlement.png")
        window.conflicts_page = 8
        conflicts = window.show_conflicts()  # F3: the first page of sold-twice items, in words
        if conflicts is not None:
            wait_until(app, lambda: bool(conflicts.conflicts) and not conflicts.loading,
                       timeout_s=60)
            for _ in range(5):
                app.processEvents()
            save(conflicts, "settlement-conflicts.png")
            conflicts.reject()
        [statement] = service.statements([1005])
        path = render_statement_png(statement_blocks(statement, "Spring Sale 2026"),
                                    OUT / "statement.png")
        print(f"wrote {path.relative_to(ROOT)}")
        window.close()
        tasks.shutdown(wait=True)


if __name__ == "__main__":
    main()
