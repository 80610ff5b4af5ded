// The push's row INSERTs from one JSON string per table (src/inserts.ts): a row is stored exactly
// as the multi-row VALUES insert of its chunk stored it (types, text, order), a table's rows are
// split by the string limit and never merged across tables, and OR IGNORE still ignores.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { jsonInsertSql, MAX_JSON_BYTES, rowInserts } from "../src/inserts";
import { insertSql, Value } from "../src/schema";
import { Chunk } from "../src/validation";

const HASH = "ab".repeat(32);
// Built at run time: a lone surrogate written in the source would not survive the test bundler.
// D1 stores a bound one as its raw (CESU-8) bytes, and SQLite decodes JSON's \udXXX escape to
// the same bytes: the hex comparison below holds them to it.
const [HIGH, LOW] = [String.fromCharCode(0xd800), String.fromCharCode(0xdc00)];
const PAYLOADS = [
  "plain", "é € 😀 漢字", `lone ${HIGH} high`, `lone ${LOW} low`, "quote \" backslash \\ud800 slash /",
  "tab\tnewline\ncr\r", "{\"json\": [1, 2.5, null]}", "", "x".repeat(5000),
];

function journal(register: string): Value[][] {
  return PAYLOADS.map((payload, k) => [register, k === 0 ? Number.MAX_SAFE_INTEGER : k + 1, "sale",
    `ref-${k}`, HASH, HASH, payload]);
}

async function stored(register: string) {
  return (await env.DB.prepare(
    `SELECT seq, typeof(seq) AS seq_type, kind, ref_id, prev_hash, entry_hash,
            typeof(payload) AS payload_type, hex(payload) AS bytes
     FROM journal WHERE register_id = ? ORDER BY rowid`).bind(register).all()).results;
}

describe("row inserts from JSON", () => {
  it("stores every value as the chunk's multi-row VALUES insert does", async () => {
    const bound = journal("by-values");
    await env.DB.prepare(insertSql("journal", bound.length)).bind(...bound.flat()).run();
    const [insert, ...more] = rowInserts([{ table: "journal", rows: journal("by-json"), at: 0 }]);
    expect(more).toEqual([]);
    expect(insert?.sql).toBe(jsonInsertSql("journal"));
    await env.DB.prepare(insert!.sql).bind(insert!.json).run();
    const byJson = await stored("by-json");
    expect(byJson).toHaveLength(PAYLOADS.length);
    expect(byJson).toEqual(await stored("by-values"));
    expect(byJson[0]).toMatchObject({ seq: Number.MAX_SAFE_INTEGER, seq_type: "integer", payload_type: "text" });
  });

  it("reads JSON null, integers and text with the types bound values have", async () => {
    expect(jsonInsertSql("tenders")).toContain("SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2,");
    const row = await env.DB.prepare(`SELECT typeof(j.value ->> 2) AS k, typeof(j.value ->> 3) AS a,
        typeof(j.value ->> 4) AS g FROM json_each(?1) AS j`)
      .bind(JSON.stringify([["s", 1, "card", 500, null, null, null]])).first();
    expect(row).toEqual({ k: "text", a: "integer", g: "null" });
  });

  it("ignores a row already stored, as OR IGNORE did", async () => {
    const rows = journal("replayed");
    const [insert] = rowInserts([{ table: "journal", rows, at: 0 }]);
    await env.DB.prepare(insert!.sql).bind(insert!.json).run();
    const changed = rows.map((r) => [...r.slice(0, 6), "other payload"]);
    const [again] = rowInserts([{ table: "journal", rows: changed, at: 0 }]);
    const result = await env.DB.prepare(again!.sql).bind(again!.json).run();
    expect(result.meta.changes).toBe(0);
    const [first] = rowInserts([{ table: "journal", rows: journal("first"), at: 0 }]);
    await env.DB.prepare(first!.sql).bind(first!.json).run();
    expect(await stored("replayed")).toEqual(await stored("first"));
  });

  it("splits a table's rows by the string limit, in order, and never joins two tables", () => {
    const rows = (table: string, n: number, from = 0): Value[][] =>
      Array.from({ length: n }, (_, k) => [`${table}-${from + k}`, k, "x".repeat(40)]);
    const chunks: Chunk[] = [
      { table: "sales", rows: rows("sales", 3), at: 0 }, { table: "sales", rows: rows("sales", 4, 3), at: 1 },
      { table: "sale_lines", rows: rows("sale_lines", 2), at: 2 },
    ];
    const one = JSON.stringify(chunks[0]!.rows[0]).length;
    const inserts = rowInserts(chunks, 2 + 3 * one + 2); // three rows and their commas fit, not four
    expect(inserts.map((i) => [i.table, i.rows])).toEqual([["sales", 3], ["sales", 3], ["sales", 1], ["sale_lines", 2]]);
    for (const insert of inserts) expect(insert.json.length).toBeLessThanOrEqual(2 + 3 * one + 2);
    const back = inserts.flatMap((i) => JSON.parse(i.json) as Value[][]);
    expect(back).toEqual(chunks.flatMap((c) => c.rows));
    expect(rowInserts(chunks)).toHaveLength(2);
    expect(() => rowInserts(chunks, one)).toThrow(/over/);
    expect(MAX_JSON_BYTES).toBe(1_000_000);
  });

  it("writes whole chunks as their rows' JSON joined, splitting exactly where row by row would", () => {
    // The one-row-at-a-time form the Worker used before chunks were stringified whole.
    const byRow = (chunks: readonly Chunk[], maxBytes: number) => {
      const out: [string, string[]][] = [];
      let size = 2;
      for (const chunk of chunks) {
        for (const row of chunk.rows) {
          const text = JSON.stringify(row);
          const bytes = new TextEncoder().encode(text).length;
          const last = out[out.length - 1];
          if (last && last[0] === chunk.table && size + 1 + bytes <= maxBytes) {
            last[1].push(text);
            size += 1 + bytes;
          } else {
            out.push([chunk.table, [text]]);
            size = 2 + bytes;
          }
        }
      }
      return out.map(([table, parts]) => ({ table, json: `[${parts.join(",")}]`, rows: parts.length }));
    };
    // The journal rows but the 5,000-character one: small rows, so the limits below are few.
    const chunks: Chunk[] = [0, 1, 2, 3].map((at) => ({ table: "journal", rows: journal(`r${at}`).slice(at, -1), at }));
    chunks.push({ table: "sales", rows: [["s-1", 1, "é"], ["s-2", 2, "😀"]], at: 4 });
    const largest = Math.max(...chunks.flatMap((c) => c.rows.map((r) => new TextEncoder().encode(JSON.stringify(r)).length)));
    const total = rowInserts(chunks)[0]!.json.length;
    // Every limit from the largest row up, so each boundary falls at every possible byte.
    const wrong: number[] = [];
    for (let maxBytes = largest + 2; maxBytes <= total + 2; maxBytes++) {
      const inserts = rowInserts(chunks, maxBytes).map(({ table, json, rows }) => ({ table, json, rows }));
      if (JSON.stringify(inserts) !== JSON.stringify(byRow(chunks, maxBytes))) wrong.push(maxBytes);
    }
    expect(wrong).toEqual([]);
    expect(rowInserts(chunks, MAX_JSON_BYTES)).toHaveLength(2);
  }, 30_000);
});
