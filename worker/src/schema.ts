// Row layouts of the push protocol (docs/sync-protocol.md), the validation of each value, and
// the exact SQL text of a chunk's multi-row INSERT (the client counts bytes on the same text).
// Tables, columns, kinds, limits and the statement overhead are read from the protocol schema
// file, pos_app/core/protocol_schema.json, the one place they are written (the register reads
// it too); the bundler inlines it. Everything here is derived once, at module load.

import protocol from "../../pos_app/core/protocol_schema.json";
import { invalid, utf8Length } from "./http";

interface KindSpec {
  type: string;
  pattern?: string;
  max_length?: number;
  min?: number;
  max?: number;
  calendar?: boolean;
}

interface ColumnSpec {
  name: string;
  kind: string;
  nullable?: boolean;
  one_of?: readonly string[];
}

interface Term {
  statements: number;
  why: string;
}

/** The file's shape; the assignment below makes tsc check the JSON against it. */
export interface ProtocolSchema {
  limits: { max_params: number; max_statement_bytes: number; other_value_bytes: number };
  kinds: Readonly<Record<string, KindSpec>>;
  tables: readonly { name: string; entry_column: string; columns: readonly ColumnSpec[] }[];
  statement_overhead: {
    base: Term;
    when_push_has: Readonly<Record<string, Term>>;
    per_journal_break: Term;
    client_reserved_journal_breaks: number;
  };
}

export const PROTOCOL: ProtocolSchema = protocol;

interface Rule {
  integer: boolean;
  pattern?: RegExp;
  maxLength: number;
  min: number;
  max: number;
  calendar: boolean;
}

const RULES: Readonly<Record<string, Rule>> = Object.fromEntries(
  Object.entries(PROTOCOL.kinds).map(([name, spec]) => [name, {
    integer: spec.type === "integer",
    pattern: spec.pattern === undefined ? undefined : new RegExp(spec.pattern),
    maxLength: spec.max_length ?? Infinity,
    min: spec.min ?? 0,
    max: spec.max ?? Number.MAX_SAFE_INTEGER,
    calendar: spec.calendar === true,
  }]),
);

/** The push's id rule, which the organiser's ids (events, items, registers) follow too. */
export const ID_RE: RegExp = (() => {
  const pattern = RULES.id?.pattern;
  if (pattern === undefined) throw new Error("the protocol schema has no id pattern");
  return pattern;
})();

export interface Column {
  name: string;
  kind: string;
  nullable?: boolean;
  oneOf?: readonly string[];
}

function column(spec: ColumnSpec, table: string): Column {
  if (!Object.hasOwn(RULES, spec.kind)) throw new Error(`${table}.${spec.name}: unknown kind ${spec.kind}`);
  return { name: spec.name, kind: spec.kind, nullable: spec.nullable === true, oneOf: spec.one_of };
}

export const TABLES: Readonly<Record<string, readonly Column[]>> = Object.fromEntries(
  PROTOCOL.tables.map((t) => [t.name, t.columns.map((c) => column(c, t.name))]),
);

/** Tables in the order their chunks run (sales before the lines and tenders that refer to them). */
export const TABLE_ORDER: readonly string[] = PROTOCOL.tables.map((t) => t.name);

/** Which column of a row names its outbox entry (the `sale_id` of an error reply). */
export const ENTRY_COLUMN: Readonly<Record<string, number>> = Object.fromEntries(
  PROTOCOL.tables.map((t) => [t.name, t.columns.findIndex((c) => c.name === t.entry_column)]),
);

export const MAX_PARAMS = PROTOCOL.limits.max_params;
export const MAX_STATEMENT_BYTES = PROTOCOL.limits.max_statement_bytes;
const OTHER_VALUE_BYTES = PROTOCOL.limits.other_value_bytes;

/** Statements the server adds to a push whose chunks hold `tables`, the two reads before the batch included. */
export function statementOverhead(tables: ReadonlySet<string>, journalBreaks: number): number {
  const o = PROTOCOL.statement_overhead;
  let total = o.base.statements + journalBreaks * o.per_journal_break.statements;
  for (const [table, term] of Object.entries(o.when_push_has)) if (tables.has(table)) total += term.statements;
  return total;
}

export function columnsOf(table: string): readonly Column[] | undefined {
  return Object.hasOwn(TABLES, table) ? TABLES[table] : undefined;
}

export type Value = string | number | null;

export function checkValue(column: Column, value: unknown, field: string): Value {
  const problem = checkOf(column)(value);
  if (problem !== null) throw invalid(problem, field);
  return value as Value;
}

/** A column's rule, compiled once: what is wrong with a value (the 400's message), or null. */
export type ValueCheck = (value: unknown) => string | null;

const checks = new WeakMap<Column, ValueCheck>();

/** The column's check, built on first use (a push checks ~100,000 values against ~100 columns). */
export function checkOf(column: Column): ValueCheck {
  let check = checks.get(column);
  if (check === undefined) {
    check = compileCheck(column);
    checks.set(column, check);
  }
  return check;
}

function compileCheck(column: Column): ValueCheck {
  const rule = RULES[column.kind];
  if (rule === undefined) throw new Error(`unknown kind ${column.kind}`);
  const { name, nullable, oneOf } = column;
  const { min, max, maxLength, pattern, calendar } = rule;
  const onNull = nullable ? null : `${name} must not be null`;
  if (rule.integer) {
    return (value) => {
      if (value === null) return onNull;
      return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? null
        : `${name} must be a non-negative whole number`;
    };
  }
  return (value) => {
    if (value === null) return onNull;
    if (typeof value !== "string") return `${name} must be a string`;
    const ok = value.length <= maxLength && (pattern === undefined || pattern.test(value))
      && (!calendar || !Number.isNaN(Date.parse(value)));
    if (!ok) return `${name} is not a valid ${column.kind}`;
    if (oneOf && !oneOf.includes(value)) return `${name} must be one of ${oneOf.join(", ")}`;
    return null;
  };
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

/**
 * One bound value's share of a statement's bytes: a statement counts its SQL text's UTF-8 bytes
 * plus this for each value (validation.ts), the UTF-8 bytes of a string, OTHER_VALUE_BYTES (8)
 * for any other value (null included).
 */
export function valueBytes(value: Value): number {
  return typeof value === "string" ? utf8Length(value) : OTHER_VALUE_BYTES;
}
