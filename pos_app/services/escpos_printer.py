"""Receipts on ESC/POS printers (USB, network port 9100, serial) and the cash drawer they drive.

USB and serial printers go through python-escpos's Usb and Serial classes; a network printer
is a plain TCP connection to port 9100 (what python-escpos's Network class does too).

A document (``pos_app.services.documents`` blocks) becomes the printer's own commands:
text in the printer's font on 58 mm (32 columns) or 80 mm (48 columns) paper, the sale's code
as the printer's CODE128 barcode command (``GS k``), a cut, and, after a cash sale or a
no-sale, the drawer pulse (``ESC p``) on the pin and with the timing of the register's
settings. The whole job is rendered to bytes first (python-escpos's Dummy printer) and then
written to the device in one go, so what the tests read is what the printer gets.

python-escpos (and pyusb/pyserial under it) is imported only when a job is rendered: a
register on the system printer or PDFs never loads it.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from pos_app.services.documents import Align, Barcode, Block, Gap, Rule, Text

type PrinterKind = Literal["usb", "network", "serial"]

KINDS: Final[tuple[PrinterKind, ...]] = ("usb", "network", "serial")
PAPER_COLUMNS: Final = {58: 32, 80: 48}  # font A (12 x 24 dots) on 384 / 576 dots
DOTS_PER_MM: Final = 8                    # 203 dpi
DRAWER_PINS: Final = (2, 5)
MIN_PULSE_MS, MAX_PULSE_MS = 2, 510       # ESC p counts in 2 ms steps, 1..255
DEFAULT_PORT: Final = 9100
LARGE_POINT_SIZE: Final = 10.0            # this and larger print double height

_USB_RE = re.compile(r"^(?P<vendor>[0-9a-fA-F]{4}):(?P<product>[0-9a-fA-F]{4})$")
_HOST_RE = re.compile(r"^(?P<host>[A-Za-z0-9.-]{1,253}|\[[0-9a-fA-F:]+\])(?::(?P<port>\d{1,5}))?$")
_SERIAL_RE = re.compile(r"^(?P<device>[^@\s]{1,200})(?:@(?P<baud>\d{3,7}))?$")


class EscposError(OSError):
    """The receipt printer could not be reached or refused the job; the message says which."""


@dataclass(frozen=True, slots=True)
class EscposTarget:
    """Where an ESC/POS printer is: ``usb`` ``VVVV:PPPP``, ``network`` ``host[:9100]`` or
    ``serial`` ``/dev/ttyUSB0[@9600]``; and its paper width in mm (58 or 80)."""

    kind: PrinterKind
    address: str
    paper_mm: int = 80

    def describe(self) -> str:
        return f"{self.kind} printer {self.address}"


@dataclass(frozen=True, slots=True)
class DrawerPulse:
    """The drawer kick: which connector pin (2 or 5) and how long the pulse is on and off."""

    pin: int = 2
    on_ms: int = 100
    off_ms: int = 100

    def command(self) -> list[int]:
        """``ESC p m t1 t2``: m=0 for pin 2, 1 for pin 5; times in 2 ms units."""
        return [27, 112, 0 if self.pin == 2 else 1, self.on_ms // 2, self.off_ms // 2]


def check_target(kind: str, address: str, paper_mm: int) -> EscposTarget:
    """A target from the settings' values; ValueError saying what is wrong."""
    if kind not in KINDS:
        raise ValueError(f"Unknown ESC/POS connection {kind!r}: use usb, network or serial")
    if paper_mm not in PAPER_COLUMNS:
        raise ValueError("The paper is 58 mm or 80 mm wide")
    address = address.strip()
    examples = {"usb": "04b8:0e15 (vendor:product, from lsusb)",
                "network": "192.168.1.50 or printer.local:9100", "serial": "/dev/ttyUSB0@9600"}
    pattern = {"usb": _USB_RE, "network": _HOST_RE, "serial": _SERIAL_RE}[kind]
    match = pattern.match(address)
    if match is None or (kind == "network" and not 0 < int(match["port"] or DEFAULT_PORT) < 65536):
        raise ValueError(f"The {kind} printer address should look like {examples[kind]}")
    return EscposTarget(kind, address, paper_mm)


def check_drawer(pin: int, on_ms: int, off_ms: int) -> DrawerPulse:
    if pin not in DRAWER_PINS:
        raise ValueError("The drawer is on pin 2 or pin 5 of the printer's drawer port")
    for name, value in (("on", on_ms), ("off", off_ms)):
        if not MIN_PULSE_MS <= value <= MAX_PULSE_MS:
            raise ValueError(f"The drawer pulse's {name} time is {MIN_PULSE_MS}-{MAX_PULSE_MS} ms")
    return DrawerPulse(pin, on_ms, off_ms)


def render(blocks: Sequence[Block] | None, paper_mm: int = 80,
           drawer: DrawerPulse | None = None) -> bytes:
    """The job's bytes: ``blocks`` (None: no receipt) then a cut, then the drawer pulse."""
    from escpos.printer import Dummy

    printer = Dummy()
    if blocks is not None:
        printer.hw("INIT")
        columns = PAPER_COLUMNS[paper_mm]
        for block in blocks:
            _render_block(printer, block, columns)
        printer.set_with_default()
        printer.cut()
    if drawer is not None:
        printer.cashdraw(drawer.command())
    output: bytes = printer.output
    return output


def _render_block(printer: Any, block: Block, columns: int) -> None:
    match block:
        case Text():
            large = block.point_size >= LARGE_POINT_SIZE
            printer.set_with_default(align="center" if block.align is Align.CENTER else "left",
                                     bold=block.bold, double_height=large)
            printer.textln(line_text(block, columns))
        case Rule():
            printer.set_with_default()
            printer.textln("-" * columns)
        case Gap(mm=mm):
            printer._raw(b"\x1bJ" + bytes([min(255, round(mm * DOTS_PER_MM))]))  # feed n dots
        case Barcode(code=code, height_mm=height):
            printer.set_with_default(align="center")
            with contextlib.redirect_stdout(io.StringIO()):  # it prints which renderer it used
                printer.barcode("{B" + code, "CODE128", function_type="B", pos="OFF",
                                height=max(1, min(255, round(height * DOTS_PER_MM))), width=2)
            printer.ln()


def line_text(block: Text, columns: int) -> str:
    """One line of ``columns`` characters: left text, and the right text flush right."""
    if block.align is Align.CENTER or not block.right:
        return block.left[:columns]
    right = block.right[:columns]
    room = columns - len(right) - 1
    left = block.left if len(block.left) <= room else block.left[:max(0, room - 1)] + "~"
    return left[:room].ljust(room) + " " + right


def send(target: EscposTarget, job: bytes, timeout_s: float = 10.0) -> None:
    """Write ``job`` to the printer; EscposError (with the printer named) when it fails."""
    if target.kind == "network":
        _send_network(target, job, timeout_s)
        return
    try:
        device = _open_device(target, timeout_s)
    except Exception as error:  # python-escpos raises its own, pyusb and pyserial theirs
        hint = " (install libusb-1.0)" if "No backend available" in str(error) else ""
        raise EscposError(f"The {target.describe()} is not reachable: {error}{hint}") from error
    try:
        device._raw(job)
    except Exception as error:
        raise EscposError(f"The {target.describe()} stopped taking the job: {error}") from error
    finally:
        with contextlib.suppress(Exception):
            device.close()


def _send_network(target: EscposTarget, job: bytes, timeout_s: float) -> None:
    """Raw TCP (port 9100, "JetDirect"), as python-escpos's Network does, with the socket
    closed on every path."""
    match = _HOST_RE.match(target.address)
    assert match is not None
    host, port = match["host"].strip("[]"), int(match["port"] or DEFAULT_PORT)
    try:
        connection = socket.create_connection((host, port), timeout=timeout_s)
    except OSError as error:
        raise EscposError(f"The {target.describe()} is not reachable: {error}") from error
    with connection:
        try:
            connection.sendall(job)
        except OSError as error:
            raise EscposError(f"The {target.describe()} stopped taking the job: {error}") \
                from error


def _open_device(target: EscposTarget, timeout_s: float) -> Any:
    from escpos import printer

    if target.kind == "usb":
        match = _USB_RE.match(target.address)
        assert match is not None
        device: Any = printer.Usb(int(match["vendor"], 16), int(match["product"], 16),
                                  timeout=int(timeout_s * 1000))
    else:
        match = _SERIAL_RE.match(target.address)
        assert match is not None
        device = printer.Serial(match["device"], baudrate=int(match["baud"] or 9600),
                                timeout=timeout_s)
    device.open()
    return device


def sample_page(paper_mm: int) -> list[Block]:
    """A short page for the settings' Test print: width ruler, bold, large text and a barcode."""
    columns = PAPER_COLUMNS[paper_mm]
    ruler = "".join(str(i % 10) for i in range(1, columns + 1))
    return [Text("Test print", bold=True, point_size=LARGE_POINT_SIZE, align=Align.CENTER),
            Text(f"{paper_mm} mm paper, {columns} columns", align=Align.CENTER), Rule(),
            Text(ruler), Text("Left", "Right"), Text("Bold line", bold=True), Gap(2),
            Barcode("TEST-000001"), Text("TEST-000001", align=Align.CENTER)]
