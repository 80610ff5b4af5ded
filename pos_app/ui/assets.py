"""Where the GUI's icons and sounds live, and loading them.

They live in the repository's top-level ``resources/``; a wheel installs that folder as
``pos_app/resources`` and the PyInstaller build bundles it there too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pos_app.ui.qt import QIcon


def _resources() -> Path:
    package = Path(__file__).resolve().parents[1]
    source_tree = package.parent / "resources"
    return source_tree if (source_tree / "icons").is_dir() else package / "resources"


RESOURCES = _resources()
ICONS = RESOURCES / "icons"
SOUNDS = RESOURCES / "sounds"


def icon_path(name: str) -> Path:
    return ICONS / f"{name}.svg"


def sound_path(name: str) -> Path:
    return SOUNDS / f"{name}.wav"


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if it is missing)."""
    path = icon_path(name)
    return QIcon(str(path)) if path.exists() else QIcon()
