"""Backups on demand (the shift-close offer in the GUI): a checked copy in the backup folder."""

from __future__ import annotations

from pathlib import Path

from pos_app.store.backup import backup
from pos_app.store.engine import Database


class BackupService:
    def __init__(self, database: Database, folder: Path) -> None:
        self._database = database
        self._folder = folder

    @property
    def folder(self) -> Path:
        return self._folder

    def backup_now(self) -> Path:
        """Write a dated, integrity-checked copy of the register file; return its path."""
        self._folder.mkdir(parents=True, exist_ok=True)
        return backup(self._database.path, self._folder)
