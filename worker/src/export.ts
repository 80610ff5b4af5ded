// GET /v1/admin/events/{id}/export/{table}?after=KEY&limit=N: one event's rows of a table,
// ordered by primary key, paginated by keyset. KEY is the last row's primary key as a JSON
// array (e.g. ["01J…", 3] for sale_lines); next_after is null on the last page. The query is
// built with Drizzle over src/tables.ts; rows keep the columns' own names.

import { and, asc, inArray, sql, SQL } from "drizzle-orm";
import { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { Env } from "./auth";
import { invalid, json, notFound, queryInt } from "./http";
import { measured, ormOf } from "./orm";
import {
  conflictResolutions, conflicts, consignors, itemEvents, itemFees, items, journal, journalForks, newItems, noSales, payouts,
  priceOverrides, refunds, registerProgress, registers, saleLines,
  sales, shifts, tenders, voids,
} from "./tables";

interface ExportTable {
  table: SQLiteTable;
  key: SQLiteColumn[];
  scope: (eventId: string) => SQL | undefined;
}

const byEvent = (column: SQLiteColumn) => (eventId: string) => sql`${column} = ${eventId}`;
const bySale = (column: SQLiteColumn) => (eventId: string) =>
  inArray(column, sql`(SELECT ${sales.id} FROM ${sales} WHERE ${sales.eventId} = ${eventId})`);
const byRegister = (column: SQLiteColumn) => (eventId: string) =>
  inArray(column, sql`(SELECT ${registers.id} FROM ${registers} WHERE ${registers.eventId} = ${eventId})`);

const TABLES: Readonly<Record<string, ExportTable>> = {
  sales: { table: sales, key: [sales.id], scope: byEvent(sales.eventId) },
  sale_lines: { table: saleLines, key: [saleLines.saleId, saleLines.lineNo], scope: bySale(saleLines.saleId) },
  tenders: { table: tenders, key: [tenders.saleId, tenders.lineNo], scope: bySale(tenders.saleId) },
  price_overrides: { table: priceOverrides, key: [priceOverrides.saleId, priceOverrides.lineNo],
    scope: bySale(priceOverrides.saleId) },
  voids: { table: voids, key: [voids.id], scope: byEvent(voids.eventId) },
  refunds: { table: refunds, key: [refunds.id], scope: byEvent(refunds.eventId) },
  journal: { table: journal, key: [journal.registerId, journal.seq], scope: byRegister(journal.registerId) },
  journal_forks: { table: journalForks, key: [journalForks.registerId, journalForks.seq, journalForks.entryHash],
    scope: byRegister(journalForks.registerId) },
  shifts: { table: shifts, key: [shifts.id], scope: byEvent(shifts.eventId) },
  no_sales: { table: noSales, key: [noSales.id], scope: byEvent(noSales.eventId) },
  item_events: { table: itemEvents, key: [itemEvents.id], scope: byEvent(itemEvents.eventId) },
  new_items: { table: newItems, key: [newItems.id], scope: byEvent(newItems.eventId) },
  conflicts: { table: conflicts, key: [conflicts.id], scope: byEvent(conflicts.eventId) },
  items: { table: items, key: [items.id], scope: byEvent(items.eventId) },
  consignors: { table: consignors, key: [consignors.id], scope: byEvent(consignors.eventId) },
  register_progress: { table: registerProgress, key: [registerProgress.registerId],
    scope: byRegister(registerProgress.registerId) },
  payouts: { table: payouts, key: [payouts.id], scope: byEvent(payouts.eventId) },
  item_fees: { table: itemFees, key: [itemFees.eventId, itemFees.itemId, itemFees.kind], scope: byEvent(itemFees.eventId) },
  conflict_resolutions: { table: conflictResolutions, key: [conflictResolutions.conflictId],
    scope: byEvent(conflictResolutions.eventId) },
};

function parseKey(raw: string | null, size: number): (string | number)[] | null {
  if (raw === null || raw === "") return null;
  let key: unknown;
  try {
    key = JSON.parse(raw);
  } catch {
    key = undefined;
  }
  const ok = Array.isArray(key) && key.length === size &&
    key.every((v) => typeof v === "string" || (typeof v === "number" && Number.isSafeInteger(v)));
  if (!ok) throw invalid(`after must be a JSON array of ${size} key values`, "after");
  return key as (string | number)[];
}

export async function handleExport(env: Env, url: URL, eventId: string, table: string): Promise<Response> {
  const spec = Object.hasOwn(TABLES, table) ? TABLES[table] : undefined;
  if (!spec) throw notFound(`Cannot export ${table.slice(0, 40)}`);
  const limit = queryInt(url, "limit", 1000, 1, 5000);
  const after = parseKey(url.searchParams.get("after"), spec.key.length);
  const keyList = sql.join(spec.key, sql`, `);
  const afterKey = after ? sql`(${keyList}) > (${sql.join(after.map((v) => sql`${v}`), sql`, `)})` : undefined;
  const query = ormOf(env.DB).select().from(spec.table).where(and(spec.scope(eventId), afterKey))
    .orderBy(...spec.key.map((column) => asc(column))).limit(limit);
  const { rows } = await measured<Record<string, unknown>>(env.DB, query);
  const last = rows[rows.length - 1];
  const names = spec.key.map((column) => column.name);
  const nextAfter = rows.length === limit && last ? JSON.stringify(names.map((k) => last[k])) : null;
  return json({ rows, next_after: nextAfter });
}
