"""The protocol schema file: the register reads it whole and right, and refuses a malformed one.

The Worker's side is worker/test/schema.test.ts; the doc's side tests/unit/devtools.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pos_app.core.protocol import SCHEMA, SCHEMA_FILE, ProtocolSchemaError, parse
from pos_app.core.wire import COLUMNS, TABLE_ORDER

ROOT = Path(__file__).resolve().parents[3]
FILE = ROOT / "pos_app" / "core" / SCHEMA_FILE
RAW: dict[str, Any] = json.loads(FILE.read_text(encoding="utf-8"))


def _parse(data: dict[str, Any]) -> Any:
    return parse(json.dumps(data))


def _changed(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    change(data)
    return data


# --- the register's side matches the file ---------------------------------------------------------


def test_wire_layouts_are_the_files_tables_in_order() -> None:
    assert tuple(t["name"] for t in RAW["tables"]) == TABLE_ORDER
    assert {t["name"]: tuple(c["name"] for c in t["columns"]) for t in RAW["tables"]} == COLUMNS


def test_every_column_keeps_its_kind_nullability_and_values() -> None:
    for spec in RAW["tables"]:
        table = SCHEMA.table(spec["name"])
        assert [(c.name, c.kind, c.nullable, c.one_of) for c in table.columns] == [
            (c["name"], c["kind"], c.get("nullable", False),
             tuple(c["one_of"]) if "one_of" in c else None) for c in spec["columns"]]
        assert table.entry_column == spec["entry_column"]


def test_kinds_and_limits_are_the_files() -> None:
    assert set(SCHEMA.kinds) == set(RAW["kinds"])
    for name, kind in SCHEMA.kinds.items():
        spec = RAW["kinds"][name]
        assert (kind.type, kind.pattern, kind.max_length, kind.min, kind.max, kind.calendar) == (
            spec["type"], spec.get("pattern"), spec.get("max_length"), spec.get("min"),
            spec.get("max"), spec.get("calendar", False))
    assert SCHEMA.limits.max_params == RAW["limits"]["max_params"]
    assert SCHEMA.limits.max_statement_bytes == RAW["limits"]["max_statement_bytes"]
    assert SCHEMA.limits.other_value_bytes == RAW["limits"]["other_value_bytes"]


def test_parents_run_before_the_rows_that_refer_to_them() -> None:
    assert TABLE_ORDER.index("sales") < TABLE_ORDER.index("sale_lines")
    assert TABLE_ORDER.index("sales") < TABLE_ORDER.index("tenders")


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_at_least_one_row_fits_a_statement(table: str) -> None:
    assert SCHEMA.limits.max_params // len(COLUMNS[table]) >= 1


def test_the_wheel_and_the_desktop_build_ship_the_file() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["pos_app"]
    assert any(fnmatch.fnmatch(f"core/{SCHEMA_FILE}", p) for p in patterns)
    spec = (ROOT / "packaging" / "pos_app.spec").read_text(encoding="utf-8")
    assert f'"core" / "{SCHEMA_FILE}"), "pos_app/core")' in spec


# --- the statement overhead is data ---------------------------------------------------------


def test_overhead_adds_the_terms_of_the_tables_present() -> None:
    overhead = SCHEMA.overhead
    base = overhead.base.statements
    sales = overhead.when_push_has["sales"].statements
    voids = overhead.when_push_has["voids"].statements
    item_events = overhead.when_push_has["item_events"].statements
    refunds = overhead.when_push_has["refunds"].statements
    new_items = overhead.when_push_has["new_items"].statements
    per_break = overhead.per_journal_break.statements
    assert overhead.statements(set()) == base
    assert overhead.statements({"sales", "sale_lines", "journal"}) == base + sales
    assert overhead.statements({"voids", "journal"}, 3) == base + voids + 3 * per_break
    assert overhead.statements({"refunds", "journal"}) == base + refunds
    assert overhead.statements({"new_items", "journal"}) == base + new_items
    assert overhead.client_reserve(TABLE_ORDER) == (
        base + sales + voids + item_events + refunds + new_items
        + overhead.client_reserved_journal_breaks * per_break)


def test_a_new_overhead_term_in_the_file_is_counted() -> None:
    def more(data: dict[str, Any]) -> None:
        data["statement_overhead"]["base"]["statements"] = 7
        data["statement_overhead"]["when_push_has"]["journal"] = {"statements": 2, "why": "x"}
        data["statement_overhead"]["per_journal_break"]["statements"] = 3

    overhead = _parse(_changed(more)).overhead
    sales = overhead.when_push_has["sales"].statements
    assert overhead.statements({"sales", "journal"}, 2) == 7 + sales + 2 + 2 * 3


# --- a malformed file is refused, naming the place ------------------------------------------


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return change


_DELETE = object()

BAD = [
    (_set("limits", _DELETE), r"schema\.limits is missing"),
    (_set("limits/max_params", -1), r"limits\.max_params must be a non-negative whole number"),
    (_set("limits/max_params", 5), r"sales has more columns than max_params"),
    (_set("kinds/id/type", "float"), r"kinds\.id\.type must be \"string\" or \"integer\""),
    (_set("kinds/id/pattern", "[a-"), r"kinds\.id\.pattern is not a regular expression"),
    (_set("kinds/cents/max", "lots"), r"kinds\.cents\.max must be a non-negative whole number"),
    (_set("tables/0/columns/3/kind", "float"), r"tables\[0\]\.columns\[3\]\.kind 'float'"),
    (_set("tables/0/columns/3/name", "id"), r"tables\[0\] \(sales\) names a column twice"),
    (_set("tables/1/columns/0/name", "Sale Id"), r"'Sale Id' is not a lower_case SQL name"),
    (_set("tables/2/entry_column", "sale"), r"tables\[2\]\.entry_column 'sale' is not a column"),
    (_set("tables/1/name", "sales"), r"tables names a table twice"),
    (_set("tables/1/columns", []), r"tables\[1\]\.columns must be a non-empty list"),
    (_set("tables/2/columns/2/one_of", [1, 2]), r"tables\[2\]\.columns\[2\]\.one_of must list"),
    (_set("statement_overhead/when_push_has/layaways", {"statements": 1, "why": "x"}),
     r"when_push_has names an unknown table 'layaways'"),
    (_set("statement_overhead/base/statements", True),
     r"statement_overhead\.base\.statements must be a non-negative whole number"),
    (_set("statement_overhead/per_journal_break", _DELETE),
     r"statement_overhead\.per_journal_break is missing"),
]


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m for _, m in BAD])
def test_a_malformed_schema_is_refused_with_the_place(
        change: Callable[[dict[str, Any]], None], message: str) -> None:
    data = _changed(change)
    with pytest.raises(ProtocolSchemaError, match=message):
        _parse(data)
    assert _parse(RAW) == SCHEMA          # the file itself untouched and still good


def test_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(ProtocolSchemaError, match="not JSON"):
        parse(FILE.read_text(encoding="utf-8")[:-10])


def test_kind_patterns_are_anchored_so_both_languages_match_whole_values() -> None:
    # Python's re.match and JavaScript's RegExp.test must agree: both need ^...$.
    for kind in SCHEMA.kinds.values():
        if kind.pattern is not None:
            assert kind.pattern.startswith("^") and kind.pattern.endswith("$"), kind.name
