"""Child processes of the GUI benchmarks (run offscreen, one measurement each).

    python -m bench.gui_child bare                 # baseline: a bare PySide6 window
    python -m bench.gui_child floor                # the same after `import sqlalchemy`
    python -m bench.gui_child login DB             # `pos-app --db DB` to its login screen
    python -m bench.gui_child pin DB MS            # the PIN entered MS after: Enter -> ready
    python -m bench.gui_child checkout DB          # cold start to a ready-to-scan checkout
    python -m bench.gui_child scans DB N SEED      # scan to repainted, key events, 300-line cart
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


def login(db: Path, *, pin_after_ms: int | None = None) -> None:
    """The real entry point, ``pos-app --db DB --mute``, until its PIN field is on screen.

    A zero timer posted before the app starts fires on the first turn of an event loop, once
    the login dialog is shown; it reports and ends the process. With ``pin_after_ms``, the
    cashier's PIN is entered that long after the dialog shows (typing it takes a person a
    second or two) and the time from its Enter to a checkout ready to scan is reported.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if pin_after_ms is not None:
        _open_a_shift(db)
    app = QApplication(sys.argv[:1])  # the start-up takes the existing instance

    def when_login_shows() -> None:
        dialogs = [w for w in app.topLevelWidgets()
                   if w.objectName() == "loginDialog" and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(1, when_login_shows)
            return
        app.processEvents()  # its first paint
        if pin_after_ms is None:
            _emit(ready=True)
            os._exit(0)
        QTimer.singleShot(pin_after_ms, lambda: enter_pin(dialogs[0]))

    def enter_pin(dialog: Any) -> None:
        from pos_app.services.demo import CASHIER_PIN

        dialog.pin.setText(CASHIER_PIN)  # set, not typed: fast keys would read as a scan
        started, cpu = time.perf_counter(), time.process_time()  # CPU: all threads
        dialog.submit()

        def when_ready() -> None:
            from pos_app.ui.mode_dialog import CHECKOUT, ModeDialog

            for mode in [w for w in app.topLevelWidgets()
                         if isinstance(w, ModeDialog) and w.isVisible()]:
                mode.choose(CHECKOUT)  # a register with the hall's jobs asks which: the till
            windows = [w for w in app.topLevelWidgets()
                       if w.objectName() == "checkoutWindow" and w.isVisible()]
            if not windows or not windows[0].operation_runner.tasks.idle:
                QTimer.singleShot(1, when_ready)
                return
            app.processEvents()
            _emit(pin_to_ready_ms=(time.perf_counter() - started) * 1000,
                  pin_to_ready_cpu_ms=(time.process_time() - cpu) * 1000)
            os._exit(0)

        QTimer.singleShot(0, when_ready)

    QTimer.singleShot(0, when_login_shows)
    from pos_app.app import gui_main

    gui_main(["--db", str(db), "--mute"])


def _open_a_shift(db: Path) -> None:
    """A shift open for the demo cashier, so a login goes straight to the checkout."""
    from pos_app.app import utc_now
    from pos_app.services.context import load_context
    from pos_app.services.demo import CASHIER_PIN
    from pos_app.store.engine import Database
    from pos_app.ui.wiring import build_services

    database = Database.open(db)
    services = build_services(database, load_context(database), utc_now)
    cashier = services.cashiers.login(CASHIER_PIN)
    assert cashier is not None
    if services.shifts.current() is None:
        services.shifts.open(cashier.id, 10_000)
    database.close()


def _open_checkout(db: Path) -> tuple[Any, Any, Any]:
    from pos_app.app import utc_now
    from pos_app.services.context import load_context
    from pos_app.services.demo import CASHIER_PIN
    from pos_app.store.engine import Database
    from pos_app.ui.bundle import UiOptions
    from pos_app.ui.feedback import SilentPlayer
    from pos_app.ui.main import AppShell
    from pos_app.ui.qt import QApplication
    from pos_app.ui.widgets import apply_style
    from pos_app.ui.wiring import build_services

    app = QApplication(sys.argv[:1])
    apply_style(app)  # the register's style sheet and fonts, as run_gui sets them
    database = Database.open(db)
    services = build_services(database, load_context(database), utc_now)
    # The scanner's clock moves 1 ms a reading: a scan's keys, sent back to back, stay one
    # scan even when this shared machine stalls the process for longer than the key gap.
    ticks = iter(range(1, 10**12))
    options = UiOptions(sounds=False, interactive_errors=False,
                        monotonic=lambda: next(ticks) / 1000)
    shell = AppShell(services, None, options, sounds=SilentPlayer())
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


def scans(db: Path, count: int, seed: int) -> None:
    """``count`` scans of random tags across the whole catalog, each typed as key events
    through the application's scanner filter into a checkout holding CART_LINES lines, and
    interleaved scan by scan with the baseline (a row appended to a plain table of as many
    rows, with a label changed, in a window of the same size). After each timed scan its line
    is removed, untimed, so every scan meets a cart of CART_LINES lines."""
    from PySide6.QtCore import QEventLoop, QTimer

    codes = _random_codes(db, CART_LINES + count + 3, seed)
    app, shell, window = _open_checkout(db)
    presenter = window.presenter
    loop = QEventLoop()
    answered = [False]

    def done(_value: object) -> None:
        answered[0] = True
        loop.quit()

    presenter.totals_changed.connect(done)
    presenter.feedback.connect(done)
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.setInterval(30_000)
    give_up.timeout.connect(loop.quit)
    in_model: list[float] = []
    painted_cpu: list[float] = []  # each scan's CPU, all threads: less at the load's mercy

    def scan(code: str) -> float:
        """First keystroke -> row in the model and totals updated; then (apart) repainted."""
        _settle(app)  # the previous scan's repaint is done, as between two real scans
        answered[0] = False
        cpu, started = time.process_time_ns(), time.perf_counter_ns()
        _type(app, window, code + "\r")
        if not answered[0]:
            give_up.start()
            loop.exec()
            give_up.stop()
        if not answered[0]:
            raise RuntimeError(f"the scan of {code} was never answered")
        in_model.append((time.perf_counter_ns() - started) / 1e6)
        _settle(app)
        painted_cpu.append((time.process_time_ns() - cpu) / 1e6)
        return (time.perf_counter_ns() - started) / 1e6

    for code in codes[:CART_LINES]:
        scan(code)
    lines_before = presenter.model.rowCount()
    baseline = _BaselineWindow(app, CART_LINES)
    pending = iter(codes[CART_LINES:])
    painted: list[float] = []
    base: list[float] = []
    for k in range(count + 3):
        for side in ((0, 1) if k % 2 == 0 else (1, 0)):
            if side == 0:
                painted.append(scan(next(pending)))
            else:
                base.append(baseline.add())
        _restore(presenter, window, lines_before)
        baseline.remove()
        _settle(app)
    warm = 3  # the first pairs warm both sides up
    _emit(samples=in_model[CART_LINES + warm:], painted=painted[warm:], baseline=base[warm:],
          painted_cpu=painted_cpu[CART_LINES + warm:], baseline_cpu=baseline.cpu[warm:],
          lines_before=lines_before)
    presenter.clear()
    shell.tasks.shutdown()


def _restore(presenter: Any, window: Any, lines: int) -> None:
    """Untimed, between two scans: the cart back to ``lines`` lines (no feedback of its
    own), and the feedback panel settled, as it is a second after a real scan."""
    while presenter.model.rowCount() > lines:
        row = presenter.model.rowCount() - 1
        presenter.cart.remove(row)
        presenter.model.remove_line(row)
    presenter.totals_changed.emit(presenter.cart.totals())
    window.feedback.settle()


def _type(app: Any, window: Any, text: str) -> None:
    """Each character as a key press and release, as a keyboard-wedge scanner types it."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    target = app.focusWidget() or window
    for char in text:
        key = Qt.Key.Key_Return if char == "\r" else Qt.Key(ord(char.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            app.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


class _BaselineWindow:
    """The least Qt needs to show a new row: a window of the checkout's size with a table of
    ``rows`` rows of 7 columns and a label; a sample appends a row, changes the label and
    scrolls to the bottom, then repaints."""

    def __init__(self, app: Any, rows: int) -> None:
        from PySide6.QtGui import QStandardItem, QStandardItemModel
        from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QWidget

        self._app, self._item = app, QStandardItem
        self.cpu: list[float] = []
        self.window = QWidget()
        self.window.resize(1366, 768)
        self.model = QStandardItemModel(0, 7)
        self.view = QTableView(self.window)
        self.view.setModel(self.model)
        self.label = QLabel("0", self.window)
        layout = QHBoxLayout(self.window)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.label, 1)
        for row in range(rows):
            self.model.appendRow(self._row(row))
        self.window.show()
        _settle(app)

    def _row(self, row: int) -> list[Any]:
        return [self._item(text) for text in (str(row + 1), f"1001-{row:04d}", "Item", "M",
                                              "5.00", "", "5.00")]

    def add(self) -> float:
        cpu = time.process_time_ns()
        started = time.perf_counter_ns()
        self.model.appendRow(self._row(self.model.rowCount()))
        self.label.setText(str(self.model.rowCount()))
        self.view.scrollToBottom()
        _settle(self._app)
        self.cpu.append((time.process_time_ns() - cpu) / 1e6)
        return (time.perf_counter_ns() - started) / 1e6

    def remove(self) -> None:
        self.model.removeRow(self.model.rowCount() - 1)


def _settle(app: Any) -> None:
    """Process pending events (repaints included) until none are left."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def _random_codes(db: Path, count: int, seed: int) -> list[str]:
    """``count`` distinct sellable tags drawn at random across the whole catalog (by rowid,
    so the catalog is never loaded into this process)."""
    import random

    chooser = random.Random(seed)
    with sqlite3.connect(db) as raw:
        top = raw.execute("SELECT max(rowid) FROM items").fetchone()[0]
        found: dict[str, None] = {}
        while len(found) < count:
            rowids = chooser.sample(range(1, top + 1), min(top, 2 * (count - len(found))))
            for start in range(0, len(rowids), 900):
                chunk = rowids[start:start + 900]
                marks = ",".join("?" * len(chunk))
                for (code,) in raw.execute(f"SELECT tag_code FROM items WHERE rowid IN ({marks})"
                                           " AND status = 'approved'", chunk):
                    found.setdefault(code)
    codes = list(found)[:count]
    chooser.shuffle(codes)
    return codes


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode in ("bare", "floor"):
        bare(with_sqlalchemy=mode == "floor")
    elif mode == "login":
        login(Path(sys.argv[2]))
    elif mode == "pin":
        login(Path(sys.argv[2]), pin_after_ms=int(sys.argv[3]))
    elif mode == "checkout":
        checkout(Path(sys.argv[2]))
    else:
        scans(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
