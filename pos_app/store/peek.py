"""What the login screen shows before the store is loaded, read with plain sqlite3.

The first screen of a start (the PIN) is shown before SQLAlchemy and the services are
imported (docs/benchmarks.md, perceived start): it needs only the register's name and
whether it runs the demo event. Read-only, and None whenever the file is not a configured
register (missing, not set up, damaged, locked): the normal start then runs and reports it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple


class RegisterGlance(NamedTuple):  # not a dataclass: `dataclasses` is not loaded this early
    name: str
    is_demo: bool


def glance(path: Path) -> RegisterGlance | None:
    """The register's name and demo flag in the file at ``path``, or None."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            row = connection.execute("SELECT name, is_demo FROM registers LIMIT 1").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str):
        return None
    return RegisterGlance(row[0], bool(row[1]))
