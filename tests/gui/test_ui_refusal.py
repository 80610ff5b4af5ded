"""Start-up on a damaged register file: the refusal, naming ``pos-app restore``, in a window.

``gui_main`` runs SQLite's quick check (:class:`BackgroundCheck`) before it opens the file and
hands a refusal to :func:`refuse_to_start`; these tests take the same two steps on a real
damaged copy of the demo register and read the dialog that is shown (offscreen, it closes
itself once shown).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pos_app.store.errors import StoreError, refusal_message
from pos_app.store.integrity import BackgroundCheck
from pos_app.ui.qt import QApplication, QEvent, QMessageBox, QObject
from pos_app.ui.refusal import can_show_windows, refuse_to_start
from tests.integration.damaged_files import KINDS, damage


class _TextWhenShown(QObject):
    """Records the text of each refusal dialog as it is shown."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self.seen = seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.Show and isinstance(watched, QMessageBox)
                and watched.objectName() == "databaseRefusedBox"):
            self.seen.append(watched.text())
        return False


@pytest.mark.parametrize("kind", KINDS)
def test_start_up_on_a_damaged_file_shows_the_restore_message(
        kind: str, qapp: QApplication, demo_template: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "register.sqlite3"
    shutil.copy(demo_template, path)
    damage(path, kind)
    with pytest.raises(StoreError) as raised:
        BackgroundCheck(path).result()
    seen: list[str] = []
    watcher = _TextWhenShown(seen)
    qapp.installEventFilter(watcher)

    try:
        status = refuse_to_start(refusal_message(raised.value, path))
    finally:
        qapp.removeEventFilter(watcher)

    assert status == 1
    assert len(seen) == 1
    assert "The database file is damaged" in seen[0]
    assert f"pos-app restore BACKUP_FILE --db {path}" in seen[0]
    assert seen[0] in capsys.readouterr().err  # and on stderr, for a terminal


@pytest.mark.parametrize(("environment", "expected"), [
    ({"QT_QPA_PLATFORM": "offscreen"}, True),
    ({"DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({}, False),
])
def test_the_dialog_is_not_tried_without_a_display_on_linux(
        environment: dict[str, str], expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert can_show_windows() is expected
