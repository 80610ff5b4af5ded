"""Charity runs and their donation receipts (issue 13): what one close of pick-up gave away.

Closing pick-up (:meth:`ItemLifecycleService.close_pickup
<pos_app.services.lifecycle.ItemLifecycleService.close_pickup>`) donates what is left as one
run named for its charity; a later close (items checked in late, a sale voided after the
first close) makes the next run. A run's receipt counts its items by category with their tag
value, for the organiser's records and the charity. Runs are kept on this register only: the
donations themselves reach the server as item events.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pos_app.core.item_events import ItemEvent
from pos_app.services.context import RegisterContext
from pos_app.store import catalog, charity_runs
from pos_app.store.charity_runs import CategoryFigure, CharityRunRow
from pos_app.store.engine import Database

__all__ = ["MAX_CHARITY_NAME", "CategoryFigure", "CharityRunRow", "DonationReceipt",
           "DonationRun", "DonationService"]

MAX_CHARITY_NAME = 120


@dataclass(frozen=True, slots=True)
class DonationRun:
    """One close of pick-up: the run's id, number and charity, and its donation events."""

    id: str
    number: int
    charity: str
    created_at: str
    events: list[ItemEvent] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DonationReceipt:
    """What a charity received in one run, by category, for the organiser's records."""

    event_name: str
    run: CharityRunRow
    categories: list[CategoryFigure]

    @property
    def items(self) -> int:
        return sum(figure.items for figure in self.categories)

    @property
    def value_cents(self) -> int:
        return sum(figure.value_cents for figure in self.categories)


class DonationService:
    """The event's charity runs at this register and their receipts (read only)."""

    def __init__(self, database: Database, context: RegisterContext) -> None:
        self._database = database
        self._context = context

    def runs(self) -> list[CharityRunRow]:
        """The event's runs, oldest first."""
        with self._database.unit_of_work() as unit:
            return charity_runs.list_runs(unit.connection, self._context.event_id)

    def receipt(self, run_id: str) -> DonationReceipt:
        """The receipt of run ``run_id`` (KeyError if this register has no such run)."""
        event_id = self._context.event_id
        with self._database.unit_of_work() as unit:
            run = next((r for r in charity_runs.list_runs(unit.connection, event_id)
                        if r.id == run_id), None)
            if run is None:
                raise KeyError(run_id)
            figures = charity_runs.by_category(unit.connection, run_id)
            name = catalog.event_name(unit.connection, event_id) or event_id
        return DonationReceipt(name, run, figures)
