// Organiser endpoints (ADMIN_TOKEN): set up events, consignors, items and registers, and
// export tables for reports and for the end-to-end tests.

import { Env, newToken } from "./auth";
import { HttpError, invalid, isObject, json, nowIso, readJson, sha256Hex } from "./http";

const BUMP = "UPDATE counters SET value = value + 1 WHERE name = 'catalog'";
const SEQ = "(SELECT value FROM counters WHERE name = 'catalog')";
const MAX_ITEMS = 2000;

const EXPORTS: Record<string, string> = {
  sales: "sales", sale_lines: "sale_lines", tenders: "tenders", voids: "voids", journal: "journal",
  conflicts: "conflicts", items: "items", register_progress: "register_progress", shifts: "shifts",
  consignors: "consignors",
};

type Row = Record<string, unknown>;

function list(body: unknown, key: string, max: number): Row[] {
  if (!isObject(body) || !Array.isArray(body[key])) throw invalid(`${key} must be an array`, key);
  const rows = body[key] as unknown[];
  if (rows.length > max) throw new HttpError(413, "too_large", `At most ${max} ${key} per call`);
  rows.forEach((row, i) => { if (!isObject(row)) throw invalid("rows must be objects", `${key}[${i}]`); });
  return rows as Row[];
}

async function upsertRows(env: Env, table: string, columns: string[], conflict: string, rows: Row[]) {
  const perStatement = Math.floor(99 / columns.length);
  const db = env.DB;
  const statements = [db.prepare(BUMP)];
  for (let i = 0; i < rows.length; i += perStatement) {
    const slice = rows.slice(i, i + perStatement);
    const values = slice.map(() => `(${columns.map(() => "?").join(", ")}, ${SEQ})`).join(", ");
    const updates = columns.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ");
    statements.push(
      db.prepare(
        `INSERT INTO ${table} (${columns.join(", ")}, change_seq) VALUES ${values}
         ON CONFLICT (${conflict}) DO UPDATE SET ${updates}, change_seq = excluded.change_seq`,
      ).bind(...slice.flatMap((row) => columns.map((c) => normalise(row[c])))),
    );
  }
  await db.batch(statements);
}

function normalise(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string") return value;
  throw invalid("values must be strings, numbers or booleans");
}

export async function handleAdmin(request: Request, env: Env, url: URL, parts: string[]): Promise<Response> {
  const max = Number(env.MAX_BODY_BYTES ?? "4000000");
  const [kind, id, action, table] = parts;
  if (kind === "events" && request.method === "PUT" && action === undefined) {
    const event = await readJson(request, max);
    if (!isObject(event)) throw invalid("Body must be an object");
    const rules = list({ discount_rules: event.discount_rules ?? [] }, "discount_rules", 50);
    const db = env.DB;
    await db.batch([
      db.prepare(BUMP),
      db.prepare(
        `INSERT INTO events (id, name, starts_on, ends_on, location, status, tax_rate_bp, timezone, change_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${SEQ})
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, starts_on = excluded.starts_on,
           ends_on = excluded.ends_on, location = excluded.location, status = excluded.status,
           tax_rate_bp = excluded.tax_rate_bp, timezone = excluded.timezone, change_seq = excluded.change_seq`,
      ).bind(id, ...["name", "starts_on", "ends_on", "location", "status", "tax_rate_bp", "timezone"].map((k) =>
        normalise(event[k] ?? (k === "location" ? "" : k === "timezone" ? "UTC" : null)))),
      db.prepare("DELETE FROM discount_rules WHERE event_id = ?").bind(id),
      ...rules.map((r) =>
        db.prepare("INSERT INTO discount_rules (id, event_id, starts_at, ends_at, percent_bp) VALUES (?, ?, ?, ?, ?)")
          .bind(normalise(r.id), id, normalise(r.starts_at), normalise(r.ends_at), normalise(r.percent_bp))),
    ]);
    return json({ ok: true });
  }
  if (kind === "events" && request.method === "POST" && action === "consignors") {
    const rows = list(await readJson(request, max), "consignors", 5000).map((r) => ({ ...r, event_id: id }));
    await upsertRows(env, "consignors", ["id", "event_id", "number", "name", "email", "phone", "split_bp"], "id", rows);
    return json({ ok: true, count: rows.length });
  }
  if (kind === "events" && request.method === "POST" && action === "items") {
    const rows = list(await readJson(request, max), "items", MAX_ITEMS).map((r) => ({ ...r, event_id: id }));
    await upsertRows(env, "items", ["id", "event_id", "consignor_number", "item_number", "tag_code", "description",
      "category", "size", "price_cents", "condition", "discountable", "donate_if_unsold", "status"], "id", rows);
    return json({ ok: true, count: rows.length });
  }
  if (kind === "events" && request.method === "POST" && action === "registers") {
    const body = await readJson(request, max);
    if (!isObject(body) || typeof body.register_id !== "string") throw invalid("register_id required", "register_id");
    const token = newToken();
    await env.DB.prepare(
      `INSERT INTO registers (id, event_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET event_id = excluded.event_id, name = excluded.name,
         token_hash = excluded.token_hash, revoked_at = NULL`,
    ).bind(body.register_id, id, String(body.name ?? body.register_id), await sha256Hex(token), nowIso()).run();
    return json({ register_id: body.register_id, token });
  }
  if (kind === "registers" && request.method === "POST" && action === "revoke") {
    await env.DB.prepare("UPDATE registers SET revoked_at = ? WHERE id = ?").bind(nowIso(), id).run();
    return json({ ok: true });
  }
  if (kind === "events" && request.method === "GET" && action === "export" && table && Object.hasOwn(EXPORTS, table)) {
    const after = Number(url.searchParams.get("after") ?? "0");
    const limit = Math.min(Number(url.searchParams.get("limit") ?? "5000"), 10000);
    const scoped = ["register_progress", "journal"].includes(table)
      ? "register_id IN (SELECT id FROM registers WHERE event_id = ?)"
      : table === "sale_lines" || table === "tenders"
        ? "sale_id IN (SELECT id FROM sales WHERE event_id = ?)"
        : "event_id = ?";
    const { results } = await env.DB.prepare(
      `SELECT rowid AS _rowid, * FROM ${EXPORTS[table]} WHERE ${scoped} AND rowid > ? ORDER BY rowid LIMIT ?`,
    ).bind(id, after, limit).all<Row>();
    const next = results.length === limit ? results[results.length - 1]._rowid : null;
    return json({ rows: results.map(({ _rowid, ...rest }) => rest), next_after: next });
  }
  throw new HttpError(404, "not_found", "No such admin route");
}
