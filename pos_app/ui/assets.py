"""Where the GUI's icons and sounds live, and loading them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pos_app.ui.qt import QIcon

RESOURCES = Path(__file__).resolve().parent / "resources"
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
