"""A register's first catalog load builds the items table's indexes after its last page.

Against the real local Worker, on real SQLite files: the first load ends with the same rows and
the same indexes (names, tables, columns, uniqueness, DDL) as a load that kept them, a load
stopped by a page that never came or by the process dying still leaves (at once, or at the next
open) a file with every index whose next pull completes, and an incremental pull keeps them.
A tag held twice between pages (it moved on the server during the load) or taken from an item
entered here ends with the server's tags and every index.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.core.new_items import NewItemDraft
from pos_app.devtools.admin_client import AdminClient, demo_catalog_items, demo_consignors
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.context import load_context
from pos_app.services.new_items import NewItemService
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from pos_app.store.item_indexes import DEFERRED
from pos_app.sync.client import CatalogPage, CentralClient, Retryable
from pos_app.sync.pull import Puller

ITEMS, PAGE = 3_000, 1_000
DEFERRED_NAMES = {str(index.name) for index in DEFERRED}

pytestmark = pytest.mark.worker


@dataclass
class Register:
    database: Database
    client: CentralClient
    register_id: str
    event_id: str
    token: str

    def puller(self, page_size: int = PAGE) -> Puller:
        return Puller(self.database, self.client, self.register_id, page_size=page_size)


@pytest.fixture
def catalog(local_worker: LocalWorker, request: pytest.FixtureRequest
            ) -> Iterator[tuple[AdminClient, str]]:
    """An event of its own (ids are global in D1) with ITEMS items; the admin and event id."""
    event = f"first-load-{request.node.name}"[:60]
    admin = AdminClient(local_worker.url, local_worker.admin_token)
    admin.put_event(event, name="First load", starts_on="2026-03-01", ends_on="2026-03-02")
    admin.upsert_consignors(event, demo_consignors(40, prefix=f"{event}-"))
    admin.upsert_items(event, demo_catalog_items(ITEMS, consignors=40, prefix=f"{event}-"))
    yield admin, event
    admin.close()


def _register(worker: LocalWorker, admin: AdminClient, event: str, path: Path,
              name: str) -> Register:
    register_id = f"{event}-{name}"
    token = admin.create_register(event, register_id)
    database = Database.open(path)
    configure_register(database, MemoryTokenStore(), register_id=register_id, event_id=event,
                       name=name, server_url=worker.url, token=token)
    return Register(database, CentralClient(worker.url, token, register_id, event),
                    register_id, event, token)


def _close(register: Register) -> None:
    register.client.close()
    register.database.close()


def _indexes(path: Path) -> set[tuple[object, ...]]:
    """Every index of the file: name, table, DDL, uniqueness, origin and columns."""
    with closing(sqlite3.connect(path)) as connection:
        found: set[tuple[object, ...]] = set()
        for name, table, sql in connection.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"):
            listed = {row[1]: row for row in connection.execute(f"PRAGMA index_list('{table}')")}
            columns = tuple(row[2] for row in connection.execute(f"PRAGMA index_info('{name}')"))
            found.add((name, table, sql, listed[name][2], listed[name][3], columns))
        return found


def _index_names(path: Path) -> set[str]:
    return {str(index[0]) for index in _indexes(path)}


def _items(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT * FROM items ORDER BY id").fetchall()


def test_a_first_load_leaves_the_same_rows_and_indexes_as_keeping_them(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    admin, event = catalog
    paged = _register(local_worker, admin, event, tmp_path / "paged.sqlite3", "paged")
    whole = _register(local_worker, admin, event, tmp_path / "whole.sqlite3", "whole")
    during: list[set[str]] = []

    loaded = paged.puller().pull_catalog(
        lambda _done, _total: during.append(_index_names(paged.database.path)))
    kept: list[set[str]] = []
    one_page = whole.puller(page_size=10_000).pull_catalog(  # one page: nothing deferred
        lambda _done, _total: kept.append(_index_names(whole.database.path)))

    assert (loaded.items, loaded.pages, one_page.items, one_page.pages) == (ITEMS, 3, ITEMS, 1)
    assert all(not DEFERRED_NAMES & names for names in during)  # built after the last page
    assert kept[0] >= DEFERRED_NAMES
    rows = _items(paged.database.path)
    assert len(rows) == ITEMS
    assert rows == _items(whole.database.path)
    assert _indexes(paged.database.path) == _indexes(whole.database.path)
    assert _index_names(paged.database.path) >= DEFERRED_NAMES
    _close(paged)
    _close(whole)


def test_a_first_load_stopped_by_a_page_that_never_came_keeps_every_index(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    admin, event = catalog
    register = _register(local_worker, admin, event, tmp_path / "register.sqlite3", "fail")
    expected = _indexes(register.database.path)
    fetch_page = register.client.catalog
    calls: list[str] = []
    during: list[set[str]] = []

    def failing_third_page(since: str, limit: int, *, count: bool = True) -> CatalogPage:
        calls.append(since)
        if len(calls) == 3:
            raise Retryable("Network error (ConnectError)")
        return fetch_page(since, limit, count=count)

    register.client.catalog = failing_third_page  # type: ignore[method-assign]
    with pytest.raises(Retryable):
        register.puller().pull_catalog(
            lambda _done, _total: during.append(_index_names(register.database.path)))

    assert len(during) == 2 and not DEFERRED_NAMES & during[0]  # it was a deferred load
    assert _indexes(register.database.path) == expected  # built again after the failure
    assert len(_items(register.database.path)) == 2 * PAGE
    register.client.catalog = fetch_page  # type: ignore[method-assign]
    resumed = register.puller().pull_catalog()
    assert (resumed.items, resumed.pages) == (ITEMS - 2 * PAGE, 1)
    assert len(_items(register.database.path)) == ITEMS
    assert _indexes(register.database.path) == expected
    _close(register)


# The child pulls as the app would and dies (no clean-up, no finally) after its second page.
_DIE_AFTER_TWO_PAGES = """
import os, sys
from pos_app.store.engine import Database
from pos_app.sync.client import CentralClient
from pos_app.sync.pull import Puller
url, path, register, event = sys.argv[1:5]
client = CentralClient(url, os.environ["POS_TEST_TOKEN"], register, event)
def die_after_two(done, _total):
    if done >= 2_000:
        os._exit(7)
Puller(Database.open(path), client, register, page_size=1_000).pull_catalog(die_after_two)
"""


def test_a_first_load_killed_mid_pull_has_every_index_when_next_opened(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    admin, event = catalog
    register = _register(local_worker, admin, event, tmp_path / "register.sqlite3", "killed")
    path = register.database.path
    expected = _indexes(path)
    register.database.close()

    died = subprocess.run(
        [sys.executable, "-c", _DIE_AFTER_TWO_PAGES, local_worker.url, str(path),
         register.register_id, event],
        env=dict(os.environ, POS_TEST_TOKEN=register.token), capture_output=True, timeout=300,
        check=False)

    assert died.returncode == 7, died.stderr.decode()
    assert not DEFERRED_NAMES & _index_names(path)  # the process died before building them
    assert len(_items(path)) == 2 * PAGE
    register.database = Database.open(path)
    assert _indexes(path) == expected
    during: list[set[str]] = []
    resumed = register.puller().pull_catalog(
        lambda _done, _total: during.append(_index_names(path)))
    assert (resumed.items, resumed.pages) == (ITEMS - 2 * PAGE, 1)
    assert all(names >= DEFERRED_NAMES for names in during)
    assert len(_items(path)) == ITEMS
    assert _indexes(path) == expected
    _close(register)


def test_an_incremental_pull_keeps_the_indexes_during_the_pull(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    admin, event = catalog
    register = _register(local_worker, admin, event, tmp_path / "register.sqlite3", "again")
    register.puller().pull_catalog()
    expected = _indexes(register.database.path)
    changed = [dict(item, description="Relabelled") for item in
               demo_catalog_items(2_500, consignors=40, prefix=f"{event}-")]
    admin.upsert_items(event, changed)
    during: list[set[str]] = []

    again = register.puller().pull_catalog(
        lambda _done, _total: during.append(_index_names(register.database.path)))

    assert (again.items, again.pages) == (2_500, 3)
    assert all(names >= DEFERRED_NAMES for names in during)
    assert _indexes(register.database.path) == expected
    with closing(sqlite3.connect(register.database.path)) as connection:
        relabelled = connection.execute(
            "SELECT COUNT(*) FROM items WHERE description = 'Relabelled'").fetchone()[0]
    assert relabelled == 2_500
    _close(register)


def test_an_item_changed_during_a_first_load_arrives_twice_and_is_merged(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    """An item already loaded from an earlier page (it changed on the server meanwhile, so a
    later page carries it again) is merged by the upsert: a first load must not use plain
    INSERTs without a way back."""
    admin, event = catalog
    register = _register(local_worker, admin, event, tmp_path / "register.sqlite3", "twice")
    first_item = next(iter(demo_catalog_items(1, consignors=40, prefix=f"{event}-")))
    fetch_page = register.client.catalog
    calls: list[str] = []

    def changing_after_the_first_page(since: str, limit: int, *,
                                      count: bool = True) -> CatalogPage:
        calls.append(since)
        if len(calls) == 2:
            admin.upsert_items(event, [dict(first_item, description="Changed meanwhile")])
        return fetch_page(since, limit, count=count)

    register.client.catalog = changing_after_the_first_page  # type: ignore[method-assign]
    loaded = register.puller().pull_catalog()

    assert loaded.items == ITEMS + 1  # the changed item came twice
    with closing(sqlite3.connect(register.database.path)) as connection:
        count, changed = connection.execute(
            "SELECT COUNT(*), SUM(description = 'Changed meanwhile') FROM items").fetchone()
        description = connection.execute("SELECT description FROM items WHERE id = ?",
                                         (first_item["id"],)).fetchone()[0]
    assert (count, changed, description) == (ITEMS, 1, "Changed meanwhile")
    assert _index_names(register.database.path) >= DEFERRED_NAMES
    _close(register)


def _tag_moving_during_the_load(admin: AdminClient, event: str) -> tuple[dict[str, object], ...]:
    """On the server, during the load: item 1 (already loaded from the first page) gives its
    tag to item 2,500 and then changes again, so the pages bring item 2,500 holding the tag
    (page 3) before item 1's change that freed it (page 4). Returns item 1 and item 2,500."""
    items = list(demo_catalog_items(ITEMS, consignors=40, prefix=f"{event}-"))
    first, taker = items[0], items[2_499]
    admin.upsert_items(event, [dict(first, tag_code="9999-0001")])
    admin.upsert_items(event, [dict(taker, tag_code=first["tag_code"])])
    admin.upsert_items(event, [dict(first, tag_code="9999-0001", description="Relabelled")])
    return first, taker


def _tags(path: Path, *ids: object) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [connection.execute("SELECT tag_code FROM items WHERE id = ?",
                                   (item_id,)).fetchone()[0] for item_id in ids]


def test_a_tag_that_moves_during_a_first_load_ends_where_the_server_has_it(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    """The tag is held twice between pages 3 and 4; the unique index, built after the last
    page, finds it held once (a load that kept the index refused page 3 and stopped)."""
    admin, event = catalog
    register = _register(local_worker, admin, event, tmp_path / "register.sqlite3", "moved")
    expected = _indexes(register.database.path)
    fetch_page = register.client.catalog
    calls: list[str] = []
    moved: list[tuple[dict[str, object], ...]] = []

    def moving_after_the_first_page(since: str, limit: int, *,
                                    count: bool = True) -> CatalogPage:
        calls.append(since)
        if len(calls) == 2:
            moved.append(_tag_moving_during_the_load(admin, event))
        return fetch_page(since, limit, count=count)

    register.client.catalog = moving_after_the_first_page  # type: ignore[method-assign]
    loaded = register.puller().pull_catalog()

    first, taker = moved[0]
    assert (loaded.items, loaded.pages) == (ITEMS + 1, 4)  # item 1 came twice
    assert _tags(register.database.path, first["id"], taker["id"]) == [
        "9999-0001", first["tag_code"]]
    assert _indexes(register.database.path) == expected
    assert len(_items(register.database.path)) == ITEMS
    _close(register)


def test_a_load_cut_short_with_a_tag_held_twice_builds_its_index_and_heals_on_resume(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    """The page that would free the tag never comes: the build keeps the tag with the newer
    change (item 2,500), item 1 gives it up as "<tag>~<id>", the file has every index, and
    the resumed pull brings item 1's real tag."""
    admin, event = catalog
    register = _register(local_worker, admin, event, tmp_path / "register.sqlite3", "cut")
    expected = _indexes(register.database.path)
    fetch_page = register.client.catalog
    calls: list[str] = []
    moved: list[tuple[dict[str, object], ...]] = []

    def moving_then_failing(since: str, limit: int, *, count: bool = True) -> CatalogPage:
        calls.append(since)
        if len(calls) == 2:
            moved.append(_tag_moving_during_the_load(admin, event))
        if len(calls) == 4:
            raise Retryable("Network error (ConnectError)")
        return fetch_page(since, limit, count=count)

    register.client.catalog = moving_then_failing  # type: ignore[method-assign]
    with pytest.raises(Retryable):
        register.puller().pull_catalog()

    first, taker = moved[0]
    path = register.database.path
    assert _indexes(path) == expected
    assert len(_items(path)) == ITEMS  # every row kept, none half-written
    assert _tags(path, first["id"], taker["id"]) == [
        f"{first['tag_code']}~{first['id']}", first["tag_code"]]
    register.client.catalog = fetch_page  # type: ignore[method-assign]
    resumed = register.puller().pull_catalog()
    assert (resumed.items, resumed.pages) == (1, 1)
    assert _tags(path, first["id"], taker["id"]) == ["9999-0001", first["tag_code"]]
    assert _indexes(path) == expected
    _close(register)


def test_a_tag_that_moved_since_the_last_pull_is_taken_page_by_page(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    """After a complete load (every index there) the same move comes one item a page: item
    2,500 holding the tag (page 1) before item 1 frees it (page 2). Item 1 gives the tag up
    until its own change arrives; the pull does not stop at page 1."""
    admin, event = catalog
    register = _register(local_worker, admin, event, tmp_path / "register.sqlite3", "later")
    register.puller().pull_catalog()
    expected = _indexes(register.database.path)
    first, taker = _tag_moving_during_the_load(admin, event)
    path = register.database.path
    during: list[list[str]] = []

    again = register.puller(page_size=1).pull_catalog(
        lambda _done, _total: during.append(_tags(path, first["id"], taker["id"])))

    assert (again.items, again.pages) == (2, 2)
    assert during == [[f"{first['tag_code']}~{first['id']}", first["tag_code"]],
                      ["9999-0001", first["tag_code"]]]
    assert _indexes(path) == expected
    assert len(_items(path)) == ITEMS
    _close(register)


def test_an_item_entered_during_a_first_load_gives_way_with_the_indexes_built_first(
        local_worker: LocalWorker, catalog: tuple[AdminClient, str], tmp_path: Path) -> None:
    """A volunteer enters an item at check-in after the first page, with the tag of item
    2,500 (page 3): from the next page on the load has every index (the give-way lookup needs
    the tag's), and the central item takes the tag from the entered one."""
    admin, event = catalog
    register = _register(local_worker, admin, event, tmp_path / "register.sqlite3", "checkin")
    path = register.database.path
    expected = _indexes(path)
    central = list(demo_catalog_items(ITEMS, consignors=40, prefix=f"{event}-"))[2_499]
    entered: list[str] = []
    during: list[set[str]] = []

    def enter_after_the_first_page(done: int, _total: int) -> None:
        during.append(_index_names(path))
        if done == PAGE:
            item = NewItemService(register.database, load_context(register.database),
                                  lambda: datetime.now(UTC)).enter(
                NewItemDraft(consignor="", description="Wagon", price="5",
                             tag=str(central["tag_code"])), "cashier")
            entered.append(item.id)

    loaded = register.puller().pull_catalog(enter_after_the_first_page)

    assert (loaded.items, loaded.pages) == (ITEMS, 3)
    assert not DEFERRED_NAMES & during[0]
    assert all(names >= DEFERRED_NAMES for names in during[1:])
    assert _tags(path, entered[0], central["id"]) == [
        f"{central['tag_code']}~{entered[0]}", central["tag_code"]]
    assert len(_items(path)) == ITEMS + 1
    assert _indexes(path) == expected
    _close(register)
