"""Scanner input through the application-wide key filter, with an injected clock."""

from __future__ import annotations

from guikit import HUMAN_GAP_S, FakeClock, Till
from pytestqt.qtbot import QtBot

from pos_app.core.scanner import ScannerConfig
from pos_app.ui.holds_dialog import HoldLabelDialog
from pos_app.ui.qt import QApplication, QLineEdit, Qt
from pos_app.ui.scanner_input import ScannerInput
from pos_app.ui.tender_dialog import TenderDialog


def test_a_scan_at_scanner_speed_adds_the_item_and_never_reaches_the_focused_field(
        till: Till) -> None:
    field = till.window.consignor_edit
    with till.qtbot.wait_signal(till.window.presenter.model.rowsInserted, timeout=5000):
        till.scan("1001-0001", target=field)
    assert till.model.rowCount() == 1
    assert till.model.lines[0].tag_code == "1001-0001"
    assert field.text() == ""
    assert till.window.item_count_label.text() == "1 item"


def test_a_scan_without_the_dash_is_the_same_tag(till: Till) -> None:
    till.scan_and_wait("10010002")
    assert [line.tag_code for line in till.model.lines] == ["1001-0002"]


def test_human_typing_is_replayed_to_the_focused_field(till: Till) -> None:
    field = till.window.consignor_edit
    scans: list[str] = []
    till.shell.scanner.scanned.connect(scans.append)
    for char in "1001":
        till.qtbot.keyClick(field, char)
        till.clock.advance(HUMAN_GAP_S)
    till.shell.scanner.tick()  # the timer would do this: the last key is typing too
    assert field.text() == "100"  # the first overdue tick lets queued key events in first
    till.shell.scanner.tick()
    assert field.text() == "1001"
    assert scans == []
    assert till.model.rowCount() == 0


def test_human_typing_then_enter_adds_the_typed_tag(till: Till) -> None:
    window = till.window
    window.consignor_edit.setText("1002")
    item = window.item_edit
    item.setFocus()
    for char in "7":
        till.qtbot.keyClick(item, char)
        till.clock.advance(HUMAN_GAP_S)
    with till.qtbot.wait_signal(window.presenter.model.rowsInserted, timeout=5000):
        till.qtbot.keyClick(item, Qt.Key.Key_Return)  # a slow Enter is typing: Add runs
    assert till.model.lines[0].tag_code == "1002-0007"


def test_keys_with_modifiers_and_function_keys_pass_straight_through(
        qtbot: QtBot, qapp: QApplication) -> None:
    clock = FakeClock()
    scanner = ScannerInput(ScannerConfig(), clock)
    scanner.install(qapp)
    field = QLineEdit()
    qtbot.addWidget(field)
    try:
        field.setText("abc")
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
        assert field.text() == ""
        assert scanner.detector.pending == ""
    finally:
        scanner.uninstall(qapp)


def test_a_configured_prefix_marks_a_scan_whatever_its_speed(
        qtbot: QtBot, qapp: QApplication) -> None:
    clock = FakeClock()
    scanner = ScannerInput(ScannerConfig(prefix="]", suffix="\r"), clock)
    scanner.install(qapp)
    field = QLineEdit()
    qtbot.addWidget(field)
    try:
        with qtbot.wait_signal(scanner.scanned, timeout=1000) as blocker:
            for char in "]1042-0017":
                qtbot.keyClick(field, char)
                clock.advance(0.2)  # far slower than a scanner, but under the prefix timeout
            qtbot.keyClick(field, Qt.Key.Key_Return)
        assert blocker.args == ["1042-0017"]
        assert field.text() == ""
    finally:
        scanner.uninstall(qapp)


def test_the_tick_timer_releases_held_typing_in_real_time(
        qtbot: QtBot, qapp: QApplication) -> None:
    import time

    scanner = ScannerInput(ScannerConfig(), time.monotonic)
    scanner.install(qapp)
    field = QLineEdit()
    qtbot.addWidget(field)
    try:
        qtbot.keyClick(field, "x")
        assert field.text() == ""  # held: it might be the start of a scan
        qtbot.waitUntil(lambda: field.text() == "x", timeout=1000)
    finally:
        scanner.uninstall(qapp)


def test_a_scan_while_a_dialog_without_scan_handling_is_open_is_not_typed_into_it(
        till: Till) -> None:
    till.scan_and_wait("1001-0011")
    till.window.open_hold()
    dialog = till.window.open_dialog
    assert isinstance(dialog, HoldLabelDialog)
    label = dialog.label.text()
    till.scan("1001-0012", target=dialog.label)
    assert dialog.label.text() == label
    assert till.window.feedback.headline.text() == "Scan NOT in the cart"
    assert till.window.refused.codes == ["1001-0012"]
    assert till.model.rowCount() == 1
    dialog.reject()
    assert till.window.refused.isVisible()  # until the cashier says they saw it (F7)
    till.qtbot.keyClick(till.window, Qt.Key.Key_F7)
    till.qtbot.waitUntil(lambda: not till.window.refused.isVisible(), timeout=2000)


def test_a_scan_while_paying_is_kept_and_refused_visibly_if_the_payment_is_left(
        till: Till) -> None:
    till.scan_and_wait("1001-0013")
    till.window.open_tender()
    dialog = till.window.open_dialog
    assert isinstance(dialog, TenderDialog)
    till.scan("1001-0014", target=dialog.cash_edit)
    assert dialog.waiting.text() == "Kept for the next cart (1): 1001-0014"
    assert dialog.cash_edit.text() != "" and "1001" not in dialog.cash_edit.text()
    assert till.model.rowCount() == 1
    dialog.reject()
    assert till.window.refused.codes == ["1001-0014"]
    assert till.window.refused.isVisible()
    assert till.model.rowCount() == 1
