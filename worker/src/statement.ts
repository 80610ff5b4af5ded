// One consignor's statement: GET /v1/admin/events/{id}/consignors/{number}/statement (admin
// token, checked by the router). The consignor's settlement row (the same figures as GET
// .../settlement: computeSettlement with `only`), the items that count in their gross with the
// price each sold for (the item's holding sale, as the consignor_totals triggers count it),
// the lines refunded to customers, and the consignor's payouts. Every query is Drizzle on a D1
// session, so a statement read right after a payout shows it; the item and payout reads use
// the (event, consignor) indexes, never a scan of the event's sales.

import { and, asc, between, eq, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { Env } from "./auth";
import { json, notFound, nowIso } from "./http";
import { Db, ormOf } from "./orm";
import { ID_RE } from "./records";
import { computeSettlement, ConsignorRow, NumberRange, requireEvent } from "./settlement";
import { consignors, items, payouts, refunds, saleLines, sales } from "./tables";

type Handler = (request: Request, env: Env) => Promise<Response>;

/** The statement handler for `parts` (the path after /v1/admin/), else null. */
export function statementRoute(method: string, parts: string[]): Handler | null {
  const [kind, eventId, area, number, action, ...rest] = parts;
  if (method !== "GET" || kind !== "events" || area !== "consignors" || action !== "statement") return null;
  if (rest.length > 0 || !eventId || !ID_RE.test(eventId)) return null;
  if (!number || !/^\d{1,9}$/.test(number)) throw notFound(`No consignor ${number ?? ""}`);
  return (_request, env) => getStatement(env.DB.withSession("first-primary"), eventId, Number(number));
}

/** The statement's reads (exported for the query-plan test). */
export function statementQueries(db: Db, eventId: string, number: number) {
  return consignorQueries(db, eventId, { from: number, to: number });
}

/**
 * The statement reads of the consignors numbered `range.from` to `range.to` (one, or a page of
 * them), each row naming its consignor_number, in consignor order.
 */
export function consignorQueries(db: Db, eventId: string, range: NumberRange) {
  const orm = ormOf(db);
  // Aliased in the SQL, so a raw D1 read (measured: its rows_read) names them as Drizzle does.
  const as = <T>(column: SQLiteColumn<any>, name: string) => sql<T>`${column}`.as(name);
  const refundedOf = sql<number>`COALESCE(${items.consignorNumber}, ${saleLines.consignorNumber})`;
  return {
    consignor: orm.select({ name: consignors.name, split_bp: consignors.splitBp }).from(consignors)
      .where(and(eq(consignors.eventId, eventId), eq(consignors.number, range.from))),
    // Each item counts at the line of the sale that holds it (items.sold_sale_id), once.
    sold: orm.select({ consignor_number: items.consignorNumber, item_id: as<string>(items.id, "item_id"),
      tag_code: items.tagCode, description: items.description, sale_id: as<string>(sales.id, "sale_id"),
      sold_at: as<string>(sales.createdAt, "sold_at"),
      unit_price_cents: saleLines.unitPriceCents, discount_cents: saleLines.discountCents,
      price_cents: saleLines.priceCents })
      .from(items)
      .innerJoin(saleLines, and(eq(saleLines.itemId, items.id), eq(saleLines.saleId, items.soldSaleId)))
      .innerJoin(sales, eq(sales.id, saleLines.saleId))
      .where(and(eq(items.eventId, eventId), between(items.consignorNumber, range.from, range.to)))
      .orderBy(asc(items.consignorNumber), asc(sales.createdAt), asc(items.tagCode)),
    refunded: orm.select({ consignor_number: refundedOf, refund_id: as<string>(refunds.id, "refund_id"),
      item_id: saleLines.itemId, tag_code: saleLines.tagCode, description: items.description,
      sale_id: refunds.saleId, refunded_at: as<string>(refunds.createdAt, "refunded_at"), price_cents: saleLines.priceCents, amount_cents: refunds.amountCents })
      .from(refunds)
      .innerJoin(saleLines, and(eq(saleLines.saleId, refunds.saleId), eq(saleLines.lineNo, refunds.lineNo)))
      .leftJoin(items, and(eq(items.id, saleLines.itemId), eq(items.eventId, refunds.eventId)))
      // The catalog's consignor of the item, or the line's for an item the catalog does not know.
      .where(and(eq(refunds.eventId, eventId), between(refundedOf, range.from, range.to)))
      .orderBy(asc(refundedOf), asc(refunds.createdAt), asc(refunds.id)),
    payouts: orm.select({ consignor_number: payouts.consignorNumber, id: payouts.id, amount_cents: payouts.amountCents,
      method: payouts.method, reference: payouts.reference, corrects: payouts.corrects,
      recorded_by: payouts.recordedBy, created_at: payouts.createdAt })
      .from(payouts).where(and(eq(payouts.eventId, eventId),
        between(payouts.consignorNumber, range.from, range.to)))
      .orderBy(asc(payouts.consignorNumber), asc(payouts.createdAt), asc(payouts.id)),
  };
}

/** The rows without their consignor_number (a statement lists only its own consignor's). */
export function unnumbered<T extends { consignor_number: number }>(rows: T[]): Omit<T, "consignor_number">[] {
  return rows.map(({ consignor_number: _n, ...rest }) => rest);
}

/** The row of a consignor the settlement leaves out (nothing sold, paid, owed or in conflict). */
export function quietRow(number: number, name: string, splitBp: number): ConsignorRow {
  return { consignor_number: number, name, items_sold: 0, gross_cents: 0, split_bp: splitBp, share_cents: 0,
    fees_cents: 0, paid_cents: 0, balance_cents: 0, payable_cents: 0, unresolved_conflicts: 0 };
}

export async function getStatement(db: Db, eventId: string, number: number): Promise<Response> {
  await requireEvent(db, eventId);
  const q = statementQueries(db, eventId, number);
  const consignor = await q.consignor.get();
  if (!consignor) throw notFound(`No consignor ${number} in event ${eventId}`);
  // Drizzle's own .all() names each field as the select does (measured() keeps column names).
  const [settlement, sold, refunded, paid] = await Promise.all([
    computeSettlement(db, eventId, number), q.sold.all(), q.refunded.all(), q.payouts.all(),
  ]);
  const row = settlement.consignors[0] ?? quietRow(number, consignor.name, consignor.split_bp);
  return json({
    event_id: eventId, generated_at: nowIso(), settled_at: settlement.terms.settled_at,
    min_payout_cents: settlement.terms.min_payout_cents, consignor: row,
    items: unnumbered(sold), refunded: unnumbered(refunded), payouts: unnumbered(paid),
  });
}
