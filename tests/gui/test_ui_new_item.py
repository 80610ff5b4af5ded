"""An item the catalog lacks, entered on the spot at check-in, its tag printed and read back.

Scans go through the application's scanner filter; the form is filled from the keyboard only
(Tab between fields, Enter to enter: never a cancel). The printed tag's barcode is decoded
with zbar and must be the item's tag code, and scanning it finds the new item.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from guikit import HUMAN_GAP_S, FakeClock, SocketPrinter, Till
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from test_ui_hall import hall_for, scan

from pos_app.core.items import ItemStatus
from pos_app.services.settings import RegisterSettings
from pos_app.store import models
from pos_app.store.engine import Database
from pos_app.store.sync_state import REGISTER_NUMBER
from pos_app.ui.bundle import UiServices
from pos_app.ui.feedback import Tone
from pos_app.ui.hall_window import HallMode, HallWindow
from pos_app.ui.main import AppShell
from pos_app.ui.new_item_dialog import NewItemDialog
from pos_app.ui.qt import Qt

zbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar needs libzbar0 (scripts/test.sh)")
PIL_Image = pytest.importorskip("PIL.Image")

UNKNOWN = "1002-0777"
GS = b"\x1d"


@pytest.fixture(autouse=True)
def numbered(database: Database) -> None:
    """The register's place in its event, as the catalog pull stores it."""
    with database.unit_of_work() as unit:
        unit.sync_state.put(REGISTER_NUMBER, "2")
        unit.commit()


def decode(png: Path) -> list[str]:
    return sorted(symbol.data.decode() for symbol in zbar.decode(PIL_Image.open(png)))


def written(database: Database) -> tuple[int, int, int]:
    with database.unit_of_work() as unit:
        return tuple(  # type: ignore[return-value]
            int(unit.connection.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (models.items, models.journal, models.outbox))


def keys(qtbot: QtBot, clock: FakeClock, dialog: NewItemDialog, *typed: str | Qt.Key) -> None:
    """A person at the keyboard: text into the focused field, or one key, HUMAN_GAP_S apart."""
    for what in typed:
        widget = dialog.focusWidget() or dialog
        if isinstance(what, str):
            for char in what:
                shift = Qt.KeyboardModifier.ShiftModifier if char.isupper() \
                    else Qt.KeyboardModifier.NoModifier
                qtbot.keyClick(widget, char, shift)
                clock.advance(HUMAN_GAP_S)
        else:
            qtbot.keyClick(widget, what)
            clock.advance(HUMAN_GAP_S)


def enter(qtbot: QtBot, clock: FakeClock, dialog: NewItemDialog, signal: object) -> list[object]:
    with qtbot.wait_signal(signal, timeout=5000) as said:
        keys(qtbot, clock, dialog, Qt.Key.Key_Return)
    return list(said.args)


def press_f3(qtbot: QtBot, hall: HallWindow) -> None:
    """F3 on the check-in window, once it is the active window (shortcuts need that)."""
    hall.activateWindow()
    qtbot.waitUntil(hall.isActiveWindow, timeout=5000)
    qtbot.keyClick(hall, Qt.Key.Key_F3)


def open_dialog(qtbot: QtBot, hall: HallWindow) -> NewItemDialog:
    qtbot.waitUntil(lambda: hall.entry_dialog is not None and hall.entry_dialog.isVisible(),
                    timeout=5000)
    assert hall.entry_dialog is not None
    return hall.entry_dialog


def test_an_unknown_tag_is_entered_printed_decoded_and_then_found(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock,
        till: Till) -> None:
    hall = hall_for(qtbot, shell, services, HallMode.CHECK_IN)
    said = scan(qtbot, hall, clock, UNKNOWN)
    assert (said.tone, said.headline, said.detail) == (
        Tone.WARN, "Not in the catalog: enter it", UNKNOWN)
    dialog = open_dialog(qtbot, hall)
    assert dialog.tag.text() == UNKNOWN
    assert dialog.focusWidget() is dialog.description  # the tag names the consignor

    keys(qtbot, clock, dialog, "Red wagon", Qt.Key.Key_Tab, "4T", Qt.Key.Key_Tab, "Toys",
         Qt.Key.Key_Tab, "24.50", Qt.Key.Key_Tab, Qt.Key.Key_Tab, Qt.Key.Key_Space)
    [png] = enter(qtbot, clock, dialog, hall.tag_printed)

    assert isinstance(png, Path) and png.with_suffix(".pdf").stat().st_size > 0
    assert decode(png) == [UNKNOWN]
    assert not dialog.isVisible()
    assert hall.panel.tone is Tone.GOOD
    assert services.lifecycle is not None
    item = services.lifecycle.item(UNKNOWN)
    assert (item.status, item.consignor_number, item.item_number, item.description,
            item.size, item.category, item.price_cents, item.discountable,
            item.donate_if_unsold) == (ItemStatus.APPROVED, 1002, 777, "Red wagon", "4T",
                                       "Toys", 2450, True, True)
    said = scan(qtbot, hall, clock, decode(png)[0])  # the printed code, at check-in
    assert said.tone is Tone.BAD and f"{UNKNOWN} is already approved" in said.detail

    hall.close()
    till.scan_and_wait(decode(png)[0])  # and at the till
    assert [line.item_id for line in till.window.presenter.cart.lines] == [item.id]


def test_an_untagged_item_gets_a_number_of_this_registers_block(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock) -> None:
    hall = hall_for(qtbot, shell, services, HallMode.CHECK_IN)
    press_f3(qtbot, hall)
    dialog = open_dialog(qtbot, hall)
    assert dialog.tag.text() == "" and dialog.focusWidget() is dialog.consignor
    keys(qtbot, clock, dialog, "1002", Qt.Key.Key_Tab, "Kite", Qt.Key.Key_Tab, Qt.Key.Key_Tab,
         Qt.Key.Key_Tab, "8")
    [png] = enter(qtbot, clock, dialog, hall.tag_printed)

    assert isinstance(png, Path)
    assert decode(png) == ["1002-12001"]  # register 2's block: 12,001 and up
    assert services.lifecycle is not None
    assert services.lifecycle.item("1002-12001").price_cents == 800


def test_bad_input_says_why_keeps_the_form_and_writes_nothing(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock,
        database: Database) -> None:
    before = written(database)
    hall = hall_for(qtbot, shell, services, HallMode.CHECK_IN)
    said = scan(qtbot, hall, clock, "9999-0001")  # a tag of no consignor of the event
    assert (said.tone, said.headline) == (Tone.BAD, "Not taken")
    assert "consignor 9999 is not in this event" in said.detail
    assert hall.entry_dialog is None
    press_f3(qtbot, hall)
    dialog = open_dialog(qtbot, hall)

    [why] = enter(qtbot, clock, dialog, dialog.refused)  # Enter on an empty form
    assert why == "Enter the consignor number" == dialog.message.text()
    assert dialog.isVisible() and dialog.focusWidget() is dialog.consignor

    keys(qtbot, clock, dialog, "9999", Qt.Key.Key_Tab, "Kite", Qt.Key.Key_Tab, Qt.Key.Key_Tab,
         Qt.Key.Key_Tab, "8")
    [why] = enter(qtbot, clock, dialog, dialog.refused)
    assert why == "No consignor 9999 in this event"
    assert dialog.focusWidget() is dialog.consignor

    dialog.consignor.clear()
    keys(qtbot, clock, dialog, "1002")
    dialog.price.clear()
    dialog.price.setFocus()
    keys(qtbot, clock, dialog, "8.5.0")
    [why] = enter(qtbot, clock, dialog, dialog.refused)
    assert "'8.5.0' is not an amount of money" in str(why)
    assert dialog.isVisible() and dialog.focusWidget() is dialog.price

    keys(qtbot, clock, dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: shell.tasks.idle, timeout=5000)
    assert written(database) == before


def test_with_a_receipt_printer_the_new_tag_prints_on_it_as_a_code128(
        qtbot: QtBot, shell: AppShell, services: UiServices, clock: FakeClock,
        printer: SocketPrinter) -> None:
    shell.receipts.configure(RegisterSettings(
        printer_kind="network", escpos_address=f"127.0.0.1:{printer.port}").checked())
    hall = hall_for(qtbot, shell, services, HallMode.CHECK_IN)
    scan(qtbot, hall, clock, UNKNOWN)
    dialog = open_dialog(qtbot, hall)
    keys(qtbot, clock, dialog, "Red wagon", Qt.Key.Key_Tab, "4T", Qt.Key.Key_Tab, "Toys",
         Qt.Key.Key_Tab, "24.50")
    [png] = enter(qtbot, clock, dialog, hall.tag_printed)

    qtbot.waitUntil(lambda: len(printer.received()) == 1, timeout=10_000)
    [job] = printer.received()
    code = UNKNOWN.encode()
    assert GS + b"k" + bytes([73, len(code) + 2]) + b"{B" + code in job  # CODE128, function B
    assert b"$24.50" in job and b"Red wagon" in job and job.endswith(GS + b"V\x00")
    assert hall.panel.tone is Tone.GOOD and "127.0.0.1" in hall.panel.detail.text()
    assert decode(png) == [UNKNOWN]  # the label files are written too (sheets, reprints)
