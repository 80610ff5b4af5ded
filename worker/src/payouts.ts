// POST /v1/admin/events/{id}/payouts {id, consignor_number, amount_cents, method, reference,
// corrects}: the payouts ledger (shared DESIGN.md), append-only in integer cents (the table's
// triggers refuse UPDATE and DELETE). Idempotent by id: 201 for a new row, 200 for the same id
// with the same content, 409 for the same id with other content. A correction is a negative
// row whose `corrects` names a payout of the same consignor; `corrects` is required on a
// negative amount and absent otherwise. A payout must not exceed the consignor's balance nor
// be made while that balance is under the event's minimum payout: checked first for a clear
// answer, then again by the INSERT itself (guardedInsert), so two payouts at once cannot both pass.

import { and, eq, SQL, sql } from "drizzle-orm";
import { Env } from "./auth";
import { HttpError, invalid, json, nowIso } from "./http";
import { Db, ormOf, statement } from "./orm";
import { ID_RE } from "./records";
import { body, cents, computeSettlement } from "./settlement";
import { consignors, consignorTotals, itemFees, items, payouts, settlementTerms } from "./tables";

export const METHODS = ["check", "e_transfer", "cash", "store_credit"] as const;

export interface Payout {
  id: string;
  event_id: string;
  consignor_number: number;
  amount_cents: number;
  method: string;
  reference: string;
  corrects: string | null;
  recorded_by: string;
  created_at: string;
}

/** The ledger's row as the API gives it (the columns' own names). */
const PAYOUT = {
  id: payouts.id, event_id: payouts.eventId, consignor_number: payouts.consignorNumber,
  amount_cents: payouts.amountCents, method: payouts.method, reference: payouts.reference,
  corrects: payouts.corrects, recorded_by: payouts.recordedBy, created_at: payouts.createdAt,
};

function text(value: unknown, field: string, max: number): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || value.length > max) throw invalid(`${field} must be a string of at most ${max} characters`, field);
  return value;
}

function parsePayout(given: Record<string, unknown>, eventId: string): Omit<Payout, "created_at"> {
  if (typeof given.id !== "string" || !ID_RE.test(given.id)) throw invalid("id must be an id (e.g. a UUID)", "id");
  const number = given.consignor_number;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < 0) {
    throw invalid("consignor_number must be a whole number", "consignor_number");
  }
  const amount = cents(given.amount_cents, "amount_cents", -10_000_000_000);
  if (amount === 0) throw invalid("amount_cents must not be 0", "amount_cents");
  if (typeof given.method !== "string" || !(METHODS as readonly string[]).includes(given.method)) {
    throw invalid(`method must be one of ${METHODS.join(", ")}`, "method");
  }
  const corrects = given.corrects ?? null;
  if (amount < 0 && (typeof corrects !== "string" || !ID_RE.test(corrects))) {
    throw invalid("A negative amount is a correction: corrects must name the payout it corrects", "corrects");
  }
  if (amount > 0 && corrects !== null) throw invalid("corrects is only for a negative amount", "corrects");
  return {
    id: given.id, event_id: eventId, consignor_number: number, amount_cents: amount, method: given.method,
    reference: text(given.reference, "reference", 200), corrects: corrects as string | null,
    recorded_by: text(given.recorded_by, "recorded_by", 100),
  };
}

const SAME: readonly (keyof Omit<Payout, "created_at">)[] = ["event_id", "consignor_number", "amount_cents", "method", "reference", "corrects"];

export async function handlePayout(request: Request, db: Db, eventId: string, env: Env): Promise<Response> {
  const payout = parsePayout(await body(request, env), eventId);
  const orm = ormOf(db);
  const stored = () => orm.select(PAYOUT).from(payouts).where(eq(payouts.id, payout.id)).get();
  const earlier = await stored();
  if (earlier) return replay(earlier, payout);
  const consignor = await orm.select({ number: consignors.number }).from(consignors)
    .where(and(eq(consignors.eventId, eventId), eq(consignors.number, payout.consignor_number))).get();
  if (!consignor) throw invalid(`No consignor ${payout.consignor_number} in this event`, "consignor_number");
  const check = payout.corrects === null ? checkBalance : checkCorrection;
  await check(db, payout);
  // The check again, in the insert itself: a payout written meanwhile (two fired at once)
  // cannot let both through.
  const row = await statement(db, guardedInsert(payout)).first<Payout>();
  if (row) return json({ payout: row }, 201);
  // Written by a concurrent call with the same id between the read and the insert.
  const raced = await stored();
  if (raced) return replay(raced, payout);
  // Or the balance (or what is left to correct) changed since the check: say so as it stands now.
  await check(db, payout);
  throw new HttpError(409, "balance_changed", `Consignor ${payout.consignor_number}'s balance changed; try again`);
}

/**
 * INSERT ... SELECT ... WHERE: the row is written only while the check still holds in the
 * same statement. A payout: the consignor's balance (share half up once on the gross of
 * consignor_totals, less the event fee, item fees and payouts) is positive, at least the
 * minimum payout and at least the amount. A correction: the payout it corrects, of the same
 * consignor, has at least the amount left. ON CONFLICT (id) DO NOTHING keeps a same-id race
 * to one row.
 */
export function guardedInsert(payout: Omit<Payout, "created_at">): SQL {
  const { event_id: eventId, consignor_number: number, amount_cents: amount } = payout;
  const guard = payout.corrects === null
    ? sql`(SELECT g.balance > 0 AND g.balance >= g.minimum AND g.balance >= ${amount}
        FROM (SELECT (SELECT (COALESCE((SELECT ${consignorTotals.grossCents} FROM ${consignorTotals}
                  WHERE ${consignorTotals.eventId} = ${eventId} AND ${consignorTotals.consignorNumber} = ${number}), 0)
                  * ${consignors.splitBp} + 5000) / 10000 FROM ${consignors}
                WHERE ${consignors.eventId} = ${eventId} AND ${consignors.number} = ${number})
              - COALESCE((SELECT ${settlementTerms.consignorFeeCents} FROM ${settlementTerms}
                WHERE ${settlementTerms.eventId} = ${eventId}), 0)
              - COALESCE((SELECT SUM(f.amount_cents) FROM ${itemFees} f JOIN ${items} i ON i.id = f.item_id
                WHERE f.event_id = ${eventId} AND i.consignor_number = ${number}), 0)
              - COALESCE((SELECT SUM(p.amount_cents) FROM ${payouts} p
                WHERE p.event_id = ${eventId} AND p.consignor_number = ${number}), 0) AS balance,
              COALESCE((SELECT ${settlementTerms.minPayoutCents} FROM ${settlementTerms}
                WHERE ${settlementTerms.eventId} = ${eventId}), 0) AS minimum) g)`
    : sql`(SELECT t.amount_cents + COALESCE((SELECT SUM(q.amount_cents) FROM ${payouts} q WHERE q.corrects = t.id), 0)
          FROM ${payouts} t WHERE t.id = ${payout.corrects} AND t.event_id = ${eventId}
            AND t.consignor_number = ${number} AND t.amount_cents > 0) >= ${-amount}`;
  return sql`INSERT INTO ${payouts} (id, event_id, consignor_number, amount_cents, method, reference, corrects,
      recorded_by, created_at)
    SELECT ${payout.id}, ${eventId}, ${number}, ${amount}, ${payout.method}, ${payout.reference}, ${payout.corrects},
      ${payout.recorded_by}, ${nowIso()} WHERE ${guard}
    ON CONFLICT (id) DO NOTHING
    RETURNING id, event_id, consignor_number, amount_cents, method, reference, corrects, recorded_by, created_at`;
}

function replay(stored: Payout, payout: Omit<Payout, "created_at">): Response {
  const differs = SAME.filter((key) => stored[key] !== payout[key]);
  if (differs.length > 0) {
    throw new HttpError(409, "payout_conflict", `Payout ${payout.id} was recorded with another ${differs.join(", ")}`,
      { field: differs[0], payout: stored });
  }
  return json({ payout: stored }, 200);
}

async function checkBalance(db: Db, payout: Omit<Payout, "created_at">): Promise<void> {
  const { terms, consignors } = await computeSettlement(db, payout.event_id, payout.consignor_number);
  const balance = consignors[0]?.balance_cents ?? 0;
  if (balance < terms.min_payout_cents || balance <= 0) {
    throw new HttpError(409, "below_minimum_payout",
      `Consignor ${payout.consignor_number}'s balance ${balance} is under the minimum payout ${terms.min_payout_cents}`,
      { balance_cents: balance, min_payout_cents: terms.min_payout_cents });
  }
  if (payout.amount_cents > balance) {
    throw new HttpError(409, "exceeds_balance",
      `${payout.amount_cents} is more than consignor ${payout.consignor_number}'s balance ${balance}`,
      { balance_cents: balance, field: "amount_cents" });
  }
}

/** A correction names a positive payout of the same event and consignor, and never takes back more than it paid. */
async function checkCorrection(db: Db, payout: Omit<Payout, "created_at">): Promise<void> {
  const orm = ormOf(db);
  const id = payout.corrects ?? "";
  const [target, corrected] = await Promise.all([
    orm.select({ event_id: payouts.eventId, consignor_number: payouts.consignorNumber, amount_cents: payouts.amountCents })
      .from(payouts).where(eq(payouts.id, id)).get(),
    orm.select({ cents: sql<number>`COALESCE(SUM(${payouts.amountCents}), 0)` }).from(payouts)
      .where(eq(payouts.corrects, id)).get(),
  ]);
  if (!target || target.event_id !== payout.event_id || target.consignor_number !== payout.consignor_number) {
    throw invalid(`No payout ${payout.corrects} to consignor ${payout.consignor_number} in this event`, "corrects");
  }
  if (target.amount_cents < 0) throw invalid("A correction corrects a payout, not another correction", "corrects");
  const left = target.amount_cents + (corrected?.cents ?? 0);
  if (-payout.amount_cents > left) {
    throw new HttpError(409, "over_correction",
      `Payout ${payout.corrects} has ${left} cents left to correct, not ${-payout.amount_cents}`,
      { field: "amount_cents", correctable_cents: left });
  }
}
