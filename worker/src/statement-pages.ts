// Every consignor's statement, a page at a time: GET /v1/admin/events/{id}/statements
// ?after=NUMBER&limit=N (admin token, D1 session: settlement-routes.ts). A page is the next
// `limit` consignors of the event by number after `after` (-1 for the first page), fewer if
// their items would pass MAX_PAGE_ITEMS (at least one), each with the same statement as GET
// .../consignors/{number}/statement gives it; `next_after` is the page's last number, null on
// the last page. A page's reads are bounded by its consignors and their items:
// the settlement figures, sold items and payouts are read for the page's number range only (by
// the (event, consignor) indexes), so 1,000 consignors cost 1,000 / limit calls, not 1,000.
// `rows_read` is D1's count for the page.

import { and, eq, gt, sql } from "drizzle-orm";
import { Env } from "./auth";
import { json, nowIso, queryWhole } from "./http";
import { Db, measured, ormOf } from "./orm";
import { computeSettlement, ConsignorRow } from "./settlement";
import { consignorQueries, quietRow, unnumbered } from "./statement";
import { consignors, consignorTotals } from "./tables";

export const MAX_PAGE = 200;
const DEFAULT_PAGE = 50;
/** A page stops before the consignor whose items would take it past this many. */
export const MAX_PAGE_ITEMS = 5000;

/**
 * The page's consignors, in number order (the consignors' unique (event, number) index), each
 * with the items their statement lists (consignor_totals, by primary key).
 */
export function pageQuery(db: Db, eventId: string, after: number, limit: number) {
  return ormOf(db).select({ number: consignors.number, name: consignors.name, split_bp: consignors.splitBp,
    items_sold: sql<number>`COALESCE(${consignorTotals.itemsSold}, 0)`.as("items_sold") })
    .from(consignors)
    .leftJoin(consignorTotals, and(eq(consignorTotals.eventId, consignors.eventId),
      eq(consignorTotals.consignorNumber, consignors.number)))
    .where(and(eq(consignors.eventId, eventId), gt(consignors.number, after)))
    .orderBy(consignors.number).limit(limit);
}

/**
 * The consignors a page keeps: in order, while their items stay within `maxItems` (the first
 * always, however many it has), so a page of big consignors stays small; and the next page's
 * `after`: the last kept, unless this was the last page.
 */
export function pageCut<T extends { number: number; items_sold: number }>(rows: T[], limit: number,
  maxItems: number): { kept: T[]; nextAfter: number | null } {
  let items = 0;
  let kept = 0;
  for (const row of rows) {
    if (kept > 0 && items + row.items_sold > maxItems) break;
    items += row.items_sold;
    kept += 1;
  }
  const more = kept < rows.length || rows.length === limit;
  return { kept: rows.slice(0, kept), nextAfter: more && kept > 0 ? rows[kept - 1]!.number : null };
}

const grouped = <T extends { consignor_number: number }>(rows: T[]) => {
  const by = new Map<number, T[]>();
  for (const row of rows) by.set(row.consignor_number, [...(by.get(row.consignor_number) ?? []), row]);
  return (n: number) => unnumbered(by.get(n) ?? []);
};

export async function getStatementPage(request: Request, db: Db, eventId: string, _env: Env): Promise<Response> {
  const url = new URL(request.url);
  const after = queryWhole(url, "after", -1, -1, 999_999_999);
  const limit = queryWhole(url, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
  const page = await measured<{ number: number; name: string; split_bp: number; items_sold: number }>(db,
    pageQuery(db, eventId, after, limit));
  const { kept, nextAfter } = pageCut(page.rows, limit, MAX_PAGE_ITEMS);
  const generatedAt = nowIso();
  const base = { event_id: eventId, generated_at: generatedAt };
  if (kept.length === 0) {
    return json({ ...base, statements: [], next_after: null, rows_read: page.rowsRead });
  }
  const range = { from: kept[0]!.number, to: kept[kept.length - 1]!.number };
  const q = consignorQueries(db, eventId, range);
  type Numbered = { consignor_number: number };
  const [settlement, sold, refunded, paid] = await Promise.all([
    computeSettlement(db, eventId, range), measured<Numbered>(db, q.sold),
    measured<Numbered>(db, q.refunded), measured<Numbered>(db, q.payouts),
  ]);
  const rows = new Map<number, ConsignorRow>(settlement.consignors.map((row) => [row.consignor_number, row]));
  const [itemsOf, refundedOf, paidOf] = [grouped(sold.rows), grouped(refunded.rows), grouped(paid.rows)];
  const statements = kept.map((c) => ({
    ...base, settled_at: settlement.terms.settled_at, min_payout_cents: settlement.terms.min_payout_cents,
    consignor: rows.get(c.number) ?? quietRow(c.number, c.name, c.split_bp),
    items: itemsOf(c.number), refunded: refundedOf(c.number), payouts: paidOf(c.number),
  }));
  const rowsRead = page.rowsRead + settlement.rowsRead + sold.rowsRead + refunded.rowsRead + paid.rowsRead;
  return json({ ...base, statements, next_after: nextAfter, rows_read: rowsRead });
}
