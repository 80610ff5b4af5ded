// Register and admin authentication. Register tokens are stored only as SHA-256 hex; the
// ADMIN_TOKEN is compared in constant time. No token ever goes into a reply or a log line.

import { HttpError, sha256Hex } from "./http";

export interface Env {
  DB: D1Database;
  ADMIN_TOKEN?: string;
  MAX_STATEMENTS?: string;
  MAX_BODY_BYTES?: string;
  /** Only under the push benchmark: the loopback port every push's statements go to (statement-log.ts). */
  STATEMENT_LOG_PORT?: string;
}

export interface RegisterAuth {
  registerId: string;
  eventId: string;
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "unauthorized", message);
}

function bearer(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{16,200})$/.exec(header);
  if (!match?.[1]) throw unauthorized("Missing or malformed bearer token");
  return match[1];
}

/** The register behind the bearer token: 401 when missing, malformed, unknown or revoked. */
export async function authenticateRegister(request: Request, env: Env): Promise<RegisterAuth> {
  const tokenHash = await sha256Hex(bearer(request));
  const row = await env.DB.prepare(
    "SELECT id, event_id, revoked_at FROM registers WHERE token_hash = ?",
  )
    .bind(tokenHash)
    .first<{ id: string; event_id: string; revoked_at: string | null }>();
  if (!row || row.revoked_at !== null) throw unauthorized("Unknown or revoked register token");
  return { registerId: row.id, eventId: row.event_id };
}

export function requireRegister(auth: RegisterAuth, registerId: string): void {
  if (registerId !== auth.registerId) {
    throw new HttpError(403, "forbidden", "This token belongs to another register");
  }
}

export function requireEvent(auth: RegisterAuth, eventId: string): void {
  if (eventId !== auth.eventId) {
    throw new HttpError(403, "forbidden", "This token belongs to another event");
  }
}

export async function authenticateAdmin(request: Request, env: Env): Promise<void> {
  const expected = env.ADMIN_TOKEN ?? "";
  if (expected.length < 16) throw unauthorized("The admin API is disabled (no ADMIN_TOKEN)");
  const given = bearer(request);
  // Compare digests, so neither the length nor a prefix of the secret leaks through timing.
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  if (diff !== 0) throw unauthorized("Wrong admin token");
}

/** A new register token: 32 random bytes, base64url. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
