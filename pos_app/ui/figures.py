"""The money figures' names: one definition each, the same words on every screen and paper.

- **Items subtotal**: the items' tag prices, before any discount.
- **Discounts**: what the discounts took off.
- **Net**: items subtotal minus discounts, before tax (the consignors' split is figured on it).
- **Tax**: the sales tax on the net.
- **Total**: net plus tax, what the shopper pays.

The checkout's side panel, the recall list, the receipt, the X and Z reports and the reports
dialog all use these names (the stored columns keep their names: ``subtotal_cents``,
``discount_cents``, ``tax_cents``, ``total_cents``, and ``gross_cents`` in the reports, which
is the net).
"""

from __future__ import annotations

from typing import Any

ITEMS_SUBTOTAL = "Items subtotal"
DISCOUNTS = "Discounts"
NET = "Net"
TAX = "Tax"
TOTAL = "Total"

#: Report columns shown under the figures' names.
COLUMN_NAMES = {"subtotal_cents": ITEMS_SUBTOTAL, "discount_cents": DISCOUNTS,
                "gross_cents": NET, "tax_cents": TAX, "total_cents": TOTAL}


def column_title(column: str) -> str:
    """A report column's heading: a figure's name, or the column name in words."""
    return COLUMN_NAMES.get(column, column.removesuffix("_cents").replace("_", " "))


def with_items_subtotal(columns: list[str], records: list[dict[str, Any]]
                        ) -> tuple[list[str], list[dict[str, Any]]]:
    """Where a report has the net and the discounts: items subtotal, discounts, net, in order."""
    if "gross_cents" not in columns or "discount_cents" not in columns \
            or "subtotal_cents" in columns:
        return columns, records
    rest = [column for column in columns if column != "discount_cents"]
    at = rest.index("gross_cents")
    shown = [*rest[:at], "subtotal_cents", "discount_cents", *rest[at:]]
    return shown, [{**record, "subtotal_cents": record["gross_cents"]
                    + record["discount_cents"]} for record in records]
