"""A consignor's statement as printable blocks (no Qt): what sold and for how much, what was
refunded, the share, the fees, the payouts and the balance.

``pos_app.ui.statement_pdf`` paints these blocks on letter pages (one statement or all of them
in one PDF, each statement from a new page).
"""

from __future__ import annotations

from pos_app.core.money import format_cents
from pos_app.services.documents import Block, Gap, Rule, Text
from pos_app.services.settlement_data import METHOD_NAMES, Statement

TITLE_PT, BODY_PT = 14.0, 9.5


def _day(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


def _percent(basis_points: int) -> str:
    whole, frac = divmod(basis_points, 100)
    return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}%"


def _line(left: str, cents: int, *, bold: bool = False) -> Text:
    return Text(left, format_cents(cents), bold=bold, point_size=BODY_PT)


def _heading(text: str) -> list[Block]:
    return [Gap(3.0), Text(text, bold=True, point_size=BODY_PT + 1), Rule()]


def statement_blocks(statement: Statement, event_name: str) -> list[Block]:
    """The statement of one consignor, top to bottom."""
    row = statement.consignor
    blocks: list[Block] = [
        Text(f"Consignor statement: {row.number} {row.name}", bold=True, point_size=TITLE_PT),
        Text(f"{event_name} ({statement.event_id})", point_size=BODY_PT),
        Text(f"Figures as of {_day(statement.generated_at)} UTC", point_size=BODY_PT),
        *_heading(f"Items sold ({row.items_sold})"),
    ]
    blocks += [Text(f"{item.tag_code}  {item.description[:48]}"
                    + (f"  (tag {format_cents(item.unit_price_cents)}, "
                       f"discount {format_cents(item.discount_cents)})"
                       if item.discount_cents else ""),
                    format_cents(item.price_cents), point_size=BODY_PT)
               for item in statement.items] or [Text("No items sold", point_size=BODY_PT)]
    if statement.refunded:
        blocks += _heading("Refunded to the customer (not counted)")
        blocks += [Text(f"{line.tag_code}  {line.description[:48]}  on {_day(line.refunded_at)}",
                        format_cents(-line.price_cents), point_size=BODY_PT)
                   for line in statement.refunded]
    blocks += [*_heading("Summary"),
               _line("Gross sales", row.gross_cents),
               _line(f"Your share ({_percent(row.split_bp)})", row.share_cents, bold=True),
               _line("Fees", -row.fees_cents)]
    blocks += [_line(f"Paid {_day(p.created_at)} {METHOD_NAMES.get(p.method, p.method)}"
                     + (f" {p.reference}" if p.reference else ""), -p.amount_cents)
               for p in statement.payouts]
    blocks += [Rule(), _line("Balance due to you", row.balance_cents, bold=True)]
    if row.unresolved_conflicts:
        blocks += [Gap(2.0), Text(f"{row.unresolved_conflicts} unresolved conflict(s): the "
                                  "balance may still change.", bold=True, point_size=BODY_PT)]
    return blocks
