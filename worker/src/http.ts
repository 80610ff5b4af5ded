// JSON responses and the error type every handler throws for a client mistake.

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
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

export function errorResponse(error: HttpError): Response {
  return json({ error: error.code, message: error.message, ...error.extra }, error.status);
}

export function invalid(message: string, field?: string, saleId?: string): HttpError {
  const extra: Record<string, unknown> = {};
  if (field !== undefined) extra.field = field;
  if (saleId !== undefined) extra.sale_id = saleId;
  return new HttpError(400, "invalid", message, extra);
}

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new HttpError(413, "too_large", `Body over ${maxBytes} bytes`);
  const text = await request.text();
  if (new TextEncoder().encode(text).length > maxBytes) {
    throw new HttpError(413, "too_large", `Body over ${maxBytes} bytes`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("Body is not valid JSON");
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function nowIso(): string {
  return new Date().toISOString();
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
