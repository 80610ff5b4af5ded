// Organiser endpoints (ADMIN_TOKEN): set up events, discount rules, consignors, items and
// registers. Every catalog write bumps counters.catalog and stamps the rows it changes with the
// new value, in one batch, so registers pull it by cursor. Rows travel as one JSON parameter
// per statement (json_each), so a 2,000-item call is a handful of statements even on the
// Free plan's 50 queries per invocation.

import { Env, newToken } from "./auth";
import { handleExport } from "./export";
import { HttpError, intVar, invalid, isObject, json, notFound, nowIso, readJson, sha256Hex } from "./http";
import { settlementRoute } from "./settlement-routes";
import {
  CONSIGNOR_FIELDS, EVENT_FIELDS, ID_RE, ITEM_FIELDS, listOf, names, record, RULE_FIELDS, Scalar,
} from "./records";

const BUMP = "UPDATE counters SET value = value + 1 WHERE name = 'catalog'";
const SEQ = "(SELECT value FROM counters WHERE name = 'catalog')";
const MAX_ROWS_PER_CALL = 2000;
const ROWS_PER_STATEMENT = 500;

type Handler = (request: Request, env: Env, url: URL, id: string) => Promise<Response>;

const ROUTES: Record<string, Handler> = {
  "PUT events": putEvent,
  "POST events consignors": upsertConsignors,
  "POST events items": upsertItems,
  "POST events registers": createRegister,
  "POST registers revoke": revokeRegister,
};

export async function handleAdmin(request: Request, env: Env, url: URL, parts: string[]): Promise<Response> {
  const [kind, id, action, table, ...rest] = parts;
  if (!id || !ID_RE.test(id) || rest.length > 0) throw notFound("No such admin route");
  if (kind === "events" && action === "export" && table && request.method === "GET") {
    return handleExport(env, url, id, table);
  }
  const handler = table !== undefined ? undefined
    : (kind === "events" ? settlementRoute(request.method, action) : undefined)
      ?? ROUTES[[request.method, kind, action].filter(Boolean).join(" ")];
  if (!handler) throw notFound("No such admin route");
  try {
    return await handler(request, env, url, id);
  } catch (error) {
    if (error instanceof Error && /UNIQUE constraint failed/.test(error.message)) {
      const where = /UNIQUE constraint failed: ([\w.]+(, [\w.]+)*)/.exec(error.message)?.[1] ?? "a unique key";
      throw new HttpError(409, "conflict", `Duplicate value for ${where}`);
    }
    throw error;
  }
}

async function body(request: Request, env: Env): Promise<unknown> {
  return readJson(request, intVar(env.MAX_BODY_BYTES, 4_000_000));
}

async function requireEventRow(env: Env, eventId: string): Promise<void> {
  const row = await env.DB.prepare("SELECT 1 AS ok FROM events WHERE id = ?").bind(eventId).first();
  if (!row) throw notFound(`No event ${eventId}`);
}

async function putEvent(request: Request, env: Env, _url: URL, id: string): Promise<Response> {
  const event = await body(request, env);
  const values = record(event, EVENT_FIELDS, "event");
  const rules = listOf({ discount_rules: isObject(event) ? event.discount_rules ?? [] : [] }, "discount_rules", 100)
    .map((rule, i) => record(rule, RULE_FIELDS, `discount_rules[${i}]`));
  const cols = names(EVENT_FIELDS);
  const db = env.DB;
  const results = await db.batch([
    db.prepare(BUMP),
    db.prepare(
      `INSERT INTO events (id, ${cols.join(", ")}, change_seq, updated_at)
       VALUES (?, ${cols.map(() => "?").join(", ")}, ${SEQ}, ?)
       ON CONFLICT (id) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(", ")},
         change_seq = excluded.change_seq, updated_at = excluded.updated_at`,
    ).bind(id, ...values, nowIso()),
    db.prepare("DELETE FROM discount_rules WHERE event_id = ?").bind(id),
    ...jsonInsert(db, "discount_rules", ["event_id", ...names(RULE_FIELDS)], id, rules, ""),
    db.prepare(`SELECT ${SEQ} AS change_seq`),
  ]);
  const changeSeq = results[results.length - 1]?.results[0] as { change_seq: number } | undefined;
  return json({ ok: true, event_id: id, change_seq: changeSeq?.change_seq ?? null });
}

async function upsertConsignors(request: Request, env: Env, _url: URL, id: string): Promise<Response> {
  const rows = listOf(await body(request, env), "consignors", MAX_ROWS_PER_CALL)
    .map((row, i) => record(row, CONSIGNOR_FIELDS, `consignors[${i}]`))
    .map(([number, cid, ...rest]) => [number, cid ?? `${id}-c${number}`, ...rest]);
  await requireEventRow(env, id);
  const update = "name = excluded.name, email = excluded.email, phone = excluded.phone, " +
    "split_bp = excluded.split_bp, change_seq = excluded.change_seq";
  const db = env.DB;
  await db.batch([
    db.prepare(BUMP),
    ...jsonInsert(db, "consignors", ["event_id", ...names(CONSIGNOR_FIELDS)], id, rows,
      `ON CONFLICT (event_id, number) DO UPDATE SET ${update}`),
  ]);
  return json({ ok: true, count: rows.length });
}

async function upsertItems(request: Request, env: Env, _url: URL, id: string): Promise<Response> {
  const rows = listOf(await body(request, env), "items", MAX_ROWS_PER_CALL)
    .map((row, i) => record(row, ITEM_FIELDS, `items[${i}]`));
  await requireEventRow(env, id);
  const db = env.DB;
  const foreign = await db.prepare(
    "SELECT id FROM items WHERE id IN (SELECT value FROM json_each(?1)) AND event_id != ?2 LIMIT 1",
  ).bind(JSON.stringify(rows.map((row) => row[0])), id).first<{ id: string }>();
  if (foreign) throw new HttpError(409, "conflict", `Item ${foreign.id} belongs to another event`);
  // A sold item keeps its sale: the organiser's copy cannot un-sell it. An item the hall has
  // already moved (check-in, pick-up, donation: it has item events) keeps its status too. A
  // row that changes nothing is not rewritten, so a re-import keeps every change_seq (issue 13).
  const kept = names(ITEM_FIELDS).filter((c) => c !== "id" && c !== "status");
  const update = kept.map((c) => `${c} = excluded.${c}`).join(", ") +
    ", status = CASE WHEN items.sold_sale_id IS NULL AND NOT EXISTS" +
    " (SELECT 1 FROM item_events e WHERE e.item_id = items.id) THEN excluded.status ELSE items.status END" +
    ", change_seq = excluded.change_seq" +
    ` WHERE (${kept.map((c) => `items.${c}`).join(", ")}, items.status) IS NOT` +
    ` (${kept.map((c) => `excluded.${c}`).join(", ")}, CASE WHEN items.sold_sale_id IS NULL AND NOT EXISTS` +
    " (SELECT 1 FROM item_events e WHERE e.item_id = items.id) THEN excluded.status ELSE items.status END)";
  await db.batch([
    db.prepare(BUMP),
    ...jsonInsert(db, "items", ["event_id", ...names(ITEM_FIELDS)], id, rows,
      `ON CONFLICT (id) DO UPDATE SET ${update}`),
  ]);
  return json({ ok: true, count: rows.length });
}

/**
 * INSERT ... SELECT FROM json_each(?): each row is a JSON array of values in `columns` order
 * after the first (`event_id`, bound once). Catalog tables also get change_seq.
 */
function jsonInsert(db: D1Database, table: string, columns: string[], eventId: string,
  rows: Scalar[][], onConflict: string): D1PreparedStatement[] {
  const stamped = table !== "discount_rules";
  const picks = columns.slice(1).map((_, k) => `json_extract(j.value, '$[${k}]')`);
  const sql = `INSERT INTO ${table} (${columns.join(", ")}${stamped ? ", change_seq" : ""})
    SELECT ?1, ${picks.join(", ")}${stamped ? `, ${SEQ}` : ""} FROM json_each(?2) AS j WHERE true ${onConflict}`;
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(db.prepare(sql).bind(eventId, JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))));
  }
  return statements;
}

async function createRegister(request: Request, env: Env, _url: URL, id: string): Promise<Response> {
  const given = await body(request, env);
  if (!isObject(given) || typeof given.register_id !== "string" || !ID_RE.test(given.register_id)) {
    throw invalid("register_id must be an id", "register_id");
  }
  const registerId = given.register_id;
  const name = typeof given.name === "string" && given.name.length <= 200 ? given.name : registerId;
  await requireEventRow(env, id);
  const existing = await env.DB.prepare("SELECT event_id FROM registers WHERE id = ?")
    .bind(registerId).first<{ event_id: string }>();
  if (existing && existing.event_id !== id) {
    throw new HttpError(409, "register_not_in_event", "This register belongs to another event");
  }
  const token = newToken();
  await env.DB.prepare(
    `INSERT INTO registers (id, event_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, revoked_at = NULL`,
  ).bind(registerId, id, name, await sha256Hex(token), nowIso()).run();
  return json({ register_id: registerId, event_id: id, token });
}

async function revokeRegister(_request: Request, env: Env, _url: URL, id: string): Promise<Response> {
  const at = nowIso();
  const result = await env.DB.prepare(
    "UPDATE registers SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
  ).bind(at, id).run();
  if (!result.meta.changes) throw notFound(`No register ${id}`);
  return json({ ok: true, register_id: id });
}
