// JSON responses, the error type every handler throws for a client mistake, and small helpers
// (body reading under MAX_BODY_BYTES, SHA-256 hex, timestamps) shared by every module.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function json(body: unknown, status = 200): Response {
  return jsonText(JSON.stringify(body), status);
}

/** A reply whose JSON text is already built (a large page assembled from SQLite's own JSON). */
export function jsonText(text: string, status = 200): Response {
  return new Response(text, {
    status,
    // Date: registers compare their clock with it at each sync (shared DESIGN.md).
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store",
      date: new Date().toUTCString() },
  });
}

export function errorResponse(error: HttpError): Response {
  return json({ error: error.code, message: error.message, ...error.extra }, error.status);
}

/** A 400 for an invalid payload; `field` points at the bad value, `saleId` at its entry. */
export function invalid(message: string, field?: string, saleId?: string): HttpError {
  const extra: Record<string, unknown> = {};
  if (field !== undefined) extra.field = field;
  if (saleId !== undefined) extra.sale_id = saleId;
  return new HttpError(400, "invalid", message, extra);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, "not_found", message);
}

const encoder = new TextEncoder();

const ASCII = /^[\x00-\x7f]*$/;

/** UTF-8 bytes of `text`, counted without encoding it (a push counts ~100,000 strings). */
export function utf8Length(text: string): number {
  if (ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length
      && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for its 2 UTF-16 units
      i++;
    } else bytes += 2; // a lone surrogate encodes as U+FFFD, 3 bytes
  }
  return bytes;
}

/** Read and parse a JSON body; 413 over `maxBytes` (declared or actual), 400 if not JSON. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new HttpError(413, "too_large", `The body is over ${maxBytes} bytes`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > maxBytes) throw tooLarge();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalid("The body is not UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("The body is not valid JSON");
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function nowIso(): string {
  return new Date().toISOString();
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let hex = "";
  for (let k = 0; k < digest.length; k++) hex += HEX[digest[k]!];
  return hex;
}

/** A positive integer Worker var (MAX_STATEMENTS, MAX_BODY_BYTES) or its default. */
export function intVar(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * An optional whole-number query parameter that, when given, must be one (negative ones
 * included: `after=-1`); given empty it is refused, not taken as absent. 400 naming it.
 */
export function queryWhole(url: URL, name: string, fallback: number, min: number, max: number): number {
  const given = url.searchParams.get(name);
  if (given === null) return fallback;
  const value = /^-?\d{1,10}$/.test(given) ? Number(given) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}`, name);
  }
  return value;
}

/** An optional non-negative integer query parameter, 400 naming it when malformed. */
export function queryInt(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}`, name);
  }
  return value;
}
