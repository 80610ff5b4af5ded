"""The push protocol's schema, read from ``protocol_schema.json``, the one place it is written.

The file holds the tables a push carries and their columns in order, each column's kind (its
JSON type and rule), which columns may be null or take only listed values, the statement limits
and the Worker's statement overhead. The Worker reads the same file (``worker/src/schema.ts``)
and ``docs/sync-protocol.md``'s tables are generated from it
(``python -m pos_app.devtools.protocol_doc``). It is read once, at import; the hot paths use the
plain tuples derived from it (:data:`pos_app.core.wire.COLUMNS`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Final, Literal, cast

SCHEMA_FILE: Final = "protocol_schema.json"


class ProtocolSchemaError(ValueError):
    """The schema file is malformed: the message names the offending place."""


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    type: Literal["string", "integer"]
    pattern: str | None = None
    max_length: int | None = None
    min: int | None = None
    max: int | None = None
    calendar: bool = False


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str
    nullable: bool = False
    one_of: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    entry_column: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


@dataclass(frozen=True, slots=True)
class Term:
    statements: int
    why: str


@dataclass(frozen=True, slots=True)
class Overhead:
    """Statements the Worker adds to a push besides its chunks' INSERTs."""

    base: Term
    when_push_has: Mapping[str, Term]
    per_journal_break: Term
    client_reserved_journal_breaks: int

    def statements(self, tables: Collection[str], journal_breaks: int = 0) -> int:
        """The overhead of a push whose chunks hold ``tables``, with ``journal_breaks`` breaks."""
        extra = sum(term.statements for table, term in self.when_push_has.items()
                    if table in tables)
        return self.base.statements + extra + journal_breaks * self.per_journal_break.statements

    def client_reserve(self, all_tables: Collection[str]) -> int:
        """What the client keeps free in every request: it cannot know the journal breaks."""
        return self.statements(all_tables, self.client_reserved_journal_breaks)


@dataclass(frozen=True, slots=True)
class Limits:
    max_params: int
    max_statement_bytes: int
    other_value_bytes: int


@dataclass(frozen=True, slots=True)
class Schema:
    limits: Limits
    kinds: Mapping[str, Kind]
    tables: tuple[Table, ...]
    overhead: Overhead

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


def _get(obj: object, key: str, where: str) -> object:
    if not isinstance(obj, dict):
        raise ProtocolSchemaError(f"{where} must be an object")
    if key not in obj:
        raise ProtocolSchemaError(f"{where}.{key} is missing")
    return cast(object, obj[key])


def _int(obj: object, key: str, where: str) -> int:
    value = _get(obj, key, where)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProtocolSchemaError(f"{where}.{key} must be a non-negative whole number")
    return value


def _str(obj: object, key: str, where: str) -> str:
    value = _get(obj, key, where)
    if not isinstance(value, str) or not value:
        raise ProtocolSchemaError(f"{where}.{key} must be a non-empty string")
    return value


def _opt_int(obj: dict[str, object], key: str, where: str) -> int | None:
    return _int(obj, key, where) if key in obj else None


def _items(obj: object, key: str, where: str) -> list[tuple[str, object]]:
    value = _get(obj, key, where)
    if not isinstance(value, dict):
        raise ProtocolSchemaError(f"{where}.{key} must be an object")
    return [(str(k), cast(object, v)) for k, v in value.items()]


def _list(obj: object, key: str, where: str) -> list[object]:
    value = _get(obj, key, where)
    if not isinstance(value, list) or not value:
        raise ProtocolSchemaError(f"{where}.{key} must be a non-empty list")
    return cast(list[object], value)


def _kind(name: str, spec: object, where: str) -> Kind:
    kind_type = _get(spec, "type", where)
    if kind_type not in ("string", "integer"):
        raise ProtocolSchemaError(f"{where}.type must be \"string\" or \"integer\"")
    fields = cast(dict[str, object], spec)
    pattern = _str(spec, "pattern", where) if "pattern" in fields else None
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ProtocolSchemaError(f"{where}.pattern is not a regular expression: {error}") \
                from error
    return Kind(name, kind_type, pattern,
                _opt_int(fields, "max_length", where), _opt_int(fields, "min", where),
                _opt_int(fields, "max", where), fields.get("calendar") is True)


def _column(spec: object, kinds: Mapping[str, Kind], where: str) -> Column:
    name, kind = _str(spec, "name", where), _str(spec, "kind", where)
    if not re.fullmatch(r"[a-z_]+", name):
        raise ProtocolSchemaError(f"{where}.name {name!r} is not a lower_case SQL name")
    if kind not in kinds:
        raise ProtocolSchemaError(f"{where}.kind {kind!r} is not one of the kinds")
    fields = cast(dict[str, object], spec)
    one_of: tuple[str, ...] | None = None
    if "one_of" in fields:
        values = _list(spec, "one_of", where)
        if not all(isinstance(v, str) for v in values):
            raise ProtocolSchemaError(f"{where}.one_of must list strings")
        one_of = tuple(cast(list[str], values))
    return Column(name, kind, fields.get("nullable") is True, one_of)


def _table(spec: object, kinds: Mapping[str, Kind], where: str) -> Table:
    name = _str(spec, "name", where)
    columns = tuple(_column(c, kinds, f"{where}.columns[{i}]")
                    for i, c in enumerate(_list(spec, "columns", where)))
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise ProtocolSchemaError(f"{where} ({name}) names a column twice")
    entry = _str(spec, "entry_column", where)
    if entry not in names:
        raise ProtocolSchemaError(f"{where}.entry_column {entry!r} is not a column of {name}")
    return Table(name, columns, entry)


def _term(spec: object, where: str) -> Term:
    return Term(_int(spec, "statements", where), _str(spec, "why", where))


def _overhead(spec: object, tables: Collection[str], where: str) -> Overhead:
    when = {table: _term(term, f"{where}.when_push_has.{table}")
            for table, term in _items(spec, "when_push_has", where)}
    for table in when:
        if table not in tables:
            raise ProtocolSchemaError(f"{where}.when_push_has names an unknown table {table!r}")
    return Overhead(_term(_get(spec, "base", where), f"{where}.base"), when,
                    _term(_get(spec, "per_journal_break", where), f"{where}.per_journal_break"),
                    _int(spec, "client_reserved_journal_breaks", where))


def parse(text: str) -> Schema:
    """The schema in ``text`` (the file's JSON); ProtocolSchemaError names what is wrong."""
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProtocolSchemaError(f"not JSON: {error}") from error
    limits_spec = _get(data, "limits", "schema")
    limits = Limits(*(_int(limits_spec, key, "limits")
                      for key in ("max_params", "max_statement_bytes", "other_value_bytes")))
    kinds = {name: _kind(name, spec, f"kinds.{name}")
             for name, spec in _items(data, "kinds", "schema")}
    tables = tuple(_table(spec, kinds, f"tables[{i}]")
                   for i, spec in enumerate(_list(data, "tables", "schema")))
    names = [t.name for t in tables]
    if len(set(names)) != len(names):
        raise ProtocolSchemaError("tables names a table twice")
    for table in tables:
        if len(table.columns) > limits.max_params:
            raise ProtocolSchemaError(f"{table.name} has more columns than max_params")
    overhead = _overhead(_get(data, "statement_overhead", "schema"), names, "statement_overhead")
    return Schema(limits, kinds, tables, overhead)


def load() -> Schema:
    """The schema shipped with the package."""
    return parse(resources.files("pos_app.core").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


SCHEMA: Final = load()
