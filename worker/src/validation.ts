// Validation of a push body (docs/sync-protocol.md "Push"): table whitelist, column counts,
// every value's type, the register/event every row claims, the 100-parameter and
// 100,000-byte statement limits. 400 names the bad `field` and, when known, the entry's
// `sale_id` (the outbox entry's ref id), so the client can quarantine exactly that entry.

import { RegisterAuth } from "./auth";
import { HttpError, invalid, isObject, utf8Length } from "./http";
import {
  checkOf, checkValue, Column, columnsOf, ENTRY_COLUMN, insertSql, MAX_PARAMS, MAX_STATEMENT_BYTES, TABLE_ORDER,
  Value, ValueCheck, valueBytes,
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
  const rows: unknown[] = chunk.rows;
  if (rows.length * columns.length > MAX_PARAMS) {
    throw new HttpError(413, "too_many_parameters",
      `${rows.length} ${table} rows need over ${MAX_PARAMS} bound parameters in one statement`,
      { field: `${where}.rows`, ...saleIdOf(rows.length === 1 ? entryOf(table, rows[0]) : undefined) });
  }
  // One pass over the values: each is checked and counted where it lies; the rows are kept as
  // parsed (checked, not copied), and a field path is built only for a bad value.
  const rules = rulesOf(table, columns, auth);
  let bytes = utf8Length(insertSql(table, rows.length));
  for (let r = 0; r < rows.length; r++) bytes += checkRow(table, rows[r], rules, at, r);
  if (bytes > MAX_STATEMENT_BYTES) {
    throw new HttpError(413, "statement_too_large",
      `A ${table} statement of ${bytes} bytes is over ${MAX_STATEMENT_BYTES}`,
      { field: where, ...saleIdOf(rows.length === 1 ? entryOf(table, rows[0]) : undefined) });
  }
  return { table, rows: rows as Value[][], at };
}

/** The `field` of a row: its place in the request as sent. */
function rowPath(at: number, r: number): string {
  return `chunks[${at}].rows[${r}]`;
}

function saleIdOf(saleId: string | undefined): Record<string, string> {
  return saleId === undefined ? {} : { sale_id: saleId };
}

/** A table's value checks, and the columns that must name the token's register or event. */
interface TableRules {
  checks: readonly ValueCheck[];
  owners: readonly (readonly [number, string])[];
}

function rulesOf(table: string, columns: readonly Column[], auth: RegisterAuth): TableRules {
  const owners = columns.flatMap((column, k) => column.name === "register_id" ? [[k, auth.registerId] as const]
    : column.name === "event_id" ? [[k, auth.eventId] as const] : []);
  return { checks: tableChecks(table, columns), owners };
}

const checksByTable = new Map<string, readonly ValueCheck[]>();

function tableChecks(table: string, columns: readonly Column[]): readonly ValueCheck[] {
  let checks = checksByTable.get(table);
  if (checks === undefined) {
    checks = columns.map(checkOf);
    checksByTable.set(table, checks);
  }
  return checks;
}

/**
 * 400 for a row that is not an array of the table's values (naming the first bad one), then 403
 * for a register_id/event_id that is not the token's; the row's bytes in its INSERT otherwise.
 */
function checkRow(table: string, row: unknown, rules: TableRules, at: number, r: number): number {
  const { checks, owners } = rules;
  if (!Array.isArray(row) || row.length !== checks.length) {
    throw invalid(`A ${table} row must be an array of ${checks.length} values`, rowPath(at, r), entryOf(table, row));
  }
  let bytes = 0;
  for (let k = 0; k < checks.length; k++) {
    const value: unknown = row[k];
    const problem = checks[k]!(value);
    if (problem !== null) throw invalid(problem, `${rowPath(at, r)}[${k}]`, entryOf(table, row));
    bytes += valueBytes(value as Value);
  }
  for (const [k, owner] of owners) {
    if (row[k] !== owner) {
      throw new HttpError(403, "forbidden", `${table}.${columnsOf(table)?.[k]?.name} is not this register's`,
        { field: `${rowPath(at, r)}[${k}]`, ...saleIdOf(entryOf(table, row)) });
    }
  }
  return bytes;
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
