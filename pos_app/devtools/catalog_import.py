"""``python -m pos_app.devtools.catalog_import``: the catalog import for tests and benchmarks.

    python -m pos_app.devtools.catalog_import EVENT_ID catalog.csv --url URL
    (the admin token from $POS_APP_ADMIN_TOKEN)

A thin wrapper: the same import as ``pos-app admin import items EVENT FILE --pending``
(:mod:`pos_app.services.catalog_import`, reading with :mod:`pos_app.services.catalog_csv`),
with the URL and token given here instead of the organiser's login. The items arrive
``pending``, to be checked in at drop-off.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pos_app.admin_cli import import_items
from pos_app.devtools.admin_client import AdminClient
from pos_app.services.catalog_csv import CsvImportError
from pos_app.services.catalog_import import ImportResult, import_catalog

__all__ = ["ImportResult", "import_catalog", "main"]


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
    with AdminClient(args.url, token) as admin:
        try:
            return import_items(admin, args.event_id, args.csv, status="pending")
        except CsvImportError as error:
            print(error, file=sys.stderr)
            return 1


if __name__ == "__main__":
    raise SystemExit(main())
