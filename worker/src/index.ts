// pos_app central API: routes each request and turns every failure into a JSON error.
// Nothing here logs a token, a PIN or a card reference.

import { authenticateAdmin, authenticateRegister, Env } from "./auth";
import { handleAdmin } from "./admin";
import { errorResponse, HttpError, json } from "./http";
import { handleCatalog, handleConflicts } from "./pull";
import { handlePush } from "./push";

async function route(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== "v1") throw new HttpError(404, "not_found", "Unknown path");
  const [, area, id, action] = parts;
  if (area === "health") return json({ ok: true });
  if (area === "admin") {
    await authenticateAdmin(request, env);
    return handleAdmin(request, env, url, parts.slice(2));
  }
  if (area === "registers" && action === "push" && request.method === "POST") {
    return handlePush(request, env, await authenticateRegister(request, env), id);
  }
  if (area === "registers" && action === "conflicts" && request.method === "GET") {
    return handleConflicts(url, env, await authenticateRegister(request, env), id);
  }
  if (area === "events" && action === "catalog" && request.method === "GET") {
    return handleCatalog(url, env, await authenticateRegister(request, env), id);
  }
  throw new HttpError(404, "not_found", "Unknown path");
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    try {
      return await route(request, env);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      console.error("unexpected error", error instanceof Error ? error.name : "unknown");
      return json({ error: "internal", message: "The server failed; nothing was written" }, 500);
    }
  },
} satisfies ExportedHandler<Env>;
