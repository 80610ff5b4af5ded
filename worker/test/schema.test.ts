// The Worker's side of the protocol schema file (pos_app/core/protocol_schema.json): the tables,
// kinds, limits and overhead it reads are the file's, the D1 tables can take every row the file
// describes, and each value is checked by its kind's rule. The register's side is
// tests/unit/core/test_protocol.py.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import protocol from "../../pos_app/core/protocol_schema.json";
import {
  checkValue, columnsOf, ENTRY_COLUMN, insertSql, MAX_PARAMS, MAX_STATEMENT_BYTES,
  statementOverhead, TABLE_ORDER, TABLES, valueBytes,
} from "../src/schema";
import { utf8Length } from "../src/http";

interface Info { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }

const kinds: Record<string, { type: string; pattern?: string; max_length?: number; min?: number; max?: number }> =
  protocol.kinds;

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return String((error as Error).message);
  }
  return "accepted";
}

describe("protocol schema", () => {
  it("has the file's tables, columns and entry columns, in order", () => {
    expect(TABLE_ORDER).toEqual(protocol.tables.map((t) => t.name));
    for (const spec of protocol.tables) {
      expect(TABLES[spec.name]).toEqual(spec.columns.map((c) => ({
        name: c.name, kind: c.kind, nullable: "nullable" in c && c.nullable === true,
        oneOf: "one_of" in c ? c.one_of : undefined,
      })));
      expect(TABLES[spec.name]![ENTRY_COLUMN[spec.name]!]!.name).toBe(spec.entry_column);
    }
    expect(columnsOf("layaways")).toBeUndefined();
    expect(columnsOf("constructor")).toBeUndefined();
  });

  it("has the file's limits and statement overhead", () => {
    expect([MAX_PARAMS, MAX_STATEMENT_BYTES]).toEqual([protocol.limits.max_params, protocol.limits.max_statement_bytes]);
    const o = protocol.statement_overhead;
    expect(statementOverhead(new Set(), 0)).toBe(o.base.statements);
    expect(statementOverhead(new Set(["sales", "sale_lines", "journal"]), 0))
      .toBe(o.base.statements + o.when_push_has.sales.statements);
    expect(statementOverhead(new Set(["voids", "journal"]), 3))
      .toBe(o.base.statements + o.when_push_has.voids.statements + 3 * o.per_journal_break.statements);
  });

  it("counts a statement's bytes with the file's bytes per non-string value", () => {
    const sql = insertSql("sale_lines", 1);
    const values = ["s-1", 1, null];
    expect(utf8Length(sql) + values.reduce((n: number, value) => n + valueBytes(value), 0))
      .toBe(sql.length + 3 + 2 * protocol.limits.other_value_bytes);
    expect(sql).toBe(`INSERT OR IGNORE INTO sale_lines (${protocol.tables[1]!.columns.map((c) => c.name).join(", ")}) `
      + `VALUES (${protocol.tables[1]!.columns.map(() => "?").join(", ")})`);
  });

  it("checks integers against their kind's bounds", () => {
    for (const [name, kind] of Object.entries(kinds)) {
      if (kind.type !== "integer") continue;
      const column = { name: "n", kind: name };
      expect(checkValue(column, kind.min ?? 0, "f")).toBe(kind.min ?? 0);
      expect(checkValue(column, kind.max!, "f")).toBe(kind.max);
      expect(errorOf(() => checkValue(column, kind.max! + 1, "f"))).toMatch(/non-negative whole number/);
      expect(errorOf(() => checkValue(column, (kind.min ?? 0) - 1, "f"))).toMatch(/non-negative whole number/);
      expect(errorOf(() => checkValue(column, 1.5, "f"))).toMatch(/whole number/);
      expect(errorOf(() => checkValue(column, "1", "f"))).toMatch(/whole number/);
      expect(errorOf(() => checkValue(column, null, "f"))).toMatch(/must not be null/);
    }
  });

  it("checks strings against their kind's pattern and length", () => {
    const good: Record<string, string> = {
      id: "0190f5a2-0000-7000-8000-000000000001", time: "2026-11-23T14:05:09.123Z", hash: "a".repeat(64),
    };
    const bad: Record<string, string> = { id: "sale 1", time: "2026-13-01T10:00:00.000Z", hash: "A".repeat(64) };
    for (const [name, kind] of Object.entries(kinds)) {
      if (kind.type !== "string") continue;
      const column = { name: "s", kind: name };
      if (kind.pattern !== undefined) {
        expect(checkValue(column, good[name], "f")).toBe(good[name]);
        expect(errorOf(() => checkValue(column, bad[name], "f"))).toBe(`s is not a valid ${name}`);
        expect(errorOf(() => checkValue(column, `${good[name]}\n`, "f"))).toBe(`s is not a valid ${name}`);
      }
      if (kind.max_length !== undefined) {
        expect(checkValue(column, "é".repeat(kind.max_length), "f")).toHaveLength(kind.max_length);
        expect(errorOf(() => checkValue(column, "x".repeat(kind.max_length! + 1), "f"))).toBe(`s is not a valid ${name}`);
      }
      expect(errorOf(() => checkValue(column, 12, "f"))).toBe("s must be a string");
    }
  });

  it("takes null only where the file allows it, and only the listed values", () => {
    for (const table of TABLE_ORDER) {
      for (const column of TABLES[table]!) {
        expect(errorOf(() => checkValue(column, null, "f"))).toBe(column.nullable ? "accepted" : `${column.name} must not be null`);
        if (column.oneOf) {
          expect(checkValue(column, column.oneOf[0], "f")).toBe(column.oneOf[0]);
          expect(errorOf(() => checkValue(column, "layaway", "f"))).toMatch(/must be one of/);
        }
      }
    }
  });

  it("matches the D1 tables: every column there, of its type and nullability, nothing else required", async () => {
    for (const spec of protocol.tables) {
      const { results } = await env.DB.prepare(`PRAGMA table_info(${spec.name})`).all<Info>();
      const d1 = new Map(results.map((row) => [row.name, row]));
      for (const column of TABLES[spec.name]!) {
        const info = d1.get(column.name);
        expect(info, `${spec.name}.${column.name}`).toBeDefined();
        expect(info!.type, `${spec.name}.${column.name}`).toBe(kinds[column.kind]!.type === "integer" ? "INTEGER" : "TEXT");
        expect(info!.notnull === 1 || info!.pk > 0, `${spec.name}.${column.name}`).toBe(!column.nullable);
      }
      const names = new Set(TABLES[spec.name]!.map((c) => c.name));
      const required = results.filter((row) => !names.has(row.name) && row.notnull === 1 && row.dflt_value === null);
      expect(required.map((row) => row.name), spec.name).toEqual([]);
    }
  });
});
