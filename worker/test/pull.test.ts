// Catalog pull by cursor against a real (local) D1: pages in order without gaps or repeats,
// the count only when asked for, and a page that reads only the rows after its cursor.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { itemPageSql, itemsAfter, rowPageSql } from "../src/pull";

const ADMIN = { authorization: "Bearer test-admin-token-0123456789" };
const EVENT = "evt-pull";
const ITEMS = 25;
let auth: Record<string, string> = {};

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await exports.default.fetch(`http://worker${path}`, {
    method, headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

function items(from: number, to: number) {
  return Array.from({ length: to - from }, (_, k) => {
    const n = from + k;
    return { id: `p-${String(n).padStart(3, "0")}`, consignor_number: 2001, item_number: n + 1,
             tag_code: `2001-${n + 1}`, price_cents: 100 + n };
  });
}

async function pullAll(since: string, limit: number, count = true) {
  const pages: Record<string, any>[] = [];
  let cursor = since;
  for (;;) {
    const query = `since=${encodeURIComponent(cursor)}&limit=${limit}${count ? "" : "&count=0"}`;
    const reply = await call("GET", `/v1/events/${EVENT}/catalog?${query}`, undefined, auth);
    expect(reply.status).toBe(200);
    pages.push(reply.body);
    cursor = reply.body.next_cursor;
    if (!reply.body.has_more) return { pages, cursor };
  }
}

beforeAll(async () => {
  expect((await call("PUT", `/v1/admin/events/${EVENT}`,
    { name: "Pull", starts_on: "2026-11-21", ends_on: "2026-11-22", status: "published" }, ADMIN)).status).toBe(200);
  // Two admin calls: two change_seq values, so pages cross a change_seq boundary.
  expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items: items(0, 15) }, ADMIN)).status).toBe(200);
  expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items: items(15, ITEMS) }, ADMIN)).status).toBe(200);
  const token = (await call("POST", `/v1/admin/events/${EVENT}/registers`, { register_id: "reg-pull" }, ADMIN)).body.token;
  auth = { authorization: `Bearer ${token}` };
});

describe("catalog pull", () => {
  it("delivers every item once, in (change_seq, id) order, across change_seq boundaries", async () => {
    const { pages, cursor } = await pullAll("0:", 4);
    const ids = pages.flatMap((page) => page.items.map((item: any) => item.id));
    expect(ids).toEqual(items(0, ITEMS).map((item) => item.id));
    expect(pages.map((page) => page.total_remaining)).toEqual([25, 21, 17, 13, 9, 5, 1]);
    const again = await pullAll(cursor, 4);
    expect(again.pages.flatMap((page) => page.items)).toEqual([]);
  });

  it("leaves the count out when asked to, with the same pages", async () => {
    const counted = await pullAll("0:", 7);
    const uncounted = await pullAll("0:", 7, false);
    expect(uncounted.pages.map((page) => "total_remaining" in page)).toEqual([false, false, false, false]);
    expect(uncounted.pages.map((page) => page.items)).toEqual(counted.pages.map((page) => page.items));
    expect(uncounted.cursor).toBe(counted.cursor);
  });

  it("a cursor without an id skips everything up to its change_seq", async () => {
    const first = await call("GET", `/v1/events/${EVENT}/catalog?since=0:&limit=100`, undefined, auth);
    const seqs = [...new Set(first.body.items.map((item: any) => item.change_seq))] as number[];
    expect(seqs.length).toBe(2);
    const after = await call("GET", `/v1/events/${EVENT}/catalog?since=${seqs[0]}:&limit=100`, undefined, auth);
    expect(after.body.items.map((item: any) => item.id)).toEqual(items(15, ITEMS).map((item) => item.id));
  });

  it("reads only the rows after the cursor, however many share its change_seq", async () => {
    // The first 15 items share one change_seq; a cursor at the 13th must not read the 12 before.
    const { seq } = (await env.DB.prepare("SELECT change_seq AS seq FROM items WHERE id = 'p-012'")
      .first<{ seq: number }>())!;
    const after = itemsAfter({ seq, id: "p-012" });
    const page = await env.DB.prepare(itemPageSql(after.sql, 2)).bind(EVENT, ...after.args).all();
    expect(page.results.map((row: any) => row.id)).toEqual(["p-013", "p-014", "p-015"]);
    expect(page.meta.rows_read).toBeLessThanOrEqual(4);  // the 3 rows and the index step past them
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${itemPageSql(after.sql, 2)}`)
      .bind(EVENT, ...after.args).all<{ detail: string }>();
    expect(plan.results.map((row) => row.detail).join(" | ")).not.toContain("TEMP B-TREE");
  });
});

describe("compact pages (format=rows)", () => {
  it("carry the same items as the objects, page for page, with the same cursors", async () => {
    const objects = await pullAll("0:", 4);
    const rows: Record<string, any>[] = [];
    let cursor = "0:";
    for (;;) {
      const reply = await call("GET", `/v1/events/${EVENT}/catalog?since=${encodeURIComponent(cursor)}&limit=4&format=rows`,
        undefined, auth);
      expect(reply.status).toBe(200);
      expect(reply.body.items).toBeUndefined();
      rows.push(reply.body);
      cursor = reply.body.next_cursor;
      if (!reply.body.has_more) break;
    }
    expect(rows.map((page) => page.next_cursor)).toEqual(objects.pages.map((page) => page.next_cursor));
    expect(rows.map((page) => page.total_remaining)).toEqual(objects.pages.map((page) => page.total_remaining));
    const decoded = rows.map((page) => page.item_rows.map((row: unknown[]) =>
      Object.fromEntries(page.item_columns.map((name: string, k: number) => [name, row[k]]))));
    const expected = objects.pages.map((page) => page.items.map(({ event_id, ...item }: any) => {
      expect(event_id).toBe(EVENT);
      return { ...item, discountable: item.discountable ? 1 : 0, donate_if_unsold: item.donate_if_unsold ? 1 : 0 };
    }));
    expect(decoded).toEqual(expected);
    expect(decoded.flat().length).toBe(ITEMS);
  });

  it("an empty compact page still names its columns and ends at the counter", async () => {
    const { cursor } = await pullAll("0:", 100);
    const reply = await call("GET", `/v1/events/${EVENT}/catalog?since=${cursor}&format=rows`, undefined, auth);
    expect(reply.status).toBe(200);
    expect(reply.body.item_rows).toEqual([]);
    expect(reply.body.item_columns).not.toContain("event_id");
    expect(reply.body.next_cursor).toBe(cursor);
    expect(reply.body.has_more).toBe(false);
  });

  it("reads only the rows after the cursor too, by the items_changes index", async () => {
    const { seq } = (await env.DB.prepare("SELECT change_seq AS seq FROM items WHERE id = 'p-012'")
      .first<{ seq: number }>())!;
    const after = itemsAfter({ seq, id: "p-012" });
    const page = await env.DB.prepare(rowPageSql(after.sql, 2)).bind(EVENT, ...after.args).all<{ r: string }>();
    expect(page.results.map((row) => JSON.parse(row.r)[0])).toEqual(["p-013", "p-014", "p-015"]);
    expect(page.meta.rows_read).toBeLessThanOrEqual(4);
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${rowPageSql(after.sql, 2)}`)
      .bind(EVENT, ...after.args).all<{ detail: string }>();
    const detail = plan.results.map((row) => row.detail).join(" | ");
    expect(detail).toContain("items_changes");
    expect(detail).not.toContain("TEMP B-TREE");
  });

  it("refuses an unknown format and a page larger than the largest", async () => {
    const format = await call("GET", `/v1/events/${EVENT}/catalog?format=csv`, undefined, auth);
    expect([format.status, format.body.field]).toEqual([400, "format"]);
    const large = await call("GET", `/v1/events/${EVENT}/catalog?limit=10001&format=rows`, undefined, auth);
    expect([large.status, large.body.field]).toEqual([400, "limit"]);
    const largest = await call("GET", `/v1/events/${EVENT}/catalog?limit=10000&format=rows`, undefined, auth);
    expect(largest.status).toBe(200);
    expect(largest.body.item_rows.length).toBe(ITEMS);
  });
});
