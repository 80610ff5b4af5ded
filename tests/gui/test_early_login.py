"""The login dialog shown before the services load: a PIN entered meanwhile is kept and
checked the moment they are handed over; the shell takes the shown dialog over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from pos_app.services.demo import CASHIER_PIN
from pos_app.store.peek import glance
from pos_app.ui.bundle import UiServices
from pos_app.ui.login import LoginDialog
from pos_app.ui.main import AppShell


def test_a_pin_entered_before_the_services_load_is_checked_when_they_come(
        qtbot: QtBot, shell: AppShell, services: UiServices) -> None:
    dialog = LoginDialog(None, None, "Register 1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pin.setText(CASHIER_PIN)
    dialog.submit()
    assert dialog.message.text() == "Starting..."
    assert not dialog.go.isEnabled()

    with qtbot.waitSignal(dialog.logged_in, timeout=10_000) as logged:
        dialog.attach(services.cashiers, shell.operation_runner, hint="Demo event")
    assert logged.args[0].name == services.cashiers.login(CASHIER_PIN).name
    assert dialog.hint.text() == "Demo event"


def test_a_wrong_pin_entered_early_is_refused_once_they_come(
        qtbot: QtBot, shell: AppShell, services: UiServices) -> None:
    dialog = LoginDialog(None, None, "Register 1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pin.setText("000000")
    dialog.submit()
    dialog.attach(services.cashiers, shell.operation_runner)
    qtbot.waitUntil(lambda: dialog.message.text() == "Unknown PIN: try again.", timeout=10_000)
    assert dialog.go.isEnabled()
    assert dialog.isVisible()


def test_the_shell_takes_over_the_login_dialog_already_shown(
        qtbot: QtBot, shell: AppShell) -> None:
    early = LoginDialog(None, None, "Register 1")
    qtbot.addWidget(early)
    early.show()
    shell.early_login = early
    shell.login()
    assert shell.dialog is early
    assert early.ready
    early.pin.setText(CASHIER_PIN)
    early.submit()
    # logged in: the next step (the job to do, then the shift's float) follows
    qtbot.waitUntil(lambda: shell.dialog is not early, timeout=10_000)
    assert type(shell.dialog).__name__ == "ModeDialog"
    assert not early.isVisible()


def test_the_glance_reads_a_configured_register_and_nothing_else(
        demo_template: Path, tmp_path: Path) -> None:
    seen = glance(demo_template)
    assert seen is not None and seen.is_demo and seen.name
    assert glance(tmp_path / "missing.sqlite3") is None
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert glance(garbage) is None
    assert garbage.read_bytes() == b"not a database at all" * 100  # read-only: untouched


def test_a_login_closed_while_the_services_loaded_ends_the_app(
        qtbot: QtBot, shell: AppShell) -> None:
    early = LoginDialog(None, None, "Register 1")
    qtbot.addWidget(early)
    early.show()
    early.close()
    shell.early_login = early
    with qtbot.waitSignal(shell.finished, timeout=5_000) as ended:
        shell.login()
    assert ended.args == [0]
    assert shell.dialog is None


def test_a_pin_typed_at_scanner_speed_logs_in_and_a_tag_is_refused(
        qtbot: QtBot, shell: AppShell, services: UiServices) -> None:
    """A fast typist's PIN (or a badge) reaches the scanner filter as a scan: it is the PIN."""
    dialog = LoginDialog(services.cashiers, shell.operation_runner, "Register 1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.handle_scan("1001-0001")
    assert dialog.message.text() == "Log in first, then scan."
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000) as logged:
        dialog.handle_scan(CASHIER_PIN)
    assert logged.args[0].name == services.cashiers.login(CASHIER_PIN).name


# Run in a fresh interpreter: what the first screen of ``pos-app --db FILE`` has loaded
# when it is painted (the rest loads behind it, while the PIN is typed).
_FIRST_SCREEN = """
import json, sys
from pathlib import Path
import pos_app.app
from pos_app.ui.early_start import show_login_early
dialog = show_login_early(Path(sys.argv[1]))
print(json.dumps({"shown": dialog is not None and dialog.isVisible(),
                  "modules": sorted(sys.modules)}))
"""


def test_the_login_is_painted_before_the_store_the_services_and_their_libraries_load(
        demo_template: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", POS_APP_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", _FIRST_SCREEN, str(demo_template)],
                          env=env, capture_output=True, text=True, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["shown"]
    loaded = set(seen["modules"])
    for heavy in ("sqlalchemy", "httpx", "platformdirs", "pos_app.store.engine",
                  "pos_app.store.models", "pos_app.services.sales", "pos_app.sync.service",
                  "pos_app.ui.checkout_window"):
        assert heavy not in loaded, f"{heavy} loaded before the login screen"
    assert "pos_app.ui.login" in loaded and "sqlite3" in loaded  # the glance's reader
