// GET /v1/registers/{id}/conflicts?since=ID: conflicts where the register lost or won,
// ascending by id, at most 500 per page. The same columns go into the push reply.

import { Env, RegisterAuth, requireRegister } from "./auth";
import { json, queryInt } from "./http";

export const CONFLICT_COLUMNS = [
  "id", "kind", "item_id", "sale_id", "register_id", "winning_sale_id", "winning_register_id",
  "detail", "created_at", "expected_cents", "actual_cents",
] as const;

const PAGE = 500;

export async function handleConflicts(url: URL, env: Env, auth: RegisterAuth, registerId: string) {
  requireRegister(auth, registerId);
  const since = queryInt(url, "since", 0, 0, Number.MAX_SAFE_INTEGER);
  const { results } = await env.DB.prepare(
    `SELECT ${CONFLICT_COLUMNS.join(", ")} FROM conflicts
     WHERE id > ?1 AND (register_id = ?2 OR winning_register_id = ?2) ORDER BY id LIMIT ${PAGE}`,
  ).bind(since, registerId).all<{ id: number }>();
  const last = results[results.length - 1];
  return json({ conflicts: results, next_since: last ? last.id : since });
}
