// POST /v1/admin/events/{id}/resolutions {conflict_id, action, ...}: the organiser resolves a
// conflict before the event can be settled (shared DESIGN.md, "Settlement and payouts"):
//   assign       an unknown_item: {consignor_number} puts the item in the catalog for that
//                consignor, held by the first live sale of it, so it counts in their gross;
//   pick_winner  a sold_twice: {winning_sale_id}, a live sale with a line for the item, holds
//                it (the totals move with it, by migration 0005's triggers);
//   accept       a price or discount mismatch, a clock skew, a broken journal or a divergent
//                replay: the figures stand as sold.
// A conflict is resolved once; the same resolution again is 200, another one is 409. An assign
// or a pick_winner also resolves every open conflict of the same kind about the same item.

import { Env } from "./auth";
import { HttpError, invalid, json, nowIso } from "./http";
import { ID_RE } from "./records";
import { body, Db } from "./settlement";

const CATALOG_SEQ = "(SELECT value FROM counters WHERE name = 'catalog')";
const BUMP = "UPDATE counters SET value = value + 1 WHERE name = 'catalog'";
const ACCEPTABLE = ["price_mismatch", "discount_mismatch", "clock_skew", "journal_chain_broken", "divergent_replay"];
const NEEDS: Record<string, string> = { unknown_item: "assign", sold_twice: "pick_winner" };

interface ConflictRow {
  id: number;
  kind: string;
  item_id: string;
  sale_id: string;
  action: string | null;
  detail: string | null;
}

const LIVE_LINE = `FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
  WHERE sl.item_id = ?2 AND s.event_id = ?1 AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)`;

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
  const conflict = await db.prepare(
    `SELECT c.id, c.kind, c.item_id, c.sale_id, r.action, r.detail FROM conflicts c
     LEFT JOIN conflict_resolutions r ON r.conflict_id = c.id WHERE c.id = ? AND c.event_id = ?`,
  ).bind(conflictId, eventId).first<ConflictRow>();
  if (!conflict) throw new HttpError(404, "not_found", `No conflict ${conflictId} in this event`);
  const expected = NEEDS[conflict.kind] ?? (ACCEPTABLE.includes(conflict.kind) ? "accept" : "");
  if (action !== expected) throw invalid(`A ${conflict.kind} conflict is resolved by ${expected || "no action"}`, "action");
  const detail = action === "assign" ? `consignor ${await consignor(db, eventId, given.consignor_number)}`
    : action === "pick_winner" ? `sale ${await winner(db, eventId, conflict, given.winning_sale_id)}` : "accepted";
  if (conflict.action !== null) {
    if (conflict.action === action && conflict.detail === detail) return json({ ok: true, conflict_id: conflictId, detail });
    throw new HttpError(409, "already_resolved", `Conflict ${conflictId} was resolved: ${conflict.action} ${conflict.detail}`);
  }
  const statements = action === "assign" ? assignStatements(db, eventId, conflict, given.consignor_number as number)
    : action === "pick_winner" ? winnerStatements(db, eventId, conflict, given.winning_sale_id as string) : [];
  await db.batch([...statements, resolveStatement(db, eventId, conflict, action, detail)]);
  return json({ ok: true, conflict_id: conflictId, detail });
}

async function consignor(db: Db, eventId: string, number: unknown): Promise<number> {
  const known = typeof number === "number" && Number.isSafeInteger(number) && await db.prepare(
    "SELECT 1 AS ok FROM consignors WHERE event_id = ? AND number = ?").bind(eventId, number).first();
  if (!known) throw invalid("consignor_number must be a consignor of this event", "consignor_number");
  return number as number;
}

async function winner(db: Db, eventId: string, conflict: ConflictRow, saleId: unknown): Promise<string> {
  const live = typeof saleId === "string" && ID_RE.test(saleId) && await db.prepare(
    `SELECT 1 AS ok ${LIVE_LINE} AND s.id = ?3`).bind(eventId, conflict.item_id, saleId).first();
  if (!live) throw invalid(`winning_sale_id must be a live sale of item ${conflict.item_id}`, "winning_sale_id");
  return saleId as string;
}

/** The unknown item enters the catalog (or, added since, gets its consignor), held by its first live sale. */
function assignStatements(db: Db, eventId: string, conflict: ConflictRow, number: number): D1PreparedStatement[] {
  const first = `(SELECT s.id ${LIVE_LINE} ORDER BY s.rowid LIMIT 1)`;
  return [
    db.prepare(BUMP),
    db.prepare(
      `INSERT INTO items (id, event_id, consignor_number, item_number, tag_code, description, price_cents,
         status, sold_sale_id, sold_register_id, change_seq)
       SELECT ?2, ?1, ?3, 0, sl.tag_code, 'assigned at settlement', sl.unit_price_cents,
         CASE WHEN ${first} IS NULL THEN 'approved' ELSE 'sold' END, ${first},
         (SELECT register_id FROM sales WHERE id = ${first}), ${CATALOG_SEQ}
       FROM sale_lines sl WHERE sl.sale_id = ?4 AND sl.item_id = ?2
       ON CONFLICT (id) DO UPDATE SET consignor_number = excluded.consignor_number,
         status = CASE WHEN items.sold_sale_id IS NULL THEN excluded.status ELSE items.status END,
         sold_register_id = CASE WHEN items.sold_sale_id IS NULL THEN excluded.sold_register_id ELSE items.sold_register_id END,
         sold_sale_id = COALESCE(items.sold_sale_id, excluded.sold_sale_id), change_seq = excluded.change_seq`,
    ).bind(eventId, conflict.item_id, number, conflict.sale_id),
  ];
}

function winnerStatements(db: Db, eventId: string, conflict: ConflictRow, saleId: string): D1PreparedStatement[] {
  return [
    db.prepare(BUMP),
    db.prepare(
      `UPDATE items SET status = 'sold', sold_sale_id = ?3,
         sold_register_id = (SELECT register_id FROM sales WHERE id = ?3), change_seq = ${CATALOG_SEQ}
       WHERE id = ?2 AND event_id = ?1`,
    ).bind(eventId, conflict.item_id, saleId),
  ];
}

/** The resolution of this conflict and (but for accept) of every other open one of its kind about the same item. */
function resolveStatement(db: Db, eventId: string, conflict: ConflictRow, action: string, detail: string): D1PreparedStatement {
  return db.prepare(
    `INSERT INTO conflict_resolutions (conflict_id, event_id, action, detail, resolved_at)
     SELECT c.id, ?1, ?4, ?5, ?6 FROM conflicts c
     WHERE c.event_id = ?1 AND (c.id = ?2 OR (?4 != 'accept' AND c.item_id != '' AND c.item_id = ?3 AND c.kind = ?7))
       AND NOT EXISTS (SELECT 1 FROM conflict_resolutions r WHERE r.conflict_id = c.id)`,
  ).bind(eventId, conflict.id, conflict.item_id, action, detail, nowIso(), conflict.kind);
}
