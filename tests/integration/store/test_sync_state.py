"""The sync state and conflicts repositories on a real file."""

from __future__ import annotations

from pos_app.store.engine import Database
from pos_app.store.sync_state import CATALOG_CURSOR


def test_a_cursor_is_kept_and_replaced(database: Database) -> None:
    with database.unit_of_work() as unit:
        assert unit.sync_state.get(CATALOG_CURSOR, "0:") == "0:"
        unit.sync_state.put(CATALOG_CURSOR, "5:abc")
        unit.sync_state.put(CATALOG_CURSOR, "9:xyz")
        unit.commit()
    with database.unit_of_work() as unit:
        assert unit.sync_state.get(CATALOG_CURSOR, "0:") == "9:xyz"


def test_conflicts_are_stored_once_by_the_servers_id_and_junk_is_skipped(
        database: Database) -> None:
    rows = [{"id": 7, "kind": "sold_twice", "item_id": "item-1", "sale_id": "s-1",
             "register_id": "r-1", "winning_sale_id": "s-0", "winning_register_id": "r-0"},
            {"id": "8", "kind": "price_mismatch"},  # an id that is not a number: skipped
            {"id": 9}]  # no kind: skipped
    with database.unit_of_work() as unit:
        assert unit.conflicts.store(rows) == 1
        assert unit.conflicts.store(rows[:1]) == 1  # the same conflict again: kept once
        unit.commit()
    with database.unit_of_work() as unit:
        [stored] = unit.conflicts.list()
    assert (stored.id, stored.kind, stored.item_id, stored.winning_sale_id) == (
        7, "sold_twice", "item-1", "s-0")
