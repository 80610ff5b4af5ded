// pos_app central API (Cloudflare Worker + D1): the router. It matches each versioned route,
// authenticates it, and turns every failure into a JSON error; an unexpected exception is a
// 500 without internals (the batch rolled back, nothing was written).
// Nothing here logs a token, a PIN or a card reference.

import { handleAdmin } from "./admin";
import { authenticateAdmin, authenticateRegister, Env } from "./auth";
import { handleConflicts } from "./conflicts";
import { handleEnroll, organiserRoute } from "./enroll";
import { errorResponse, HttpError, json, notFound } from "./http";
import { handleCatalog } from "./pull";
import { handlePush } from "./push";
import { statementRoute } from "./statement";
import { recordingEnv } from "./statement-log";

function pathParts(url: URL): string[] {
  try {
    return url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw notFound("Malformed path");
  }
}

async function route(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const url = new URL(request.url);
  const parts = pathParts(url);
  const method = request.method;
  if (parts[0] !== "v1") throw notFound("Unknown path");
  const [, area, id, action, ...rest] = parts;
  if (area === "health" && parts.length === 2 && method === "GET") return json({ ok: true });
  if (area === "admin") {
    await authenticateAdmin(request, env);
    const organiser = organiserRoute(method, parts.slice(2)) ?? statementRoute(method, parts.slice(2));
    if (organiser) return organiser(request, env);
    return handleAdmin(request, env, url, parts.slice(2));
  }
  if (area === "enroll" && parts.length === 2 && method === "POST") return handleEnroll(request, env);
  if (id === undefined || rest.length > 0) throw notFound("Unknown path");
  if (area === "registers" && action === "push" && method === "POST") {
    if (env.STATEMENT_LOG_PORT) { // the push benchmark's floor only (statement-log.ts)
      const recording = recordingEnv(env);
      const reply = await handlePush(request, recording.env, await authenticateRegister(request, recording.env), id);
      // Sent after the reply, so the measured push does not wait for its own measurement.
      ctx.waitUntil(afterReply(() => recording.flush(id)));
      return reply;
    }
    return handlePush(request, env, await authenticateRegister(request, env), id);
  }
  if (area === "registers" && action === "conflicts" && method === "GET") {
    return handleConflicts(url, env, await authenticateRegister(request, env), id);
  }
  if (area === "events" && action === "catalog" && method === "GET") {
    return handleCatalog(url, env, await authenticateRegister(request, env), id);
  }
  throw notFound("Unknown path");
}

/** `work` started on a later turn of the event loop, once the handler has returned its reply. */
function afterReply(work: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(work);
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    try {
      return await route(request, env, ctx);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      // SQL errors quote no tokens (only their hashes are stored); keep the line short.
      const detail = error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : "unknown";
      console.error("unexpected error", detail);
      return json({ error: "internal", message: "The server failed; nothing was written" }, 500);
    }
  },
} satisfies ExportedHandler<Env>;
