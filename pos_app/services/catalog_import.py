"""The organiser's catalog import: one CSV of items into the central server (issue 13).

The file is read whole first (:func:`pos_app.services.catalog_csv.read_catalog`): a file with
any bad line raises :class:`~pos_app.services.catalog_csv.CsvImportError` and nothing is
sent. Then the consignors the items name that the event does not have yet are created (named
from the file's ``consignor_name`` column, else left blank for the organiser to fill; a
consignor that exists keeps its name and split: it is not sent at all), and the items go up in
calls of ``chunk`` rows, ``progress(done, total)`` after each.

Importing the same file again changes nothing on the server: no consignor is missing any
more, and the Worker does not rewrite an item row that would not change (so its change_seq
stays and registers pull nothing), nor undo the hall's moves (an item already checked in,
sold, returned or donated keeps its status).

The admin client is anything with the three calls of :class:`CatalogAdmin`
(:class:`pos_app.devtools.admin_client.AdminClient` and the organiser's client are).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pos_app.services.catalog_csv import consignor_id, read_catalog

__all__ = ["CatalogAdmin", "ImportResult", "import_catalog"]

MAX_ITEMS_PER_CALL = 2000  # the Worker's limit per call


class CatalogAdmin(Protocol):
    def export(self, event_id: str, table: str) -> list[dict[str, Any]]: ...

    def upsert_consignors(self, event_id: str,
                          consignors: Sequence[Mapping[str, object]]) -> int: ...

    def upsert_items(self, event_id: str, items: Iterable[Mapping[str, object]],
                     chunk_size: int = ...) -> int: ...


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What went up: items sent, and the numbers of the consignors created."""

    items: int
    consignors_created: list[int]


def import_catalog(admin: CatalogAdmin, event_id: str, path: Path, *,
                   status: str = "approved",
                   progress: Callable[[int, int], object] = lambda done, total: None,
                   chunk: int = MAX_ITEMS_PER_CALL) -> ImportResult:
    """Import the items CSV at ``path`` into ``event_id``; nothing is sent if a line is bad."""
    if not 1 <= chunk <= MAX_ITEMS_PER_CALL:
        raise ValueError(f"chunk must be 1..{MAX_ITEMS_PER_CALL}")
    catalog = read_catalog(path, event_id, status)
    created = _create_missing_consignors(admin, event_id, catalog.items,
                                         catalog.consignor_names)
    done, total = 0, len(catalog.items)
    for start in range(0, total, chunk):
        done += admin.upsert_items(event_id, catalog.items[start:start + chunk], chunk)
        progress(done, total)
    return ImportResult(done, created)


def _create_missing_consignors(admin: CatalogAdmin, event_id: str,
                               items: list[dict[str, Any]], names: dict[int, str]) -> list[int]:
    named = sorted({int(item["consignor_number"]) for item in items})
    known = {int(row["number"]) for row in admin.export(event_id, "consignors")}
    missing = [number for number in named if number not in known]
    if missing:
        admin.upsert_consignors(event_id, [
            {"id": consignor_id(event_id, number), "number": number,
             "name": names.get(number, "")} for number in missing])
    return missing
