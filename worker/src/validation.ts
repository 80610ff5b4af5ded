// Validation of a push body (docs/sync-protocol.md "Push"): table whitelist, column counts,
// every value's type, the register/event every row claims, the 100-parameter and
// 100,000-byte statement limits. 400 names the bad `field` and, when known, the entry's
// `sale_id` (the outbox entry's ref id), so the client can quarantine exactly that entry.

import { RegisterAuth } from "./auth";
import { HttpError, invalid, isObject } from "./http";
import {
  checkValue, columnsOf, ENTRY_COLUMN, insertSql, MAX_PARAMS, MAX_STATEMENT_BYTES, statementBytes, TABLE_ORDER, Value,
} from "./schema";

export interface Chunk {
  table: string;
  rows: Value[][];
  /** The chunk's index in the request as sent (for the `field` of an error). */
  at: number;
}

export interface PushBody {
  firstSeq: number;
  lastSeq: number;
  chunks: Chunk[];
}

const SEQ = { name: "seq", kind: "int" } as const;

export function parsePush(body: unknown, auth: RegisterAuth): PushBody {
  if (!isObject(body)) throw invalid("The body must be a JSON object");
  if (body.event_id !== auth.eventId) {
    throw new HttpError(403, "forbidden", "This register belongs to another event", { field: "event_id" });
  }
  const firstSeq = checkValue({ ...SEQ, name: "first_seq" }, body.first_seq ?? null, "first_seq") as number;
  const lastSeq = checkValue({ ...SEQ, name: "last_seq" }, body.last_seq ?? null, "last_seq") as number;
  if (firstSeq > lastSeq) throw invalid("first_seq must not be after last_seq", "first_seq");
  if (!Array.isArray(body.chunks)) throw invalid("chunks must be an array", "chunks");
  const chunks = body.chunks.map((chunk: unknown, i: number) => parseChunk(chunk, i, auth));
  checkChildren(chunks);
  checkJournalSeqs(chunks);
  // Run the chunks in table order whatever order they came in, so a line never precedes its sale.
  const rank = (table: string) => (TABLE_ORDER as readonly string[]).indexOf(table);
  return { firstSeq, lastSeq, chunks: chunks.map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c.table) - rank(b.c.table) || a.i - b.i).map(({ c }) => c) };
}

function entryOf(table: string, row: unknown): string | undefined {
  const value = Array.isArray(row) ? row[ENTRY_COLUMN[table] ?? 0] : undefined;
  return typeof value === "string" ? value.slice(0, 128) : undefined;
}

function parseChunk(chunk: unknown, at: number, auth: RegisterAuth): Chunk {
  const where = `chunks[${at}]`;
  if (!isObject(chunk)) throw invalid("A chunk must be an object", where);
  const table = typeof chunk.table === "string" ? chunk.table : "";
  const columns = columnsOf(table);
  if (!columns) {
    throw invalid(`Unknown table ${JSON.stringify(String(chunk.table).slice(0, 40))}`, `${where}.table`);
  }
  if (!Array.isArray(chunk.rows) || chunk.rows.length === 0) {
    throw invalid("rows must be a non-empty array", `${where}.rows`);
  }
  const rowsIn: unknown[] = chunk.rows;
  if (rowsIn.length * columns.length > MAX_PARAMS) {
    throw new HttpError(413, "too_many_parameters",
      `${rowsIn.length} ${table} rows need over ${MAX_PARAMS} bound parameters in one statement`,
      { field: `${where}.rows`, ...saleIdOf(rowsIn.length === 1 ? entryOf(table, rowsIn[0]) : undefined) });
  }
  const rows = rowsIn.map((row, r) => checkRow(table, row, `${where}.rows[${r}]`, auth));
  const bytes = statementBytes(insertSql(table, rows.length), rows.flat());
  if (bytes > MAX_STATEMENT_BYTES) {
    throw new HttpError(413, "statement_too_large",
      `A ${table} statement of ${bytes} bytes is over ${MAX_STATEMENT_BYTES}`,
      { field: where, ...saleIdOf(rows.length === 1 ? entryOf(table, rows[0]) : undefined) });
  }
  return { table, rows, at };
}

function saleIdOf(saleId: string | undefined): Record<string, string> {
  return saleId === undefined ? {} : { sale_id: saleId };
}

function checkRow(table: string, row: unknown, where: string, auth: RegisterAuth): Value[] {
  const columns = columnsOf(table) ?? [];
  const saleId = entryOf(table, row);
  if (!Array.isArray(row) || row.length !== columns.length) {
    throw invalid(`A ${table} row must be an array of ${columns.length} values`, where, saleId);
  }
  const values = columns.map((column, k) => {
    try {
      return checkValue(column, row[k], "");
    } catch (error) {
      // The field's path is built only for a bad value: a push checks ~100,000 good ones.
      if (error instanceof HttpError) error.extra.field = `${where}[${k}]`;
      if (error instanceof HttpError && saleId !== undefined) error.extra.sale_id = saleId;
      throw error;
    }
  });
  columns.forEach((column, k) => {
    const owner = column.name === "register_id" ? auth.registerId
      : column.name === "event_id" ? auth.eventId : null;
    if (owner !== null && values[k] !== owner) {
      throw new HttpError(403, "forbidden", `${table}.${column.name} is not this register's`,
        { field: `${where}[${k}]`, ...saleIdOf(saleId) });
    }
  });
  return values;
}

/**
 * Lines and tenders travel with their sale (an outbox entry is never split across pushes); one
 * whose sale is elsewhere is not this push's to write (403, shared DESIGN.md "Own rows only").
 */
function checkChildren(chunks: Chunk[]): void {
  const sales = new Set(chunks.filter((c) => c.table === "sales").flatMap((c) => c.rows.map((r) => r[0])));
  chunks.forEach((chunk, i) => {
    if (chunk.table !== "sale_lines" && chunk.table !== "tenders") return;
    chunk.rows.forEach((row, r) => {
      if (!sales.has(row[0])) {
        throw new HttpError(403, "forbidden", `A ${chunk.table} row's sale is not in this push`,
          { field: `chunks[${i}].rows[${r}][0]`, sale_id: String(row[0]) });
      }
    });
  });
}

/** Two journal rows with one seq would silently lose one of them: refuse the second. */
function checkJournalSeqs(chunks: Chunk[]): void {
  const seen = new Set<Value>();
  chunks.forEach((chunk, i) => {
    if (chunk.table !== "journal") return;
    chunk.rows.forEach((row, r) => {
      if (seen.has(row[1])) {
        throw invalid(`Journal seq ${row[1]} appears twice in this push`, `chunks[${i}].rows[${r}][1]`,
          String(row[3]));
      }
      seen.add(row[1]);
    });
  });
}
