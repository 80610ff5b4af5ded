"""Child processes of the GUI benchmarks (run offscreen, one measurement each).

    python -m bench.gui_child bare                 # baseline: a bare PySide6 window
    python -m bench.gui_child floor                # the same after `import sqlalchemy`
    python -m bench.gui_child login DB             # `pos-app --db DB` to its login screen
    python -m bench.gui_child checkout DB          # cold start to a ready-to-scan checkout
    python -m bench.gui_child scans DB N           # scan-to-row latency with a 300-line cart
Each prints one JSON line on stdout the moment it is ready; the parent times that line.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
CART_LINES = 300


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM). ru_maxrss would not do: Linux keeps the parent's
    high-water mark across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _emit(**values: Any) -> None:
    values["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(values), flush=True)


def bare(*, with_sqlalchemy: bool = False) -> None:
    """A bare window; ``with_sqlalchemy`` first imports SQLAlchemy, the store's floor."""
    if with_sqlalchemy:
        import sqlalchemy  # noqa: F401
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.show()
    app.processEvents()
    _emit(ready=True)
    window.close()


def login(db: Path) -> None:
    """The real entry point, ``pos-app --db DB --mute``, until its PIN field is on screen.

    A zero timer posted before the app starts fires on the first turn of its event loop,
    once the start-up steps have shown the login dialog; it reports and ends the app.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])  # run_gui takes the existing instance

    def when_login_shows() -> None:
        dialogs = [w for w in app.topLevelWidgets()
                   if w.objectName() == "loginDialog" and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(1, when_login_shows)
            return
        app.processEvents()  # its first paint
        _emit(ready=True)
        app.exit(0)

    QTimer.singleShot(0, when_login_shows)
    from pos_app.app import gui_main

    gui_main(["--db", str(db), "--mute"])


def _open_checkout(db: Path) -> tuple[Any, Any, Any]:
    from pos_app.app import utc_now
    from pos_app.services.context import load_context
    from pos_app.services.demo import CASHIER_PIN
    from pos_app.store.engine import Database
    from pos_app.ui.bundle import UiOptions
    from pos_app.ui.feedback import SilentPlayer
    from pos_app.ui.main import AppShell
    from pos_app.ui.qt import QApplication
    from pos_app.ui.wiring import build_services

    app = QApplication(sys.argv[:1])
    database = Database.open(db)
    services = build_services(database, load_context(database), utc_now)
    shell = AppShell(services, None, UiOptions(sounds=False, interactive_errors=False),
                     sounds=SilentPlayer())
    shell.scanner.install(app)
    cashier = services.cashiers.login(CASHIER_PIN)
    shift = services.shifts.current() or services.shifts.open(cashier.id, 10_000)
    window = shell.open_checkout(cashier, shift)
    while not shell.tasks.idle:
        app.processEvents()
    return app, shell, window


def checkout(db: Path) -> None:
    _app, shell, _window = _open_checkout(db)
    _emit(ready=True)
    shell.tasks.shutdown()


def scans(db: Path, count: int) -> None:
    from PySide6.QtCore import QEventLoop

    app, shell, window = _open_checkout(db)
    presenter = window.presenter
    codes = _codes(db, CART_LINES + count)
    loop = QEventLoop()
    answered = [False]

    def done(_value: object) -> None:
        answered[0] = True
        loop.quit()

    presenter.totals_changed.connect(done)
    presenter.feedback.connect(done)

    painted: list[float] = []

    def scan(code: str) -> float:
        """Enter -> row in the model and total updated; then (apart) -> repainted."""
        _settle(app)  # the previous scan's repaint is done, as between two real scans
        answered[0] = False
        started = time.perf_counter_ns()
        shell.route_scan(code)
        if not answered[0]:  # a refusal found on the GUI thread answers at once
            loop.exec()
        in_model = (time.perf_counter_ns() - started) / 1e6
        _settle(app)
        painted.append((time.perf_counter_ns() - started) / 1e6)
        return in_model

    for code in codes[:CART_LINES]:
        scan(code)
    lines_before = presenter.model.rowCount()
    painted.clear()
    samples = [scan(code) for code in codes[CART_LINES:]]
    raw = _raw_lookups(db, codes[CART_LINES:])
    _emit(samples=samples, painted=painted, baseline=raw, lines_before=lines_before,
          lines_after=presenter.model.rowCount())
    presenter.clear()
    shell.tasks.shutdown()


def _settle(app: Any) -> None:
    """Process pending events (repaints included) until none are left."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def _codes(db: Path, count: int) -> list[str]:
    with sqlite3.connect(db) as raw:
        rows = raw.execute("SELECT tag_code FROM items WHERE status = 'approved' "
                           "ORDER BY id LIMIT ?", (count,)).fetchall()
    return [row[0] for row in rows]


def _raw_lookups(db: Path, codes: list[str]) -> list[float]:
    """Baseline: the same lookups with raw sqlite3 (one prepared SELECT each)."""
    raw = sqlite3.connect(db)
    event = raw.execute("SELECT id FROM events").fetchone()[0]
    samples = []
    for code in codes:
        started = time.perf_counter_ns()
        raw.execute("SELECT id, description, price_cents, status FROM items "
                    "WHERE event_id = ? AND tag_code = ?", (event, code)).fetchone()
        samples.append((time.perf_counter_ns() - started) / 1e6)
    raw.close()
    return samples


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode in ("bare", "floor"):
        bare(with_sqlalchemy=mode == "floor")
    elif mode == "login":
        login(Path(sys.argv[2]))
    elif mode == "checkout":
        checkout(Path(sys.argv[2]))
    else:
        scans(Path(sys.argv[2]), int(sys.argv[3]))
