"""Where this computer keeps pos_app's files: the platform's own places, via platformdirs.

- data (the database, settings.json): ``~/.local/share/pos_app`` on Linux,
  ``~/Library/Application Support/pos_app`` on macOS, ``%APPDATA%\\pos_app`` on Windows;
- backups: ``backups`` in the data folder;
- receipts as PDF files (when there is no printer): ``pos_app receipts`` in the Documents folder;
- logs: ``~/.local/state/pos_app/log``, ``~/Library/Logs/pos_app``,
  ``%LOCALAPPDATA%\\pos_app\\Logs``.

``POS_APP_HOME`` puts all four under one folder instead (tests, a USB stick, a kiosk
account). The data folder is the one pos_app always used, so a register keeps its database.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

APP_NAME = "pos_app"


class Locations(NamedTuple):
    """The folders of one installation (nothing is created by looking them up)."""

    data: Path
    backups: Path
    receipts: Path
    logs: Path

    def rows(self) -> list[tuple[str, Path]]:
        """(what, where) for people: the About box and ``pos-app where``."""
        return [("Database and settings", self.data), ("Backups", self.backups),
                ("Receipts (PDF)", self.receipts), ("Logs", self.logs)]


def locations() -> Locations:
    if home := os.environ.get("POS_APP_HOME"):
        root = Path(home)
        return Locations(root, root / "backups", root / "receipts", root / "logs")
    from platformdirs import PlatformDirs  # not at import: the login screen comes first

    dirs = PlatformDirs(APP_NAME, appauthor=False, roaming=True)
    data = dirs.user_data_path
    return Locations(data, data / "backups", dirs.user_documents_path / "pos_app receipts",
                     PlatformDirs(APP_NAME, appauthor=False).user_log_path)


def data_dir() -> Path:
    """Where the register keeps its database and settings."""
    return locations().data


def default_db_path(demo: bool = False) -> Path:
    return data_dir() / ("demo.sqlite3" if demo else "register.sqlite3")


def where_main(argv: Sequence[str] = ()) -> int:
    """``pos-app where``: print the folders, one a line."""
    for what, path in locations().rows():
        print(f"{what + ':':24}{path}")
    return 0
