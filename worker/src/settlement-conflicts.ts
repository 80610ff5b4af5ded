// The event's open (unresolved) conflicts for the organiser, never as one unbounded list: the
// settlement reads only their COUNT per consignor (conflictCounts: one row per consignor with
// an open conflict, plus one for the event's own), and GET /v1/admin/events/{id}/conflicts
// ?after=ID&limit=N&consignor=NUMBER gives the conflicts themselves a page at a time, by
// conflict id (keyset on the (event_id, id) index), `limit` 1 to MAX_CONFLICT_PAGE, optionally
// only those of one consignor. A page examines at most SCAN_FACTOR x `limit` conflicts of the
// event (resolved ones, and other consignors' under the filter, are stepped over), so its cost
// stays bounded whatever is behind it: a page may come back short, or empty, with a
// `next_after` to go on from. A conflict about an item belongs to its item's consignor (the
// catalog's, else the line's for an item the catalog does not know); one about no item (clock,
// journal, divergent replay) to the event (consignor_number null).

import { and, eq, gt, notExists, sql } from "drizzle-orm";
import { Env } from "./auth";
import { json, queryInt, queryWhole } from "./http";
import { Db, measured, Orm, ormOf } from "./orm";
import { conflictResolutions, conflicts, items, saleLines } from "./tables";
import type { NumberRange } from "./settlement";

export interface Conflict {
  id: number;
  kind: string;
  item_id: string;
  sale_id: string;
  register_id: string;
  winning_sale_id: string | null;
  winning_register_id: string | null;
  expected_cents: number | null;
  actual_cents: number | null;
  detail: string;
  consignor_number: number | null;
}

export const MAX_CONFLICT_PAGE = 500;
const DEFAULT_CONFLICT_PAGE = 100;
/** A page examines at most this many times `limit` conflicts of the event (open or not). */
export const SCAN_FACTOR = 10;

export interface PageWanted {
  after: number;
  limit: number;
  consignor?: number;
}

/** The consignor a conflict belongs to: its item's in the catalog, else its sale line's. */
const consignorOf = sql<number | null>`COALESCE(${items.consignorNumber}, (SELECT ${saleLines.consignorNumber}
  FROM ${saleLines} WHERE ${saleLines.saleId} = ${conflicts.saleId} AND ${saleLines.itemId} = ${conflicts.itemId}))`;

/** The event's conflicts that no resolution closed yet (the (event_id, id) index). */
function unresolved(orm: Orm, eventId: string) {
  return and(eq(conflicts.eventId, eventId), notExists(orm.select({ one: sql`1` }).from(conflictResolutions)
    .where(eq(conflictResolutions.conflictId, conflicts.id))));
}

const withItem = and(eq(items.id, conflicts.itemId), eq(items.eventId, conflicts.eventId));

/**
 * How many open conflicts each consignor has (`n` null: the event's own), one row per
 * consignor; with `range`, only those of consignors numbered in it.
 */
export function conflictCounts(orm: Orm, eventId: string, range?: NumberRange) {
  const within = range ? sql`${consignorOf} BETWEEN ${range.from} AND ${range.to}` : undefined;
  return orm.select({ n: consignorOf.as("n"), count: sql<number>`COUNT(*)`.as("count") })
    .from(conflicts).leftJoin(items, withItem)
    .where(and(unresolved(orm, eventId), within))
    .groupBy(sql`n`);
}

/** The last id of the `window` conflicts of the event after `after` (none when fewer remain). */
export function windowEndQuery(db: Db, eventId: string, after: number, window: number) {
  return ormOf(db).select({ id: conflicts.id }).from(conflicts)
    .where(and(eq(conflicts.eventId, eventId), gt(conflicts.id, after)))
    .orderBy(conflicts.id).limit(1).offset(window - 1);
}

/**
 * The next `limit` open conflicts after id `after` within the window (one more, to know
 * whether the page is full).
 */
export function conflictPageQuery(db: Db, eventId: string, wanted: PageWanted,
  window = SCAN_FACTOR * wanted.limit) {
  const { after, limit, consignor } = wanted;
  const orm = ormOf(db);
  const end = windowEndQuery(db, eventId, after, window);
  return orm.select({ id: conflicts.id, kind: conflicts.kind, item_id: conflicts.itemId, sale_id: conflicts.saleId,
    register_id: conflicts.registerId, winning_sale_id: conflicts.winningSaleId,
    winning_register_id: conflicts.winningRegisterId, expected_cents: conflicts.expectedCents,
    actual_cents: conflicts.actualCents, detail: conflicts.detail, consignor_number: consignorOf.as("consignor_number") })
    .from(conflicts).leftJoin(items, withItem)
    .where(and(unresolved(orm, eventId), gt(conflicts.id, after),
      sql`${conflicts.id} <= COALESCE((${end}), ${Number.MAX_SAFE_INTEGER})`,
      consignor === undefined ? undefined : sql`${consignorOf} = ${consignor}`))
    .orderBy(conflicts.id).limit(limit + 1);
}

/**
 * A page and where the next one starts: after its last conflict when it is full, else after
 * the window it examined (null once nothing is left to examine).
 */
export async function conflictPage(db: Db, eventId: string, wanted: PageWanted,
  window = SCAN_FACTOR * wanted.limit) {
  const page = await measured<Conflict>(db, conflictPageQuery(db, eventId, wanted, window));
  const listed = page.rows.slice(0, wanted.limit);
  if (page.rows.length > wanted.limit) {
    return { conflicts: listed, nextAfter: listed[listed.length - 1]!.id, rowsRead: page.rowsRead };
  }
  const end = await measured<{ id: number }>(db, windowEndQuery(db, eventId, wanted.after, window));
  return { conflicts: listed, nextAfter: end.rows[0]?.id ?? null, rowsRead: page.rowsRead + end.rowsRead };
}

/**
 * GET .../conflicts?after=ID&limit=N&consignor=NUMBER -> {"event_id", "conflicts": [...],
 * "next_after": ID|null, "rows_read"}: `next_after` is where the next page starts, null when
 * nothing is left.
 * 400 naming the parameter for a bad `after`, `limit` or `consignor`.
 */
export async function getConflictPage(request: Request, db: Db, eventId: string, _env: Env): Promise<Response> {
  const url = new URL(request.url);
  const after = queryInt(url, "after", 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = queryInt(url, "limit", DEFAULT_CONFLICT_PAGE, 1, MAX_CONFLICT_PAGE);
  // given empty, the filter is refused, not ignored
  const consignor = url.searchParams.has("consignor") ? queryWhole(url, "consignor", 0, 0, 999_999_999) : undefined;
  const page = await conflictPage(db, eventId, { after, limit, consignor });
  return json({ event_id: eventId, conflicts: page.conflicts, next_after: page.nextAfter, rows_read: page.rowsRead });
}
