"""An item the catalog lacks, entered on the spot at drop-off check-in (issue 13).

:meth:`NewItemService.enter` checks the volunteer's form (:class:`NewItemDraft`), gives an
untagged item the next number of this register's block (:func:`pos_app.core.new_items.item_block`)
and, in ONE durable transaction, writes the item as approved, its journal entry (kind
``new_item``) and its outbox bundle (protocol table ``new_items``). A bad field (no consignor, a
consignor the event does not have, a bad price, a tag already in the catalog) raises
:class:`NewItemError` naming the field, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pos_app.core.ids import new_id
from pos_app.core.new_items import NewItem, NewItemDraft, NewItemError, item_block, untagged_code
from pos_app.core.sale import utc_timestamp
from pos_app.core.wire import new_item_bundle
from pos_app.services.changes import Changes, changes
from pos_app.services.context import RegisterContext
from pos_app.store.engine import Database, UnitOfWork
from pos_app.store.sync_state import ENTERED_ITEMS, REGISTER_NUMBER

__all__ = ["NewItemDraft", "NewItemError", "NewItemService"]


class NewItemService:
    """Items entered at this register's check-in."""

    def __init__(self, database: Database, context: RegisterContext,
                 clock: Callable[[], datetime]) -> None:
        self._database = database
        self._context = context
        self._clock = clock

    @changes(Changes.OUTBOX)
    def enter(self, draft: NewItemDraft, cashier_id: str) -> NewItem:
        """Create the item as approved and queue it for the server; NewItemError if refused."""
        consignor = draft.consignor_number()
        price = draft.price_cents()
        description, size, category = draft.texts()
        tag = draft.tag_code()
        at = utc_timestamp(self._clock())
        event_id = self._context.event_id
        with self._database.durable_unit_of_work() as unit:
            if not unit.new_items.consignor_known(event_id, consignor):
                raise NewItemError("consignor", f"No consignor {consignor} in this event")
            if tag is not None and tag.consignor_item and tag.item_number is not None:
                number, code = tag.item_number, tag.canonical
            else:
                number = self._next_number(unit, consignor)
                code = tag.canonical if tag is not None else untagged_code(consignor, number)
            if unit.new_items.tag_taken(event_id, code):
                raise NewItemError("tag", f"{code} is already in this event's catalog")
            item = NewItem(new_id(), event_id, self._context.register_id, consignor, number,
                           code, description, category, size, price, draft.discountable,
                           draft.donate_if_unsold, cashier_id, at)
            unit.new_items.add(item)
            unit.sync_state.put(ENTERED_ITEMS, "1")  # the pull lets central items take tags
            entry = unit.journal.append("new_item", item.id, item.canonical_json(), at)
            unit.outbox.enqueue("new_item", item.id, new_item_bundle(item, entry), at)
            unit.commit()
        return item

    def refusal(self, tag: str) -> str | None:
        """Why a scanned tag the catalog lacks cannot be entered here, or None if it can."""
        try:
            parsed = NewItemDraft(consignor="", description="", price="", tag=tag).tag_code()
        except NewItemError as error:
            return str(error)
        if parsed is None or parsed.consignor_number is None:
            return None
        with self._database.unit_of_work() as unit:
            known = unit.new_items.consignor_known(self._context.event_id,
                                                   parsed.consignor_number)
        return None if known else (f"{parsed.canonical} is not in this event's catalog, and "
                                   f"consignor {parsed.consignor_number} is not in this event")

    def _next_number(self, unit: UnitOfWork, consignor: int) -> int:
        register_number = int(unit.sync_state.get(REGISTER_NUMBER, "0"))
        if register_number == 0:
            raise NewItemError("register", "This register has no item numbers yet: sync it "
                               "once while online, then enter the item again")
        number = unit.new_items.next_number(self._context.event_id, consignor,
                                            item_block(register_number))
        if number is None:
            raise NewItemError("register", f"Consignor {consignor} has no item numbers left "
                               "at this register")
        return number
