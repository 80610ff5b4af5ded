// Register and admin authentication. Tokens are stored as SHA-256 hex; never logged.

import { HttpError, sha256Hex } from "./http";

export interface Env {
  DB: D1Database;
  ADMIN_TOKEN?: string;
  MAX_STATEMENTS?: string;
  MAX_BODY_BYTES?: string;
}

export interface RegisterAuth {
  registerId: string;
  eventId: string;
}

function bearer(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{16,200})$/.exec(header);
  if (!match) throw new HttpError(401, "unauthorized", "Missing or malformed bearer token");
  return match[1];
}

export async function authenticateRegister(request: Request, env: Env): Promise<RegisterAuth> {
  const tokenHash = await sha256Hex(bearer(request));
  const row = await env.DB.prepare(
    "SELECT id, event_id, revoked_at FROM registers WHERE token_hash = ?",
  )
    .bind(tokenHash)
    .first<{ id: string; event_id: string; revoked_at: string | null }>();
  if (!row || row.revoked_at !== null) {
    throw new HttpError(401, "unauthorized", "Unknown or revoked register token");
  }
  return { registerId: row.id, eventId: row.event_id };
}

export async function authenticateAdmin(request: Request, env: Env): Promise<void> {
  const expected = env.ADMIN_TOKEN ?? "";
  if (expected.length < 16) throw new HttpError(401, "unauthorized", "Admin API is disabled");
  const given = bearer(request);
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  if (diff !== 0) throw new HttpError(401, "unauthorized", "Wrong admin token");
}

export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
