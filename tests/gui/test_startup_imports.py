"""Cold start stays lean: a fresh process that opens the checkout loads nothing it does not need.

A register at head never imports Alembic; the schema is Core tables, so the ORM stays out;
httpx comes in only with a sync server; python-barcode with the first barcode painted. Each of
these cost tens of milliseconds of the cold start (docs/benchmarks.md); python-escpos (with
pyusb, pyserial) only with an ESC/POS job, segno only with an enrollment sheet. The check runs in a
fresh interpreter, since this test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_AT_START = ("alembic", "sqlalchemy.orm", "httpx", "barcode", "PIL", "keyring.backends",
                "escpos", "usb", "serial", "segno")

START_CHECKOUT = """
import json, sys
from pathlib import Path
from pos_app.app import utc_now
from pos_app.services.context import load_context
from pos_app.services.demo import CASHIER_PIN
from pos_app.store.engine import Database
from pos_app.ui.bundle import UiOptions
from pos_app.ui.feedback import SilentPlayer
from pos_app.ui.main import AppShell
from pos_app.ui.qt import QApplication
from pos_app.ui.wiring import build_services

app = QApplication(sys.argv[:1])
database = Database.open(Path(sys.argv[1]))
services = build_services(database, load_context(database), utc_now)
shell = AppShell(services, None, UiOptions(sounds=False, interactive_errors=False),
                 sounds=SilentPlayer())
cashier = services.cashiers.login(CASHIER_PIN)
shift = services.shifts.current() or services.shifts.open(cashier.id, 10_000)
window = shell.open_checkout(cashier, shift)
while not shell.tasks.idle:
    app.processEvents()
loaded = sorted(name for name in sys.modules
                if name.split(".")[0] in {"alembic", "sqlalchemy", "httpx", "barcode", "PIL",
                                          "keyring", "escpos", "usb", "serial", "segno"})
print(json.dumps({"ready": window.isVisible(), "loaded": loaded}))
shell.tasks.shutdown()
database.close()
"""


def test_opening_the_checkout_imports_nothing_it_does_not_need(demo_template: Path,
                                                               tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite3"
    db.write_bytes(demo_template.read_bytes())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", START_CHECKOUT, str(db)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert report["ready"] is True
    assert "sqlalchemy" in report["loaded"]  # the store itself is there
    unwanted = [name for name in report["loaded"]
                if any(name == root or name.startswith(root + ".") for root in NOT_AT_START)]
    assert unwanted == []


SHOW_LOGIN = """
import json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])

def when_login_shows():
    shown = [w for w in app.topLevelWidgets()
             if w.objectName() == "loginDialog" and w.isVisible()]
    if not shown:
        QTimer.singleShot(1, when_login_shows)
        return
    loaded = sorted(name for name in sys.modules
                    if name.split(".")[0] in ("sqlalchemy", "httpx", "platformdirs")
                    or name.startswith(("pos_app.store.", "pos_app.services.", "pos_app.sync.")))
    # PySide6 builds the Qt namespace's 94 enums when it is first named (pos_app.ui.qt keeps
    # each name it resolved): not before the first paint
    named_qt = "Qt" in vars(sys.modules["pos_app.ui.qt"])
    print(json.dumps({"title": shown[0].windowTitle(), "loaded": loaded, "named_qt": named_qt}),
          flush=True)
    os._exit(0)

QTimer.singleShot(0, when_login_shows)
from pos_app.app import gui_main
gui_main(["--db", sys.argv[1], "--mute"])
"""


def test_the_login_screen_shows_before_the_store_and_services_load(demo_template: Path,
                                                                   tmp_path: Path) -> None:
    """The PIN screen of a configured register comes first; SQLAlchemy, the store and the
    services load behind it (only the sqlite3 glance at the register's name comes before);
    with ``--db`` (or ``POS_APP_HOME``) platformdirs too, as nothing asks where the data lives."""
    db = tmp_path / "register.sqlite3"
    db.write_bytes(demo_template.read_bytes())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               POS_APP_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-c", SHOW_LOGIN, str(db)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert report["title"].startswith("Log in - ")
    assert report["loaded"] == ["pos_app.store.peek"]
    assert report["named_qt"] is False
