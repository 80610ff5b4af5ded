"""This register's own settings: the receipt printer and drawer, the scanner, sounds (no Qt).

They are kept beside the database as ``settings.json`` (the catalog and the sales are not
settings: they live in the database and sync). A missing file means the defaults; a damaged
one is set aside as ``settings.json.damaged`` and the defaults are used, so a bad edit never
keeps a register from starting. Writes go to a temporary file that is flushed and renamed
over the old one, so a power cut leaves either the old settings or the new.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from pos_app.core.scanner import ScannerConfig
from pos_app.services.escpos_printer import (
    DrawerPulse,
    EscposTarget,
    check_drawer,
    check_target,
)

log = logging.getLogger(__name__)

SUFFIXES = {"\r": "Enter", "\t": "Tab"}
MIN_GAP_MS, MAX_GAP_MS = 5, 200
MAX_PREFIX_LENGTH = 8
SYSTEM_PRINTER = "system"  # printer_kind: the system's printers (or PDFs); else an ESC/POS link
PRINTER_KINDS = (SYSTEM_PRINTER, "usb", "network", "serial")


class SettingsError(ValueError):
    """A setting that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class RegisterSettings:
    """What a manager may set on this register."""

    printer_name: str | None = None  # None: the system's default printer
    receipt_dir: str | None = None   # receipts as PDF files in this folder instead of printing
    sounds: bool = True
    scanner_prefix: str = ""         # what the scanner sends before a code, if configured to
    scanner_suffix: str = "\r"       # what it sends after one: Enter or Tab
    scanner_max_gap_ms: int = 35     # slower keystrokes than this are a person typing
    printer_kind: str = SYSTEM_PRINTER  # or an ESC/POS printer on usb, network or serial
    escpos_address: str = ""         # "04b8:0e15" (usb), "host[:9100]", "/dev/ttyS0@9600"
    paper_mm: int = 80               # ESC/POS paper width: 58 or 80
    drawer_pin: int = 0              # 0: no cash drawer; 2 or 5: the printer's drawer-port pin
    drawer_on_ms: int = 100          # the drawer kick's pulse
    drawer_off_ms: int = 100

    def pdf_folder(self) -> Path | None:
        """Where receipts go as PDF files, or None when they are printed."""
        return Path(self.receipt_dir) if self.receipt_dir else None

    def escpos(self) -> EscposTarget | None:
        """The ESC/POS receipt printer, or None for the system's printers and PDFs."""
        if self.printer_kind == SYSTEM_PRINTER:
            return None
        return check_target(self.printer_kind, self.escpos_address, self.paper_mm)

    def drawer(self) -> DrawerPulse | None:
        """The cash drawer's pulse, or None when this register has no drawer."""
        if self.drawer_pin == 0:
            return None
        return check_drawer(self.drawer_pin, self.drawer_on_ms, self.drawer_off_ms)

    def scanner(self) -> ScannerConfig:
        return ScannerConfig(max_gap_s=self.scanner_max_gap_ms / 1000,
                             prefix=self.scanner_prefix, suffix=self.scanner_suffix)

    def checked(self) -> RegisterSettings:
        """These settings with blanks normalised; SettingsError if one cannot be used."""
        if self.scanner_suffix not in SUFFIXES:
            raise SettingsError("The scanner must end a code with Enter or Tab")
        if not MIN_GAP_MS <= self.scanner_max_gap_ms <= MAX_GAP_MS:
            raise SettingsError(f"The scanner's key gap must be {MIN_GAP_MS}-{MAX_GAP_MS} ms")
        prefix = self.scanner_prefix
        if len(prefix) > MAX_PREFIX_LENGTH or not all(ch.isprintable() for ch in prefix):
            raise SettingsError(f"A scanner prefix is at most {MAX_PREFIX_LENGTH} printable "
                                "characters")
        if self.printer_kind not in PRINTER_KINDS:
            raise SettingsError(f"Unknown printer connection {self.printer_kind!r}")
        try:
            self.escpos()
            self.drawer()
        except ValueError as error:
            raise SettingsError(str(error)) from error
        if self.drawer_pin and self.printer_kind == SYSTEM_PRINTER:
            raise SettingsError("The cash drawer opens through an ESC/POS receipt printer: "
                                "choose one, or no drawer")
        return replace(self, printer_name=(self.printer_name or "").strip() or None,
                       receipt_dir=(self.receipt_dir or "").strip() or None,
                       escpos_address=self.escpos_address.strip())


class SettingsStore:
    """The settings file of one register."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> RegisterSettings:
        """The saved settings, or the defaults (a damaged file is set aside, not fatal)."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return _from_json(raw).checked()
        except FileNotFoundError:
            return RegisterSettings()
        except (OSError, ValueError, TypeError) as error:
            log.warning("settings in %s unusable (%s): using the defaults", self.path, error)
            self._set_aside()
            return RegisterSettings()

    def save(self, settings: RegisterSettings) -> RegisterSettings:
        """Check and write ``settings`` (atomically); return what was written."""
        settings = settings.checked()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        with partial.open("w", encoding="utf-8") as out:
            json.dump(asdict(settings), out, indent=2, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(self.path)
        return settings

    def _set_aside(self) -> None:
        with contextlib.suppress(OSError):  # unreadable and unmovable: still start
            self.path.replace(self.path.with_name(self.path.name + ".damaged"))


_TYPES: dict[str, tuple[type, ...]] = {
    "printer_name": (str, type(None)), "receipt_dir": (str, type(None)), "sounds": (bool,),
    "scanner_prefix": (str,), "scanner_suffix": (str,), "scanner_max_gap_ms": (int,),
    "printer_kind": (str,), "escpos_address": (str,), "paper_mm": (int,), "drawer_pin": (int,),
    "drawer_on_ms": (int,), "drawer_off_ms": (int,),
}


def _from_json(raw: Any) -> RegisterSettings:
    """Settings from the file's JSON object; a missing key takes its default."""
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    defaults = asdict(RegisterSettings())
    values: dict[str, Any] = {}
    for name, types in _TYPES.items():
        value = raw.get(name, defaults[name])
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise TypeError(f"{name} has the wrong type ({type(value).__name__})")
        values[name] = value
    return RegisterSettings(**values)
