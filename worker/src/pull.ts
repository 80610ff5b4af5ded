// GET /v1/events/{id}/catalog?since=SEQ:ID&limit=N and GET /v1/registers/{id}/conflicts.
// All reads of one page run in one batch, so they see one consistent snapshot.

import { Env, RegisterAuth } from "./auth";
import { HttpError, invalid, json } from "./http";

const ITEM_COLUMNS =
  "id, consignor_number, item_number, tag_code, description, category, size, price_cents, " +
  "condition, discountable, donate_if_unsold, status, sold_sale_id, sold_register_id, change_seq";

export function parseCursor(text: string | null): { seq: number; id: string } {
  if (text === null || text === "") return { seq: 0, id: "" };
  const match = /^(\d{1,15}):([A-Za-z0-9._:-]{0,64})$/.exec(text);
  if (!match) throw invalid("since must look like SEQ:ID", "since");
  return { seq: Number(match[1]), id: match[2] };
}

export async function handleCatalog(url: URL, env: Env, auth: RegisterAuth, eventId: string) {
  if (eventId !== auth.eventId) throw new HttpError(403, "forbidden", "This token is for another event");
  const cursor = parseCursor(url.searchParams.get("since"));
  const limit = Number(url.searchParams.get("limit") ?? "1000");
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw invalid("limit must be 1..5000", "limit");
  const after = cursor.id === ""
    ? { sql: "change_seq > ?", args: [cursor.seq] }
    : { sql: "(change_seq > ? OR (change_seq = ? AND id > ?))", args: [cursor.seq, cursor.seq, cursor.id] };
  const db = env.DB;
  const [counter, event, rules, consignors, items, remaining] = await db.batch([
    db.prepare("SELECT value FROM counters WHERE name = 'catalog'"),
    db.prepare(
      "SELECT id, name, starts_on, ends_on, location, status, tax_rate_bp, timezone, change_seq FROM events WHERE id = ? AND change_seq > ?",
    ).bind(eventId, cursor.seq),
    db.prepare("SELECT id, starts_at, ends_at, percent_bp FROM discount_rules WHERE event_id = ? ORDER BY starts_at").bind(eventId),
    db.prepare(
      "SELECT id, event_id, number, name, email, phone, split_bp, change_seq FROM consignors WHERE event_id = ? AND change_seq > ? ORDER BY number",
    ).bind(eventId, cursor.seq),
    db.prepare(`SELECT ${ITEM_COLUMNS} FROM items WHERE event_id = ? AND ${after.sql} ORDER BY change_seq, id LIMIT ?`)
      .bind(eventId, ...after.args, limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM items WHERE event_id = ? AND ${after.sql}`).bind(eventId, ...after.args),
  ]);
  const rows = items.results as Record<string, unknown>[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit).map((row) => ({
    ...row,
    event_id: eventId,
    discountable: row.discountable === 1,
    donate_if_unsold: row.donate_if_unsold === 1,
  }));
  const last = page[page.length - 1] as Record<string, unknown>;
  const counterValue = (counter.results[0] as { value: number }).value;
  const eventRow = event.results[0] as Record<string, unknown> | undefined;
  return json({
    event: eventRow ? { ...eventRow, discount_rules: rules.results } : null,
    consignors: consignors.results,
    items: page,
    next_cursor: hasMore ? `${last.change_seq}:${last.id}` : `${counterValue}:`,
    has_more: hasMore,
    total_remaining: (remaining.results[0] as { n: number }).n,
  });
}

export async function handleConflicts(url: URL, env: Env, auth: RegisterAuth, registerId: string) {
  if (registerId !== auth.registerId) throw new HttpError(403, "forbidden", "This token belongs to another register");
  const since = Number(url.searchParams.get("since") ?? "0");
  if (!Number.isInteger(since) || since < 0) throw invalid("since must be a whole number", "since");
  const { results } = await env.DB.prepare(
    `SELECT id, kind, item_id, sale_id, register_id, winning_sale_id, winning_register_id, detail, created_at
     FROM conflicts WHERE id > ? AND (register_id = ? OR winning_register_id = ?) ORDER BY id LIMIT 500`,
  ).bind(since, registerId, registerId).all<{ id: number }>();
  const next = results.length ? results[results.length - 1].id : since;
  return json({ conflicts: results, next_since: next });
}
