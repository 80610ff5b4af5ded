// Settlement (shared DESIGN.md, "Settlement and payouts"): GET /v1/admin/events/{id}/settlement
// reads one consignor_totals row per consignor (kept up to date by the triggers of migration
// 0005 inside every push, void, line refund and resolution: each moves items.sold_sale_id),
// the event's terms, fees, payouts and how many conflicts are unresolved per consignor (the
// conflicts themselves: GET .../conflicts, a page at a time), and computes share (half up
// once on the consignor's total), fees and balance. PUT .../fees sets the terms; POST
// .../settle marks the event settled, never while a conflict is unresolved. Every query is
// built with Drizzle over src/tables.ts and runs on a D1 session (settlement-routes.ts), so a
// read that follows the organiser's write sees it.

import { and, between, eq, inArray, ne, notExists, or, sql, SQLWrapper } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { percentOf } from "./arithmetic";
import { Env } from "./auth";
import { HttpError, intVar, invalid, isObject, json, notFound, nowIso, readJson } from "./http";
import { Db, measured, Orm, ormOf, statement } from "./orm";
import { ID_RE, listOf } from "./records";
import { conflictCounts } from "./settlement-conflicts";
import {
  conflictResolutions, conflicts, consignors, consignorTotals, events, itemFees, items, payouts, settlementTerms,
} from "./tables";

export type { Db };

export async function requireEvent(db: Db, eventId: string): Promise<void> {
  const row = await ormOf(db).select({ id: events.id }).from(events).where(eq(events.id, eventId)).get();
  if (!row) throw notFound(`No event ${eventId}`);
}

export async function body(request: Request, env: Env): Promise<Record<string, unknown>> {
  const given = await readJson(request, intVar(env.MAX_BODY_BYTES, 4_000_000));
  if (!isObject(given)) throw invalid("The body must be a JSON object");
  return given;
}

/** A whole number of cents from `min` to 10^10 (or its negative), 400 naming `field`. */
export function cents(value: unknown, field: string, min = 0): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || Math.abs(value) > 10_000_000_000) {
    throw invalid(`${field} must be a whole number of cents from ${min} to 10000000000`, field);
  }
  return value;
}

export interface ConsignorRow {
  consignor_number: number;
  name: string;
  items_sold: number;
  gross_cents: number;
  split_bp: number;
  share_cents: number;
  fees_cents: number;
  paid_cents: number;
  balance_cents: number;
  payable_cents: number;
  unresolved_conflicts: number;
}

interface Terms {
  consignor_fee_cents: number;
  min_payout_cents: number;
  settled_at: string | null;
}

interface Sums {
  consignor_number: number;
  name: string | null;
  split_bp: number | null;
  items_sold: number;
  gross_cents: number;
  item_fees_cents: number;
  paid_cents: number;
}

const byNumber = (rows: { consignor_number: number; cents: number }[]) =>
  new Map(rows.map((row) => [row.consignor_number, row.cents]));

/** Consignor numbers from `from` to `to`, both included. */
export interface NumberRange {
  from: number;
  to: number;
}

/**
 * Every read of a settlement, built with Drizzle against src/tables.ts; with `range`, the
 * totals, payouts and fees read only those consignors' rows (by index).
 */
function queries(orm: Orm, eventId: string, range?: NumberRange) {
  const within = (column: SQLiteColumn) => range ? between(column, range.from, range.to) : undefined;
  const cents = (column: SQLWrapper) => sql<number>`COALESCE(SUM(${column}), 0)`.as("cents");
  return {
    terms: orm.select({ consignor_fee_cents: settlementTerms.consignorFeeCents,
      min_payout_cents: settlementTerms.minPayoutCents, settled_at: settlementTerms.settledAt })
      .from(settlementTerms).where(eq(settlementTerms.eventId, eventId)),
    // How many conflicts are open, per consignor (null: the event's own), never the list.
    open: conflictCounts(orm, eventId, range),
    // The consignors who sold: their totals row, name and split, each by primary key.
    sold: orm.select({ consignor_number: consignorTotals.consignorNumber, name: consignors.name,
      split_bp: consignors.splitBp, items_sold: consignorTotals.itemsSold, gross_cents: consignorTotals.grossCents })
      .from(consignorTotals)
      .leftJoin(consignors, and(eq(consignors.eventId, consignorTotals.eventId),
        eq(consignors.number, consignorTotals.consignorNumber)))
      .where(and(eq(consignorTotals.eventId, eventId), within(consignorTotals.consignorNumber),
        or(ne(consignorTotals.itemsSold, 0), ne(consignorTotals.grossCents, 0)))),
    paid: orm.select({ consignor_number: payouts.consignorNumber, cents: cents(payouts.amountCents) })
      .from(payouts).where(and(eq(payouts.eventId, eventId), within(payouts.consignorNumber))).groupBy(payouts.consignorNumber),
    fees: orm.select({ consignor_number: items.consignorNumber, cents: cents(itemFees.amountCents) })
      .from(itemFees).innerJoin(items, eq(items.id, itemFees.itemId))
      .where(and(eq(itemFees.eventId, eventId), within(items.consignorNumber))).groupBy(items.consignorNumber),
    // Consignors who did not sell but were paid, owe a fee or have a conflict: name and split.
    others: (numbers: number[]) => orm.select({ consignor_number: consignors.number, name: consignors.name,
      split_bp: consignors.splitBp }).from(consignors)
      .where(and(eq(consignors.eventId, eventId), inArray(consignors.number, numbers))),
  };
}

export interface Settlement {
  terms: Terms;
  consignors: ConsignorRow[];
  eventConflicts: number;
  rowsRead: number;
}

/**
 * The event's settlement, or (with `only`) the rows of one consignor or of a range of
 * consignor numbers (a page of statements), reading only their rows.
 */
export async function computeSettlement(db: Db, eventId: string, only?: number | NumberRange): Promise<Settlement> {
  const range = typeof only === "number" ? { from: only, to: only } : only;
  const q = queries(ormOf(db), eventId, range);
  const [terms, open, sold, paid, fees] = await Promise.all([
    measured<Terms>(db, q.terms), measured<{ n: number | null; count: number }>(db, q.open),
    measured<Omit<Sums, "item_fees_cents" | "paid_cents">>(db, q.sold),
    measured<{ consignor_number: number; cents: number }>(db, q.paid),
    measured<{ consignor_number: number; cents: number }>(db, q.fees),
  ]);
  const byConsignor = new Map(open.rows.filter((row) => row.n !== null).map((row) => [row.n!, row.count]));
  const eventConflicts = open.rows.find((row) => row.n === null)?.count ?? 0;
  const [paidBy, feesBy] = [byNumber(paid.rows), byNumber(fees.rows)];
  const known = new Set(sold.rows.map((row) => row.consignor_number));
  const inRange = (n: number) => range === undefined || (n >= range.from && n <= range.to);
  const missing = [...new Set([...paidBy.keys(), ...feesBy.keys(), ...byConsignor.keys()])]
    .filter((n) => !known.has(n) && inRange(n));
  const others = missing.length === 0 ? { rows: [], rowsRead: 0 }
    : await measured<{ consignor_number: number; name: string; split_bp: number }>(db, q.others(missing));
  const named = new Map(others.rows.map((row) => [row.consignor_number, row]));
  const rows: Sums[] = [
    ...sold.rows.map((row) => ({ ...row, item_fees_cents: 0, paid_cents: 0 })),
    ...missing.map((n) => ({ consignor_number: n, name: named.get(n)?.name ?? null, split_bp: named.get(n)?.split_bp ?? null,
      items_sold: 0, gross_cents: 0, item_fees_cents: 0, paid_cents: 0 })),
  ];
  const t = terms.rows[0] ?? { consignor_fee_cents: 0, min_payout_cents: 0, settled_at: null };
  const consignorRows = rows
    .filter((row) => inRange(row.consignor_number))
    .map((row) => ({ ...row, item_fees_cents: feesBy.get(row.consignor_number) ?? 0,
      paid_cents: paidBy.get(row.consignor_number) ?? 0 }))
    .sort((a, b) => a.consignor_number - b.consignor_number)
    .map((row) => consignorRow(row, t, byConsignor.get(row.consignor_number) ?? 0));
  const rowsRead = [terms, open, sold, paid, fees, others].reduce((sum, r) => sum + r.rowsRead, 0);
  return { terms: t, consignors: consignorRows, eventConflicts, rowsRead };
}

/** One consignor's figures, as the shared vectors (tests/vectors/settlement.json) give them. */
export interface Figures {
  grossCents: number;
  splitBp: number;
  feesCents: number;
  paidCents: number;
  minPayoutCents: number;
}

/** Share (half up ONCE on the total gross), balance and what is payable under the minimum. */
export function settleFigures(f: Figures): { share: number; balance: number; payable: number } {
  const share = percentOf(f.grossCents, f.splitBp);
  const balance = share - f.feesCents - f.paidCents;
  return { share, balance, payable: balance > 0 && balance >= f.minPayoutCents ? balance : 0 };
}

function consignorRow(row: Sums, terms: Terms, openConflicts: number): ConsignorRow {
  const split = row.split_bp ?? 0;
  const fees = terms.consignor_fee_cents + row.item_fees_cents;
  const { share, balance, payable } = settleFigures({ grossCents: row.gross_cents, splitBp: split, feesCents: fees,
    paidCents: row.paid_cents, minPayoutCents: terms.min_payout_cents });
  return {
    consignor_number: row.consignor_number, name: row.name ?? "", items_sold: row.items_sold,
    gross_cents: row.gross_cents, split_bp: split, share_cents: share, fees_cents: fees,
    paid_cents: row.paid_cents, balance_cents: balance, payable_cents: payable,
    unresolved_conflicts: openConflicts,
  };
}

const SUMMED = ["items_sold", "gross_cents", "share_cents", "fees_cents", "paid_cents", "balance_cents",
  "payable_cents"] as const;

export async function getSettlement(_request: Request, db: Db, eventId: string): Promise<Response> {
  const { terms, consignors, eventConflicts, rowsRead } = await computeSettlement(db, eventId);
  const totals: Record<string, number> = {};
  for (const key of SUMMED) totals[key] = consignors.reduce((sum, row) => sum + row[key], 0);
  const unresolved = eventConflicts + consignors.reduce((n, row) => n + row.unresolved_conflicts, 0);
  return json({
    event_id: eventId, generated_at: nowIso(), settled_at: terms.settled_at,
    consignor_fee_cents: terms.consignor_fee_cents, min_payout_cents: terms.min_payout_cents,
    consignors, totals, unresolved_conflicts: unresolved, event_conflicts: eventConflicts, rows_read: rowsRead,
  });
}

const MAX_ITEM_FEES = 2000;

/**
 * PUT .../fees {consignor_fee_cents, min_payout_cents, item_fees: [{item_id, kind, amount_cents}]}:
 * the event's terms, the item fees replaced as a whole. 400 for an item of another event.
 */
export async function putFees(request: Request, db: Db, eventId: string, env: Env): Promise<Response> {
  const given = await body(request, env);
  const fee = cents(given.consignor_fee_cents ?? 0, "consignor_fee_cents");
  const minimum = cents(given.min_payout_cents ?? 0, "min_payout_cents");
  const fees = listOf({ item_fees: given.item_fees ?? [] }, "item_fees", MAX_ITEM_FEES).map((row, k) => {
    const where = `item_fees[${k}]`;
    if (!isObject(row)) throw invalid("Must be a JSON object", where);
    if (typeof row.item_id !== "string" || !ID_RE.test(row.item_id)) throw invalid("item_id must be an id", `${where}.item_id`);
    if (typeof row.kind !== "string" || !/^[a-z_]{1,40}$/.test(row.kind)) {
      throw invalid("kind must be 1 to 40 lowercase letters or _", `${where}.kind`);
    }
    return [row.item_id, row.kind, cents(row.amount_cents, `${where}.amount_cents`)];
  });
  const orm = ormOf(db);
  const listed = sql`(SELECT json_extract(value, '$[0]') FROM json_each(${JSON.stringify(fees)}))`;
  const found = await orm.select({ id: items.id }).from(items)
    .where(and(eq(items.eventId, eventId), inArray(items.id, listed))).all();
  const known = new Set(found.map((row) => row.id));
  const missing = fees.find(([itemId]) => !known.has(itemId as string));
  if (missing) throw invalid(`No item ${missing[0]} in this event`, "item_fees");
  const terms = { consignorFeeCents: fee, minPayoutCents: minimum, updatedAt: nowIso() };
  // The fees travel as one JSON parameter (json_each): 2,000 rows stay one statement.
  await db.batch([
    statement(db, orm.insert(settlementTerms).values({ eventId, ...terms })
      .onConflictDoUpdate({ target: settlementTerms.eventId, set: terms })),
    statement(db, orm.delete(itemFees).where(eq(itemFees.eventId, eventId))),
    statement(db, sql`INSERT INTO ${itemFees} (event_id, item_id, kind, amount_cents)
      SELECT ${eventId}, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]')
      FROM json_each(${JSON.stringify(fees)}) j WHERE true
      ON CONFLICT (event_id, item_id, kind) DO UPDATE SET amount_cents = excluded.amount_cents`),
  ]);
  return json({ ok: true, event_id: eventId, consignor_fee_cents: fee, min_payout_cents: minimum, item_fees: fees.length });
}

/**
 * POST .../settle: the event is settled (once) by one statement that writes only while no
 * conflict is unresolved, so a conflict that lands meanwhile cannot slip past; else 409.
 */
export async function settle(_request: Request, db: Db, eventId: string): Promise<Response> {
  const orm = ormOf(db);
  const open = orm.select({ id: conflicts.id }).from(conflicts)
    .where(and(eq(conflicts.eventId, eventId), notExists(orm.select({ one: sql`1` }).from(conflictResolutions)
      .where(eq(conflictResolutions.conflictId, conflicts.id)))));
  const now = nowIso();
  const row = await statement(db, sql`
    INSERT INTO ${settlementTerms} (event_id, settled_at, updated_at)
    SELECT ${eventId}, ${now}, ${now} WHERE ${notExists(open)}
    ON CONFLICT (event_id) DO UPDATE SET settled_at = COALESCE(settled_at, excluded.settled_at),
      updated_at = excluded.updated_at
    RETURNING settled_at`).first<{ settled_at: string }>();
  if (row) return json({ ok: true, event_id: eventId, settled_at: row.settled_at });
  const ids = await open.orderBy(conflicts.id).limit(100).all();
  throw new HttpError(409, "unresolved_conflicts", "Every conflict must be resolved before the event is settled",
    { conflict_ids: ids.map((r) => r.id) });
}
