// GET /v1/events/{id}/catalog?since=SEQ:ID&limit=N: catalog changes after a cursor.
// Items come in (change_seq, id) order; the event and consignors changed after the cursor's
// change_seq come on every such page. All reads of one page run in one batch, so they see
// one consistent snapshot (the counter, the page and the remaining count agree).
// `format=rows` sends the items compact: `item_columns` once and `item_rows`, one array of
// values a row (flags as 0/1, no event_id: the URL's), each row's JSON made by SQLite itself.

import { Env, RegisterAuth, requireEvent } from "./auth";
import { invalid, json, jsonText, notFound, queryInt } from "./http";

const ITEM_COLUMNS =
  "id, event_id, consignor_number, item_number, tag_code, description, category, size, price_cents, " +
  "condition, discountable, donate_if_unsold, status, sold_sale_id, sold_register_id, change_seq";
/** The columns of a compact page's rows, in order (`format=rows`). */
export const ROW_COLUMNS = [
  "id", "consignor_number", "item_number", "tag_code", "description", "category", "size", "price_cents",
  "condition", "discountable", "donate_if_unsold", "status", "sold_sale_id", "sold_register_id", "change_seq",
] as const;
export const MAX_PAGE = 10_000;
const EVENT_COLUMNS = "id, name, starts_on, ends_on, location, timezone, status, tax_rate_bp, change_seq";

export interface Cursor {
  seq: number;
  id: string;
}

/** `"<change_seq>:<item_id>"`; absent, `""` and `"0:"` mean from the start. */
export function parseCursor(text: string | null): Cursor {
  if (text === null || text === "") return { seq: 0, id: "" };
  const match = /^(\d{1,15}):(.{0,128})$/s.exec(text);
  if (!match) throw invalid("since must look like CHANGE_SEQ:ITEM_ID", "since");
  return { seq: Number(match[1]), id: match[2] ?? "" };
}

/** The items after a cursor, in `(change_seq, id)` order: ?1 event, ?2 change_seq, ?3 id.
 * `"12:"` (no id) means everything up to change_seq 12 was delivered. With an id, the
 * row-value comparison lets SQLite seek the `items_changes` index to the cursor itself. The
 * equivalent `a > ? OR (a = ? AND b > ?)` seeks only to the cursor's change_seq and then reads
 * every item of that change_seq before the cursor: for a catalog imported in one change_seq,
 * each page read all the pages before it (D1 bills rows read; test/pull.test.ts). */
export function itemsAfter(cursor: Cursor): { sql: string; args: (number | string)[] } {
  return cursor.id === ""
    ? { sql: "event_id = ?1 AND change_seq > ?2", args: [cursor.seq] }
    : { sql: "event_id = ?1 AND (change_seq, id) > (?2, ?3)", args: [cursor.seq, cursor.id] };
}

export function itemPageSql(after: string, limit: number): string {
  return `SELECT ${ITEM_COLUMNS} FROM items WHERE ${after} ORDER BY change_seq, id LIMIT ${limit + 1}`;
}

/** The compact page's query: one column `r`, each row's values as SQLite's own JSON array
 * (building the objects of 16 keys and stringifying them again was most of a page's time). */
export function rowPageSql(after: string, limit: number): string {
  return `SELECT json_array(${ROW_COLUMNS.join(", ")}) AS r FROM items WHERE ${after} ` +
    `ORDER BY change_seq, id LIMIT ${limit + 1}`;
}

/** Validates the request synchronously (a bad one throws before any promise exists: a promise
 * rejected before the router awaits it is reported as unhandled by the workers runtime). */
export function handleCatalog(url: URL, env: Env, auth: RegisterAuth, eventId: string): Promise<Response> {
  requireEvent(auth, eventId);
  const cursor = parseCursor(url.searchParams.get("since"));
  const limit = queryInt(url, "limit", 1000, 1, MAX_PAGE);
  const format = url.searchParams.get("format") ?? "objects";
  if (format !== "objects" && format !== "rows") throw invalid("format must be objects or rows", "format");
  // `count=0`: leave out total_remaining (a COUNT over every item after the cursor). A client
  // asks for it on a pull's first page only and keeps the figure for its progress bar.
  return catalogPage(env, auth, eventId, cursor, limit, format === "rows", url.searchParams.get("count") !== "0");
}

async function catalogPage(env: Env, auth: RegisterAuth, eventId: string, cursor: Cursor, limit: number,
                           compact: boolean, counted: boolean): Promise<Response> {
  const after = itemsAfter(cursor);
  const db = env.DB;
  const reads = [
    db.prepare("SELECT value FROM counters WHERE name = 'catalog'"),
    db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?1`).bind(eventId),
    db.prepare(
      "SELECT id, starts_at, ends_at, percent_bp FROM discount_rules WHERE event_id = ?1 ORDER BY starts_at, id",
    ).bind(eventId),
    db.prepare(
      `SELECT id, event_id, number, name, email, phone, split_bp, change_seq FROM consignors
       WHERE event_id = ?1 AND change_seq > ?2 ORDER BY number`,
    ).bind(eventId, cursor.seq),
    db.prepare((compact ? rowPageSql : itemPageSql)(after.sql, limit)).bind(eventId, ...after.args),
    // The register's place among its event's registers (pos_app/core/new_items.py: the block of
    // item numbers it gives to items entered at check-in). Registers are never deleted.
    db.prepare(
      `SELECT COUNT(*) AS n FROM registers WHERE event_id = ?1
         AND rowid <= (SELECT rowid FROM registers WHERE id = ?2)`,
    ).bind(eventId, auth.registerId),
  ];
  if (counted) {
    reads.push(db.prepare(`SELECT COUNT(*) AS n FROM items WHERE ${after.sql}`).bind(eventId, ...after.args));
  }
  const [counter, event, rules, consignors, items, place, remaining] = await db.batch<Record<string, unknown>>(reads);
  const eventRow = event?.results[0];
  if (!eventRow) throw notFound("No such event");
  const counterValue = Number(counter?.results[0]?.value ?? 0);
  const head = {
    event: (eventRow.change_seq as number) > cursor.seq ? { ...eventRow, discount_rules: rules?.results ?? [] } : null,
    consignors: consignors?.results ?? [],
    register_number: Number(place?.results[0]?.n ?? 0),
    // Items after the request's cursor, this page included (the client's progress bar uses it).
    ...(counted ? { total_remaining: Number(remaining?.results[0]?.n ?? 0) } : {}),
  };
  const rows = items?.results ?? [];
  const hasMore = rows.length > limit;
  if (compact) {
    const texts = rows.slice(0, limit).map((row) => row.r as string);
    const lastText = texts[texts.length - 1];
    const last = lastText === undefined ? undefined : (JSON.parse(lastText) as unknown[]);
    const tail = {
      next_cursor: hasMore && last ? `${last[ROW_COLUMNS.length - 1]}:${last[0]}` : `${counterValue}:`,
      has_more: hasMore,
      item_columns: ROW_COLUMNS,
    };
    const text = JSON.stringify({ ...head, ...tail });
    return jsonText(`${text.slice(0, -1)},"item_rows":[${texts.join(",")}]}`);
  }
  const page: Record<string, unknown>[] = rows.slice(0, limit).map((row) => ({
    ...row,
    discountable: row.discountable === 1,
    donate_if_unsold: row.donate_if_unsold === 1,
  }));
  const last = page[page.length - 1];
  return json({
    ...head,
    items: page,
    // The last page's cursor is the counter read in this snapshot: nothing up to it is left.
    next_cursor: hasMore && last ? `${last.change_seq}:${last.id}` : `${counterValue}:`,
    has_more: hasMore,
  });
}
