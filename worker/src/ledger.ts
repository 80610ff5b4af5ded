// What D1 already holds about a push, read in ONE statement before the batch (it replaces the
// progress read, so a push still costs the statements of the overhead formula): the register's
// progress, the event's dates, tax and discount schedule, and every stored row that shares an id
// with the push. With it the push is held to the rules of "The central ledger trusts no
// register" (shared DESIGN.md): own rows only (403), same id with other content (409
// divergent_replay, recorded as a conflict).

import { RegisterAuth } from "./auth";
import { CONFLICT_COLUMNS } from "./conflicts";
import { Entry, Located } from "./entries";
import { HttpError } from "./http";
import { TABLES, Value } from "./schema";

export interface Progress {
  last_seq: number;
  journal_tail_seq: number;
  journal_tail_hash: string;
}

export interface EventTerms {
  startsOn: string;
  endsOn: string;
  taxRateBp: number;
  timezone: string;
  rules: { startsAt: string; endsAt: string | null; percentBp: number }[];
}

/** The stored side of a push. Rows are in the protocol's column order. */
export interface Snapshot {
  progress: Progress | null;
  event: EventTerms | null;
  sales: Map<string, Value[]>;
  lines: Map<string, Value[][]>;
  tenders: Map<string, Value[][]>;
  overrides: Map<string, Value[][]>;
  voids: Map<string, Value[]>;
  shifts: Map<string, Value[]>;
  itemEvents: Map<string, Value[]>;
  /** The central state of the items the push's item events name: id -> [id, status, sold_sale_id, sold_register_id]. */
  items: Map<string, Value[]>;
  noSales: Map<string, Value[]>;
  refunds: Map<string, Value[]>;
  /** Stored new_items rows sharing an id with the push's (new_items.ts). */
  newItems: Map<string, Value[]>;
  /** The numbers of the event's consignors that the push's new items name. */
  consignors: Set<number>;
  /** Stored refunds of the sales the push's refunds refer to: "sale_id:line_no" -> refund id. */
  refundedLines: Map<string, string>;
  journal: Map<number, Value[]>;
  /** Sales that the push's voids and refunds refer to: id -> register_id. */
  targets: Map<string, string>;
}

const cols = (table: string, alias = "") => (TABLES[table] ?? []).map((c) => `${alias}${c.name}`).join(", ");
const IN = (param: number) => `IN (SELECT value FROM json_each(?${param}))`;

const many = (table: string, where: string) =>
  `(SELECT json_group_array(json_array(${cols(table)})) FROM ${table} WHERE ${where})`;

// One row of JSON columns: D1 allows at most 5 terms in a compound SELECT, so no UNION here.
// `+event_id` keeps SQLite from reading every item of the event through items_consignor to
// find the few the push names (worker/test/plans.test.ts).
export const SNAPSHOT_SQL = `SELECT
  (SELECT json_array(last_seq, journal_tail_seq, journal_tail_hash) FROM register_progress WHERE register_id = ?1) AS progress,
  (SELECT json_array(starts_on, ends_on, tax_rate_bp, timezone) FROM events WHERE id = ?2) AS event,
  (SELECT json_group_array(json_array(starts_at, ends_at, percent_bp)) FROM discount_rules WHERE event_id = ?2) AS rules,
  ${many("sales", `id ${IN(3)}`)} AS sales,
  ${many("sale_lines", `sale_id ${IN(3)}`)} AS sale_lines,
  ${many("tenders", `sale_id ${IN(3)}`)} AS tenders,
  ${many("voids", `id ${IN(4)} OR sale_id ${IN(7)}`)} AS voids,
  ${many("shifts", `id ${IN(5)}`)} AS shifts,
  ${many("item_events", `id ${IN(8)}`)} AS item_events,
  (SELECT json_group_array(json_array(id, status, sold_sale_id, sold_register_id)) FROM items
     WHERE +event_id = ?2 AND id ${IN(9)}) AS items,
  ${many("journal", `register_id = ?1 AND seq ${IN(6)}`)} AS journal,
  (SELECT json_group_array(json_array(id, register_id)) FROM sales WHERE id ${IN(7)}) AS targets,
  ${many("no_sales", `id ${IN(10)}`)} AS no_sales,
  ${many("price_overrides", `sale_id ${IN(3)}`)} AS price_overrides,
  ${many("refunds", `id ${IN(11)} OR sale_id ${IN(7)}`)} AS refunds,
  ${many("new_items", `id IN (SELECT json_extract(value, '$[0]') FROM json_each(?12))`)} AS new_items,
  (SELECT json_group_array(number) FROM consignors WHERE event_id = ?2
     AND number IN (SELECT json_extract(value, '$[1]') FROM json_each(?12))) AS consignors`;

type SnapshotRow = Record<"progress" | "event" | "rules" | "sales" | "sale_lines" | "tenders" | "voids" | "shifts"
  | "item_events" | "items" | "journal" | "targets" | "no_sales" | "price_overrides" | "refunds" | "new_items"
  | "consignors", string | null>;

/** The one read before the batch. */
export async function readSnapshot(db: D1Database, auth: RegisterAuth, entries: readonly Entry[]): Promise<Snapshot> {
  const ids = (kind: Entry["kind"]) => JSON.stringify(entries.filter((e) => e.kind === kind).map((e) => e.row.values[0]));
  // Each entry's seq and the one before it (forks.ts: does a stored entry follow on?).
  const seqs = JSON.stringify(entries.flatMap((e) => [e.journal.values[1], (e.journal.values[1] as number) - 1]));
  const referred = [...new Set(entries.filter((e) => e.kind === "void" || e.kind === "refund").map((e) => e.row.values[1]))];
  const targets = JSON.stringify(referred);
  // The sales refunded are read with their lines too (their figures check the refund's amount).
  const sales = JSON.stringify([...new Set([...JSON.parse(ids("sale")) as Value[],
    ...entries.filter((e) => e.kind === "refund").map((e) => e.row.values[1])])]);
  const row = await db.prepare(SNAPSHOT_SQL)
    .bind(auth.registerId, auth.eventId, sales, ids("void"), ids("shift"), seqs, targets, ids("item"),
      JSON.stringify([...new Set(entries.filter((e) => e.kind === "item").map((e) => e.row.values[3]))]),
      ids("no_sale"), ids("refund"),
      JSON.stringify(entries.filter((e) => e.kind === "new_item").map((e) => [e.row.values[0], e.row.values[3]])))
    .first<SnapshotRow>();
  if (row === null) throw new Error("the snapshot read returned no row");
  return parseSnapshot(row);
}

function parseSnapshot(row: SnapshotRow): Snapshot {
  const list = (text: string | null) => (text === null ? [] : JSON.parse(text)) as Value[][];
  const byId = (rows: Value[][], column = 0) => new Map(rows.map((r) => [r[column] as string, r]));
  const group = (rows: Value[][]) => {
    const map = new Map<string, Value[][]>();
    for (const r of rows) {
      const children = map.get(r[0] as string);
      if (children) children.push(r);
      else map.set(r[0] as string, [r]);
    }
    return map;
  };
  const progress = row.progress === null ? null : JSON.parse(row.progress) as Value[];
  const event = row.event === null ? null : JSON.parse(row.event) as Value[];
  return {
    progress: progress && { last_seq: progress[0] as number, journal_tail_seq: progress[1] as number,
      journal_tail_hash: progress[2] as string },
    event: event && { startsOn: event[0] as string, endsOn: event[1] as string, taxRateBp: event[2] as number,
      timezone: event[3] as string, rules: list(row.rules).map((r) => ({
        startsAt: r[0] as string, endsAt: r[1] as string | null, percentBp: r[2] as number })) },
    sales: byId(list(row.sales)), lines: group(list(row.sale_lines)), tenders: group(list(row.tenders)),
    voids: byId(list(row.voids)), shifts: byId(list(row.shifts)), itemEvents: byId(list(row.item_events)),
    items: byId(list(row.items)), noSales: byId(list(row.no_sales)),
    overrides: group(list(row.price_overrides)),
    refunds: byId(list(row.refunds)),
    newItems: byId(list(row.new_items)),
    consignors: new Set((row.consignors === null ? [] : JSON.parse(row.consignors)) as number[]),
    refundedLines: new Map(list(row.refunds).map((r) => [`${r[1]}:${r[2]}`, r[0] as string])),
    journal: new Map(list(row.journal).map((r) => [r[1] as number, r])),
    targets: new Map(list(row.targets).map((r) => [r[0] as string, r[1] as string])),
  };
}

function forbidden(message: string, row: Located, column: number): HttpError {
  return new HttpError(403, "forbidden", message, { field: `${row.where}[${column}]`, sale_id: String(row.values[0]) });
}

/**
 * Own rows only: an id stored under another register is not this register's to resend, and a
 * void must refer to a sale of this register, stored or in this push. 403, nothing written.
 */
export function checkOwnership(entries: readonly Entry[], snap: Snapshot, auth: RegisterAuth): void {
  const pushedSales = new Set(entries.filter((e) => e.kind === "sale").map((e) => e.row.values[0]));
  for (const entry of entries) {
    const stored = storedRow(entry, snap);
    const registerColumn = entry.kind === "void" ? 3 : entry.kind === "refund" ? 4 : 2;
    if (stored && stored[registerColumn] !== auth.registerId) {
      throw forbidden(`${entry.kind} ${entry.row.values[0]} belongs to another register`, entry.row, 0);
    }
    if (entry.kind !== "void" && entry.kind !== "refund") continue;
    const saleId = entry.row.values[1] as string;
    const what = entry.kind === "void" ? "voided" : "refunded";
    const owner = pushedSales.has(saleId) ? auth.registerId : snap.targets.get(saleId);
    if (owner === undefined) throw forbidden(`The ${what} sale ${saleId} does not exist`, entry.row, 1);
    if (owner !== auth.registerId) throw forbidden(`The ${what} sale ${saleId} belongs to another register`, entry.row, 1);
  }
}

function storedRow(entry: Entry, snap: Snapshot): Value[] | undefined {
  const id = entry.row.values[0] as string;
  const stored = { sale: snap.sales, void: snap.voids, shift: snap.shifts, item: snap.itemEvents,
    no_sale: snap.noSales, refund: snap.refunds, new_item: snap.newItems }[entry.kind];
  return stored.get(id);
}

/** Where an entry's content differs from what D1 holds under the same id, or null. */
export interface Divergence {
  entry: Entry;
  field: string;
  detail: string;
}

/**
 * The first entry whose id (or journal seq) is stored with other content, or null. `forks` are
 * the seqs whose stored entry the push's genuine one replaces (forks.ts): not a divergence.
 */
export function findDivergence(entries: readonly Entry[], snap: Snapshot, forks: ReadonlySet<number>): Divergence | null {
  for (const entry of entries) {
    const id = entry.row.values[0] as string;
    const stored = storedRow(entry, snap);
    if (stored && !same(stored, entry.row.values)) {
      return { entry, field: entry.row.where, detail: `${entry.kind} ${id} was stored with other values` };
    }
    if (stored && entry.kind === "sale") {
      const storedChildren = { sale_lines: snap.lines, tenders: snap.tenders, price_overrides: snap.overrides };
      for (const [children, name] of [[entry.lines, "sale_lines"], [entry.tenders, "tenders"],
        [entry.overrides, "price_overrides"]] as const) {
        const mine = storedChildren[name].get(id) ?? [];
        if (!sameSet(mine, children.map((c) => c.values))) {
          return { entry, field: children[0]?.where ?? entry.row.where, detail: `sale ${id} was stored with other ${name}` };
        }
      }
    }
    const seq = entry.journal.values[1] as number;
    const journal = snap.journal.get(seq);
    if (journal && !forks.has(seq) && !same(journal, entry.journal.values)) {
      return { entry, field: entry.journal.where,
        detail: `journal entry ${seq} is stored for ${journal[2]} ${journal[3]} (hash ${String(journal[5]).slice(0, 12)}), this one is for ${entry.kind} ${entry.journal.values[3]}` };
    }
  }
  return null;
}

function same(a: readonly Value[], b: readonly Value[]): boolean {
  return a.length === b.length && a.every((value, k) => value === b[k]);
}

function sameSet(stored: readonly Value[][], sent: readonly Value[][]): boolean {
  const key = (row: readonly Value[]) => JSON.stringify(row);
  const keys = new Set(stored.map(key));
  return stored.length === sent.length && sent.every((row) => keys.has(key(row)));
}

/** The 409 of a divergent replay, after its conflict row is written (alone: nothing else is). */
export async function refuseDivergence(db: D1Database, auth: RegisterAuth, found: Divergence, now: string): Promise<never> {
  const refId = String(found.entry.row.values[0]);
  const conflict = await db.prepare(
    `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id, detail, created_at)
     VALUES (?, 'divergent_replay', '', ?, ?, ?, ?) RETURNING ${CONFLICT_COLUMNS.join(", ")}`,
  ).bind(auth.eventId, refId, auth.registerId, found.detail, now).first();
  throw new HttpError(409, "divergent_replay",
    `${found.detail}: the same id with other content is refused, and recorded for the organiser`,
    { field: found.field, sale_id: refId, conflict });
}
