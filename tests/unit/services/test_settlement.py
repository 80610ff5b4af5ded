"""The event-wide settlement from exported rows: voided sales left out, one rounding per
consignor, every consignor listed (and a seller missing from the consignor list too)."""

from __future__ import annotations

from pos_app.services.settlement import SettlementRow, settlement

CONSIGNORS = [{"number": 1001, "name": "Ana", "split_bp": 6500},
              {"number": 1002, "name": "Bo", "split_bp": 7000},
              {"number": 1003, "name": "Cy", "split_bp": 6000}]


def _line(sale: str, consignor: int, price: int) -> dict[str, object]:
    return {"sale_id": sale, "consignor_number": consignor, "price_cents": price}


def test_voided_sales_do_not_pay_out_and_shares_round_once_per_consignor() -> None:
    lines = [_line("s1", 1001, 333), _line("s1", 1001, 333), _line("s2", 1002, 1_000),
             _line("s3", 1002, 5_000), _line("s4", 1009, 200)]
    rows = settlement(CONSIGNORS, lines, [{"sale_id": "s3"}])
    assert rows == [
        SettlementRow(1001, "Ana", 6500, 2, 666, 433, 233),  # 432.9 -> 433, not 216 + 216
        SettlementRow(1002, "Bo", 7000, 1, 1_000, 700, 300),
        SettlementRow(1003, "Cy", 6000, 0, 0, 0, 0),
        SettlementRow(1009, "(not in the consignor list)", 0, 1, 200, 0, 200),
    ]
    assert sum(r.consignor_share_cents + r.house_cents for r in rows) == 666 + 1_000 + 200
