// The money and clock checks of a push (shared DESIGN.md, "The central ledger trusts no
// register"): every sale must add up (400, quarantined on the register); every timestamp must
// fall within the event's dates +/- 1 day (400); and, since the money was taken, a line priced
// off the central catalog or discounted off the schedule, and a sale stamped more than 5
// minutes ahead of the server, are kept and recorded as price_mismatch / discount_mismatch /
// clock_skew conflicts by one statement of the push's batch.

import { checkOverrides, checkSale, refundAmount } from "./arithmetic";
import { Entry } from "./entries";
import { invalid } from "./http";
import { EventTerms, Snapshot } from "./ledger";
import { Value } from "./schema";

const DAY_MS = 86_400_000;
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Timestamp columns of each entry's row. */
const TIME_COLUMNS: Readonly<Record<Entry["kind"], readonly number[]>> = {
  sale: [6], void: [7], shift: [4, 6], item: [9], no_sale: [7], refund: [11], new_item: [13],
};

/** 400 for a timestamp outside [starts_on - 1 day, ends_on + 1 day] (whole days, UTC). */
export function checkTimestamps(entries: readonly Entry[], event: EventTerms): void {
  const from = Date.parse(`${event.startsOn}T00:00:00Z`) - DAY_MS;
  const until = Date.parse(`${event.endsOn}T00:00:00Z`) + 2 * DAY_MS;
  for (const entry of entries) {
    for (const column of TIME_COLUMNS[entry.kind]) {
      const text = entry.row.values[column];
      if (text === null || text === undefined) continue;
      const at = Date.parse(text as string);
      if (!(at >= from && at < until)) {
        throw invalid(`${text} is outside the event's dates (${event.startsOn} to ${event.endsOn}, +/- 1 day)`,
          `${entry.row.where}[${column}]`, String(entry.row.values[0]));
      }
    }
  }
}

/** 400 naming the first sale whose totals, item count or tenders do not add up. */
export function checkArithmetic(entries: readonly Entry[], event: EventTerms): void {
  for (const entry of entries) {
    if (entry.kind !== "sale") continue;
    const lines = entry.lines.map((l) => l.values);
    const mismatch = checkSale(entry.row.values, lines, entry.tenders.map((t) => t.values), event.taxRateBp)
      ?? checkOverrides(lines, entry.overrides.map((o) => o.values));
    if (mismatch === null) continue;
    const where = mismatch.table === "sales" ? entry.row.where
      : { sale_lines: entry.lines, tenders: entry.tenders, price_overrides: entry.overrides }[mismatch.table][mismatch.row]?.where;
    throw invalid(`Sale ${entry.row.values[0]} does not add up: ${mismatch.message}`,
      `${where}[${mismatch.column}]`, String(entry.row.values[0]));
  }
}

/**
 * 400 for a refund whose figures are wrong: a line of its sale (stored or in this push, not
 * voided), once
 * (another refund of the same line, here or stored, is refused), paying back the line's price
 * plus its share of the tax.
 */
export function checkRefunds(entries: readonly Entry[], snap: Snapshot): void {
  const pushed = new Map(entries.filter((e) => e.kind === "sale").map((e) => [e.row.values[0] as string, e]));
  const seen = new Map<string, string>();
  const voided = new Set([...entries.filter((e) => e.kind === "void").map((e) => e.row.values[1]),
    ...[...snap.voids.values()].map((v) => v[1])]);
  for (const entry of entries) {
    if (entry.kind !== "refund") continue;
    const [id, saleId, lineNo] = entry.row.values as [string, string, number];
    const refuse = (message: string, column: number): never => {
      throw invalid(message, `${entry.row.where}[${column}]`, id);
    };
    if (voided.has(saleId)) refuse(`Sale ${saleId} was voided: nothing to refund`, 1);
    const key = `${saleId}:${lineNo}`;
    const other = seen.get(key) ?? snap.refundedLines.get(key);
    if (other !== undefined && other !== id) refuse(`Line ${lineNo} of sale ${saleId} is already refunded (${other})`, 2);
    seen.set(key, id);
    const sale = pushed.get(saleId)?.row.values ?? snap.sales.get(saleId);
    const line = (pushed.get(saleId)?.lines.map((l) => l.values) ?? snap.lines.get(saleId) ?? []).find((l) => l[1] === lineNo);
    if (sale === undefined || line === undefined) return refuse(`Sale ${saleId} has no line ${lineNo}`, 2);
    const expected = refundAmount(sale, line);
    if (entry.row.values[10] !== expected) {
      refuse(`amount_cents ${entry.row.values[10]} is not line ${lineNo}'s price plus its share of the tax (${expected})`, 10);
    }
  }
}

/**
 * Per sale of the push: [sale_id, discounts (bp) the schedule allowed in the day before the
 * sale, the discount in force at the sale, "" or the server time when stamped > 5 min ahead].
 */
export function auditPlan(entries: readonly Entry[], event: EventTerms, nowMs: number): Value[][] {
  const schedule = Schedule.of(event);
  return entries.filter((e) => e.kind === "sale").map((entry) => {
    const at = Date.parse(entry.row.values[6] as string);
    const skewed = at > nowMs + CLOCK_SKEW_MS ? new Date(nowMs).toISOString() : "";
    return [entry.row.values[0], JSON.stringify(schedule.allowedAround(at)), schedule.at(at), skewed];
  });
}

/** The event's discount schedule as instants; a rule time without an offset is wall clock at the event. */
export class Schedule {
  private constructor(private readonly rules: { from: number; until: number; bp: number }[]) {}

  static of(event: EventTerms): Schedule {
    return new Schedule(event.rules.map((rule) => ({
      from: instant(rule.startsAt, event.timezone),
      until: rule.endsAt ? instant(rule.endsAt, event.timezone) : Infinity,
      bp: rule.percentBp,
    })).sort((a, b) => a.from - b.from));
  }

  /** The discount in force at `at`: the rule that started last among those running (0 if none). */
  at(at: number): number {
    const running = this.rules.filter((rule) => rule.from <= at && at < rule.until);
    return running.length === 0 ? 0 : running[running.length - 1]!.bp;
  }

  /** Every discount in force at some moment of the day before `at` (a cart may wait on hold). */
  allowedAround(at: number): number[] {
    const moments = [at, at - DAY_MS, ...this.rules.flatMap((rule) => [rule.from, rule.until])
      .filter((moment) => moment > at - DAY_MS && moment <= at)];
    return [...new Set(moments.map((moment) => this.at(moment)))];
  }
}

/** An ISO time as epoch ms; one without an offset is wall-clock time in `zone` (UTC if unknown). */
export function instant(text: string, zone: string): number {
  if (/(Z|[+-]\d{2}:\d{2})$/i.test(text)) return Date.parse(text);
  const wall = Date.parse(`${text}Z`);
  const first = wall - zoneOffset(zone, wall);
  return wall - zoneOffset(zone, first);
}

function zoneOffset(zone: string, at: number): number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone || "UTC", hourCycle: "h23", year: "numeric",
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  } catch {
    return 0;
  }
  const part = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]));
  const local = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return local - Math.floor(at / 1000) * 1000;
}

const LIVE_RANGE = "s.register_id = ?1 AND s.seq BETWEEN ?2 AND ?3 AND s.event_id = ?4";
// Driven by the plan (one row per sale of the push), each step a primary-key lookup: CROSS JOIN
// keeps SQLite from scanning the plan once per line.
// A line a manager repriced (price_overrides) is audited as an override: the tag price it claims
// must be the catalog's (else price_mismatch), and no schedule discount is expected on it.
const PLANNED_LINES = `json_each(?6) p CROSS JOIN sales s ON s.id = json_extract(p.value, '$[0]')
  CROSS JOIN sale_lines sl ON sl.sale_id = s.id CROSS JOIN items i ON i.id = sl.item_id AND i.event_id = ?4
  LEFT JOIN price_overrides po ON po.sale_id = sl.sale_id AND po.line_no = sl.line_no`;
const CLAIMED = "COALESCE(po.tag_price_cents, sl.unit_price_cents)";
const HALF_UP = (bp: string) => `CASE WHEN i.discountable = 1 THEN (sl.unit_price_cents * ${bp} + 5000) / 10000 ELSE 0 END`;
const SCHEDULED = HALF_UP("json_extract(p.value, '$[2]')");

/**
 * One INSERT OR IGNORE of every audit conflict of the push's sales (?1..?4 the sales range,
 * ?5 now, ?6 the audit plan): unknown_item, price_mismatch, discount_mismatch, clock_skew.
 */
export const AUDIT_SQL = `
  INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id, detail, created_at,
    expected_cents, actual_cents)
  SELECT ?4, 'unknown_item', sl.item_id, s.id, s.register_id, 'tag ' || sl.tag_code, ?5, NULL, NULL
  FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
  WHERE ${LIVE_RANGE} AND NOT EXISTS (SELECT 1 FROM items i WHERE i.id = sl.item_id AND i.event_id = ?4)
  UNION ALL
  SELECT ?4, 'price_mismatch', sl.item_id, s.id, s.register_id,
    'line ' || sl.line_no || ' (tag ' || sl.tag_code || '): catalog price ' || i.price_cents
      || CASE WHEN po.sale_id IS NULL THEN ', sold at ' ELSE ', the price override claims a tag price of ' END || ${CLAIMED},
    ?5, i.price_cents, ${CLAIMED}
  FROM ${PLANNED_LINES}
  WHERE ${LIVE_RANGE} AND ${CLAIMED} != i.price_cents
  UNION ALL
  SELECT ?4, 'discount_mismatch', sl.item_id, s.id, s.register_id,
    'line ' || sl.line_no || ' (tag ' || sl.tag_code || '): the schedule gives ' || ${SCHEDULED}
      || ' off, the line took ' || sl.discount_cents,
    ?5, ${SCHEDULED}, sl.discount_cents
  FROM ${PLANNED_LINES}
  WHERE ${LIVE_RANGE} AND po.sale_id IS NULL AND NOT EXISTS (
    SELECT 1 FROM json_each(json_extract(p.value, '$[1]')) b WHERE sl.discount_cents = ${HALF_UP("b.value")})
  UNION ALL
  SELECT ?4, 'clock_skew', '', s.id, s.register_id,
    'stamped ' || s.created_at || ', more than 5 minutes after the server time ' || json_extract(p.value, '$[3]'), ?5, NULL, NULL
  FROM json_each(?6) p CROSS JOIN sales s ON s.id = json_extract(p.value, '$[0]')
  WHERE ${LIVE_RANGE} AND json_extract(p.value, '$[3]') != ''`;
