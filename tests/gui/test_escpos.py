"""ESC/POS receipts and the cash drawer: the byte stream, and a real socket printer on port N.

The byte-stream tests render to python-escpos's Dummy printer (what ``render`` does) and read
the commands back; the till tests send to a TCP "printer" on 127.0.0.1 (a port the OS picks),
which is what a network receipt printer on port 9100 is.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from guikit import SocketPrinter, Till

from pos_app.core.cart import CartLine
from pos_app.core.pricing import PricingPolicy
from pos_app.core.sale import CompletedSale, SaleHeader, build_sale
from pos_app.core.tender import Tender, TenderKind
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.services.escpos_printer import (
    DrawerPulse,
    EscposError,
    EscposTarget,
    check_target,
    render,
    sample_page,
    send,
)
from pos_app.services.settings import RegisterSettings, SettingsError, SettingsStore
from pos_app.ui.receipt import ReceiptHeader, receipt_blocks, receipt_code
from pos_app.ui.settings_dialog import ESCPOS, SettingsDialog

HEADER = ReceiptHeader("Spring Kids Sale", "reg-1", "Register 1", "Dana", 825)
CODES = ("1001-0010", "1002-0010")
ESC, GS = b"\x1b", b"\x1d"
CUT = GS + b"V\x00"
INIT = ESC + b"@"


def _sale(tender: TenderKind = TenderKind.CASH) -> CompletedSale:
    cart = [CartLine(f"item-{n}", f"1001-{n:04d}", 1001, f"Thing {n}", 1_000, 500)
            for n in (1, 2)]
    policy = PricingPolicy(tax_rate_bp=820)  # 82 cents on the discounted 1_000
    header = SaleHeader("sale-1", "event", "reg-1", None, "cashier", "2026-05-16T12:00:00.000Z")
    paid = ([Tender(TenderKind.CASH, 1_082, 2_000, 918)] if tender is TenderKind.CASH
            else [Tender(TenderKind.CARD, 1_082, reference="4242")])
    return build_sale(header, 42, cart, paid, policy)


def _text_lines(job: bytes) -> list[str]:
    """The printed lines: the text between the last formatting command and each newline."""
    lines = []
    for raw in job.split(b"\n"):
        text = re.split(rb"\x1b.\x00|\x1b.\x01|\x1b.\x10|\x1d.\x00|\x1bt\x00", raw)[-1]
        lines.append(text.decode("cp437"))
    return lines


def test_receipt_byte_stream_has_its_lines_the_barcode_command_a_cut_and_the_pulse() -> None:
    job = render(receipt_blocks(_sale(), HEADER), 80, DrawerPulse(pin=2, on_ms=100, off_ms=200))

    assert job.startswith(INIT)
    lines = _text_lines(job)
    assert "Spring Kids Sale" in lines
    assert "1001-0001 Thing 1" + " " * 25 + "$10.00" in lines  # price flush right, 48 columns
    assert any(line.startswith("TOTAL") and line.endswith("$10.82") for line in lines)
    assert any(line.startswith("Change") and line.endswith("$9.18") for line in lines)
    assert all(len(line) <= 48 for line in lines)
    code = receipt_code("reg-1", 42).encode()
    barcode = GS + b"k" + bytes([73, len(code) + 2]) + b"{B" + code  # CODE128, function B
    assert barcode in job
    assert GS + b"w\x02" in job and GS + b"h" + bytes([96]) in job  # 2-dot modules, 12 mm
    assert job.index(barcode) < job.index(CUT)
    assert job.endswith(CUT + ESC + b"p" + bytes([0, 50, 100]))  # pin 2, 100 ms on, 200 off


def test_58mm_paper_keeps_every_line_in_32_columns_and_a_card_sale_has_no_pulse() -> None:
    job = render(receipt_blocks(_sale(TenderKind.CARD), HEADER), 58, None)
    lines = _text_lines(job)
    assert "1001-0001 Thing 1         $10.00" in lines
    assert all(len(line) <= 32 for line in lines)
    assert job.endswith(CUT)
    assert ESC + b"p" not in job


def test_a_drawer_kick_alone_is_only_the_pulse_on_pin_5() -> None:
    assert render(None, 80, DrawerPulse(5, 60, 60)) == ESC + b"p" + bytes([1, 30, 30])


@pytest.mark.parametrize(("kind", "address", "paper", "message"), [
    ("usb", "04b8", 80, "vendor:product"),
    ("network", "printer.local:70000", 80, "printer.local:9100"),
    ("serial", "", 80, "/dev/ttyUSB0@9600"),
    ("bluetooth", "x", 80, "usb, network or serial"),
    ("network", "10.0.0.9", 76, "58 mm or 80 mm"),
])
def test_bad_printer_settings_are_refused_with_what_to_write(kind: str, address: str,
                                                             paper: int, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        check_target(kind, address, paper)


@pytest.mark.parametrize("target", [EscposTarget("usb", "04b8:0e15"),
                                    EscposTarget("serial", "/dev/no-such-tty@9600")])
def test_a_missing_usb_or_serial_printer_is_named_in_the_error(target: EscposTarget) -> None:
    with pytest.raises(EscposError, match=f"The {target.kind} printer .* is not reachable"):
        send(target, b"job")


def test_settings_refuse_a_drawer_without_an_escpos_printer_and_keep_the_old_file(
        tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    saved = store.save(RegisterSettings(printer_kind="network", escpos_address="10.1.2.3",
                                        paper_mm=58, drawer_pin=5, drawer_on_ms=120))
    before = store.path.read_bytes()
    with pytest.raises(SettingsError, match="drawer opens through an ESC/POS"):
        store.save(RegisterSettings(drawer_pin=2))
    with pytest.raises(SettingsError, match="pulse's on time"):
        store.save(RegisterSettings(printer_kind="usb", escpos_address="04b8:0e15",
                                    drawer_pin=2, drawer_on_ms=900))
    assert store.path.read_bytes() == before
    assert store.load() == saved
    assert saved.escpos() == EscposTarget("network", "10.1.2.3", 58)
    assert saved.drawer() == DrawerPulse(5, 120, 100)


def _use_escpos(till: Till, port: int, drawer_pin: int = 2) -> None:
    till.shell.receipts.configure(RegisterSettings(
        printer_kind="network", escpos_address=f"127.0.0.1:{port}", drawer_pin=drawer_pin,
        drawer_on_ms=100, drawer_off_ms=100).checked())


def test_a_cash_sale_prints_on_the_network_printer_then_opens_the_drawer(
        till: Till, printer: SocketPrinter) -> None:
    _use_escpos(till, printer.port)
    sale = till.sell(*CODES, extra_cash=500)
    till.qtbot.waitUntil(lambda: len(printer.received()) == 2, timeout=10_000)
    kick, receipt = sorted(printer.received(), key=len)  # the drawer opens as the sale commits
    assert receipt.startswith(INIT) and receipt.endswith(CUT)
    assert receipt_code(till.services.context.register_id, sale.seq).encode() in receipt
    assert kick == ESC + b"p" + bytes([0, 50, 50])
    assert till.shell.errors.history == []


def test_a_card_sale_prints_but_leaves_the_drawer_shut(till: Till,
                                                       printer: SocketPrinter) -> None:
    _use_escpos(till, printer.port)
    for code in CODES:
        till.scan_and_wait(code)
    presenter = till.window.presenter
    total = presenter.totals().total_cents
    with till.qtbot.wait_signal(presenter.sale_completed, timeout=5000):
        presenter.pay([Tender(TenderKind.CARD, total, reference="1234")],
                      till.window.print_receipt)
    till.qtbot.waitUntil(lambda: len(printer.received()) == 1, timeout=10_000)
    till.shell.receipts.wait_idle()
    assert len(printer.received()) == 1
    assert ESC + b"p" not in printer.received()[0]


def test_an_unplugged_printer_is_told_and_the_sale_is_kept(till: Till) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    _use_escpos(till, port)  # nothing listens there any more
    sale = till.sell(*CODES)
    till.qtbot.waitUntil(lambda: len(till.shell.errors.history) >= 2, timeout=15_000)
    messages = [reported.message for reported in till.shell.errors.history]
    assert any(f"receipt-{sale.seq:06d} did not print" in m and f"127.0.0.1:{port}" in m
               for m in messages)
    assert any("cash drawer did not open" in m for m in messages)
    assert till.services.sales.last() is not None


def test_no_sale_opens_the_drawer_only_for_a_managers_pin(till: Till,
                                                          printer: SocketPrinter) -> None:
    _use_escpos(till, printer.port, drawer_pin=5)
    cashiers = till.services.cashiers
    dialog = till.shell.drawer.ask_no_sale(till.window, cashiers)
    assert dialog is not None
    dialog.pin.setText(CASHIER_PIN)
    dialog.accept()
    till.qtbot.waitUntil(lambda: "Not a manager" in dialog.message.text(), timeout=5000)
    till.shell.receipts.wait_idle()
    assert printer.received() == []
    dialog.pin.setText(MANAGER_PIN)
    dialog.accept()
    till.qtbot.waitUntil(lambda: len(printer.received()) == 1, timeout=10_000)
    assert printer.received() == [ESC + b"p" + bytes([1, 50, 50])]


def test_test_print_from_the_settings_sends_a_sample_page(till: Till, printer: SocketPrinter,
                                                          tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    dialog = SettingsDialog(store, till.services.cashiers, till.window, printers=[])
    dialog.printer.setCurrentText(ESCPOS["network"])
    dialog.address.setText(f"127.0.0.1:{printer.port}")
    dialog.paper.setCurrentText("58 mm")
    sent = dialog.test_print()
    assert sent is not None
    sent.wait_idle()
    # The job is sent; the stand-in printer files it once it has read the connection to its end.
    till.qtbot.waitUntil(lambda: len(printer.received()) == 1, timeout=10_000)
    assert printer.received() == [render(sample_page(58), 58)]
    assert "Test page sent to network printer" in dialog.message.text()
    assert not store.path.exists()  # a test print saves nothing
    dialog.address.setText("not a printer address!")
    assert dialog.test_print() is None
    assert "should look like" in dialog.message.text()


def test_the_settings_form_shows_and_returns_a_saved_escpos_printer(till: Till,
                                                                    tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    saved = store.save(RegisterSettings(printer_kind="serial", escpos_address="/dev/ttyUSB0@19200",
                                        paper_mm=58, drawer_pin=5, drawer_on_ms=120,
                                        drawer_off_ms=240))
    dialog = SettingsDialog(store, till.services.cashiers, till.window, printers=["Office"])
    assert dialog.printer.currentText() == ESCPOS["serial"]
    assert dialog.address.isEnabled() and dialog.drawer.isEnabled()
    assert dialog.chosen().checked() == saved
    dialog.printer.setCurrentText("Office")  # a system printer: no drawer, no address
    assert not dialog.address.isEnabled()
    chosen = dialog.chosen().checked()
    assert (chosen.printer_kind, chosen.printer_name, chosen.drawer_pin) == ("system", "Office", 0)
