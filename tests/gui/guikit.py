"""Helpers shared by the GUI tests: the fake monotonic clock, the till, timing constants."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from pos_app.core.sale import CompletedSale
from pos_app.core.tender import Tender, TenderKind
from pos_app.services.shifts import ShiftView
from pos_app.ui.bundle import UiServices
from pos_app.ui.cart_model import CartTableModel
from pos_app.ui.checkout_window import CheckoutWindow
from pos_app.ui.feedback import SilentPlayer
from pos_app.ui.main import AppShell
from pos_app.ui.qt import Qt, QWidget

TODAY = date(2026, 5, 16)  # a sale day; the demo's 50% discount starts at 08:00
EVENT_ZONE = "America/Chicago"  # the demo event's zone in GUI tests, whatever the machine's
NOW = datetime.combine(TODAY, time(12, 0), ZoneInfo(EVENT_ZONE))
SCANNER_GAP_S = 0.004
HUMAN_GAP_S = 0.15
SHIFTED = frozenset("~!@#$%^&*()_+{}|:\"<>?")  # characters typed with Shift on a US layout


class FakeClock:
    """A monotonic clock in seconds that only moves when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Till:
    """A logged-in checkout with an open shift, and what the tests need around it."""

    window: CheckoutWindow
    shell: AppShell
    services: UiServices
    clock: FakeClock
    sounds: SilentPlayer
    receipts_dir: Path
    qtbot: QtBot
    shift: ShiftView

    @property
    def model(self) -> CartTableModel:
        return self.window.presenter.model

    def scan(self, code: str, target: QWidget | None = None, gap: float = SCANNER_GAP_S) -> None:
        """Type ``code`` + Enter as a scanner does: keys ``gap`` seconds apart."""
        widget = target or self.window.consignor_edit
        for char in code:  # a scanner presses Shift for upper case and $ % + / too
            shift = Qt.KeyboardModifier.ShiftModifier if char.isupper() or char in SHIFTED \
                else Qt.KeyboardModifier.NoModifier
            self.qtbot.keyClick(widget, char, shift)
            self.clock.advance(gap)
        self.qtbot.keyClick(widget, Qt.Key.Key_Return)
        self.clock.advance(gap)

    def type_text(self, widget: QWidget, text: str) -> None:
        """Type ``text`` into ``widget`` as a person does: keys HUMAN_GAP_S apart, Shift
        pressed and released around upper-case letters, through the scanner filter."""
        for char in text:
            shift = Qt.KeyboardModifier.ShiftModifier if char.isupper() \
                else Qt.KeyboardModifier.NoModifier
            self.qtbot.keyClick(widget, char, shift)
            self.clock.advance(HUMAN_GAP_S)

    def press(self, widget: QWidget, key: Qt.Key) -> None:
        """A person pressing ``key`` (Enter, Escape, an F-key) after a human pause."""
        self.qtbot.keyClick(widget, key)
        self.clock.advance(HUMAN_GAP_S)

    def scan_and_wait(self, code: str) -> None:
        """Scan and wait until the lookup has answered (item added or refused)."""
        with self.qtbot.wait_signal(self.window.presenter.feedback, timeout=5000):
            self.scan(code)

    def sell(self, *codes: str, extra_cash: int = 0) -> CompletedSale:
        """Scan ``codes`` and pay cash (``extra_cash`` over the total); wait for the commit."""
        for code in codes:
            self.scan_and_wait(code)
        presenter = self.window.presenter
        total = presenter.totals().total_cents
        with self.qtbot.wait_signal(presenter.sale_completed, timeout=5000) as done:
            presenter.pay([Tender(TenderKind.CASH, total, total + extra_cash, extra_cash)],
                          self.window.print_receipt)
        sale = done.args[0]
        assert isinstance(sale, CompletedSale)
        return sale

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.shell.tasks.idle, timeout=5000)


class SocketPrinter:
    """A network receipt printer stand-in: accepts connections, keeps every job's bytes."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.jobs: list[bytes] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            chunks = []
            with connection:
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
            with self._lock:
                self.jobs.append(b"".join(chunks))

    def received(self) -> list[bytes]:
        with self._lock:
            return list(self.jobs)

    def close(self) -> None:
        self._server.close()
        self._thread.join(timeout=10)
