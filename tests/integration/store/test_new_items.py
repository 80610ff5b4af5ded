"""An item entered at check-in, on a real SQLite file: item, journal and outbox, or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from store_helpers import Clock

from pos_app.core.items import ItemStatus
from pos_app.core.new_items import NewItemDraft, NewItemError, item_block
from pos_app.services.context import RegisterContext
from pos_app.services.lifecycle import ItemLifecycleService
from pos_app.services.new_items import NewItemService
from pos_app.store import models
from pos_app.store.catalog_pull import upsert_catalog_page
from pos_app.store.engine import Database
from pos_app.store.sync_state import ENTERED_ITEMS, REGISTER_NUMBER

CONSIGNOR = 1001


@pytest.fixture
def entry(database: Database, context: RegisterContext, clock: Clock) -> NewItemService:
    with database.unit_of_work() as unit:
        unit.sync_state.put(REGISTER_NUMBER, "3")
        unit.commit()
    return NewItemService(database, context, clock)


def counts(database: Database) -> tuple[int, int, int]:
    with database.unit_of_work() as unit:
        connection = unit.connection
        return tuple(  # type: ignore[return-value]
            int(connection.execute(select(func.count()).select_from(table)).scalar_one())
            for table in (models.items, models.journal, models.outbox))


def draft(**fields: object) -> NewItemDraft:
    values: dict[str, object] = {"consignor": str(CONSIGNOR), "description": "Red wagon",
                                 "price": "25", "size": "", "category": "toys"}
    values.update(fields)
    return NewItemDraft(**values)  # type: ignore[arg-type]


def test_an_untagged_item_gets_the_next_number_of_this_registers_block(
    entry: NewItemService, database: Database, context: RegisterContext, clock: Clock
) -> None:
    first = entry.enter(draft(), "demo-cashier")
    second = entry.enter(draft(description="Blue wagon", donate_if_unsold=True), "demo-cashier")

    assert [first.item_number, second.item_number] == [13001, 13002]
    assert list(item_block(3))[:2] == [13001, 13002]
    assert (first.tag_code, first.price_cents, first.discountable) == ("1001-13001", 2500, True)
    item = ItemLifecycleService(database, context, clock).item("1001-13002")
    assert (item.id, item.status, item.donate_if_unsold) == (second.id, ItemStatus.APPROVED, True)
    with database.unit_of_work() as unit:
        journal = unit.journal.entries()
        assert unit.journal.verify() is None
        [_, (kind, ref, bundle)] = [(e.kind, e.ref_id, e.bundle)
                                    for e in unit.outbox.read_pending(100)[0]]
    assert (journal[-1].kind, journal[-1].ref_id, journal[-1].payload) == (
        "new_item", second.id, second.canonical_json())
    assert (kind, ref) == ("new_item", second.id)
    assert bundle["new_items"] == [list(second.row().values())]
    assert bundle["journal"][0][1:4] == [journal[-1].seq, "new_item", second.id]


def test_a_scanned_unknown_tag_keeps_its_code_and_numbers(entry: NewItemService) -> None:
    item = entry.enter(draft(consignor="", tag="10010777"), "demo-cashier")
    assert (item.tag_code, item.consignor_number, item.item_number) == ("1001-0777", 1001, 777)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"consignor": ""}, "consignor", "Enter the consignor number"),
    ({"consignor": "abc"}, "consignor", "not a consignor number"),
    ({"consignor": "9999"}, "consignor", "No consignor 9999 in this event"),
    ({"price": ""}, "price", "Enter the price"),
    ({"price": "12.345"}, "price", "not an amount"),
    ({"price": "0"}, "price", r"more than \$0\.00"),
    ({"description": "  "}, "description", "Enter a description"),
    ({"tag": "1042-XYZ"}, "tag", "Unknown tag format"),
    ({"consignor": "1002", "tag": "1001-0777"}, "consignor", "consignor 1001's, not 1002's"),
])
def test_a_bad_field_is_named_and_nothing_is_written(
    entry: NewItemService, database: Database, fields: dict[str, object], field: str,
    message: str
) -> None:
    before = counts(database)
    with pytest.raises(NewItemError, match=message) as raised:
        entry.enter(draft(**fields), "demo-cashier")
    assert raised.value.field == field
    assert counts(database) == before


def test_a_tag_already_in_the_catalog_is_refused(
    entry: NewItemService, database: Database
) -> None:
    before = counts(database)
    with pytest.raises(NewItemError, match="1001-0001 is already in this event's catalog"):
        entry.enter(draft(tag="1001-0001"), "demo-cashier")
    assert counts(database) == before


def test_a_register_that_never_synced_has_no_block_to_number_from(
    database: Database, context: RegisterContext, clock: Clock
) -> None:
    before = counts(database)
    with pytest.raises(NewItemError, match="sync it once") as raised:
        NewItemService(database, context, clock).enter(draft(), "demo-cashier")
    assert raised.value.field == "register"
    assert counts(database) == before


def test_a_pulled_item_takes_a_tag_entered_here_and_the_local_item_keeps_its_row(
    entry: NewItemService, database: Database, context: RegisterContext, clock: Clock
) -> None:
    mine = entry.enter(draft(tag="1001-0777"), "demo-cashier")
    central = {"id": "central-777", "consignor_number": 1001, "item_number": 777,
               "tag_code": "1001-0777", "description": "Their wagon", "price_cents": 900,
               "status": "approved", "change_seq": 5}
    with database.unit_of_work() as unit:
        give_way = unit.sync_state.get(ENTERED_ITEMS, "") == "1"
        upsert_catalog_page(unit.connection, None, [], [central], context.register_id,
                            event_id=context.event_id, give_way=give_way)
        unit.commit()

    assert give_way
    lifecycle = ItemLifecycleService(database, context, clock)
    assert lifecycle.item("1001-0777").id == "central-777"
    with database.unit_of_work() as unit:
        tags = {i.id: i.tag_code for i in unit.item_events.consignor_items(
            context.event_id, CONSIGNOR, context.register_id)}
    assert tags[mine.id] == f"1001-0777~{mine.id}"
