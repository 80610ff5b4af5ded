"""No scan vanishes around a payment: each lands in the next cart or is refused visibly.

Scans come through the scanner filter as real key events (Shift included) at scanner speed,
0, 10, 50 and 100 ms (on the filter's clock) after the key that opens the payment dialog, the
key that pays, while the sale is being committed, and right after it is on disk.
"""

from __future__ import annotations

import threading

import pytest
from guikit import Till

from pos_app.core.sale import CompletedSale
from pos_app.ui.operations import Operation
from pos_app.ui.qt import Qt
from pos_app.ui.taskman import Lane
from pos_app.ui.tender_dialog import TenderDialog

DELAYS_S = (0.0, 0.010, 0.050, 0.100)


def _tags(till: Till) -> set[str]:
    return {line.tag_code for line in till.model.lines}


def _blocked_write_lane(till: Till) -> threading.Event:
    """Hold the write lane (a commit queued now waits) until the returned event is set."""
    started, release = threading.Event(), threading.Event()
    Operation(till.window, lambda: (started.set(), release.wait(10)), lane=Lane.WRITE).run()
    assert started.wait(5)
    return release


@pytest.mark.parametrize("delay", DELAYS_S)
@pytest.mark.parametrize("pay_key", [Qt.Key.Key_Return, Qt.Key.Key_F12])
def test_every_scan_around_a_payment_lands_in_the_next_cart(
        till: Till, delay: float, pay_key: Qt.Key) -> None:
    window = till.window
    till.scan_and_wait("1001-0030")
    till.press(window, Qt.Key.Key_F12)  # open the payment dialog
    dialog = window.open_dialog
    assert isinstance(dialog, TenderDialog)
    till.clock.advance(delay)
    till.scan("1001-0031", target=dialog.cash_edit)  # while the dialog opens
    till.qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)  # its F-keys need it active
    till.press(dialog.cash_edit, Qt.Key.Key_Return)  # take the cash filled in
    assert dialog.presenter.settled
    release = _blocked_write_lane(till)
    till.press(dialog, pay_key)  # the key that completes the payment
    assert window.presenter.paying
    till.clock.advance(delay)
    till.scan("1001-0032", target=dialog)  # while the sale is being committed
    late: list[str] = []

    def just_paid(_sale: CompletedSale) -> None:  # the next keys, read right after the commit
        till.clock.advance(delay)
        till.scan("1001-0033")
        late.append("scanned")

    window.presenter.sale_completed.connect(just_paid)
    with till.qtbot.wait_signal(window.presenter.sale_completed, timeout=5000) as done:
        release.set()
    assert late == ["scanned"]
    till.clock.advance(delay)
    till.scan("1001-0034")  # after it

    sale = done.args[0]
    assert [line.tag_code for line in sale.lines] == ["1001-0030"]
    expected = {"1001-0031", "1001-0032", "1001-0033", "1001-0034"}
    till.qtbot.waitUntil(lambda: _tags(till) == expected, timeout=5000)
    assert window.refused.codes == []
    assert window.consignor_edit.text() == "" and window.item_edit.text() == ""


def test_a_burst_of_ten_scans_right_after_pay_all_land_in_the_next_cart(till: Till) -> None:
    window = till.window
    till.scan_and_wait("1002-0030")
    till.press(window, Qt.Key.Key_F12)
    dialog = window.open_dialog
    assert isinstance(dialog, TenderDialog)
    till.press(dialog.cash_edit, Qt.Key.Key_Return)
    till.press(dialog.cash_edit, Qt.Key.Key_Return)  # Enter again pays
    burst = [f"1002-{n:04d}" for n in range(31, 41)]
    for code in burst:  # back to back, no pause between scans
        till.scan(code, target=dialog)
    till.qtbot.waitUntil(lambda: _tags(till) == set(burst), timeout=5000)
    last = till.services.sales.last()
    assert last is not None and [line.tag_code for line in last.sale.lines] == ["1002-0030"]


@pytest.mark.parametrize("delay", DELAYS_S)
def test_scans_kept_for_a_payment_that_is_left_are_refused_until_seen(
        till: Till, delay: float) -> None:
    window = till.window
    till.scan_and_wait("1003-0030")
    till.press(window, Qt.Key.Key_F12)
    dialog = window.open_dialog
    assert isinstance(dialog, TenderDialog)
    till.clock.advance(delay)
    till.scan("1003-0031", target=dialog.cash_edit)
    till.scan("1003-0032", target=dialog.cash_edit)
    assert dialog.waiting.text() == "Kept for the next cart (2): 1003-0031, 1003-0032"
    till.press(dialog, Qt.Key.Key_Escape)  # back to the cart: no sale
    till.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert window.refused.isVisible()
    assert window.refused.codes == ["1003-0031", "1003-0032"]
    assert "1003-0031, 1003-0032" in window.refused.text.text()
    assert _tags(till) == {"1003-0030"}
    till.scan_and_wait("1003-0033")  # other scans do not clear it
    assert window.refused.isVisible()
    window.activateWindow()  # a window manager would; offscreen has none
    till.qtbot.waitUntil(window.isActiveWindow, timeout=2000)  # its F-keys need it active
    till.press(window, Qt.Key.Key_F7)  # acknowledged
    assert not window.refused.isVisible()
    assert window.refused.codes == []


def test_a_scan_while_another_dialog_is_open_stays_listed_until_seen(till: Till) -> None:
    window = till.window
    till.press(window, Qt.Key.Key_F11)  # the sync view takes no scans
    dialog = window.open_dialog
    assert dialog is not None
    till.scan("1004-0030", target=dialog)
    assert window.refused.codes == ["1004-0030"]
    till.press(dialog, Qt.Key.Key_Escape)
    till.qtbot.waitUntil(lambda: window.open_dialog is None, timeout=2000)
    till.scan_and_wait("1004-0031")
    assert window.refused.isVisible() and window.refused.codes == ["1004-0030"]
    assert _tags(till) == {"1004-0031"}
