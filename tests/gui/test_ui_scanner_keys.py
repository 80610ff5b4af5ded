"""Real key events through the scanner filter: Shift, full-ASCII codes, event timestamps.

A scanner on a US layout presses Shift (a separate key event) for upper case and for
``$ % + /`` and the like in Code 39 / Code 128 full ASCII; none of it may split a scan. Key
events from the window system carry their own timestamps, which measure the scan's speed
even when the GUI thread was busy while the keys queued up.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from guikit import HUMAN_GAP_S, SCANNER_GAP_S, FakeClock, Till
from pytestqt.qtbot import QtBot

from pos_app.core.scanner import ScannerConfig
from pos_app.ui.holds_dialog import HoldLabelDialog
from pos_app.ui.qt import QApplication, QEvent, QKeyEvent, QLineEdit, Qt, QWidget
from pos_app.ui.scanner_input import ScannerInput

SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
FULL_ASCII = ("ABC-12", "A$B%C+D/E", "CODE39-$12.50", "Hello+World/42%")


@pytest.fixture
def scanner(qapp: QApplication) -> Iterator[tuple[ScannerInput, FakeClock]]:
    clock = FakeClock()
    scanner = ScannerInput(ScannerConfig(), clock)
    scanner.install(qapp)
    yield scanner, clock
    scanner.uninstall(qapp)


@pytest.fixture
def field(qtbot: QtBot) -> QLineEdit:
    line = QLineEdit()
    qtbot.addWidget(line)
    line.show()
    return line


def _shifted(char: str) -> bool:
    return char.isupper() or char in "$%+/!@#&*()_:?\"<>"


@pytest.mark.parametrize("code", FULL_ASCII)
def test_qtest_key_clicks_with_shift_pass_a_full_ascii_code_whole(
        qtbot: QtBot, scanner: tuple[ScannerInput, FakeClock], field: QLineEdit,
        code: str) -> None:
    filter_, clock = scanner
    with qtbot.wait_signal(filter_.scanned, timeout=1000) as scanned:
        for char in code:  # QTest sends Shift's own press and release around the key
            qtbot.keyClick(field, char, SHIFT if _shifted(char) else NONE)
            clock.advance(SCANNER_GAP_S)
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert scanned.args == [code]
    assert field.text() == ""


def _send(widget: QWidget, kind: QEvent.Type, key: Qt.Key, modifiers: Qt.KeyboardModifier,
          text: str, *, stamp_ms: int) -> None:
    event = QKeyEvent(kind, key, modifiers, text)
    event.setTimestamp(stamp_ms)
    QApplication.sendEvent(widget, event)


def _scanner_types(widget: QWidget, code: str, start_ms: int) -> None:
    """Key events as X delivers them from a scanner: Shift pressed and released as keys of
    their own, 2 ms apart by the events' timestamps."""
    stamp = start_ms
    for char in code:
        key = Qt.Key(ord(char.upper())) if char.isalnum() else Qt.Key(ord(char))
        modifiers = SHIFT if _shifted(char) else NONE
        if modifiers == SHIFT:
            _send(widget, QEvent.Type.KeyPress, Qt.Key.Key_Shift, SHIFT, "", stamp_ms=stamp)
        _send(widget, QEvent.Type.KeyPress, key, modifiers, char, stamp_ms=stamp + 1)
        _send(widget, QEvent.Type.KeyRelease, key, modifiers, char, stamp_ms=stamp + 1)
        if modifiers == SHIFT:
            _send(widget, QEvent.Type.KeyRelease, Qt.Key.Key_Shift, NONE, "", stamp_ms=stamp + 1)
        stamp += 2
    _send(widget, QEvent.Type.KeyPress, Qt.Key.Key_Return, NONE, "\r", stamp_ms=stamp)
    _send(widget, QEvent.Type.KeyRelease, Qt.Key.Key_Return, NONE, "\r", stamp_ms=stamp)


@pytest.mark.parametrize("code", FULL_ASCII)
def test_separate_shift_events_with_timestamps_pass_the_code_whole(
        qtbot: QtBot, scanner: tuple[ScannerInput, FakeClock], field: QLineEdit,
        code: str) -> None:
    filter_, _clock = scanner
    with qtbot.wait_signal(filter_.scanned, timeout=1000) as scanned:
        _scanner_types(field, code, start_ms=5_000_000)
    assert scanned.args == [code]
    assert field.text() == ""


def test_a_scan_read_after_the_gui_was_busy_is_still_a_scan(
        qtbot: QtBot, scanner: tuple[ScannerInput, FakeClock], field: QLineEdit) -> None:
    """The keys came 2 ms apart (their timestamps say so), but the GUI thread printed a
    receipt for 200 ms after reading the third; a timer tick ran before the rest was read."""
    filter_, clock = scanner
    scans: list[str] = []
    filter_.scanned.connect(scans.append)
    stamp = 7_000_000
    for char in "1001":
        _send(field, QEvent.Type.KeyPress, Qt.Key(ord(char)), NONE, char, stamp_ms=stamp)
        stamp += 2
    clock.advance(0.2)  # the GUI thread was busy
    filter_.tick()  # the timer's first tick after it: overdue by the clock, so only noted
    for char in "-0040":
        _send(field, QEvent.Type.KeyPress, Qt.Key(ord(char)), NONE, char, stamp_ms=stamp)
        stamp += 2
    _send(field, QEvent.Type.KeyPress, Qt.Key.Key_Return, NONE, "\r", stamp_ms=stamp)
    assert scans == ["1001-0040"]
    assert field.text() == ""


def test_typing_with_shift_still_reaches_the_field_whole(
        qtbot: QtBot, scanner: tuple[ScannerInput, FakeClock], field: QLineEdit) -> None:
    filter_, clock = scanner
    for char in "Mrs O'Neil $5":
        qtbot.keyClick(field, char, SHIFT if _shifted(char) else NONE)
        clock.advance(HUMAN_GAP_S)
    filter_.tick()
    filter_.tick()  # the second overdue tick releases the last key
    assert field.text() == "Mrs O'Neil $5"


def test_a_shifted_code_scanned_at_the_till_is_refused_whole_and_typed_nowhere(
        till: Till) -> None:
    with till.qtbot.wait_signal(till.window.presenter.feedback, timeout=5000) as said:
        till.scan("ABC-12")
    feedback = said.args[0]
    assert "ABC-12" in f"{feedback.headline} {feedback.detail}"
    assert till.window.consignor_edit.text() == ""
    assert till.model.rowCount() == 0


def test_a_hold_label_typed_with_shift_keeps_its_capitals(till: Till) -> None:
    till.scan_and_wait("1005-0040")
    till.window.open_hold()
    dialog = till.window.open_dialog
    assert isinstance(dialog, HoldLabelDialog)
    dialog.label.clear()
    till.type_text(dialog.label, "Mrs Garcia")
    till.press(dialog.label, Qt.Key.Key_Return)
    till.qtbot.waitUntil(lambda: till.model.rowCount() == 0, timeout=5000)
    [held] = till.services.holds.list()
    assert held.label == "Mrs Garcia"
