// Register enrollment and the organiser's listings.
//
// POST /v1/admin/registers/{id}/enrollment (admin): a new single-use enrollment code for the
//   register, valid 24 h; any unused older code of that register stops working.
// POST /v1/enroll {"code"} (no token: the code is the credential): exchanges the code, once,
//   for the register's long-lived token (a new one; any earlier token stops working).
// GET /v1/admin/events (admin): every event with its discount rules.
// GET /v1/admin/events/{id}/registers (admin): the event's registers, revoked and enrolled.
// Codes and tokens are stored only as SHA-256 hex and never logged.

import { Env, newToken } from "./auth";
import { HttpError, invalid, isObject, json, notFound, nowIso, readJson, sha256Hex } from "./http";
import { ID_RE } from "./records";

const CODE_TTL_MS = 24 * 60 * 60 * 1000;
const CODE_RE = /^[A-Za-z0-9_-]{16,128}$/;

type Handler = (request: Request, env: Env) => Promise<Response>;

/** The handler of an organiser route under /v1/admin/ that this module serves, else null. */
export function organiserRoute(method: string, parts: string[]): Handler | null {
  const [kind, id, action, ...rest] = parts;
  if (rest.length > 0) return null;
  if (method === "GET" && kind === "events" && id === undefined) return listEvents;
  if (!id || !ID_RE.test(id)) return null;
  if (method === "GET" && kind === "events" && action === "registers") {
    return (_request, env) => listRegisters(env, id);
  }
  if (method === "POST" && kind === "registers" && action === "enrollment") {
    return (_request, env) => createEnrollment(env, id);
  }
  return null;
}

function newCode(): string {
  return newToken().slice(0, 32); // 192 random bits, base64url
}

async function createEnrollment(env: Env, registerId: string): Promise<Response> {
  const register = await env.DB.prepare(
    "SELECT id, event_id, name, revoked_at FROM registers WHERE id = ?",
  ).bind(registerId).first<{ id: string; event_id: string; name: string; revoked_at: string | null }>();
  if (!register) throw notFound(`No register ${registerId}`);
  if (register.revoked_at !== null) {
    throw new HttpError(409, "register_revoked", "This register is revoked: add it again first");
  }
  const code = newCode();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS).toISOString();
  await env.DB.batch([
    env.DB.prepare("DELETE FROM enrollments WHERE register_id = ? AND used_at IS NULL").bind(registerId),
    env.DB.prepare(
      "INSERT INTO enrollments (code_hash, register_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    ).bind(await sha256Hex(code), registerId, now.toISOString(), expiresAt),
  ]);
  return json({ register_id: registerId, event_id: register.event_id, name: register.name,
    code, expires_at: expiresAt });
}

export async function handleEnroll(request: Request, env: Env): Promise<Response> {
  const given = await readJson(request, 4096);
  if (!isObject(given) || typeof given.code !== "string" || !CODE_RE.test(given.code)) {
    throw invalid("code must be an enrollment code", "code");
  }
  const codeHash = await sha256Hex(given.code);
  const token = newToken();
  const tokenHash = await sha256Hex(token);
  const now = nowIso();
  // One transaction: claim the code (unused, unexpired, register not revoked), then give the
  // register the new token; the claim marks the row so only this exchange finds it.
  const [, issued] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE enrollments SET used_at = ?2, claim = ?3
       WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2
         AND register_id IN (SELECT id FROM registers WHERE revoked_at IS NULL)`,
    ).bind(codeHash, now, tokenHash),
    env.DB.prepare(
      `UPDATE registers SET token_hash = ?1
       WHERE id = (SELECT register_id FROM enrollments WHERE claim = ?1)
       RETURNING id, event_id, name`,
    ).bind(tokenHash),
  ]);
  const row = issued?.results[0] as { id: string; event_id: string; name: string } | undefined;
  if (!row) {
    throw new HttpError(410, "enrollment_refused",
      "This enrollment code is unknown, already used or expired: ask the organiser for a new sheet");
  }
  return json({ register_id: row.id, event_id: row.event_id, name: row.name, token });
}

async function listEvents(_request: Request, env: Env): Promise<Response> {
  const [events, rules] = await env.DB.batch([
    env.DB.prepare(
      `SELECT id, name, starts_on, ends_on, location, timezone, status, tax_rate_bp
       FROM events ORDER BY starts_on, id`,
    ),
    env.DB.prepare("SELECT id, event_id, starts_at, ends_at, percent_bp FROM discount_rules ORDER BY starts_at"),
  ]);
  const byEvent = new Map<string, Record<string, unknown>[]>();
  for (const rule of (rules?.results ?? []) as Record<string, unknown>[]) {
    const { event_id: eventId, ...rest } = rule;
    const list = byEvent.get(String(eventId)) ?? [];
    list.push(rest);
    byEvent.set(String(eventId), list);
  }
  const rows = ((events?.results ?? []) as Record<string, unknown>[])
    .map((event) => ({ ...event, discount_rules: byEvent.get(String(event.id)) ?? [] }));
  return json({ events: rows });
}

async function listRegisters(env: Env, eventId: string): Promise<Response> {
  const event = await env.DB.prepare("SELECT 1 AS ok FROM events WHERE id = ?").bind(eventId).first();
  if (!event) throw notFound(`No event ${eventId}`);
  const { results } = await env.DB.prepare(
    `SELECT r.id, r.name, r.created_at, r.revoked_at,
            (SELECT MAX(used_at) FROM enrollments e WHERE e.register_id = r.id) AS enrolled_at
     FROM registers r WHERE r.event_id = ? ORDER BY r.id`,
  ).bind(eventId).all();
  return json({ registers: results });
}
