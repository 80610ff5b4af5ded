"""``pos-app --self-test``: a headless end-to-end check of an installation (packaged builds too).

It creates a demo event in a temporary database, scans items, takes a split tender, commits
the sale at synchronous=FULL, reopens the file to read the sale back, verifies the journal
chain, renders a receipt barcode, and starts Qt offscreen. Exit status 0 means all passed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path


def _checks(path: Path) -> list[tuple[str, Callable[[], str]]]:
    from pos_app.core.cart import Cart
    from pos_app.core.tender import TenderSession
    from pos_app.services import checkout
    from pos_app.services.audit import verify_journal
    from pos_app.services.catalog import CatalogService, ScanRefusal
    from pos_app.services.demo import create_demo_event
    from pos_app.services.sales import SaleService
    from pos_app.store.engine import Database

    state: dict[str, object] = {}

    def open_and_migrate() -> str:
        state["db"] = Database.open(path)
        return f"migrated {path.name}"

    def demo() -> str:
        state["ctx"] = create_demo_event(state["db"], items=2_000)  # type: ignore[arg-type]
        return "demo event with 2,000 items"

    def sale() -> str:
        db, ctx = state["db"], state["ctx"]
        catalog = CatalogService(db, ctx)  # type: ignore[arg-type]
        cart = Cart(catalog.policy())
        for code in ("1001-0001", "1002-0001", "1003-0001"):
            item = catalog.lookup(code)
            if isinstance(item, ScanRefusal):
                raise RuntimeError(item.message)
            checkout.add_item(cart, item, datetime.now(UTC))
        if not isinstance(catalog.lookup("1001-0017x"), ScanRefusal):
            raise RuntimeError("a malformed tag was accepted")
        totals = cart.totals()
        tenders = TenderSession(totals.total_cents)
        tenders.add_card(totals.total_cents // 2, "SELFTEST-1")
        tenders.add_cash(totals.total_cents)
        done = SaleService(db, ctx, lambda: datetime.now(UTC)).complete(  # type: ignore[arg-type]
            cart.lines, tenders.finish(), "demo-cashier", None)
        state["sale"] = done.id
        return f"sale #{done.seq} of 3 items committed"

    def reread() -> str:
        with sqlite3.connect(path) as raw:
            lines = raw.execute("SELECT COUNT(*) FROM sale_lines WHERE sale_id = ?",
                                (state["sale"],)).fetchone()[0]
            queued = raw.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        if lines != 3 or queued != 1:
            raise RuntimeError(f"read back {lines} lines and {queued} outbox entries")
        return "sale read back from disk with its outbox entry"

    def journal() -> str:
        broken = verify_journal(state["db"])  # type: ignore[arg-type]
        if broken is not None:
            raise RuntimeError(f"journal broken at {broken.seq}")
        return "journal chain verifies"

    def barcode() -> str:
        import barcode as python_barcode

        modules = python_barcode.get_barcode_class("code128")("1001-0001", writer=None).build()[0]
        return f"Code128 rendered to {len(modules)} modules"

    def qt() -> str:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from pos_app.ui.qt import QApplication, QLabel

        app = QApplication.instance() or QApplication(sys.argv[:1])
        label = QLabel("ready to scan")
        label.show()
        app.processEvents()
        label.close()
        return f"Qt {QApplication.platformName()} started"

    return [("open", open_and_migrate), ("demo", demo), ("sale", sale), ("reread", reread),
            ("journal", journal), ("barcode", barcode), ("qt", qt)]


def run_self_test() -> int:
    path = Path(tempfile.mkdtemp(prefix="pos-app-")) / "register.sqlite3"
    failures = 0
    try:
        for name, check in _checks(path):
            started = time.perf_counter()
            try:
                detail = check()
                print(f"ok    {name:8} {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)")
            except Exception as error:  # report every failure, keep checking
                failures += 1
                print(f"FAIL  {name:8} {type(error).__name__}: {error}")
                break
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    print("self-test passed" if failures == 0 else "self-test FAILED")
    return 0 if failures == 0 else 1
