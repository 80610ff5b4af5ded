"""Writing a catalog straight into the local file: an event, its discount rules, consignors
and items (the demo event; on a real register the catalog arrives by pull instead).

Rows are dicts keyed by column name (see :mod:`pos_app.store.models`); the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert

from pos_app.store import models

Row = dict[str, Any]


def add_event(connection: Connection, event: Row, discount_rules: Sequence[Row]) -> None:
    connection.execute(insert(models.events), event)
    if discount_rules:
        connection.execute(insert(models.discount_rules), list(discount_rules))


def add_consignors(connection: Connection, consignors: Sequence[Row]) -> None:
    if consignors:
        connection.execute(insert(models.consignors), list(consignors))


def add_items(connection: Connection, items: Sequence[Row]) -> None:
    """One executemany for all of them, in the order given (keep it index order)."""
    if items:
        connection.execute(insert(models.items), list(items))
