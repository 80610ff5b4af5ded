"""Pack outbox entries into push requests that respect D1's limits.

Each chunk becomes one multi-row ``INSERT`` on the server, so a chunk holds at most
``floor(100 / columns)`` rows and at most 100,000 bytes (SQL text, plus every string's UTF-8
bytes, plus 8 per other value: the server counts the same way). A request holds at most
``max_statements`` statements including the server's own overhead, and at most
``max_body_bytes`` of JSON. An entry is never split across requests.

Each row is JSON-encoded once (:func:`_prepare`): the same text sizes the body and is joined
into it, so the body's size is counted exactly rather than estimated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pos_app.core.protocol import SCHEMA
from pos_app.core.wire import COLUMNS, TABLE_ORDER, Row
from pos_app.store.outbox import Entry

MIN_STATEMENTS = 50
_OTHER_VALUE_BYTES = SCHEMA.limits.other_value_bytes


def server_overhead(tables: Collection[str], journal_breaks: int = 0) -> int:
    """Statements the Worker adds to a push whose chunks hold ``tables`` (the protocol schema)."""
    return SCHEMA.overhead.statements(tables, journal_breaks)


OVERHEAD_RESERVE = SCHEMA.overhead.client_reserve(TABLE_ORDER)


@dataclass(frozen=True, slots=True)
class SyncLimits:
    max_statements: int = 1000
    max_params: int = SCHEMA.limits.max_params
    max_statement_bytes: int = SCHEMA.limits.max_statement_bytes
    max_body_bytes: int = 4_000_000

    def __post_init__(self) -> None:
        if self.max_statements < MIN_STATEMENTS:
            raise ValueError(f"max_statements must be at least {MIN_STATEMENTS}")

    def rows_per_chunk(self, table: str) -> int:
        return self.max_params // len(COLUMNS[table])

    @property
    def chunk_budget(self) -> int:
        return self.max_statements - OVERHEAD_RESERVE


class EntryTooLarge(ValueError):
    """One entry cannot fit in a request whatever the packing: quarantine it."""


def insert_sql(table: str, row_count: int) -> str:
    """The exact SQL text the Worker builds for a chunk (for byte counting)."""
    columns = COLUMNS[table]
    row = "(" + ", ".join("?" for _ in columns) + ")"
    return (f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES "
            + ", ".join([row] * row_count))


def value_bytes(row: Row) -> int:
    """Every string's UTF-8 bytes plus the schema's bytes per other value (one encode a row)."""
    strings = [v for v in row if isinstance(v, str)]
    return len("".join(strings).encode()) + _OTHER_VALUE_BYTES * (len(row) - len(strings))


def _row_sql_bytes(table: str) -> int:
    return len(insert_sql(table, 2)) - len(insert_sql(table, 1))


@dataclass(frozen=True, slots=True)
class _Row:
    """A row with what packing needs of it, computed once: its JSON and its byte counts."""

    table: str
    values: Row
    json: str
    sql_bytes: int  # its values' bytes plus its share of the INSERT text


def _prepare(entry: Entry) -> list[_Row]:
    return [_Row(table, row, _ROW_ENCODER.encode(row), value_bytes(row) + _ROW_SQL_BYTES[table])
            for table, row in _rows(entry.bundle)]


_ROW_ENCODER = json.JSONEncoder(separators=(",", ":"))
_ROW_SQL_BYTES = {table: _row_sql_bytes(table) for table in TABLE_ORDER}
_BASE_SQL_BYTES = {table: len(insert_sql(table, 1)) - _ROW_SQL_BYTES[table]
                   for table in TABLE_ORDER}


def _chunk_json_bytes(table: str) -> int:
    """A chunk's JSON around its rows, with the comma that separates it from the next."""
    return len(f'{{"table":"{table}","rows":[]}},')


@dataclass
class _Chunk:
    table: str
    rows: list[_Row] = field(default_factory=list)
    bytes: int = 0


@dataclass
class PushRequest:
    seqs: list[int]
    chunks: list[dict[str, object]]
    statements: int
    body: bytes
    ref_ids: dict[str, int]

    @property
    def first_seq(self) -> int:
        return self.seqs[0]

    @property
    def last_seq(self) -> int:
        return self.seqs[-1]


class _Builder:
    # Around the chunks: {"event_id":"...","first_seq":N,"last_seq":N,"chunks":[...]}
    HEAD_BYTES = 200

    def __init__(self, limits: SyncLimits, event_id: str) -> None:
        self.limits = limits
        self.open: dict[str, _Chunk] = {}
        self.closed: list[_Chunk] = []
        self.entries: list[Entry] = []
        self.body_bytes = self.HEAD_BYTES + len(json.dumps(event_id))

    @property
    def statements(self) -> int:
        return len(self.closed) + len(self.open)

    def _opens_chunk(self, row: _Row, rows: int, size: int) -> bool:
        return rows == 0 or rows >= self.limits.rows_per_chunk(row.table) or (
            size + row.sql_bytes > self.limits.max_statement_bytes)

    def fits(self, rows: list[_Row]) -> bool:
        chunks, body = self.statements, self.body_bytes
        state = {t: (len(c.rows), c.bytes) for t, c in self.open.items()}
        for row in rows:
            count, size = state.get(row.table, (0, 0))
            if self._opens_chunk(row, count, size):
                chunks += 1
                body += _chunk_json_bytes(row.table)
                count, size = 0, _BASE_SQL_BYTES[row.table]
            state[row.table] = (count + 1, size + row.sql_bytes)
            body += len(row.json) + 1
        return chunks <= self.limits.chunk_budget and body <= self.limits.max_body_bytes

    def add(self, entry: Entry, rows: list[_Row]) -> None:
        for row in rows:
            chunk = self.open.get(row.table)
            if chunk is None or self._opens_chunk(row, len(chunk.rows), chunk.bytes):
                if chunk is not None:
                    self.closed.append(chunk)
                base = _BASE_SQL_BYTES[row.table]
                if base + row.sql_bytes > self.limits.max_statement_bytes:
                    raise EntryTooLarge(f"a {row.table} row of entry {entry.seq} is too large")
                chunk = self.open[row.table] = _Chunk(row.table, bytes=base)
                self.body_bytes += _chunk_json_bytes(row.table)
            chunk.rows.append(row)
            chunk.bytes += row.sql_bytes
            self.body_bytes += len(row.json) + 1
        self.entries.append(entry)

    def build(self, event_id: str) -> PushRequest:
        chunks = sorted([*self.closed, *self.open.values()],
                        key=lambda c: TABLE_ORDER.index(c.table))
        payload: list[dict[str, object]] = [
            {"table": c.table, "rows": [row.values for row in c.rows]} for c in chunks]
        seqs = [e.seq for e in self.entries]
        encoded = ",".join(
            f'{{"table":"{c.table}","rows":[{",".join(row.json for row in c.rows)}]}}'
            for c in chunks)
        body = (f'{{"event_id":{json.dumps(event_id)},"first_seq":{seqs[0]},'
                f'"last_seq":{seqs[-1]},"chunks":[{encoded}]}}').encode()
        statements = len(chunks) + server_overhead({c.table for c in chunks})
        return PushRequest(seqs, payload, statements, body,
                           {e.ref_id: e.seq for e in self.entries})


def _rows(bundle: Mapping[str, Sequence[Row]]) -> Iterable[tuple[str, Row]]:
    for table in TABLE_ORDER:
        for row in bundle.get(table, ()):
            yield table, row


def pack(entries: Sequence[Entry], limits: SyncLimits, event_id: str) -> list[PushRequest]:
    """Requests for ``entries`` in seq order; raises EntryTooLarge naming a lone misfit."""
    requests: list[PushRequest] = []
    builder = _Builder(limits, event_id)
    for entry in entries:
        rows = _prepare(entry)
        if builder.entries and not builder.fits(rows):
            requests.append(builder.build(event_id))
            builder = _Builder(limits, event_id)
        if not builder.fits(rows):
            raise EntryTooLarge(f"entry {entry.seq} alone exceeds a request's limits")
        builder.add(entry, rows)
    if builder.entries:
        requests.append(builder.build(event_id))
    return requests


def minimum_statements(row_counts: Mapping[str, int], limits: SyncLimits) -> int:
    """The fewest chunks that can carry these rows under the parameter limit: the request
    statement budget's share of them. The Worker runs fewer (one INSERT per table and MB)."""
    return sum(math.ceil(n / limits.rows_per_chunk(t)) for t, n in row_counts.items() if n)


def minimum_requests(row_counts: Mapping[str, int], limits: SyncLimits) -> int:
    """The fewest requests D1's per-invocation query limit allows for these rows."""
    per_request = limits.max_statements - server_overhead([t for t, n in row_counts.items() if n])
    return max(1, math.ceil(minimum_statements(row_counts, limits) / per_request))
