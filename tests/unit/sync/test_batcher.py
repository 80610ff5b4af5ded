"""The batcher packs outbox entries under D1's limits, losing and reordering nothing."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.protocol import SCHEMA
from pos_app.core.wire import COLUMNS, TABLE_ORDER
from pos_app.store.outbox import Entry
from pos_app.sync.batcher import (
    EntryTooLarge,
    SyncLimits,
    insert_sql,
    minimum_requests,
    minimum_statements,
    pack,
    server_overhead,
    value_bytes,
)

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


def _row(table: str, draw_text: str, seq: int) -> list[object]:
    return [seq if name in ("seq", "line_no") else draw_text
            for name in COLUMNS[table]]


@st.composite
def entries(draw: st.DrawFn) -> list[Entry]:
    made = []
    for seq in range(1, draw(st.integers(1, 60)) + 1):
        bundle: dict[str, list[list[object]]] = {}
        for table in ("sales", "sale_lines", "tenders", "journal"):
            count = 1 if table in ("sales", "journal") else draw(st.integers(1, 40))
            bundle[table] = [_row(table, draw(text), n) for n in range(1, count + 1)]
        if draw(st.booleans()):
            bundle["journal"][0][-1] = "p" * draw(st.integers(0, 30_000))
        made.append(Entry(seq, "sale", f"sale-{seq}", bundle, 0))  # type: ignore[arg-type]
    return made


def _chunk_bytes(chunk: dict[str, object]) -> int:
    rows = chunk["rows"]
    assert isinstance(rows, list)
    table = str(chunk["table"])
    return len(insert_sql(table, len(rows))) + sum(value_bytes(row) for row in rows)


@settings(max_examples=150)
@given(made=entries(), max_statements=st.sampled_from([50, 120, 1000]))
def test_requests_respect_every_limit_and_keep_every_row(made: list[Entry],
                                                         max_statements: int) -> None:
    limits = SyncLimits(max_statements=max_statements, max_body_bytes=400_000)
    requests = pack(made, limits, "event")

    assert [seq for r in requests for seq in r.seqs] == [e.seq for e in made]
    for request in requests:
        assert request.statements <= max_statements
        assert len(request.body) <= limits.max_body_bytes
        for chunk in request.chunks:
            rows = chunk["rows"]
            assert isinstance(rows, list)
            assert len(rows) * len(COLUMNS[str(chunk["table"])]) <= limits.max_params
            assert _chunk_bytes(chunk) <= limits.max_statement_bytes
        tables = [str(c["table"]) for c in request.chunks]
        assert tables == sorted(tables, key=TABLE_ORDER.index)
        assert json.loads(request.body) == {  # rows encoded once, joined: still the same JSON
            "event_id": "event", "first_seq": request.first_seq, "last_seq": request.last_seq,
            "chunks": request.chunks}
    sent = {t: [row for r in requests for c in r.chunks if c["table"] == t
                for row in c["rows"]] for t in TABLE_ORDER}  # type: ignore[union-attr]
    for table in TABLE_ORDER:
        assert sent[table] == [row for e in made for row in e.bundle.get(table, [])]


def test_an_entry_too_large_for_any_request_is_named() -> None:
    lines = [["s", n, "i", "t", 1, 1, 0, 1] for n in range(1, 2_000)]
    huge = Entry(1, "sale", "s", {"sale_lines": lines}, 0)  # type: ignore[dict-item]
    with pytest.raises(EntryTooLarge):
        pack([huge], SyncLimits(max_statements=50), "event")


def test_minimum_counts_follow_the_parameter_limit() -> None:
    limits = SyncLimits()
    rows = {"sales": 10_000, "sale_lines": 100_000, "tenders": 10_000, "journal": 10_000}
    expected = (math.ceil(10_000 / 7) + math.ceil(100_000 / 12) + math.ceil(10_000 / 14)
                + math.ceil(10_000 / 14))
    assert minimum_statements(rows, limits) == expected
    assert minimum_requests(rows, limits) == math.ceil(expected / (1000 - server_overhead(rows)))


def test_limits_refuse_fewer_than_50_statements() -> None:
    with pytest.raises(ValueError, match="at least 50"):
        SyncLimits(max_statements=49)


def test_a_requests_statements_are_its_chunks_plus_the_schemas_overhead() -> None:
    sale = {"sales": [_row("sales", "s", 1)], "journal": [_row("journal", "j", 1)]}
    void = {"voids": [_row("voids", "v", 2)], "journal": [_row("journal", "j", 2)]}
    entries = [Entry(1, "sale", "s1", sale, 0), Entry(2, "void", "v1", void, 0)]  # type: ignore[arg-type]
    [with_both] = pack(entries, SyncLimits(), "event")
    [sale_only] = pack(entries[:1], SyncLimits(), "event")
    overhead = SCHEMA.overhead
    assert with_both.statements == 3 + overhead.statements({"sales", "voids", "journal"})
    assert sale_only.statements == 2 + overhead.statements({"sales", "journal"})
    assert with_both.statements - sale_only.statements == (
        1 + overhead.when_push_has["voids"].statements)
