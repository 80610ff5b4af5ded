// The push's row INSERTs: one statement per table and per megabyte of rows, not one per chunk.
//
// A chunk (docs/sync-protocol.md) is the protocol's unit: the client packs its requests so that
// one multi-row INSERT per chunk would stay within D1's 100 bound parameters and 100 KB of SQL,
// and the request's statement budget counts one statement per chunk. The Worker runs fewer: the
// rows of every chunk of a table travel as ONE bound JSON string (D1 allows a string of up to
// 1 MB; shared DESIGN.md "D1 limits") and are inserted by
//   INSERT OR IGNORE INTO t (c0, c1, ...) SELECT j.value ->> 0, j.value ->> 1, ... FROM json_each(?1) AS j
// in the order sent, with the same OR IGNORE, the same constraints and the same triggers as the
// multi-row VALUES form (local D1 spends most of a push carrying statements and bound values, not
// running them: docs/benchmarks.md). A table whose rows exceed the string limit gets as many
// statements as it needs; the statements still run in table order (sales before their lines).

import { utf8Length } from "./http";
import { columnsOf, Value } from "./schema";
import { Chunk } from "./validation";

/** D1's largest string value (shared DESIGN.md "D1 limits": 1 MB per string, BLOB or row). */
export const MAX_JSON_BYTES = 1_000_000;

export interface RowInsert {
  table: string;
  sql: string;
  /** The rows as one JSON array of arrays, in the protocol's column order: the one bound value. */
  json: string;
  rows: number;
}

const sqlMemo = new Map<string, string>();

/** The INSERT ... SELECT ... FROM json_each(?1) of a table, built once per table. */
export function jsonInsertSql(table: string): string {
  const known = sqlMemo.get(table);
  if (known !== undefined) return known;
  const columns = columnsOf(table);
  if (!columns) throw new Error("unknown table");
  const names = columns.map((col) => col.name).join(", ");
  const values = columns.map((_col, k) => `j.value ->> ${k}`).join(", ");
  const sql = `INSERT OR IGNORE INTO ${table} (${names}) SELECT ${values} FROM json_each(?1) AS j`;
  sqlMemo.set(table, sql);
  return sql;
}

/**
 * The INSERTs of `chunks` (already in table order): consecutive chunks of one table are joined,
 * and a new statement starts when the next row would take the JSON over `maxBytes`.
 */
export function rowInserts(chunks: readonly Chunk[], maxBytes = MAX_JSON_BYTES): RowInsert[] {
  const inserts: RowInsert[] = [];
  for (const run of tableRuns(chunks)) {
    // A table's rows that fit in one string are one JSON.stringify (the same text as the
    // chunks' joined); only a table over the limit is split, chunk by chunk and row by row.
    const table = run[0]!.table;
    const rows = run.length === 1 ? run[0]!.rows : run.flatMap((chunk) => chunk.rows);
    if (rows.length === 0) continue;
    const json = JSON.stringify(rows);
    if (utf8Length(json) <= maxBytes) inserts.push({ table, sql: jsonInsertSql(table), json, rows: rows.length });
    else inserts.push(...splitInserts(run, maxBytes));
  }
  return inserts;
}

/** Consecutive chunks of one table. */
function tableRuns(chunks: readonly Chunk[]): Chunk[][] {
  const runs: Chunk[][] = [];
  for (const chunk of chunks) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0]!.table === chunk.table) last.push(chunk);
    else runs.push([chunk]);
  }
  return runs;
}

/** The INSERTs of one table's chunks whose rows are over `maxBytes` of JSON together. */
function splitInserts(run: readonly Chunk[], maxBytes: number): RowInsert[] {
  const inserts: RowInsert[] = [];
  const table = run[0]?.table ?? "";
  let parts: string[] = [];
  let bytes = 2; // the brackets
  let rows = 0;
  const close = () => {
    if (parts.length > 0) inserts.push({ table, sql: jsonInsertSql(table), json: `[${parts.join(",")}]`, rows });
    parts = [];
    bytes = 2;
    rows = 0;
  };
  for (const chunk of run) {
    // A whole chunk that fits is one JSON.stringify (the same text as its rows' joined), not one per row.
    const whole = JSON.stringify(chunk.rows);
    const inner = utf8Length(whole) - 2;
    if (chunk.rows.length > 0 && bytes + (parts.length > 0 ? 1 : 0) + inner <= maxBytes) {
      bytes += (parts.length > 0 ? 1 : 0) + inner;
      parts.push(whole.slice(1, -1));
      rows += chunk.rows.length;
      continue;
    }
    for (const row of chunk.rows) {
      const text = JSON.stringify(row);
      const size = utf8Length(text);
      if (size + 2 > maxBytes) throw new Error(`a ${table} row is over ${maxBytes} bytes of JSON`);
      if (parts.length > 0 && bytes + 1 + size > maxBytes) close();
      bytes += (parts.length > 0 ? 1 : 0) + size;
      parts.push(text);
      rows += 1;
    }
  }
  close();
  return inserts;
}
