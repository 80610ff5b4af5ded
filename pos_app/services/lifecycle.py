"""Check-in, pick-up and donation: the item's life at the hall (issue 13, DESIGN.md).

Each status change is an :class:`~pos_app.core.item_events.ItemEvent`. Like
:meth:`SaleService.complete <pos_app.services.sales.SaleService.complete>`, ONE durable
transaction writes the event, moves the item's local status, appends the journal entry and
queues the outbox bundle; the caller hears of success only after COMMIT. A bad scan (unknown
format, an item not in the catalog, a transition the lifecycle does not allow, a rejection
without a listed reason) raises :class:`LifecycleError` and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pos_app.core.ids import new_id
from pos_app.core.item_events import REJECT_REASONS, ItemEvent, TransitionError, check_transition
from pos_app.core.items import ItemStatus
from pos_app.core.sale import utc_timestamp
from pos_app.core.tags import TagError, parse_tag
from pos_app.core.wire import item_event_bundle
from pos_app.services.changes import Changes, changes
from pos_app.services.context import RegisterContext
from pos_app.services.donations import MAX_CHARITY_NAME, DonationRun
from pos_app.store import catalog, charity_runs, people
from pos_app.store.catalog import ItemView
from pos_app.store.charity_runs import CharityRunRow
from pos_app.store.engine import Database, UnitOfWork
from pos_app.store.item_events import ConsignorProgress, StaleItemStatus

__all__ = ["REJECT_REASONS", "ConsignorItems", "ItemLifecycleService", "LifecycleError",
           "UnknownTag"]


class LifecycleError(ValueError):
    """A scan or command that changes nothing; the message is for the volunteer."""


class UnknownTag(LifecycleError):
    """A well-formed tag the event's catalog lacks (check-in may enter it on the spot)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"{code} is not in this event's catalog")
        self.code = code


@dataclass(frozen=True, slots=True)
class ConsignorItems:
    """A consignor's items and counts (check-in progress, pick-up list, till lookup)."""

    progress: ConsignorProgress
    items: list[ItemView]

    def with_status(self, *statuses: ItemStatus) -> list[ItemView]:
        return [item for item in self.items if item.status in statuses]


class ItemLifecycleService:
    """Status changes of the event's items recorded at this register."""

    def __init__(
        self, database: Database, context: RegisterContext, clock: Callable[[], datetime]
    ) -> None:
        self._database = database
        self._context = context
        self._clock = clock

    @changes(Changes.OUTBOX)
    def approve(self, tag: str, cashier_id: str) -> ItemEvent:
        """Check in an item as approved for sale."""
        return self._move(tag, ItemStatus.APPROVED, None, cashier_id)

    @changes(Changes.OUTBOX)
    def reject(self, tag: str, reason: str, cashier_id: str) -> ItemEvent:
        """Check in an item as rejected, with a reason from :data:`REJECT_REASONS`."""
        return self._move(tag, ItemStatus.REJECTED, reason, cashier_id)

    @changes(Changes.OUTBOX)
    def return_item(self, tag: str, cashier_id: str) -> ItemEvent:
        """Hand an unsold (or rejected) item back to its consignor at pick-up."""
        return self._move(tag, ItemStatus.RETURNED, None, cashier_id)

    @changes(Changes.OUTBOX)
    def close_pickup(self, manager_id: str, charity: str) -> DonationRun:
        """Donate every approved item nobody bought or collected to ``charity``, as one run.

        A manager's command; with nothing left to donate it raises LifecycleError and
        records no run.
        """
        name = _charity_name(charity)
        at = utc_timestamp(self._clock())
        event_id, register_id = self._context.event_id, self._context.register_id
        with self._database.durable_unit_of_work() as unit:
            if people.cashier_role(unit.connection, manager_id) != "manager":
                raise LifecycleError("Closing pick-up needs a manager")
            left = unit.item_events.unsold(event_id, register_id)
            if not left:
                raise LifecycleError("Nothing is left to donate: every item was sold, "
                                     "collected or donated already")
            events = [self._record(unit, item, ItemStatus.DONATED,
                                   reason=None, cashier_id=manager_id, at=at)
                      for item in left]
            run = CharityRunRow(new_id(), event_id, register_id,
                                charity_runs.next_number(unit.connection, event_id, register_id),
                                name, manager_id, "", at)
            charity_runs.add_run(unit.connection, run, [event.id for event in events])
            unit.commit()
        return DonationRun(run.id, run.number, name, at, events)

    def item(self, tag: str) -> ItemView:
        """The scanned item (LifecycleError for a bad or unknown tag)."""
        code = _canonical(tag)
        with self._database.unit_of_work() as unit:
            return self._find(unit, code)

    def consignor(self, number: int) -> ConsignorItems:
        """The consignor's items and progress; LifecycleError if the event has none of theirs."""
        event_id, register_id = self._context.event_id, self._context.register_id
        with self._database.unit_of_work() as unit:
            progress = unit.item_events.progress(event_id, number)
            found = unit.item_events.consignor_items(event_id, number, register_id)
        if progress.expected == 0 and progress.name is None:
            raise LifecycleError(f"No consignor {number} in this event")
        return ConsignorItems(progress, found)

    def history(self, tag: str) -> list[ItemEvent]:
        """The item's recorded events, oldest first."""
        code = _canonical(tag)
        with self._database.unit_of_work() as unit:
            return unit.item_events.for_item(self._find(unit, code).id)

    def _move(self, tag: str, target: ItemStatus, reason: str | None,
              cashier_id: str) -> ItemEvent:
        code = _canonical(tag)
        at = utc_timestamp(self._clock())
        with self._database.durable_unit_of_work() as unit:
            item = self._find(unit, code)
            event = self._record(unit, item, target, reason=reason, cashier_id=cashier_id, at=at)
            unit.commit()
        return event

    def _find(self, unit: UnitOfWork, code: str) -> ItemView:
        item = catalog.find_by_tag(unit.connection, self._context.event_id, code,
                                   self._context.register_id)
        if item is None:
            raise UnknownTag(code)
        return item

    def _record(self, unit: UnitOfWork, item: ItemView, target: ItemStatus, *,
                reason: str | None, cashier_id: str, at: str) -> ItemEvent:
        try:
            check_transition(item.tag_code, item.status, target, reason)
        except TransitionError as error:
            raise LifecycleError(_explain(item, str(error))) from error
        event = ItemEvent(new_id(), self._context.event_id, self._context.register_id,
                          item.id, item.tag_code, item.status, target, reason, cashier_id, at)
        try:
            unit.item_events.add(event)
        except StaleItemStatus as error:
            raise LifecycleError(str(error)) from error
        entry = unit.journal.append("item", event.id, event.canonical_json(), at)
        unit.outbox.enqueue("item", event.id, item_event_bundle(event, entry), at)
        return event


def _canonical(tag: str) -> str:
    try:
        return parse_tag(tag).canonical
    except TagError as error:
        raise LifecycleError(str(error)) from error


def _charity_name(charity: str) -> str:
    name = " ".join(charity.split())
    if not name:
        raise LifecycleError("Name the charity the donations go to")
    if len(name) > MAX_CHARITY_NAME:
        raise LifecycleError(f"The charity's name is longer than {MAX_CHARITY_NAME} characters")
    return name


def _explain(item: ItemView, message: str) -> str:
    """The transition's refusal, with what a volunteer needs to know about a sold item."""
    if item.status is ItemStatus.SOLD:
        return f"{item.tag_code} was sold: it cannot be returned or donated"
    return message
