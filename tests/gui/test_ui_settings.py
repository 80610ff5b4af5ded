"""Register settings (Ctrl+,): a manager's PIN saves them, and the scanner and the receipts
follow at once; at start-up the saved settings come first and the command line over them."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from guikit import SCANNER_GAP_S, Till

from pos_app.core.scanner import ScannerConfig
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.services.settings import RegisterSettings, SettingsStore
from pos_app.ui.launch import options_from
from pos_app.ui.qt import Qt
from pos_app.ui.settings_dialog import PDF_FILES, SettingsDialog


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "home" / "settings.json")


def _dialog(till: Till, store: SettingsStore) -> SettingsDialog:
    dialog = SettingsDialog(store, till.services.cashiers, till.window,
                            printers=["Star TSP100", "Epson TM-T88"])
    dialog.show()
    return dialog


def _save(till: Till, dialog: SettingsDialog, pin: str) -> None:
    dialog.pin.setText(pin)
    dialog.submit()
    till.qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5000)


def test_a_wrong_pin_or_a_missing_folder_saves_nothing(till: Till, store: SettingsStore) -> None:
    dialog = _dialog(till, store)
    dialog.printer.setCurrentText(PDF_FILES)
    assert dialog.receipt_dir.isEnabled()

    _save(till, dialog, MANAGER_PIN)
    assert dialog.message.text() == "Say which folder the PDF receipts go to"

    dialog.receipt_dir.setText("/tmp/receipts")
    _save(till, dialog, CASHIER_PIN)
    assert dialog.message.text() == "Wrong manager PIN: nothing was saved"
    assert not store.path.exists()
    dialog.reject()


def test_saved_settings_drive_the_scanner_and_the_receipts_at_once(
        till: Till, store: SettingsStore, tmp_path: Path) -> None:
    dialog = _dialog(till, store)
    dialog.saved.connect(till.shell.apply_settings)
    folder = tmp_path / "pdf-receipts"
    dialog.printer.setCurrentText(PDF_FILES)
    dialog.receipt_dir.setText(str(folder))
    dialog.suffix.setCurrentText("Tab")
    dialog.gap.setValue(50)
    dialog.sounds.setChecked(False)

    with till.qtbot.wait_signal(dialog.saved, timeout=5000) as saved:
        dialog.pin.setText(MANAGER_PIN)
        dialog.submit()

    written = RegisterSettings(receipt_dir=str(folder), sounds=False, scanner_suffix="\t",
                               scanner_max_gap_ms=50)
    assert saved.args[0] == written
    assert json.loads(store.path.read_text(encoding="utf-8"))["scanner_suffix"] == "\t"
    assert till.shell.scanner.config == ScannerConfig(max_gap_s=0.05, suffix="\t")
    assert till.shell.receipts.pdf_dir == folder

    with till.qtbot.wait_signal(till.window.presenter.feedback, timeout=5000):
        for char in "1001-0004":  # a scanner that now ends its codes with Tab
            till.qtbot.keyClick(till.window.consignor_edit, char)
            till.clock.advance(SCANNER_GAP_S)
        till.qtbot.keyClick(till.window.consignor_edit, Qt.Key.Key_Tab)
    assert [line.tag_code for line in till.model.lines] == ["1001-0004"]
    sale = till.sell()
    assert (folder / f"receipt-{sale.seq:06d}.pdf").exists()


def test_the_form_shows_what_was_saved(till: Till, store: SettingsStore) -> None:
    store.save(RegisterSettings(printer_name="Back office", scanner_prefix="]C",
                                scanner_max_gap_ms=80))

    dialog = _dialog(till, store)

    assert dialog.printer.currentText() == "Back office"  # saved, though not connected now
    assert not dialog.receipt_dir.isEnabled()
    assert (dialog.prefix.text(), dialog.gap.value(), dialog.suffix.currentText()) == (
        "]C", 80, "Enter")
    assert dialog.chosen() == store.load()
    dialog.reject()


def test_start_up_takes_the_saved_settings_and_the_command_line_over_them(
        store: SettingsStore, tmp_path: Path) -> None:
    store.save(RegisterSettings(printer_name="Star TSP100", scanner_max_gap_ms=60))
    plain = argparse.Namespace(receipts_to=None, full_screen=False, mute=False)
    override = argparse.Namespace(receipts_to=tmp_path / "r", full_screen=True, mute=True)

    options = options_from(plain, store)
    assert (options.printer_name, options.receipt_dir, options.sounds) == (
        "Star TSP100", None, True)
    assert options.scanner.max_gap_s == 0.06 and options.settings is store

    forced = options_from(override, store)
    assert (forced.receipt_dir, forced.sounds, forced.full_screen) == (tmp_path / "r",
                                                                        False, True)
