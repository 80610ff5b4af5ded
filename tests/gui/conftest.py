"""GUI test fixtures: Qt offscreen, a demo register on a real SQLite file, an injected clock.

QT_QPA_PLATFORM is set before anything imports Qt. The database is the demo event (300
items) created once per session and copied into each test's ``tmp_path``, so every test runs
the real services on its own file. The scanner's monotonic clock is a :class:`FakeClock` the
test advances (test key events carry no usable timestamps).
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from guikit import EVENT_ZONE, NOW, TODAY, FakeClock, SocketPrinter, Till
from pytestqt.qtbot import QtBot

from pos_app.services.cashiers import CashierView
from pos_app.services.context import load_context
from pos_app.services.demo import CASHIER_PIN, create_demo_event
from pos_app.store.engine import Database
from pos_app.ui.bundle import UiOptions, UiServices
from pos_app.ui.feedback import SilentPlayer
from pos_app.ui.main import AppShell
from pos_app.ui.qt import QApplication, QCoreApplication, QEvent
from pos_app.ui.receipt import ReceiptPrinter
from pos_app.ui.wiring import build_services

DEMO_ITEMS = 300
GUI_TESTS = Path(__file__).resolve().parent
#: Harmless offscreen-platform notices (not our warnings); anything else still fails a test.
QT_NOISE = (r"^This plugin does not support propagateSizeHints\(\)$",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_TESTS in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(*QT_NOISE))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "register.sqlite3"
    database = Database.open(path)
    create_demo_event(database, items=DEMO_ITEMS, today=TODAY, zone=EVENT_ZONE)
    database.close()
    return path


@pytest.fixture
def database(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "register.sqlite3"
    shutil.copy(demo_template, path)
    database = Database.open(path)
    yield database
    database.close()


@pytest.fixture
def services(database: Database) -> UiServices:
    return build_services(database, load_context(database), lambda: NOW)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sounds() -> SilentPlayer:
    return SilentPlayer()


@pytest.fixture
def receipts_dir(tmp_path: Path) -> Path:
    return tmp_path / "receipts"


@pytest.fixture
def shell(qapp: QApplication, services: UiServices, clock: FakeClock, sounds: SilentPlayer,
          receipts_dir: Path) -> Iterator[AppShell]:
    options = UiOptions(monotonic=clock, sounds=False, interactive_errors=False,
                        receipt_dir=receipts_dir)
    app_shell = AppShell(services, None, options, sounds=sounds,
                         receipts=ReceiptPrinter(pdf_dir=receipts_dir))
    app_shell.scanner.install(qapp)
    yield app_shell
    window = app_shell.window
    if window is not None:
        window.presenter.clear()
        window.close()
        window.deleteLater()
    app_shell.shutdown(qapp)
    app_shell.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()  # collect Qt wrappers here, on the GUI thread, not later on a worker


@pytest.fixture
def till(qtbot: QtBot, shell: AppShell, *, services: UiServices, clock: FakeClock,
         sounds: SilentPlayer, receipts_dir: Path) -> Till:
    cashier = services.cashiers.login(CASHIER_PIN)
    assert isinstance(cashier, CashierView)
    shift = services.shifts.open(cashier.id, 10_000)
    window = shell.open_checkout(cashier, shift)
    qtbot.waitUntil(lambda: shell.tasks.idle, timeout=5000)  # policy and holds loaded
    return Till(window, shell, services, clock, sounds, receipts_dir, qtbot, shift)


@pytest.fixture
def printer() -> Iterator[SocketPrinter]:
    """A network receipt printer on a port the OS picks (see :class:`SocketPrinter`)."""
    server = SocketPrinter()
    yield server
    server.close()
