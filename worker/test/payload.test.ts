// The journal payload the Worker recomputes for each entry (entries.ts payloadOf) is written
// straight from the row's values; it must be exactly canonical() of the row's object, the form
// the register hashes (pos_app/core/sale.py canonical_json), for every table and awkward value.
import { expect, it } from "vitest";
import { canonical, canonicalRow, Entry, Located, payloadOf } from "../src/entries";
import { TABLES, Value } from "../src/schema";

const AWKWARD: Value[] = ["", "plain", "quote \" and \\ backslash", "tab\tnew\nline", "café ünïcödé",
  "emoji 😀", "lone \ud800 surrogate", "\u2028 separator", 0, -5, 1234567890123, null];

function objectOf(table: string, values: readonly Value[]): Record<string, unknown> {
  return Object.fromEntries((TABLES[table] ?? []).map((column, k) => [column.name, values[k] ?? null]));
}

function rowOf(table: string, seed: number): Value[] {
  return (TABLES[table] ?? []).map((_column, k) => AWKWARD[(seed * 7 + k) % AWKWARD.length] ?? null);
}

const located = (table: string, values: Value[]): Located => ({ table, values, where: `${table}[0]` });

it("writes every table's row exactly as canonical() of its object", () => {
  for (const table of Object.keys(TABLES)) {
    for (let seed = 0; seed < AWKWARD.length; seed++) {
      const values = rowOf(table, seed);
      expect(canonicalRow(table, values, {})).toBe(canonical(objectOf(table, values)));
    }
  }
});

it("writes a sale's payload as canonical() of the sale with its lines, tenders and overrides", () => {
  for (const withOverrides of [false, true]) {
    for (let seed = 0; seed < AWKWARD.length; seed++) {
      const sale = rowOf("sales", seed);
      // Sent out of line order: the payload lists them by line_no.
      const lines = [3, 1, 2].map((n) => { const v = rowOf("sale_lines", seed + n); v[1] = n; return v; });
      const tenders = [2, 1].map((n) => { const v = rowOf("tenders", seed + n); v[1] = n; return v; });
      const overrides = withOverrides ? [2, 1].map((n) => { const v = rowOf("price_overrides", seed + n); v[1] = n; return v; }) : [];
      const entry: Entry = { kind: "sale", row: located("sales", sale), lines: lines.map((v) => located("sale_lines", v)),
        tenders: tenders.map((v) => located("tenders", v)), overrides: overrides.map((v) => located("price_overrides", v)),
        journal: located("journal", []) };

      const expected: Record<string, unknown> = objectOf("sales", sale);
      delete expected.item_count;
      const byLineNo = (a: Value[], b: Value[]) => (a[1] as number) - (b[1] as number);
      expected.lines = [...lines].sort(byLineNo).map((v) => [v[1], v[2], v[3], v[5], v[6]]);
      expected.tenders = [...tenders].sort(byLineNo).map((v) => [v[2], v[3], v[4], v[5]]);
      if (withOverrides) expected.price_overrides = [...overrides].sort(byLineNo).map((v) => [v[1], v[2], v[4], v[5]]);
      expect(payloadOf(entry)).toBe(canonical(expected));
    }
  }
});

it("writes a non-sale entry's payload as canonical() of its row", () => {
  const values = rowOf("voids", 3);
  const entry: Entry = { kind: "void", row: located("voids", values), lines: [], tenders: [], overrides: [],
    journal: located("journal", []) };
  expect(payloadOf(entry)).toBe(canonical(objectOf("voids", values)));
});
