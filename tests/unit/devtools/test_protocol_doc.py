"""docs/sync-protocol.md's generated sections are the protocol schema file's, and stay so."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pos_app.core.protocol import SCHEMA, parse
from pos_app.devtools.protocol_doc import DOC, main, render

RAW = json.loads((Path(__file__).resolve().parents[3] / "pos_app" / "core"
                  / "protocol_schema.json").read_text(encoding="utf-8"))


def test_the_protocol_doc_is_up_to_date() -> None:
    # Fails after a change to pos_app/core/protocol_schema.json until the doc is regenerated:
    #     python -m pos_app.devtools.protocol_doc
    doc = DOC.read_text(encoding="utf-8")
    assert render(doc) == doc


def test_the_doc_shows_every_table_column_and_overhead_term() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for table in SCHEMA.tables:
        rows = SCHEMA.limits.max_params // len(table.columns)
        assert f"| {table.name} | {', '.join(table.column_names)} | {rows} |" in doc
    overhead = SCHEMA.overhead
    assert f"`overhead = {overhead.base.statements} + " in doc
    reserve = overhead.client_reserve([t.name for t in SCHEMA.tables])
    assert f"{reserve} statements (it cannot know the journal breaks)" in doc


def test_a_schema_change_reaches_the_doc_and_nothing_outside_the_sections() -> None:
    data = copy.deepcopy(RAW)
    data["tables"][0]["columns"].append({"name": "note", "kind": "text", "nullable": True})
    data["statement_overhead"]["when_push_has"]["shifts"] = {"statements": 2, "why": "audit"}
    doc = DOC.read_text(encoding="utf-8")
    changed = render(doc, parse(json.dumps(data)))
    columns = ", ".join([*SCHEMA.table("sales").column_names, "note"])
    assert f"| sales | {columns} | {100 // 14} |" in changed
    assert "`sales.note`" in changed
    assert "(2 if the push has shifts)" in changed
    assert "- 2 if the push has shifts: audit;" in changed
    # Hand-written text around the sections is left alone.
    outside = doc.split("<!-- schema:tables -->")[0]
    assert changed.startswith(outside)
    end = "<!-- /schema:overhead -->"
    assert changed.split(end)[1] == doc.split(end)[1]


def test_a_doc_without_the_markers_is_refused() -> None:
    doc = DOC.read_text(encoding="utf-8").replace("<!-- /schema:limits -->", "")
    with pytest.raises(ValueError, match="schema:limits"):
        render(doc)


def test_check_fails_on_a_stale_doc_and_the_rewrite_fixes_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "sync-protocol.md"
    stale = DOC.read_text(encoding="utf-8").replace("| sales |", "| sales_old |", 1)
    doc.write_text(stale, encoding="utf-8")
    assert main(["--check", "--doc", str(doc)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert doc.read_text(encoding="utf-8") == stale        # --check writes nothing
    assert main(["--doc", str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == render(stale)
    assert main(["--check", "--doc", str(doc)]) == 0
