"""The outbox repository on a real file: order, limit + 1, acknowledge, quarantine, release."""

from __future__ import annotations

from store_helpers import Till, tags

from pos_app.store.engine import Database


def _sell_three(till: Till) -> list[str]:
    return [till.sell([tag]).id for tag in tags(1010, 1, 3)]


def test_entries_come_in_order_with_whether_more_remain(till: Till, database: Database) -> None:
    sold = _sell_three(till)
    with database.unit_of_work() as unit:
        first, more = unit.outbox.read_pending(2)
        rest, after = unit.outbox.read_pending(2, first[-1].seq)
    assert [e.ref_id for e in first + rest] == sold
    assert (more, after) == (True, False)
    assert all(e.kind == "sale" and "sales" in e.bundle for e in first + rest)


def test_only_acknowledged_entries_are_removed(till: Till, database: Database) -> None:
    _sell_three(till)
    with database.unit_of_work() as unit:
        entries, _ = unit.outbox.read_pending(10)
        seqs = [e.seq for e in entries]
        assert unit.outbox.acknowledge(seqs, acked_seq=seqs[1]) == 2
        unit.commit()
    with database.unit_of_work() as unit:
        left, _ = unit.outbox.read_pending(10)
        assert [e.seq for e in left] == seqs[2:]
        assert unit.outbox.pending_count() == 1


def test_a_quarantined_entry_steps_aside_until_released(till: Till, database: Database) -> None:
    _sell_three(till)
    with database.unit_of_work() as unit:
        entries, _ = unit.outbox.read_pending(10)
        unit.outbox.record_failure([entries[0].seq], "timeout")
        unit.outbox.quarantine(entries[0].seq, "Sale does not add up")
        unit.commit()
    with database.unit_of_work() as unit:
        [held] = unit.outbox.list_quarantined()
        pending, _ = unit.outbox.read_pending(10)
        assert (held.seq, held.reason) == (entries[0].seq, "Sale does not add up")
        assert [e.seq for e in pending] == [e.seq for e in entries[1:]]
        assert (unit.outbox.pending_count(), unit.outbox.quarantined_count()) == (2, 1)
        assert unit.outbox.head_attempts() == 0
        unit.outbox.release(held.seq)
        unit.commit()
    with database.unit_of_work() as unit:
        assert unit.outbox.quarantined_count() == 0
        assert unit.outbox.read_pending(10)[0][0].seq == entries[0].seq


def test_an_uncommitted_unit_leaves_the_outbox_as_it_was(till: Till, database: Database) -> None:
    _sell_three(till)
    with database.unit_of_work() as unit:
        entries, _ = unit.outbox.read_pending(10)
        unit.outbox.acknowledge([e.seq for e in entries], entries[-1].seq)  # never committed
    with database.unit_of_work() as unit:
        assert unit.outbox.pending_count() == 3
