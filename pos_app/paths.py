"""Where a register keeps its files: the database, backups, settings and logs."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    """Where the register keeps its database, backups and logs (``POS_APP_HOME`` overrides)."""
    if home := os.environ.get("POS_APP_HOME"):
        return Path(home)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "pos_app"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "pos_app"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "pos_app"


def default_db_path(demo: bool = False) -> Path:
    return data_dir() / ("demo.sqlite3" if demo else "register.sqlite3")
