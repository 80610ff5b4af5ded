"""The GUI thread never waits: slow network and database calls run on their own lanes."""

from __future__ import annotations

import sys
import threading

from guikit import Till
from pytestqt.qtbot import QtBot

from pos_app.core.cart import CartLine
from pos_app.ui.cart_model import CartTableModel, Column
from pos_app.ui.operations import Operation
from pos_app.ui.qt import QLabel, QTableView, QTimer
from pos_app.ui.taskman import Lane

SLOW_CALL_S = 30.0  # the slow call ends when the test releases it, never by this timeout


def _slow(started: threading.Event, release: threading.Event) -> str:
    started.set()
    release.wait(SLOW_CALL_S)  # a network call (or a commit) that takes seconds
    return "done"


def _scan_each(till: Till, codes: list[str]) -> None:
    for code in codes:
        with till.qtbot.wait_signal(till.model.rowsInserted, timeout=5000):
            till.scan(code)


def _cart_codes(till: Till) -> list[str]:
    return [line.tag_code for line in till.model.lines]


def _heartbeat(till: Till) -> tuple[QTimer, list[int]]:
    """A GUI-thread timer: its ticks prove the event loop ran while the lane was blocked."""
    beats: list[int] = []
    timer = QTimer(till.window)
    timer.setInterval(1)
    timer.timeout.connect(lambda: beats.append(len(beats)))
    timer.start()
    return timer, beats


def test_scans_land_while_a_sync_call_blocks_the_network_lane(till: Till) -> None:
    started, release = threading.Event(), threading.Event()
    finished: list[str] = []
    Operation(till.window, lambda: _slow(started, release), lane=Lane.NETWORK) \
        .success(finished.append).run()
    assert started.wait(5)
    timer, beats = _heartbeat(till)
    codes = [f"1001-{n:04d}" for n in range(1, 11)]
    _scan_each(till, codes)
    till.qtbot.waitUntil(lambda: len(beats) >= 3, timeout=5000)
    timer.stop()
    assert finished == []  # the sync call was still running all along
    assert _cart_codes(till) == codes  # every scan landed, in order
    release.set()
    till.qtbot.waitUntil(lambda: finished == ["done"], timeout=5000)


def test_scans_land_while_a_slow_commit_holds_the_write_lane(till: Till) -> None:
    started, release = threading.Event(), threading.Event()
    finished: list[str] = []
    Operation(till.window, lambda: _slow(started, release), lane=Lane.WRITE) \
        .success(finished.append).run()
    assert started.wait(5)
    codes = [f"1002-{n:04d}" for n in range(1, 6)]
    _scan_each(till, codes)
    assert finished == []
    assert _cart_codes(till) == codes
    release.set()
    till.wait_idle()


def test_none_refcount_does_not_fall_across_label_updates(qtbot: QtBot) -> None:
    """Guard against a binding that drops a reference to None (or to the text) per call.

    Python 3.12 makes None immortal, so its count cannot fall there; the text's own count
    checks the same on a mortal object.
    """
    label = QLabel()
    qtbot.addWidget(label)
    text = "".join(["Total ", "$12.34"])  # a fresh, mortal str
    none_before, text_before = sys.getrefcount(None), sys.getrefcount(text)
    for _ in range(1_000):
        label.setText(text)
        label.setText(None)  # type: ignore[arg-type]
    assert sys.getrefcount(None) >= none_before
    assert sys.getrefcount(text) == text_before


def _line(n: int) -> CartLine:
    return CartLine(f"item-{n}", f"{1001 + n // 50:04d}-{n % 50 + 1:04d}", 1001, f"Item {n}",
                    500, 250)


def test_a_300_line_cart_inserts_one_row_at_a_time(qtbot: QtBot) -> None:
    model = CartTableModel()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1000, 600)
    view.show()
    inserted: list[tuple[int, int]] = []
    resets: list[bool] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.modelReset.connect(lambda: resets.append(True))
    for n in range(300):
        model.append_line(_line(n))
        view.scrollToBottom()
        qtbot.wait(0) if n % 50 == 0 else None
    assert inserted == [(n, n) for n in range(300)]
    assert resets == []
    assert model.data(model.index(299, Column.NUMBER)) == "300"
    assert model.data(model.index(0, Column.DISCOUNT)) == "-$2.50"


def test_removing_a_line_renumbers_the_rows_below(qtbot: QtBot) -> None:
    model = CartTableModel()
    for n in range(3):
        model.append_line(_line(n))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, _roles: changed.append(
        (first.row(), last.row())))
    model.remove_line(0)
    assert model.rowCount() == 2
    assert model.data(model.index(0, Column.NUMBER)) == "1"
    assert changed == [(0, 1)]


def test_the_painted_cell_texts_follow_the_lines_through_removals_and_a_reset() -> None:
    """The delegate paints ``cell_text`` (formatted once per line): always what ``data``
    gives for the line now in that row, "#" renumbered."""
    model = CartTableModel()
    for n in range(6):
        model.append_line(_line(n))
    model.remove_line(0)
    model.remove_line(2)
    model.append_line(_line(9))

    def shown() -> list[list[str]]:
        return [[model.cell_text(row, column) for column in Column]
                for row in range(model.rowCount())]

    assert shown() == [[model.data(model.index(row, column)) for column in Column]
                       for row in range(model.rowCount())]
    assert [row[Column.NUMBER] for row in shown()] == ["1", "2", "3", "4", "5"]
    assert [row[Column.DESCRIPTION] for row in shown()] == [
        "Item 1", "Item 2", "Item 4", "Item 5", "Item 9"]
    model.replace_all([_line(7)])
    assert shown() == [["1", _line(7).tag_code, "Item 7", "", "$5.00", "-$2.50", "$2.50"]]
