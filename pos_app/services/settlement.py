"""The event-wide consignor settlement, from the central server's exported rows (no SQL here).

Same figures as the register's consignor report (``pos_app.services.reports``), over every
register's sales: ``gross_cents`` is what a consignor's items sold for (line prices after
discounts, before tax), voided sales are left out, and the consignor's share is
``percent_of(gross, split_bp)``, rounded half up once per consignor; the house keeps the rest.
Every consignor of the event gets a row, those who sold nothing too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pos_app.core.money import percent_of


@dataclass(frozen=True, slots=True)
class SettlementRow:
    consignor_number: int
    name: str
    split_bp: int
    items_sold: int
    gross_cents: int
    consignor_share_cents: int
    house_cents: int


COLUMNS = ("consignor_number", "name", "split_bp", "items_sold", "gross_cents",
           "consignor_share_cents", "house_cents")


def settlement(consignors: Iterable[Mapping[str, Any]], sale_lines: Iterable[Mapping[str, Any]],
               voids: Iterable[Mapping[str, Any]]) -> list[SettlementRow]:
    """One row per consignor, by number; lines of voided sales do not count."""
    voided = {str(row["sale_id"]) for row in voids}
    sold: dict[int, tuple[int, int]] = {}
    for line in sale_lines:
        if str(line["sale_id"]) in voided:
            continue
        number = int(line["consignor_number"])
        count, gross = sold.get(number, (0, 0))
        sold[number] = (count + 1, gross + int(line["price_cents"]))
    known = {int(row["number"]): (str(row["name"]), int(row["split_bp"])) for row in consignors}
    rows = []
    for number in sorted(known.keys() | sold.keys()):
        name, split = known.get(number, ("(not in the consignor list)", 0))
        count, gross = sold.get(number, (0, 0))
        share = percent_of(gross, split)
        rows.append(SettlementRow(number, name, split, count, gross, share, gross - share))
    return rows
