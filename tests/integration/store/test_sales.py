"""A sale is on disk, whole, after complete(); a failed commit leaves nothing behind."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from store_helpers import Till, tags

from pos_app.core.journal import GENESIS_HASH, chain_hash
from pos_app.core.sale import canonical_json
from pos_app.core.wire import COLUMNS
from pos_app.services.sales import AlreadySoldHere
from pos_app.store.engine import Database
from pos_app.store.outbox import OutboxRepository


def read_back(path: Path, query: str, *args: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query, args).fetchall()
    finally:
        connection.close()


def test_completed_sale_is_on_disk_with_lines_tenders_outbox_and_journal(
    till: Till, database: Database, db_path: Path
) -> None:
    sale = till.sell(tags(1001, 1, 3), card_cents=500, extra_cash=250)
    database.close()

    (row,) = read_back(db_path, "SELECT id, register_id, seq, item_count, total_cents, status "
                                "FROM sales")
    assert row == (sale.id, "demo-register-1", 1, 3, sale.total_cents, "completed")
    lines = read_back(db_path, "SELECT line_no, tag_code, price_cents FROM sale_lines "
                               "WHERE sale_id = ? ORDER BY line_no", sale.id)
    assert lines == [(n, line.tag_code, line.price_cents)
                     for n, line in enumerate(sale.lines, start=1)]
    tenders = read_back(db_path, "SELECT kind, amount_cents, given_cents, change_cents, "
                                 "reference FROM tenders ORDER BY line_no")
    cash = sale.total_cents - 500
    assert tenders == [("card", 500, None, 0, "AUTH-1"), ("cash", cash, cash + 250, 250, None)]
    sold = read_back(db_path, "SELECT status, sold_sale_id, sold_register_id FROM items "
                              "WHERE tag_code IN ('1001-0001', '1001-0002', '1001-0003')")
    assert sold == [("sold", sale.id, "demo-register-1")] * 3

    (journal,) = read_back(db_path, "SELECT seq, kind, ref_id, prev_hash, entry_hash, payload "
                                    "FROM journal")
    assert journal[:4] == (1, "sale", sale.id, GENESIS_HASH)
    assert journal[5] == sale.canonical_json()
    assert journal[4] == chain_hash(GENESIS_HASH, sale.canonical_json())

    (outbox,) = read_back(db_path, "SELECT id, kind, ref_id, payload FROM outbox")
    assert outbox[:3] == (1, "sale", sale.id)
    bundle = json.loads(str(outbox[3]))
    assert outbox[3] == canonical_json(bundle)
    assert len(bundle["sales"][0]) == len(COLUMNS["sales"])
    assert [r[1] for r in bundle["sale_lines"]] == [1, 2, 3]
    assert [r[2] for r in bundle["tenders"]] == ["card", "cash"]
    assert bundle["journal"] == [["demo-register-1", *journal[:3], *journal[3:]]]


def test_sequence_is_gap_free_and_sales_read_back(till: Till) -> None:
    made = [till.sell([tag]) for tag in tags(1002, 1, 4)]
    assert [sale.seq for sale in made] == [1, 2, 3, 4]
    record = till.sales.get(made[1].id)
    assert record is not None and not record.voided
    assert record.sale == made[1]
    assert [r.sale.seq for r in till.sales.recent(3)] == [4, 3, 2]
    last = till.sales.last()
    assert last is not None and last.sale.id == made[-1].id
    found = till.sales.find("demo-register-1-2")
    assert found is not None and found.sale.id == made[1].id


def test_failure_between_statements_leaves_nothing_and_keeps_the_number(
    till: Till, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    till.sell(["1003-0001"])

    def broken(*_args: object) -> None:
        raise RuntimeError("power cut between statements")

    monkeypatch.setattr(OutboxRepository, "enqueue", broken)  # after the rows and journal
    with pytest.raises(RuntimeError):
        till.sell(["1003-0002", "1003-0003"])
    monkeypatch.undo()

    assert read_back(db_path, "SELECT count(*) FROM sales") == [(1,)]
    for table in ("sale_lines", "tenders", "journal", "outbox"):
        assert read_back(db_path, f"SELECT count(*) FROM {table}") == [(1,)], table
    assert read_back(db_path, "SELECT status FROM items WHERE tag_code = '1003-0002'") == [
        ("approved",)
    ]
    assert till.sell(["1003-0002"]).seq == 2


def test_database_refusal_at_the_last_statement_rolls_back_everything(
    till: Till, db_path: Path
) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox "
                       "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END")
    connection.commit()
    connection.close()
    with pytest.raises(Exception, match="outbox refused"):
        till.sell(["1004-0001"])
    assert read_back(db_path, "SELECT count(*) FROM sales") == [(0,)]
    assert read_back(db_path, "SELECT count(*) FROM journal") == [(0,)]
    assert read_back(db_path, "SELECT status FROM items WHERE tag_code = '1004-0001'") == [
        ("approved",)
    ]


def test_an_item_is_sold_at_most_once_per_register(till: Till, db_path: Path) -> None:
    cart = till.cart(["1005-0001", "1005-0002"])
    lines, tenders = till.pay(cart)
    till.sell(["1005-0002"])
    with pytest.raises(AlreadySoldHere, match="1005-0002"):
        till.sales.complete(lines, tenders, "demo-cashier", None)
    assert read_back(db_path, "SELECT count(*) FROM sales") == [(1,)]


_ITEMS_1005 = ("SELECT tag_code, status, sold_sale_id, sold_register_id FROM items "
               "WHERE tag_code IN ('1005-0003', '1005-0004', '1005-0005') ORDER BY tag_code")


def test_a_sale_refused_for_an_item_sold_here_changes_no_item_and_keeps_no_row(
    till: Till, db_path: Path
) -> None:
    lines, tenders = till.pay(till.cart(["1005-0003", "1005-0004", "1005-0005"]))
    first = till.sell(["1005-0004"])
    before = read_back(db_path, _ITEMS_1005)
    assert before[1] == ("1005-0004", "sold", first.id, till.context.register_id)
    with pytest.raises(AlreadySoldHere, match="1005-0004"):
        till.sales.complete(lines, tenders, "demo-cashier", None)
    assert read_back(db_path, _ITEMS_1005) == before  # the other two still approved
    for table in ("sales", "tenders", "journal", "outbox"):
        assert read_back(db_path, f"SELECT count(*) FROM {table}") == [(1,)], table
    assert read_back(db_path, "SELECT count(*) FROM sale_lines") == [(1,)]
    assert till.sell(["1005-0003", "1005-0005"]).seq == 2


def test_an_item_another_register_sold_is_sold_here_with_the_override(
    till: Till, db_path: Path
) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE items SET status = 'sold', sold_sale_id = 'sale-of-b', "
                       "sold_register_id = 'register-b' WHERE tag_code = '1005-0006'")
    connection.commit()
    connection.close()
    sale = till.sell(["1005-0006", "1005-0007"], override=True)
    assert read_back(db_path, "SELECT tag_code, status, sold_sale_id, sold_register_id "
                              "FROM items WHERE tag_code IN ('1005-0006', '1005-0007') "
                              "ORDER BY tag_code") == [
        ("1005-0006", "sold", sale.id, till.context.register_id),
        ("1005-0007", "sold", sale.id, till.context.register_id)]


def test_pragmas_normal_by_default_and_full_for_the_sale_commit(database: Database) -> None:
    with database.unit_of_work() as unit:
        values = {name: unit.connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
    assert values == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000,
                      "synchronous": 1}
    with database.durable_unit_of_work() as unit:
        assert unit.connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    with database.unit_of_work() as unit:
        assert unit.connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1


def test_unit_of_work_rolls_back_unless_committed(database: Database) -> None:
    with database.unit_of_work() as unit:
        unit.connection.execute(text("INSERT INTO sync_state VALUES ('a', '1')"))
    with database.unit_of_work() as unit:
        unit.connection.execute(text("INSERT INTO sync_state VALUES ('b', '2')"))
        unit.commit()
    with database.unit_of_work() as unit:
        rows = unit.connection.execute(text("SELECT key FROM sync_state")).all()
    assert rows == [("b",)]


def test_hundred_line_sale_commits_in_one_durable_transaction(
    till: Till, db_path: Path
) -> None:
    cart = till.cart([tag for c in (1006, 1007) for tag in tags(c, 1, 50)])
    lines, tenders = till.pay(cart)
    sale = till.sales.complete(lines, tenders, "demo-cashier", None)
    assert len(sale.lines) == 100
    assert read_back(db_path, "SELECT count(*) FROM sale_lines") == [(100,)]


def test_two_threads_selling_at_once_get_distinct_gap_free_numbers(till: Till) -> None:
    errors: list[BaseException] = []

    def sell(consignor: int) -> None:
        try:
            for tag in tags(consignor, 1, 8):
                till.sell([tag])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=sell, args=(c,)) for c in (1008, 1009)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.sale.seq for r in till.sales.recent(50)) == list(range(1, 17))
