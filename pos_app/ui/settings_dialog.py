"""The register's settings (Ctrl+,): receipt printer and drawer, scanner, sounds; a manager's
PIN saves. Test print sends a sample page to the printer as the form has it (saved or not).

The form shows the saved :class:`~pos_app.services.settings.RegisterSettings`; Save checks
them on the GUI thread (a wrong value is said at once), then verifies the manager's PIN and
writes the file on the write lane, and emits :attr:`SettingsDialog.saved`. The shell applies
the printer and the scanner at once; sounds change from the next start.
"""

from __future__ import annotations

import logging

from pos_app.services.cashiers import CashierService, CashierView
from pos_app.services.escpos_printer import MAX_PULSE_MS, MIN_PULSE_MS, sample_page
from pos_app.services.settings import (
    MAX_GAP_MS,
    MIN_GAP_MS,
    SUFFIXES,
    SYSTEM_PRINTER,
    RegisterSettings,
    SettingsError,
    SettingsStore,
)
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.operations import Operation, find_runner
from pos_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPrinterInfo,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.receipt import ReceiptPrinter
from pos_app.ui.widgets import PinEdit, title_label

log = logging.getLogger(__name__)

DEFAULT_PRINTER = "System default printer"
PDF_FILES = "No printer: PDF files in a folder"
ESCPOS = {"usb": "ESC/POS receipt printer on USB", "network": "ESC/POS receipt printer on the "
          "network (port 9100)", "serial": "ESC/POS receipt printer on a serial port"}
DRAWER_CHOICES = {0: "No cash drawer", 2: "Drawer on pin 2", 5: "Drawer on pin 5"}


class SettingsDialog(KeyDialog):
    """Edits this register's settings; emits :attr:`saved` once they are on disk."""

    saved = Signal(object)  # RegisterSettings

    def __init__(self, store: SettingsStore, cashiers: CashierService,
                 parent: QWidget | None = None, *, printers: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Register settings")
        self.setMinimumWidth(520)
        self._store, self._cashiers = store, cashiers
        current = store.load()
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Register settings", self))
        form = QFormLayout()
        self.printer = QComboBox(self)
        self.printer.addItems([DEFAULT_PRINTER, *(printers if printers is not None
                                                 else QPrinterInfo.availablePrinterNames()),
                               PDF_FILES, *ESCPOS.values()])
        self.receipt_dir = QLineEdit(current.receipt_dir or "", self)
        self.receipt_dir.setPlaceholderText("folder for the PDF receipts")
        self.sounds = QCheckBox("Scan sounds (from the next start)", self)
        self.suffix = QComboBox(self)
        self.suffix.addItems(list(SUFFIXES.values()))
        self.prefix = QLineEdit(current.scanner_prefix, self)
        self.prefix.setPlaceholderText("none")
        self.gap = QSpinBox(self)
        self.gap.setRange(MIN_GAP_MS, MAX_GAP_MS)
        self.gap.setSuffix(" ms")
        self.pin = PinEdit(self)
        for label, field in (("Receipts", self.printer), ("PDF folder", self.receipt_dir),
                             *self._escpos_fields(current), ("", self.sounds),
                             ("Scanner ends a code with", self.suffix),
                             ("Scanner prefix", self.prefix),
                             ("Slowest scanner keystroke", self.gap),
                             ("Manager PIN", self.pin)):
            form.addRow(label, field)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.save_button = QPushButton("Save", self)
        self.save_button.clicked.connect(self.submit)
        layout.addWidget(self.save_button)
        self.printer.currentTextChanged.connect(self._toggle_folder)
        self._show(current)

    def _escpos_fields(self, current: RegisterSettings) -> list[tuple[str, QWidget | QHBoxLayout]]:
        """The ESC/POS printer's address, paper and drawer, and the Test print button."""
        self.address = QLineEdit(current.escpos_address, self)
        self.address.setObjectName("escposAddress")
        self.address.setPlaceholderText("USB 04b8:0e15 / 192.168.1.50 / /dev/ttyUSB0@9600")
        self.paper = QComboBox(self)
        self.paper.addItems(["80 mm", "58 mm"])
        self.drawer = QComboBox(self)
        self.drawer.addItems(list(DRAWER_CHOICES.values()))
        self.pulse_on, self.pulse_off = QSpinBox(self), QSpinBox(self)
        pulse = QHBoxLayout()
        for box, prefix in ((self.pulse_on, "on "), (self.pulse_off, "off ")):
            box.setRange(MIN_PULSE_MS, MAX_PULSE_MS)
            box.setSingleStep(10)
            box.setPrefix(prefix)
            box.setSuffix(" ms")
            pulse.addWidget(box)
        self.test_button = QPushButton("Test print", self)
        self.test_button.setObjectName("testPrintButton")
        self.test_button.clicked.connect(self.test_print)
        return [("Printer address", self.address), ("Paper", self.paper),
                ("Cash drawer", self.drawer), ("Drawer pulse", pulse), ("", self.test_button)]

    def _show(self, settings: RegisterSettings) -> None:
        if settings.printer_kind in ESCPOS:
            self.printer.setCurrentText(ESCPOS[settings.printer_kind])
        elif settings.receipt_dir:
            self.printer.setCurrentText(PDF_FILES)
        elif settings.printer_name and self.printer.findText(settings.printer_name) < 0:
            self.printer.insertItem(1, settings.printer_name)  # saved, not connected now
            self.printer.setCurrentText(settings.printer_name)
        else:
            self.printer.setCurrentText(settings.printer_name or DEFAULT_PRINTER)
        self.sounds.setChecked(settings.sounds)
        self.suffix.setCurrentText(SUFFIXES.get(settings.scanner_suffix, "Enter"))
        self.gap.setValue(settings.scanner_max_gap_ms)
        self.paper.setCurrentText(f"{settings.paper_mm} mm")
        self.drawer.setCurrentText(DRAWER_CHOICES.get(settings.drawer_pin, DRAWER_CHOICES[0]))
        self.pulse_on.setValue(settings.drawer_on_ms)
        self.pulse_off.setValue(settings.drawer_off_ms)
        self._toggle_folder(self.printer.currentText())

    def _toggle_folder(self, choice: str) -> None:
        self.receipt_dir.setEnabled(choice == PDF_FILES)
        escpos = choice in ESCPOS.values()
        for field in (self.address, self.paper, self.drawer, self.pulse_on, self.pulse_off):
            field.setEnabled(escpos)

    def chosen(self) -> RegisterSettings:
        """The settings as the form has them (not yet checked)."""
        choice = self.printer.currentText()
        suffix = next(code for code, name in SUFFIXES.items()
                      if name == self.suffix.currentText())
        kind = next((kind for kind, name in ESCPOS.items() if name == choice), SYSTEM_PRINTER)
        system = kind == SYSTEM_PRINTER
        return RegisterSettings(
            printer_name=None if choice in (DEFAULT_PRINTER, PDF_FILES) or not system else choice,
            receipt_dir=self.receipt_dir.text() if choice == PDF_FILES else None,
            sounds=self.sounds.isChecked(), scanner_prefix=self.prefix.text(),
            scanner_suffix=suffix, scanner_max_gap_ms=self.gap.value(),
            printer_kind=kind, escpos_address="" if system else self.address.text(),
            paper_mm=int(self.paper.currentText().split()[0]),
            drawer_pin=0 if system else next(pin for pin, name in DRAWER_CHOICES.items()
                                             if name == self.drawer.currentText()),
            drawer_on_ms=self.pulse_on.value(), drawer_off_ms=self.pulse_off.value())

    def test_print(self) -> ReceiptPrinter | None:
        """A sample page on the printer as chosen in the form; problems go to the message."""
        try:
            settings = self.chosen().checked()
        except SettingsError as error:
            self.message.setText(str(error))
            return None
        printer = ReceiptPrinter(parent=self)
        printer.configure(settings)
        printer.failed.connect(self.message.setText)
        try:
            where = printer.output(sample_page(settings.paper_mm), "test-print")
        except OSError as error:
            self.message.setText(f"Test print failed: {error}")
            return printer
        self.message.setText(f"Test page sent to {where}")
        return printer

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        try:
            settings = self.chosen().checked()
        except SettingsError as error:
            self.message.setText(str(error))
            return
        if self.printer.currentText() == PDF_FILES and settings.receipt_dir is None:
            self.message.setText("Say which folder the PDF receipts go to")
            return
        if not pin:
            self.message.setText("A manager's PIN saves the settings")
            return
        self.save_button.setEnabled(False)
        store, cashiers = self._store, self._cashiers

        def save(manager: CashierView) -> RegisterSettings:
            written = store.save(settings)
            log.info("register settings saved by %s: %s", manager.id, written)
            return written

        Operation(self, lambda: cashiers.as_manager(pin, save)) \
            .success(self._saved).failure(self._failed).run()

    def _saved(self, settings: RegisterSettings | None) -> None:
        self.save_button.setEnabled(True)
        if settings is None:
            self.message.setText("Wrong manager PIN: nothing was saved")
            return
        self.saved.emit(settings)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, (SettingsError, OSError)):
            self.message.setText(f"Not saved: {error}")
            return
        self.message.setText("Not saved.")
        find_runner(self).report(error, self)
