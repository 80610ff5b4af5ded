"""The register's settings (Ctrl+,): receipt printer, scanner, sounds; a manager's PIN saves.

The form shows the saved :class:`~pos_app.services.settings.RegisterSettings`; Save checks
them on the GUI thread (a wrong value is said at once), then verifies the manager's PIN and
writes the file on the write lane, and emits :attr:`SettingsDialog.saved`. The shell applies
the printer and the scanner at once; sounds change from the next start.
"""

from __future__ import annotations

import logging

from pos_app.services.cashiers import CashierService, CashierView
from pos_app.services.settings import (
    MAX_GAP_MS,
    MIN_GAP_MS,
    SUFFIXES,
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
    QLabel,
    QLineEdit,
    QPrinterInfo,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import PinEdit, title_label

log = logging.getLogger(__name__)

DEFAULT_PRINTER = "System default printer"
PDF_FILES = "No printer: PDF files in a folder"


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
                               PDF_FILES])
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
                             ("", self.sounds), ("Scanner ends a code with", self.suffix),
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

    def _show(self, settings: RegisterSettings) -> None:
        if settings.receipt_dir:
            self.printer.setCurrentText(PDF_FILES)
        elif settings.printer_name and self.printer.findText(settings.printer_name) < 0:
            self.printer.insertItem(1, settings.printer_name)  # saved, not connected now
            self.printer.setCurrentText(settings.printer_name)
        else:
            self.printer.setCurrentText(settings.printer_name or DEFAULT_PRINTER)
        self.sounds.setChecked(settings.sounds)
        self.suffix.setCurrentText(SUFFIXES.get(settings.scanner_suffix, "Enter"))
        self.gap.setValue(settings.scanner_max_gap_ms)
        self._toggle_folder(self.printer.currentText())

    def _toggle_folder(self, choice: str) -> None:
        self.receipt_dir.setEnabled(choice == PDF_FILES)

    def chosen(self) -> RegisterSettings:
        """The settings as the form has them (not yet checked)."""
        choice = self.printer.currentText()
        suffix = next(code for code, name in SUFFIXES.items()
                      if name == self.suffix.currentText())
        return RegisterSettings(
            printer_name=None if choice in (DEFAULT_PRINTER, PDF_FILES) else choice,
            receipt_dir=self.receipt_dir.text() if choice == PDF_FILES else None,
            sounds=self.sounds.isChecked(), scanner_prefix=self.prefix.text(),
            scanner_suffix=suffix, scanner_max_gap_ms=self.gap.value())

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
