// GET /v1/admin/events/{id}/export/{table}?after=KEY&limit=N: one event's rows of a table,
// ordered by primary key, paginated by keyset. KEY is the last row's primary key as a JSON
// array (e.g. ["01J…", 3] for sale_lines); next_after is null on the last page.

import { Env } from "./auth";
import { invalid, json, notFound, queryInt } from "./http";

interface ExportTable {
  key: string[];
  scope: string;
}

const BY_EVENT = "event_id = ?1";
const BY_SALE = "sale_id IN (SELECT id FROM sales WHERE event_id = ?1)";
const BY_REGISTER = "register_id IN (SELECT id FROM registers WHERE event_id = ?1)";

const TABLES: Readonly<Record<string, ExportTable>> = {
  sales: { key: ["id"], scope: BY_EVENT },
  sale_lines: { key: ["sale_id", "line_no"], scope: BY_SALE },
  tenders: { key: ["sale_id", "line_no"], scope: BY_SALE },
  price_overrides: { key: ["sale_id", "line_no"], scope: BY_SALE },
  voids: { key: ["id"], scope: BY_EVENT },
  refunds: { key: ["id"], scope: BY_EVENT },
  journal: { key: ["register_id", "seq"], scope: BY_REGISTER },
  journal_forks: { key: ["register_id", "seq", "entry_hash"], scope: BY_REGISTER },
  shifts: { key: ["id"], scope: BY_EVENT },
  no_sales: { key: ["id"], scope: BY_EVENT },
  conflicts: { key: ["id"], scope: BY_EVENT },
  items: { key: ["id"], scope: BY_EVENT },
  consignors: { key: ["id"], scope: BY_EVENT },
  register_progress: { key: ["register_id"], scope: BY_REGISTER },
};

function parseKey(raw: string | null, size: number): (string | number)[] | null {
  if (raw === null || raw === "") return null;
  let key: unknown;
  try {
    key = JSON.parse(raw);
  } catch {
    key = undefined;
  }
  const ok = Array.isArray(key) && key.length === size &&
    key.every((v) => typeof v === "string" || (typeof v === "number" && Number.isSafeInteger(v)));
  if (!ok) throw invalid(`after must be a JSON array of ${size} key values`, "after");
  return key as (string | number)[];
}

export async function handleExport(env: Env, url: URL, eventId: string, table: string): Promise<Response> {
  const spec = Object.hasOwn(TABLES, table) ? TABLES[table] : undefined;
  if (!spec) throw notFound(`Cannot export ${table.slice(0, 40)}`);
  const limit = queryInt(url, "limit", 1000, 1, 5000);
  const after = parseKey(url.searchParams.get("after"), spec.key.length);
  const keyList = spec.key.join(", ");
  const marks = spec.key.map((_, i) => `?${i + 2}`).join(", ");
  const afterSql = after ? ` AND (${keyList}) > (${marks})` : "";
  const { results } = await env.DB.prepare(
    `SELECT * FROM ${table} WHERE ${spec.scope}${afterSql} ORDER BY ${keyList} LIMIT ${limit}`,
  ).bind(eventId, ...(after ?? [])).all<Record<string, unknown>>();
  const last = results[results.length - 1];
  const nextAfter = results.length === limit && last ? JSON.stringify(spec.key.map((k) => last[k])) : null;
  return json({ rows: results, next_after: nextAfter });
}
