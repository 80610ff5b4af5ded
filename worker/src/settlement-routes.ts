// The settlement routes under /v1/admin/events/{id}/ (admin token, checked by the router):
// GET settlement, GET conflicts (a page of the open conflicts), PUT fees, POST payouts, POST
// resolutions, POST settle, GET statements (a page of every consignor's statement). Each runs
// on a D1 session ("first-primary"), so a read that follows a write sees it, never a stale
// replica.

import { Env } from "./auth";
import { handlePayout } from "./payouts";
import { handleResolution } from "./resolutions";
import { getConflictPage } from "./settlement-conflicts";
import { getStatementPage } from "./statement-pages";
import { Db, getSettlement, putFees, requireEvent, settle } from "./settlement";

type Handler = (request: Request, db: Db, eventId: string, env: Env) => Promise<Response>;

const ROUTES: Readonly<Record<string, Handler>> = {
  "GET settlement": getSettlement,
  "GET conflicts": getConflictPage,
  "PUT fees": putFees,
  "POST payouts": handlePayout,
  "POST resolutions": handleResolution,
  "POST settle": settle,
  "GET statements": getStatementPage,
};

/** The settlement handler for `method` and `action`, if there is one. */
export function settlementRoute(method: string, action: string | undefined):
  ((request: Request, env: Env, url: URL, eventId: string) => Promise<Response>) | undefined {
  const handler = Object.hasOwn(ROUTES, `${method} ${action}`) ? ROUTES[`${method} ${action}`] : undefined;
  if (!handler) return undefined;
  return async (request, env, _url, eventId) => {
    const db = env.DB.withSession("first-primary");
    await requireEvent(db, eventId);
    return await handler(request, db, eventId, env);
  };
}
