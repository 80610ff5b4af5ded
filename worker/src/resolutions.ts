// POST /v1/admin/events/{id}/resolutions {conflict_id, action, ...}: the organiser resolves a
// conflict before the event can be settled (shared DESIGN.md, "Settlement and payouts"):
//   assign       an unknown_item: {consignor_number} puts the item in the catalog for that
//                consignor, held by the first live sale of it, so it counts in their gross;
//   pick_winner  a sold_twice: {winning_sale_id}, a live sale with a live (unrefunded) line for the item, holds
//                it (the totals move with it, by migration 0005's triggers);
//   accept       a price or discount mismatch, a clock skew, a broken journal or a divergent
//                replay: the figures stand as sold.
// A conflict is resolved once; the same resolution again is 200, another one is 409. An assign
// or a pick_winner also resolves every open conflict of the same kind about the same item.

import { and, eq, notExists, sql } from "drizzle-orm";
import { Env } from "./auth";
import { HttpError, invalid, json, nowIso } from "./http";
import { Db, Orm, ormOf, statement } from "./orm";
import { ID_RE } from "./records";
import { body } from "./settlement";
import { conflictResolutions, conflicts, consignors, counters, items, refunds, saleLines, sales, voids } from "./tables";

const ACCEPTABLE = ["price_mismatch", "discount_mismatch", "clock_skew", "journal_chain_broken", "divergent_replay"];
const NEEDS: Record<string, string> = { unknown_item: "assign", sold_twice: "pick_winner" };
const CATALOG_SEQ = sql`(SELECT ${counters.value} FROM ${counters} WHERE ${counters.name} = 'catalog')`;

interface ConflictRow {
  id: number;
  kind: string;
  item_id: string;
  sale_id: string;
  action: string | null;
  detail: string | null;
}

/**
 * The live sales of the event with a line for `itemId` (only `saleId`, if given): not voided,
 * and the line not refunded (a refunded item came back: the push released it, issue 12).
 */
function liveSales(orm: Orm, eventId: string, itemId: string, saleId?: string) {
  return orm.select({ id: sales.id }).from(saleLines).innerJoin(sales, eq(sales.id, saleLines.saleId))
    .where(and(eq(saleLines.itemId, itemId), eq(sales.eventId, eventId),
      saleId === undefined ? undefined : eq(sales.id, saleId),
      notExists(orm.select({ one: sql`1` }).from(voids).where(eq(voids.saleId, sales.id))),
      notExists(orm.select({ one: sql`1` }).from(refunds)
        .where(and(eq(refunds.saleId, saleLines.saleId), eq(refunds.lineNo, saleLines.lineNo))))));
}

export async function handleResolution(request: Request, db: Db, eventId: string, env: Env): Promise<Response> {
  const given = await body(request, env);
  const conflictId = given.conflict_id;
  if (typeof conflictId !== "number" || !Number.isSafeInteger(conflictId) || conflictId < 1) {
    throw invalid("conflict_id must be a conflict's id", "conflict_id");
  }
  const action = given.action;
  if (action !== "assign" && action !== "pick_winner" && action !== "accept") {
    throw invalid("action must be assign, pick_winner or accept", "action");
  }
  const orm = ormOf(db);
  const conflict: ConflictRow | undefined = await orm.select({ id: conflicts.id, kind: conflicts.kind,
    item_id: conflicts.itemId, sale_id: conflicts.saleId, action: conflictResolutions.action,
    detail: conflictResolutions.detail }).from(conflicts)
    .leftJoin(conflictResolutions, eq(conflictResolutions.conflictId, conflicts.id))
    .where(and(eq(conflicts.id, conflictId), eq(conflicts.eventId, eventId))).get();
  if (!conflict) throw new HttpError(404, "not_found", `No conflict ${conflictId} in this event`);
  const expected = NEEDS[conflict.kind] ?? (ACCEPTABLE.includes(conflict.kind) ? "accept" : "");
  if (action !== expected) throw invalid(`A ${conflict.kind} conflict is resolved by ${expected || "no action"}`, "action");
  const detail = action === "assign" ? `consignor ${await consignor(orm, eventId, given.consignor_number)}`
    : action === "pick_winner" ? `sale ${await winner(orm, eventId, conflict, given.winning_sale_id)}` : "accepted";
  if (conflict.action !== null) {
    if (conflict.action === action && conflict.detail === detail) return json({ ok: true, conflict_id: conflictId, detail });
    throw new HttpError(409, "already_resolved", `Conflict ${conflictId} was resolved: ${conflict.action} ${conflict.detail}`);
  }
  const writes = action === "assign" ? assignWrites(orm, eventId, conflict, given.consignor_number as number)
    : action === "pick_winner" ? winnerWrites(orm, eventId, conflict, given.winning_sale_id as string) : [];
  await db.batch([...writes, resolveWrite(orm, eventId, conflict, action, detail)].map((q) => statement(db, q)));
  return json({ ok: true, conflict_id: conflictId, detail });
}

async function consignor(orm: Orm, eventId: string, number: unknown): Promise<number> {
  const known = typeof number === "number" && Number.isSafeInteger(number) && await orm.select({ n: consignors.number })
    .from(consignors).where(and(eq(consignors.eventId, eventId), eq(consignors.number, number))).get();
  if (!known) throw invalid("consignor_number must be a consignor of this event", "consignor_number");
  return number as number;
}

async function winner(orm: Orm, eventId: string, conflict: ConflictRow, saleId: unknown): Promise<string> {
  const live = typeof saleId === "string" && ID_RE.test(saleId)
    && await liveSales(orm, eventId, conflict.item_id, saleId).get();
  if (!live) throw invalid(`winning_sale_id must be a live sale of item ${conflict.item_id}`, "winning_sale_id");
  return saleId as string;
}

const bump = (orm: Orm) => orm.update(counters).set({ value: sql`${counters.value} + 1` }).where(eq(counters.name, "catalog"));

/** The unknown item enters the catalog (or, added since, gets its consignor), held by its first live sale. */
function assignWrites(orm: Orm, eventId: string, conflict: ConflictRow, number: number) {
  const first = sql`(${liveSales(orm, eventId, conflict.item_id).orderBy(sql`${sales}.rowid`).limit(1)})`;
  return [
    bump(orm),
    sql`INSERT INTO ${items} (id, event_id, consignor_number, item_number, tag_code, description, price_cents,
         status, sold_sale_id, sold_register_id, change_seq)
       SELECT ${conflict.item_id}, ${eventId}, ${number}, 0, sl.tag_code, 'assigned at settlement', sl.unit_price_cents,
         CASE WHEN ${first} IS NULL THEN 'approved' ELSE 'sold' END, ${first},
         (SELECT register_id FROM sales WHERE id = ${first}), ${CATALOG_SEQ}
       FROM sale_lines sl WHERE sl.sale_id = ${conflict.sale_id} AND sl.item_id = ${conflict.item_id}
       ON CONFLICT (id) DO UPDATE SET consignor_number = excluded.consignor_number,
         status = CASE WHEN items.sold_sale_id IS NULL THEN excluded.status ELSE items.status END,
         sold_register_id = CASE WHEN items.sold_sale_id IS NULL THEN excluded.sold_register_id ELSE items.sold_register_id END,
         sold_sale_id = COALESCE(items.sold_sale_id, excluded.sold_sale_id), change_seq = excluded.change_seq`,
  ];
}

function winnerWrites(orm: Orm, eventId: string, conflict: ConflictRow, saleId: string) {
  return [
    bump(orm),
    orm.update(items).set({ status: "sold", soldSaleId: saleId, changeSeq: CATALOG_SEQ,
      soldRegisterId: sql`(SELECT ${sales.registerId} FROM ${sales} WHERE ${sales.id} = ${saleId})` })
      .where(and(eq(items.id, conflict.item_id), eq(items.eventId, eventId))),
  ];
}

/** The resolution of this conflict and (but for accept) of every other open one of its kind about the same item. */
function resolveWrite(orm: Orm, eventId: string, conflict: ConflictRow, action: string, detail: string) {
  const siblings = action === "accept" ? sql`0` : sql`c.item_id != '' AND c.item_id = ${conflict.item_id} AND c.kind = ${conflict.kind}`;
  return sql`INSERT INTO ${conflictResolutions} (conflict_id, event_id, action, detail, resolved_at)
     SELECT c.id, ${eventId}, ${action}, ${detail}, ${nowIso()} FROM conflicts c
     WHERE c.event_id = ${eventId} AND (c.id = ${conflict.id} OR (${siblings}))
       AND NOT EXISTS (SELECT 1 FROM conflict_resolutions r WHERE r.conflict_id = c.id)`;
}
