"""Load the organiser's catalog CSV into D1 through the admin API, with progress (issue 13).

    python -m pos_app.devtools.catalog_import EVENT_ID catalog.csv --url URL
    (the admin token from $POS_APP_ADMIN_TOKEN)

Everything is checked first (:func:`pos_app.core.catalog_csv.read_catalog`); a file with a bad
line sends nothing and returns the errors by line. Items go up in calls of ``chunk`` rows, and
``progress(done, total)`` is called after each. A re-import of the same file changes nothing
in D1 (the Worker does not rewrite an unchanged row, and never undoes the hall's moves).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pos_app.devtools.catalog_import",
                                     description="load the organiser's catalog CSV into D1")
    parser.add_argument("event_id")
    parser.add_argument("csv", type=Path)
    parser.add_argument("--url", required=True, help="the Worker's base URL")
    args = parser.parse_args(argv)
    token = os.environ.get("POS_APP_ADMIN_TOKEN")
    if not token:
        print("Set POS_APP_ADMIN_TOKEN to the admin token", file=sys.stderr)
        return 2

    def show(done: int, total: int) -> None:
        print(f"\r{done:,} / {total:,} items", end="", flush=True)

    with AdminClient(args.url, token) as admin:
        result = import_catalog(admin, args.event_id, args.csv, progress=show)
    for line, message in result.errors:
        print(f"{args.csv}:{line}: {message}", file=sys.stderr)
    if result.errors:
        print(f"{len(result.errors)} bad lines: nothing was imported", file=sys.stderr)
        return 1
    print(f"\nimported {result.imported:,} items into {args.event_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
