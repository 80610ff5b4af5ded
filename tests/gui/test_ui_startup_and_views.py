"""Start-up (set-up, login, shift), item lookup, the sync status bar and quarantine view."""

from __future__ import annotations

import argparse
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from guikit import NOW, FakeClock, Till
from PySide6.QtCore import QMetaObject
from pytestqt.qtbot import QtBot

from pos_app.services.catalog import ScanRefusal, ScanRefusalKind
from pos_app.services.demo import CASHIER_PIN
from pos_app.services.setup import MemoryTokenStore
from pos_app.store.engine import Database
from pos_app.sync.service import SyncRunner
from pos_app.sync.status import StatusBoard, SyncStatus
from pos_app.ui.assets import icon, icon_path, sound_path
from pos_app.ui.bundle import SyncControls, UiOptions
from pos_app.ui.checkout_window import CheckoutWindow
from pos_app.ui.feedback import SilentPlayer, Tone, feedback_for_refusal
from pos_app.ui.launch import launch
from pos_app.ui.lookup_dialog import LookupDialog
from pos_app.ui.main import AppShell, run_gui
from pos_app.ui.mode_dialog import CHECKOUT, ModeDialog
from pos_app.ui.qt import QApplication, QCoreApplication, QEvent, QObject, Qt
from pos_app.ui.receipt import ReceiptPrinter
from pos_app.ui.shift_dialogs import OpenShiftDialog
from pos_app.ui.startup import LoginDialog, SetupDialog
from pos_app.ui.sync_status import SyncStatusAdapter, SyncStatusWidget, describe
from pos_app.ui.sync_view import SyncDialog
from pos_app.ui.wiring import DatabaseSetup, sync_controls


@pytest.fixture
def fresh_shell(qapp: QApplication, tmp_path: Path) -> Iterator[AppShell]:
    database = Database.open(tmp_path / "new.sqlite3")
    setup = DatabaseSetup(database, MemoryTokenStore(), lambda: NOW, demo_items=60)
    options = UiOptions(monotonic=FakeClock(), sounds=False, interactive_errors=False)
    shell = AppShell(None, setup, options, sounds=SilentPlayer(),
                     receipts=ReceiptPrinter(pdf_dir=tmp_path / "receipts"))
    yield shell
    window = shell.window
    if window is not None:
        window.close()
        window.deleteLater()
    shell.shutdown(qapp)
    setup.close()
    shell.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    database.close()


def test_first_start_runs_on_enter_alone(
        qtbot: QtBot, qapp: QApplication, fresh_shell: AppShell) -> None:
    """Set-up, login and the opening float each go on with Enter (keys through the filter)."""
    clock = fresh_shell.options.monotonic
    assert isinstance(clock, FakeClock)
    fresh_shell.start(qapp)
    setup = fresh_shell.dialog
    assert isinstance(setup, SetupDialog)
    setup.real.setChecked(True)
    qtbot.keyClick(setup.event_id, Qt.Key.Key_Return)
    assert "Fill in every field" in setup.message.text()
    setup.demo.setChecked(True)
    clock.advance(0.2)
    with qtbot.wait_signal(setup.configured, timeout=10_000):
        qtbot.keyClick(setup.demo, Qt.Key.Key_Return)
    login = fresh_shell.dialog
    assert isinstance(login, LoginDialog)
    for char in CASHIER_PIN:
        clock.advance(0.2)
        qtbot.keyClick(login.pin, char)
    clock.advance(0.2)
    qtbot.keyClick(login.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(fresh_shell.dialog, ModeDialog), timeout=5000)
    modes = fresh_shell.dialog
    assert isinstance(modes, ModeDialog)
    clock.advance(0.2)
    qtbot.keyClick(modes, Qt.Key.Key_Return)  # the first job offered: the till
    qtbot.waitUntil(lambda: isinstance(fresh_shell.dialog, OpenShiftDialog), timeout=5000)
    opening = fresh_shell.dialog
    assert isinstance(opening, OpenShiftDialog)
    clock.advance(0.2)
    with qtbot.wait_signal(fresh_shell.checkout_opened, timeout=5000):
        qtbot.keyClick(opening.float_edit, Qt.Key.Key_Return)


def test_first_start_sets_up_the_demo_then_login_then_shift(
        qtbot: QtBot, qapp: QApplication, fresh_shell: AppShell) -> None:
    fresh_shell.start(qapp)
    setup = fresh_shell.dialog
    assert isinstance(setup, SetupDialog)
    setup.real.setChecked(True)
    setup.submit()
    assert "Fill in every field" in setup.message.text()
    setup.demo.setChecked(True)
    with qtbot.wait_signal(setup.configured, timeout=10_000):
        setup.submit()
    login = fresh_shell.dialog
    assert isinstance(login, LoginDialog)
    login.pin.setText("0000")
    login.submit()
    qtbot.waitUntil(lambda: login.message.text() == "Unknown PIN: try again.", timeout=5000)
    login.pin.setText(CASHIER_PIN)
    login.submit()
    qtbot.waitUntil(lambda: isinstance(fresh_shell.dialog, ModeDialog), timeout=5000)
    modes = fresh_shell.dialog
    assert isinstance(modes, ModeDialog)
    modes.buttons[CHECKOUT].click()
    qtbot.waitUntil(lambda: isinstance(fresh_shell.dialog, OpenShiftDialog), timeout=5000)
    opening = fresh_shell.dialog
    assert isinstance(opening, OpenShiftDialog)
    opening.float_edit.setText("150.00")
    with qtbot.wait_signal(fresh_shell.checkout_opened, timeout=5000) as opened:
        opening.submit()
    window = opened.args[0]
    assert isinstance(window, CheckoutWindow)
    assert window.presenter.session.cashier.name.startswith("Dana")
    shift = window.presenter.session.shift
    assert shift is not None and shift.opening_float_cents == 15_000
    qtbot.waitUntil(lambda: fresh_shell.tasks.idle, timeout=5000)
    assert window.discount_banner.text() == "50% off discountable items today"
    assert window.discount_banner.isVisibleTo(window)


def test_lookup_by_consignor_number_and_add(till: Till) -> None:
    till.window.open_lookup()
    dialog = till.window.open_dialog
    assert isinstance(dialog, LookupDialog)
    with till.qtbot.wait_signal(dialog.presenter.results, timeout=5000):
        dialog.query.setText("1003")
    assert dialog.table.rowCount() == 50
    assert dialog.table.item(0, 0).text() == "1003-0001"
    with till.qtbot.wait_signal(till.model.rowsInserted, timeout=5000):
        dialog.choose()
    assert till.model.lines[0].tag_code == "1003-0001"


def test_lookup_by_words(till: Till) -> None:
    till.window.open_lookup()
    dialog = till.window.open_dialog
    assert isinstance(dialog, LookupDialog)
    first = till.services.catalog.search("1001")[0]
    word = first.description.split()[0]
    with till.qtbot.wait_signal(dialog.presenter.results, timeout=5000):
        dialog.query.setText(word)
    assert dialog.table.rowCount() > 0
    assert all(word.lower() in item.description.lower() for item in dialog.presenter.items)


def test_manual_entry_of_consignor_and_item(till: Till) -> None:
    till.window.consignor_edit.setText("1004")
    till.window.item_edit.setText("9")
    with till.qtbot.wait_signal(till.model.rowsInserted, timeout=5000):
        till.window.add_manual()
    assert till.model.lines[0].tag_code == "1004-0009"


def test_remove_the_selected_line(till: Till) -> None:
    for code in ("1005-0011", "1005-0012"):
        till.scan_and_wait(code)
    till.window.cart_view.selectRow(0)
    till.window.remove_selected()
    assert [line.tag_code for line in till.model.lines] == ["1005-0012"]
    till.window.cart_view.clearSelection()
    till.window.remove_selected()  # nothing selected: the last line
    assert till.model.rowCount() == 0
    assert till.window.total_label.text() == "$0.00"


def test_discount_column_and_banner_on_a_discount_day(till: Till) -> None:
    assert till.window.discount_banner.text() == "50% off discountable items today"
    assert not till.window.cart_view.isColumnHidden(5)
    till.window._show_discount(0)
    assert till.window.cart_view.isColumnHidden(5)
    assert not till.window.discount_banner.isVisibleTo(till.window)


def test_sync_status_from_a_worker_thread_reaches_the_status_bar(qtbot: QtBot) -> None:
    board = StatusBoard(SyncStatus(configured=True, online=True, pending=0,
                                   last_success_at="2026-05-16T10:00:00.000Z"))
    adapter = SyncStatusAdapter(board)
    widget = SyncStatusWidget(adapter)
    qtbot.addWidget(widget)
    assert widget.label.text().startswith("Online  |  all synced")
    worker = threading.Thread(target=lambda: board.update(online=False, pending=3,
                                                          last_error="timed out"))
    with qtbot.wait_signal(adapter.status_changed, timeout=5000):
        worker.start()
    worker.join()
    assert widget.label.text().startswith("Offline  |  3 unsynced  |  last sync")
    assert "error: timed out" in widget.label.text()
    adapter.close()
    board.update(pending=4)  # no longer listened to
    assert "3 unsynced" in widget.label.text()


def test_status_words() -> None:
    assert describe(None).text == "Offline register (no sync server)"
    stuck = describe(SyncStatus(configured=True, online=True, pending=2, quarantined=1))
    assert "1 held back" in stuck.text and stuck.colour == "#b91c1c"
    refused = describe(SyncStatus(configured=True, auth_failed=True, last_error="401"))
    assert refused.text.startswith("Sync refused")


@dataclass(frozen=True)
class Quarantined:
    seq: int
    kind: str
    ref_id: str
    reason: str
    quarantined_at: str


def test_the_manager_sees_quarantined_entries(till: Till) -> None:
    entries = [Quarantined(7, "sale", "sale-7", "line 1: price_cents must be >= 0",
                           "2026-05-16T11:00:00.000Z")]
    controls = SyncControls(status=StatusBoard(SyncStatus(configured=True, quarantined=1)),
                            quarantined=lambda: entries)
    adapter = SyncStatusAdapter(controls.status, till.window)
    dialog = SyncDialog(controls, adapter, till.window)
    till.qtbot.addWidget(dialog)
    till.qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    ref, reason = (dialog.table.item(0, column) for column in (2, 4))
    assert ref is not None and ref.text() == "sale-7"
    assert reason is not None and "price_cents" in reason.text()
    assert "1 held back" in dialog.status.text()
    adapter.close()


@pytest.mark.parametrize("kind", list(ScanRefusalKind))
def test_every_refusal_has_a_headline_and_tone(kind: ScanRefusalKind) -> None:
    feedback = feedback_for_refusal(ScanRefusal(kind, "because"))
    assert feedback.headline and feedback.detail.startswith("because.")
    expected = Tone.WARN if kind in (ScanRefusalKind.IN_CART, ScanRefusalKind.CART_FULL) \
        else Tone.BAD
    assert feedback.tone is expected


def test_an_unknown_tag_says_once_that_it_is_not_in_the_catalog_then_what_to_do() -> None:
    # the catalog's refusal (services/catalog.py) already says where the tag is missing
    refusal = ScanRefusal(ScanRefusalKind.UNKNOWN_TAG,
                          "Unknown tag 1234-9876: not in this event's catalog")
    detail = feedback_for_refusal(refusal).detail
    assert detail == ("Unknown tag 1234-9876: not in this event's catalog. "
                      "Set the item aside for the lead.")


@pytest.mark.parametrize("tone", list(Tone))
def test_feedback_sounds_are_short_valid_wav_files(tone: Tone) -> None:
    path = sound_path(tone.value)
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        seconds = wav.getnframes() / wav.getframerate()
    assert 0.05 < seconds < 0.6  # the sound's own length in the file, not a time taken
    assert path.stat().st_size < 50_000


@pytest.mark.parametrize("name", ["lookup", "hold", "recall", "void", "remove", "pay",
                                  "pay-light", "reprint", "shift", "sync", "manual", "app",
                                  "cash", "card"])
def test_icons_load(qapp: QApplication, name: str) -> None:
    assert icon_path(name).exists()
    assert not icon(name).pixmap(32, 32).isNull()


class _RejectWhenShown(QObject):
    """Closes the first start-up dialog of ``kind`` as it shows (Esc at the login).

    An application event filter plus a queued call: no polling timer, so an earlier test's
    leftovers (a stale dialog, a timer) cannot make the start-up wait forever.
    """

    def __init__(self, kind: type, seen: list[str]) -> None:
        super().__init__()
        self.kind = kind
        self.seen = seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (not self.seen and event.type() == QEvent.Type.Show
                and isinstance(watched, self.kind)):
            self.seen.append(watched.objectName())
            QMetaObject.invokeMethod(watched, "reject", Qt.ConnectionType.QueuedConnection)
        return False


def test_launch_runs_the_gui_until_the_login_is_closed(
        qapp: QApplication, database: Database, tmp_path: Path) -> None:
    seen: list[str] = []
    closer = _RejectWhenShown(LoginDialog, seen)
    qapp.installEventFilter(closer)
    args = argparse.Namespace(items=100, receipts_to=tmp_path, full_screen=False, mute=True)
    try:
        status = launch(database, MemoryTokenStore(), lambda: NOW, args)
    finally:
        qapp.removeEventFilter(closer)
    assert status == 0
    assert seen == ["loginDialog"]


def test_run_gui_on_an_unconfigured_register_starts_with_set_up(
        qapp: QApplication, tmp_path: Path) -> None:
    database = Database.open(tmp_path / "empty.sqlite3")
    setup = DatabaseSetup(database, MemoryTokenStore(), lambda: NOW)
    seen: list[str] = []
    closer = _RejectWhenShown(SetupDialog, seen)
    qapp.installEventFilter(closer)
    try:
        assert run_gui(None, setup=setup, options=UiOptions(sounds=False)) == 0
    finally:
        qapp.removeEventFilter(closer)
        setup.close()
        database.close()
    assert seen == ["setupDialog"]


def test_sync_controls_go_through_the_one_runner() -> None:
    rounds: list[str] = []

    class Service:
        board = StatusBoard()

        def run_once(self) -> str:
            rounds.append(threading.current_thread().name)
            return "outcome"

        def quarantined(self) -> list[object]:
            return []

        def conflicts(self) -> list[object]:
            return []

    runner = SyncRunner(Service(), interval_s=3600)  # type: ignore[arg-type]
    runner.start()
    try:
        controls = sync_controls(runner)
        assert controls.quarantined is not None and list(controls.quarantined()) == []
        assert controls.conflicts is not None and list(controls.conflicts()) == []
        assert controls.sync_now is not None and controls.nudge is not None
        assert controls.sync_now() == "outcome"  # waits for the runner's own round
        assert rounds and set(rounds) == {"pos-sync"}  # every round on the runner's thread
    finally:
        runner.stop()
