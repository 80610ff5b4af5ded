// Organiser endpoints (ADMIN_TOKEN): set up events, discount rules, consignors, items and
// registers. Every catalog write bumps counters.catalog and stamps the rows it changes with the
// new value, in one batch, so registers pull it by cursor. Every query is built with Drizzle
// over src/tables.ts and runs on a D1 session, so a read that follows a write sees it.
// Rows travel as one JSON parameter per statement (INSERT ... SELECT FROM json_each): Drizzle's
// multi-row VALUES binds every value, and D1 allows 100 bound parameters per statement, so a
// 2,000-item call would be 200 statements (four times the Free plan's 50 queries per
// invocation); as JSON it is a handful, still built by Drizzle (insert().select()).

import { and, eq, getTableColumns, inArray, ne, SQL, sql } from "drizzle-orm";
import { SQLiteInsertValue, SQLiteTable } from "drizzle-orm/sqlite-core";
import { Env, newToken } from "./auth";
import { handleExport } from "./export";
import { HttpError, intVar, invalid, isObject, json, notFound, nowIso, readJson, sha256Hex } from "./http";
import { Db, ormOf, statement } from "./orm";
import { settlementRoute } from "./settlement-routes";
import {
  CONSIGNOR_FIELDS, EVENT_FIELDS, ID_RE, ITEM_FIELDS, listOf, names, record, RULE_FIELDS, Scalar,
} from "./records";
import { consignors, counters, discountRules, events, items, registers } from "./tables";

const SEQ = sql`(SELECT ${counters.value} FROM ${counters} WHERE ${counters.name} = 'catalog')`;
const MAX_ROWS_PER_CALL = 2000;
const ROWS_PER_STATEMENT = 500;

type Handler = (request: Request, env: Env, db: Db, id: string) => Promise<Response>;

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
  const route = table !== undefined ? undefined : ROUTES[[request.method, kind, action].filter(Boolean).join(" ")];
  const handler = table !== undefined ? undefined
    : (kind === "events" ? settlementRoute(request.method, action) : undefined)
      ?? (route && ((r: Request, e: Env, _url: URL, eventId: string) => route(r, e, e.DB.withSession("first-primary"), eventId)));
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

async function requireEventRow(db: Db, eventId: string): Promise<void> {
  const row = await statement(db, ormOf(db).select({ ok: sql`1` }).from(events).where(eq(events.id, eventId))).first();
  if (!row) throw notFound(`No event ${eventId}`);
}

/** The UPDATE counters that stamps a catalog write (the rows it writes take SEQ). */
const bump = (db: Db) => ormOf(db).update(counters).set({ value: sql`${counters.value} + 1` })
  .where(eq(counters.name, "catalog"));

/** `excluded.<column>` for each column named, keyed by the table's field names (an upsert's set). */
function excludedSet(table: SQLiteTable, columns: string[]): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (columns.includes(column.name)) set[key] = sql.raw(`excluded.${column.name}`);
  }
  return set;
}

async function putEvent(request: Request, env: Env, db: Db, id: string): Promise<Response> {
  const event = await body(request, env);
  const values = record(event, EVENT_FIELDS, "event");
  const rules = listOf({ discount_rules: isObject(event) ? event.discount_rules ?? [] : [] }, "discount_rules", 100)
    .map((rule, i) => record(rule, RULE_FIELDS, `discount_rules[${i}]`));
  const cols = names(EVENT_FIELDS);
  const orm = ormOf(db);
  const row = Object.fromEntries(Object.entries(getTableColumns(events))
    .filter(([, column]) => cols.includes(column.name))
    .map(([key, column]) => [key, values[cols.indexOf(column.name)]]));
  const results = await db.batch([
    bump(db),
    orm.insert(events).values({ ...row, id, changeSeq: SEQ, updatedAt: nowIso() } as SQLiteInsertValue<typeof events>)
      .onConflictDoUpdate({ target: events.id, set: excludedSet(events, [...cols, "change_seq", "updated_at"]) }),
    orm.delete(discountRules).where(eq(discountRules.eventId, id)),
    ...jsonInsert(db, discountRules, names(RULE_FIELDS), id, rules),
    orm.select({ change_seq: sql<number>`${counters.value}`.as("change_seq") }).from(counters)
      .where(eq(counters.name, "catalog")),
  ].map((query) => statement(db, query)));
  const changeSeq = results[results.length - 1]?.results[0] as { change_seq: number } | undefined;
  return json({ ok: true, event_id: id, change_seq: changeSeq?.change_seq ?? null });
}

async function upsertConsignors(request: Request, env: Env, db: Db, id: string): Promise<Response> {
  const rows = listOf(await body(request, env), "consignors", MAX_ROWS_PER_CALL)
    .map((row, i) => record(row, CONSIGNOR_FIELDS, `consignors[${i}]`))
    .map(([number, cid, ...rest]) => [number, cid ?? `${id}-c${number}`, ...rest]);
  await requireEventRow(db, id);
  const set = excludedSet(consignors, ["name", "email", "phone", "split_bp", "change_seq"]);
  await db.batch([
    bump(db),
    ...jsonInsert(db, consignors, names(CONSIGNOR_FIELDS), id, rows,
      (insert) => insert.onConflictDoUpdate({ target: [consignors.eventId, consignors.number], set })),
  ].map((query) => statement(db, query)));
  return json({ ok: true, count: rows.length });
}

async function upsertItems(request: Request, env: Env, db: Db, id: string): Promise<Response> {
  const rows = listOf(await body(request, env), "items", MAX_ROWS_PER_CALL)
    .map((row, i) => record(row, ITEM_FIELDS, `items[${i}]`));
  await requireEventRow(db, id);
  const orm = ormOf(db);
  const listed = sql`(SELECT value FROM json_each(${JSON.stringify(rows.map((row) => row[0]))}))`;
  const foreign = await statement(db, orm.select({ id: items.id }).from(items)
    .where(and(inArray(items.id, listed), ne(items.eventId, id))).limit(1)).first<{ id: string }>();
  if (foreign) throw new HttpError(409, "conflict", `Item ${foreign.id} belongs to another event`);
  // A sold item keeps its sale: the organiser's copy cannot un-sell it. An item the hall has
  // already moved (check-in, pick-up, donation: it has item events) keeps its status too. A
  // row that changes nothing is not rewritten, so a re-import keeps every change_seq (issue 13).
  const kept = names(ITEM_FIELDS).filter((c) => c !== "id" && c !== "status");
  const status = "CASE WHEN items.sold_sale_id IS NULL AND NOT EXISTS" +
    " (SELECT 1 FROM item_events e WHERE e.item_id = items.id) THEN excluded.status ELSE items.status END";
  const set = { ...excludedSet(items, [...kept, "change_seq"]), status: sql.raw(status) };
  const changed = sql.raw(`(${kept.map((c) => `items.${c}`).join(", ")}, items.status) IS NOT` +
    ` (${kept.map((c) => `excluded.${c}`).join(", ")}, ${status})`);
  await db.batch([
    bump(db),
    ...jsonInsert(db, items, names(ITEM_FIELDS), id, rows,
      (insert) => insert.onConflictDoUpdate({ target: items.id, set, setWhere: changed })),
  ].map((query) => statement(db, query)));
  return json({ ok: true, count: rows.length });
}

type Insert = ReturnType<ReturnType<ReturnType<typeof ormOf>["insert"]>["select"]>;

/**
 * INSERT INTO `table` SELECT ... FROM json_each(?), ROWS_PER_STATEMENT rows a statement: each
 * row a JSON array of values in `fields` order. Every other column of the table is the event
 * (event_id), the catalog's new value (change_seq) or NULL. `conflict` adds the upsert.
 */
function jsonInsert(db: Db, table: SQLiteTable, fields: string[], eventId: string, rows: Scalar[][],
  conflict: (insert: Insert) => Insert = (insert) => insert): Insert[] {
  const picks = Object.values(getTableColumns(table)).map((column) => {
    const k = fields.indexOf(column.name);
    if (k >= 0) return sql.raw(`json_extract(j.value, '$[${k}]')`);
    if (column.name === "event_id") return sql`${eventId}`;
    if (column.name === "change_seq") return SEQ;
    if (column.notNull) throw new Error(`${column.name} has no value in a JSON insert`);
    return sql`NULL`;
  });
  const statements: Insert[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT));
    statements.push(conflict(ormOf(db).insert(table)
      .select(sql`SELECT ${sql.join(picks, sql`, `)} FROM json_each(${chunk}) AS j WHERE true`)));
  }
  return statements;
}

async function createRegister(request: Request, env: Env, db: Db, id: string): Promise<Response> {
  const given = await body(request, env);
  if (!isObject(given) || typeof given.register_id !== "string" || !ID_RE.test(given.register_id)) {
    throw invalid("register_id must be an id", "register_id");
  }
  const registerId = given.register_id;
  const name = typeof given.name === "string" && given.name.length <= 200 ? given.name : registerId;
  await requireEventRow(db, id);
  const orm = ormOf(db);
  const existing = await statement(db, orm.select({ event_id: registers.eventId }).from(registers)
    .where(eq(registers.id, registerId))).first<{ event_id: string }>();
  if (existing && existing.event_id !== id) {
    throw new HttpError(409, "register_not_in_event", "This register belongs to another event");
  }
  const token = newToken();
  await statement(db, orm.insert(registers)
    .values({ id: registerId, eventId: id, name, tokenHash: await sha256Hex(token), createdAt: nowIso() })
    .onConflictDoUpdate({ target: registers.id,
      set: { ...excludedSet(registers, ["name", "token_hash"]), revokedAt: null } })).run();
  return json({ register_id: registerId, event_id: id, token });
}

async function revokeRegister(_request: Request, _env: Env, db: Db, id: string): Promise<Response> {
  const at = nowIso();
  const result = await statement(db, ormOf(db).update(registers)
    .set({ revokedAt: sql`COALESCE(${registers.revokedAt}, ${at})` }).where(eq(registers.id, id))).run();
  if (!result.meta.changes) throw notFound(`No register ${id}`);
  return json({ ok: true, register_id: id });
}
