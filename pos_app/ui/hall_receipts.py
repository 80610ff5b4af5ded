"""The consignor's drop-off and pick-up receipts and a charity run's donation receipt
(issue 13), as printable blocks.

Drop-off: what was checked in (with its price) and what was rejected, with the counts
checked in / expected / rejected. Pick-up: what went back to the consignor, what sold, and
what is still missing; signed by the consignor. Donation: one charity run (its number, the
charity, when and who closed pick-up), the items by category with their tag value, and the
totals; signed by the charity. Both are printed by the register's
:class:`~pos_app.ui.receipt.ReceiptPrinter` (the receipt printer, or a PDF when there is none).
"""

from __future__ import annotations

from pos_app.core.items import ItemStatus
from pos_app.core.money import format_cents
from pos_app.services.donations import DonationReceipt
from pos_app.services.lifecycle import ConsignorItems
from pos_app.store.catalog import ItemView
from pos_app.ui.printing import Align, Block, Gap, Rule, Text
from pos_app.ui.receipt import local_time


def _items(title: str, items: list[ItemView]) -> list[Block]:
    if not items:
        return []
    return [Text(f"{title} ({len(items)})", bold=True),
            *(Text(f"{item.tag_code} {item.description}"[:34], format_cents(item.price_cents))
              for item in items), Rule()]


def consignor_receipt_blocks(found: ConsignorItems, *, pick_up: bool, event_name: str,
                             volunteer: str, printed_at: str) -> list[Block]:
    """The drop-off receipt, or with ``pick_up`` the pick-up receipt, of one consignor."""
    p = found.progress
    blocks: list[Block] = [
        Text("PICK-UP RECEIPT" if pick_up else "DROP-OFF RECEIPT", bold=True, point_size=12,
             align=Align.CENTER),
        Text(event_name, align=Align.CENTER),
        Text(f"Consignor {p.consignor_number}" + (f" - {p.name}" if p.name else ""),
             bold=True, align=Align.CENTER),
        Text(local_time(printed_at), align=Align.CENTER),
        Rule(),
    ]
    if pick_up:
        missing = found.with_status(ItemStatus.APPROVED, ItemStatus.REJECTED)
        blocks += [
            *_items("Returned to you", found.with_status(ItemStatus.RETURNED)),
            *_items("Sold", found.with_status(ItemStatus.SOLD)),
            *_items("Not found yet", missing),
            Text("Returned", str(p.count(ItemStatus.RETURNED))),
            Text("Sold", str(p.count(ItemStatus.SOLD))),
            Text("Missing", str(len(missing)), bold=True),
        ]
    else:
        blocks += [
            *_items("Checked in", found.with_status(ItemStatus.APPROVED)),
            *_items("Rejected: please take back", found.with_status(ItemStatus.REJECTED)),
            Text("Checked in", f"{p.checked_in} / {p.expected}", bold=True),
            Text("Rejected", str(p.count(ItemStatus.REJECTED))),
        ]
    return [*blocks, Gap(3), Text(f"Volunteer: {volunteer}"), Gap(4),
            Text("Consignor signature: ______________")]


def donation_receipt_blocks(receipt: DonationReceipt, *, printed_at: str) -> list[Block]:
    """The receipt of one charity run: items by category with their tag value, and totals."""
    run = receipt.run
    return [
        Text("DONATION RECEIPT", bold=True, point_size=12, align=Align.CENTER),
        Text(receipt.event_name, align=Align.CENTER),
        Text(run.charity, bold=True, align=Align.CENTER),
        Text(f"Charity run {run.number}", align=Align.CENTER),
        Text(f"Pick-up closed {local_time(run.created_at)}", align=Align.CENTER),
        Rule(),
        Text("Category", "Items / value", bold=True),
        *(Text(figure.category or "(no category)",
               f"{figure.items} / {format_cents(figure.value_cents)}")
          for figure in receipt.categories),
        Rule(),
        Text("Items donated", str(receipt.items), bold=True),
        Text("Tag value", format_cents(receipt.value_cents), bold=True),
        Gap(1),
        Text(f"Closed by: {run.manager_name}"),
        Text(f"Printed {local_time(printed_at)}"),
        Gap(4),
        Text("Received for the charity: ______________"),
    ]
