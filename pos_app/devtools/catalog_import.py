"""Load the organiser's catalog CSV into D1 through the admin API, with progress (issue 13).

Everything is checked first (:func:`pos_app.core.catalog_csv.read_catalog`); a file with a bad
line sends nothing and returns the errors by line. Items go up in calls of ``chunk`` rows, and
``progress(done, total)`` is called after each. A re-import of the same file changes nothing
in D1 (the Worker does not rewrite an unchanged row, and never undoes the hall's moves).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pos_app.core.catalog_csv import read_catalog
from pos_app.devtools.admin_client import MAX_ITEMS_PER_CALL, AdminClient


@dataclass(frozen=True, slots=True)
class ImportResult:
    imported: int
    errors: list[tuple[int, str]]


def import_catalog(admin: AdminClient, event_id: str, path: Path, *,
                   progress: Callable[[int, int], object] = lambda done, total: None,
                   chunk: int = MAX_ITEMS_PER_CALL) -> ImportResult:
    """Import the CSV at ``path`` into ``event_id``; nothing is sent if any line is bad."""
    parsed = read_catalog(path.read_text(encoding="utf-8-sig"), event_id)
    if parsed.errors:
        return ImportResult(0, parsed.errors)
    done, total = 0, len(parsed.items)
    for start in range(0, total, chunk):
        done += admin.upsert_items(event_id, parsed.items[start:start + chunk], chunk)
        progress(done, total)
    return ImportResult(done, [])
