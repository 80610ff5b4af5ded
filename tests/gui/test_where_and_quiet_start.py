"""Where things are (platformdirs, ``pos-app where``, the About box) and a quiet start-up: the
console stays silent at the default level except for one line when there is no sound device,
and the rotating log file gets the INFO lines instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from guikit import Till

from pos_app.paths import locations
from pos_app.ui.about import AboutDialog
from pos_app.ui.qt import Qt

ROOT = Path(__file__).resolve().parents[2]

START = """
import logging, sys
from pathlib import Path
from pos_app import logsetup
from pos_app.paths import locations
from pos_app.ui.about import AboutDialog
if len(sys.argv) > 2:
    logsetup.MAX_BYTES = int(sys.argv[2])
log_file = logsetup.configure_logging(locations().logs)
from pos_app.app import ensure_demo
from pos_app.ui.qt import QApplication
from pos_app.ui.feedback import default_player
app = QApplication(sys.argv[:1])
database = ensure_demo(Path(sys.argv[1]), 200)
player = default_player()
for n in range(int(sys.argv[3]) if len(sys.argv) > 3 else 0):
    logging.getLogger("pos_app.test").info("line %d %s", n, "x" * 80)
database.close()
print(log_file)
"""


def _start(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               POS_APP_HOME=str(tmp_path / "home"))
    env.pop("QT_LOGGING_RULES", None)
    return subprocess.run([sys.executable, "-c", START, str(tmp_path / "db.sqlite3"), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_start_up_says_at_most_one_line_and_the_log_file_has_the_rest(tmp_path: Path) -> None:
    done = _start(tmp_path)
    assert done.returncode == 0, done.stderr
    console = [line for line in done.stderr.splitlines() if line.strip()]
    assert "alembic" not in done.stderr
    assert "qt.multimedia" not in done.stderr
    assert len(console) <= 1, console  # no sound device here: one line, not twelve
    assert all("No sound device" in line for line in console)
    log_file = Path(done.stdout.strip())
    assert log_file == tmp_path / "home" / "logs" / "pos-app.log"
    text = log_file.read_text(encoding="utf-8")
    assert "database db.sqlite3 upgraded from None to" in text
    assert "demo event with 200 items created" in text
    assert "alembic" not in text


def test_the_log_file_rotates_and_keeps_five_old_files(tmp_path: Path) -> None:
    done = _start(tmp_path, "4000", "400")  # 4 KB files, 400 lines of ~130 bytes
    assert done.returncode == 0, done.stderr
    logs = tmp_path / "home" / "logs"
    assert sorted(path.name for path in logs.iterdir()) == [
        "pos-app.log", *(f"pos-app.log.{n}" for n in range(1, 6))]
    assert all(path.stat().st_size <= 4000 for path in logs.iterdir())
    assert "line 399" in (logs / "pos-app.log").read_text(encoding="utf-8")


def test_pos_app_home_puts_every_folder_under_it(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POS_APP_HOME", str(tmp_path))
    where = locations()
    assert (where.data, where.backups, where.receipts, where.logs) == (
        tmp_path, tmp_path / "backups", tmp_path / "receipts", tmp_path / "logs")
    done = subprocess.run([sys.executable, "-m", "pos_app", "where"], cwd=ROOT,
                          env=dict(os.environ, POS_APP_HOME=str(tmp_path)),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{what + ':':24}{path}" for what, path in where.rows()]
    assert not (tmp_path / "logs").exists()  # looking creates nothing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")
def test_without_pos_app_home_the_folders_are_the_platforms(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.delenv("POS_APP_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    where = locations()
    assert where.data == tmp_path / "data" / "pos_app"  # where registers always kept it
    assert where.backups == tmp_path / "data" / "pos_app" / "backups"
    assert where.logs == tmp_path / "state" / "pos_app" / "log"
    assert where.receipts == tmp_path / "Documents" / "pos_app receipts"


def test_f1_shows_the_version_and_the_folders_in_use(till: Till) -> None:
    till.qtbot.keyClick(till.window, Qt.Key.Key_F1)
    dialogs = till.window.findChildren(AboutDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.isVisible()
    shown = {what: label.text() for what, label in dialog.paths.items()}
    backups = till.services.backups
    assert backups is not None
    assert shown["Backups"] == str(backups.folder)
    assert shown["Database and settings"] == str(backups.folder.parent)
    assert shown["Receipts (PDF)"] == str(till.receipts_dir)
    assert shown["Logs"] == str(locations().logs)
