// Row layouts of the push protocol (docs/sync-protocol.md), the validation of each value, and
// the exact SQL text of a chunk's multi-row INSERT (the client counts bytes on the same text).

import { invalid, utf8Length } from "./http";

type Kind = "id" | "text" | "int" | "cents" | "time" | "hash" | "payload";

interface Column {
  name: string;
  kind: Kind;
  nullable?: boolean;
  oneOf?: readonly string[];
}

const c = (name: string, kind: Kind, extra: Partial<Column> = {}): Column => ({
  name,
  kind,
  ...extra,
});

export const TABLES: Readonly<Record<string, readonly Column[]>> = {
  sales: [
    c("id", "id"), c("event_id", "id"), c("register_id", "id"), c("seq", "int"),
    c("shift_id", "id", { nullable: true }), c("cashier_id", "id"), c("created_at", "time"),
    c("subtotal_cents", "cents"), c("discount_cents", "cents"), c("tax_cents", "cents"),
    c("total_cents", "cents"), c("item_count", "int"),
    c("status", "text", { oneOf: ["completed"] }),
  ],
  sale_lines: [
    c("sale_id", "id"), c("line_no", "int"), c("item_id", "id"), c("tag_code", "id"),
    c("consignor_number", "int"), c("unit_price_cents", "cents"), c("discount_cents", "cents"),
    c("price_cents", "cents"),
  ],
  tenders: [
    c("sale_id", "id"), c("line_no", "int"), c("kind", "text", { oneOf: ["cash", "card", "other"] }),
    c("amount_cents", "cents"), c("given_cents", "cents", { nullable: true }),
    c("change_cents", "cents", { nullable: true }), c("reference", "text", { nullable: true }),
  ],
  voids: [
    c("id", "id"), c("sale_id", "id"), c("event_id", "id"), c("register_id", "id"),
    c("cashier_id", "id"), c("manager_id", "id", { nullable: true }), c("reason", "text"),
    c("created_at", "time"),
  ],
  journal: [
    c("register_id", "id"), c("seq", "int"),
    c("kind", "text", { oneOf: ["sale", "void", "shift"] }), c("ref_id", "id"),
    c("prev_hash", "hash"), c("entry_hash", "hash"), c("payload", "payload"),
  ],
  shifts: [
    c("id", "id"), c("event_id", "id"), c("register_id", "id"), c("cashier_id", "id"),
    c("opened_at", "time"), c("opening_float_cents", "cents"),
    c("closed_at", "time", { nullable: true }), c("counted_cents", "cents", { nullable: true }),
    c("expected_cents", "cents", { nullable: true }),
  ],
};

/** Tables in the order their chunks run (sales before the lines and tenders that refer to them). */
export const TABLE_ORDER = ["sales", "sale_lines", "tenders", "voids", "journal", "shifts"] as const;

/** Which column of a row names its outbox entry (the `sale_id` of an error reply). */
export const ENTRY_COLUMN: Readonly<Record<string, number>> = {
  sales: 0, sale_lines: 0, tenders: 0, voids: 0, journal: 3, shifts: 0,
};

export function columnsOf(table: string): readonly Column[] | undefined {
  return Object.hasOwn(TABLES, table) ? TABLES[table] : undefined;
}

const ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const HASH_RE = /^[0-9a-f]{64}$/;
const MAX_CENTS = 10_000_000_000;
const MAX_TEXT = 500;
const MAX_PAYLOAD = 200_000;

export type Value = string | number | null;

export function checkValue(column: Column, value: unknown, field: string): Value {
  if (value === null) {
    if (column.nullable) return null;
    throw invalid(`${column.name} must not be null`, field);
  }
  switch (column.kind) {
    case "int":
    case "cents": {
      const limit = column.kind === "cents" ? MAX_CENTS : Number.MAX_SAFE_INTEGER;
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > limit) {
        throw invalid(`${column.name} must be a non-negative whole number`, field);
      }
      return value;
    }
    default: {
      if (typeof value !== "string") throw invalid(`${column.name} must be a string`, field);
      const ok =
        column.kind === "id" ? ID_RE.test(value)
        : column.kind === "time" ? TIME_RE.test(value) && !Number.isNaN(Date.parse(value))
        : column.kind === "hash" ? HASH_RE.test(value)
        : column.kind === "payload" ? value.length <= MAX_PAYLOAD
        : value.length <= MAX_TEXT;
      if (!ok) throw invalid(`${column.name} is not a valid ${column.kind}`, field);
      if (column.oneOf && !column.oneOf.includes(value)) {
        throw invalid(`${column.name} must be one of ${column.oneOf.join(", ")}`, field);
      }
      return value;
    }
  }
}

const insertSqlMemo = new Map<string, string>();

/** The chunk's SQL text, built once per table and row count (a push has ~1,000 chunks). */
export function insertSql(table: string, rowCount: number): string {
  const key = `${table}:${rowCount}`;
  const known = insertSqlMemo.get(key);
  if (known !== undefined) return known;
  const columns = columnsOf(table);
  if (!columns) throw new Error("unknown table");
  const row = `(${columns.map(() => "?").join(", ")})`;
  const names = columns.map((col) => col.name).join(", ");
  const sql = `INSERT OR IGNORE INTO ${table} (${names}) VALUES ${Array(rowCount).fill(row).join(", ")}`;
  insertSqlMemo.set(key, sql);
  return sql;
}

/** SQL text bytes + UTF-8 bytes of each string + 8 per other value (null included). */
export function statementBytes(sql: string, values: readonly Value[]): number {
  let bytes = utf8Length(sql);
  for (const value of values) bytes += typeof value === "string" ? utf8Length(value) : 8;
  return bytes;
}
