"""Regenerate the parts of docs/sync-protocol.md that come from the protocol schema file.

    python -m pos_app.devtools.protocol_doc           # rewrite the doc's generated sections
    python -m pos_app.devtools.protocol_doc --check   # exit 1 if the doc is out of date

Each generated section sits between ``<!-- schema:NAME -->`` and ``<!-- /schema:NAME -->``
lines; everything outside them is written by hand. ``pos_app/core/protocol_schema.json`` is the
source (tables, columns, kinds, limits, statement overhead): change it, then run this.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from pos_app.core.protocol import SCHEMA, Kind, Schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "sync-protocol.md"


def _code(text: str) -> str:
    return f"`{text}`"


def _kind_rule(kind: Kind) -> str:
    if kind.type == "integer":
        return f"whole number from {kind.min or 0:,} to {kind.max:,}" if kind.max is not None \
            else f"whole number from {kind.min or 0:,}"
    rules = []
    if kind.pattern is not None:
        rules.append(f"matching {_code(kind.pattern)}")
    if kind.calendar:
        rules.append("that parses as a date")
    if kind.max_length is not None:
        rules.append(f"of at most {kind.max_length:,} characters")
    return " ".join(["string", *rules])


def _columns_by_kind(schema: Schema) -> dict[str, list[str]]:
    """Column names per kind, each once; qualified by table where a name has several kinds."""
    kinds_of: dict[str, set[str]] = {}
    for table in schema.tables:
        for column in table.columns:
            kinds_of.setdefault(column.name, set()).add(column.kind)
    by_kind: dict[str, list[str]] = {name: [] for name in schema.kinds}
    for table in schema.tables:
        for column in table.columns:
            label = column.name if len(kinds_of[column.name]) == 1 \
                else f"{table.name}.{column.name}"
            if label not in by_kind[column.kind]:
                by_kind[column.kind].append(label)
    return by_kind


def _cell(text: str) -> str:
    """A table cell: GitHub tables split on every ``|``, even inside backticks."""
    return text.replace("|", "\\|")


def tables_section(schema: Schema) -> str:
    max_params = schema.limits.max_params
    lines = [f"| table | columns | rows per chunk ({max_params} params) |", "|---|---|---|"]
    lines += [f"| {t.name} | {', '.join(t.column_names)} | {max_params // len(t.columns)} |"
              for t in schema.tables]
    lines += ["", "Kinds (a value's JSON type and rule; the Worker checks every value):", "",
              "| kind | value | columns |", "|---|---|---|"]
    by_kind = _columns_by_kind(schema)
    lines += [f"| {name} | {_cell(_kind_rule(kind))} | {', '.join(by_kind[name])} |"
              for name, kind in schema.kinds.items()]
    nullable = [f"{t.name}.{c.name}" for t in schema.tables for c in t.columns if c.nullable]
    listed = [f"{_code(f'{t.name}.{c.name}')} in ({', '.join(_code(v) for v in c.one_of)})"
              for t in schema.tables for c in t.columns if c.one_of is not None]
    entry = [f"{t.name}.{t.entry_column}" for t in schema.tables]
    lines += ["", f"May be null (no other column may): {', '.join(map(_code, nullable))}.",
              f"Only the listed values: {'; '.join(listed)}.",
              "The outbox entry a row belongs to (the `sale_id` of an error reply): "
              f"{', '.join(map(_code, entry))}."]
    return "\n".join(lines) + "\n"


def limits_section(schema: Schema) -> str:
    limits = schema.limits
    return (
        f"- at most {limits.max_params} bound parameters per statement "
        f"(`len(rows) * columns <= {limits.max_params}`);\n"
        f"- at most `STATEMENT_BYTES` = {limits.max_statement_bytes:,} bytes per statement, "
        "counted as the SQL text plus the UTF-8\n"
        f"  length of every bound string value plus {limits.other_value_bytes} bytes per other "
        "value (numbers and nulls);\n"
    )


def overhead_section(schema: Schema) -> str:
    overhead = schema.overhead
    terms = [(str(overhead.base.statements), overhead.base.why)]
    terms += [(f"({term.statements} if the push has {table})", term.why)
              for table, term in overhead.when_push_has.items()]
    per_break = overhead.per_journal_break
    terms.append((f"{per_break.statements} per journal break", per_break.why))
    reserve = overhead.client_reserve([t.name for t in schema.tables])
    return "".join([
        f"  `overhead = {' + '.join(term for term, _ in terms)}`:\n",
        *(f"  - {term.strip('()')}: {why};\n" for term, why in terms),
        f"  - the client reserves the overhead of a push with every table and "
        f"{overhead.client_reserved_journal_breaks} journal breaks,\n"
        f"    {reserve} statements (it cannot know the journal breaks).\n",
    ])


SECTIONS: dict[str, Callable[[Schema], str]] = {
    "tables": tables_section,
    "limits": limits_section,
    "overhead": overhead_section,
}


def render(doc: str, schema: Schema = SCHEMA) -> str:
    """``doc`` with every generated section rewritten; ValueError if a section's markers lack."""
    for name, section in SECTIONS.items():
        pattern = re.compile(
            rf"^([ ]*<!-- schema:{name} -->\n)(.*?)^([ ]*<!-- /schema:{name} -->)$",
            re.MULTILINE | re.DOTALL)
        if len(pattern.findall(doc)) != 1:
            raise ValueError(f"the doc needs one '<!-- schema:{name} -->' ... "
                             f"'<!-- /schema:{name} -->' section")
        match = pattern.search(doc)
        assert match is not None
        doc = doc[:match.start(2)] + section(schema) + doc[match.end(2):]
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pos_app.devtools.protocol_doc")
    parser.add_argument("--check", action="store_true", help="exit 1 if the doc is out of date")
    parser.add_argument("--doc", type=Path, default=DOC)
    args = parser.parse_args(argv)
    current = args.doc.read_text(encoding="utf-8")
    wanted = render(current)
    if args.check:
        if wanted != current:
            print(f"{args.doc} is out of date: run python -m pos_app.devtools.protocol_doc",
                  file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        args.doc.write_text(wanted, encoding="utf-8")
        print(f"rewrote {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
