"""Pull catalog changes by cursor, one local transaction per page (page and cursor together),
and the conflicts that concern this register.

The next page is fetched on a helper thread while the current one is applied (its cursor is
known as soon as it arrives), so a pull takes about the longer of the two, not their sum.
Pages are still applied one at a time and in order; a page that fails to arrive stops the pull
after the pages before it are committed, exactly as when they were fetched one by one.

A first load (no item stored yet, more than one page) builds the items table's indexes (the
plain one and the tag's unique one) once after its last page instead of updating them row by
row (pos_app/store/item_indexes.py); they are built again even when a page fails to arrive,
and at the next open if the process died.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pos_app.store.catalog_pull import upsert_catalog_page
from pos_app.store.engine import Database
from pos_app.store.sync_state import (
    CATALOG_CURSOR,
    CONFLICTS_SINCE,
    ENTERED_ITEMS,
    REGISTER_NUMBER,
)
from pos_app.sync.client import CatalogPage, CentralClient

# The Worker's largest page (worker/src/pull.ts MAX_PAGE): ~1 MB compact. Fewer, larger pages
# spread a request's fixed cost and a commit's index pages over more items.
PAGE_SIZE = 10_000
Progress = Callable[[int, int], None]


@dataclass
class PullOutcome:
    pages: int = 0
    items: int = 0
    conflicts: int = 0


class Puller:
    def __init__(self, database: Database, client: CentralClient, register_id: str,
                 page_size: int = PAGE_SIZE) -> None:
        self._database = database
        self._client = client
        self._register_id = register_id
        self._page_size = page_size

    def pull_catalog(self, progress: Progress | None = None) -> PullOutcome:
        outcome = PullOutcome()
        with self._database.unit_of_work() as unit:
            cursor = unit.sync_state.get(CATALOG_CURSOR, "0:")
        # Only the first page asks for the remaining count; later pages are not counted.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalog-fetch") as fetcher:
            page = self._client.catalog(cursor, self._page_size, count=True)
            expected = page.total_remaining or 0
            loading = False
            try:
                while True:
                    ahead = fetcher.submit(self._client.catalog, page.next_cursor,
                                           self._page_size, count=False) if page.has_more else None
                    loading = self._apply(page, first=outcome.pages == 0) or loading
                    outcome.pages += 1
                    outcome.items += page.item_count
                    if progress is not None:
                        progress(outcome.items, max(expected, outcome.items))
                    if ahead is None:
                        return outcome
                    page = ahead.result()
            finally:
                if loading:  # also when a page failed to arrive: the pages before it stay
                    self._database.ensure_item_indexes()

    def _apply(self, page: CatalogPage, *, first: bool = False) -> bool:
        """The page and its cursor in one local transaction; True if this (first) page found
        a first load and deferred the items indexes (pos_app/store/item_indexes.py)."""
        with self._database.unit_of_work(immediate=first) as unit:
            # A first load: no item yet and more than one page coming. Decided in the first
            # page's transaction (write lock taken at BEGIN), so the drop commits or rolls
            # back with that page. Items entered here (check-in, even during a load) must
            # give way page by page: that needs the tag index, so it is built (if a load
            # deferred it) before such a page, and the load goes on with it.
            entered = unit.sync_state.get(ENTERED_ITEMS, "") == "1"
            loading = (first and page.has_more and not entered
                       and unit.item_indexes.items_empty())
            if loading:
                unit.item_indexes.defer()
            elif entered:
                unit.item_indexes.ensure()
            # A pulled item takes its tag from any item still holding it here (one whose own
            # later change freeing it comes after it, pages being in change_seq order, or one
            # entered here). Not while a first load has the tag index deferred: its build
            # after the last page settles a tag held twice (store/item_indexes.py).
            give_way = not unit.item_indexes.missing()
            for row in page.consignors:
                row.setdefault("event_id", self._client.event_id)
            for row in page.items:
                row.setdefault("event_id", self._client.event_id)
            compact = (page.item_columns, page.item_rows) if page.item_columns else None
            upsert_catalog_page(unit.connection, page.event, page.consignors, page.items,
                                self._register_id, event_id=self._client.event_id,
                                compact=compact,
                                give_way=give_way)
            unit.sync_state.put(CATALOG_CURSOR, page.next_cursor)
            if page.register_number:
                unit.sync_state.put(REGISTER_NUMBER, str(page.register_number))
            unit.commit()
        return loading

    def pull_conflicts(self) -> int:
        with self._database.unit_of_work() as unit:
            since = int(unit.sync_state.get(CONFLICTS_SINCE, "0"))
        total = 0
        while True:
            rows, next_since = self._client.conflicts(since)
            with self._database.unit_of_work() as unit:
                total += unit.conflicts.store(rows)
                unit.sync_state.put(CONFLICTS_SINCE, str(next_since))
                unit.commit()
            if not rows or next_since == since:
                return total
            since = next_since
