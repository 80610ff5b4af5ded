// The settlement's open conflicts, bounded (worker/src/settlement-conflicts.ts): the settlement
// carries only their counts (per consignor and the event's own), and GET .../conflicts pages
// them by id: every open conflict once across pages, a resolved one gone, one consignor's
// only when asked, a clear 400 for a bad `after`, `limit` or `consignor`.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { conflictPage, conflictPageQuery, MAX_CONFLICT_PAGE } from "../src/settlement-conflicts";
import { ADMIN, call, rows, Till } from "./kit";

const STOCK = [
  ...Array.from({ length: 5 }, (_, k) => ({ id: `c1-${k}`, consignor: 1001, price: 1000 + k })),
  ...Array.from({ length: 3 }, (_, k) => ({ id: `c2-${k}`, consignor: 1002, price: 2000 + k })),
];

/**
 * An event whose registers A and B both sell every item (8 sold_twice: 5 of 1001's, 3 of
 * 1002's), B also an item the catalog lacks (unknown_item, the line's consignor 1001), and
 * one conflict about no item (clock_skew): 1001 has 6 open, 1002 has 3, the event 1.
 */
async function seed(event: string): Promise<void> {
  expect((await call("PUT", `/v1/admin/events/${event}`, { name: event, starts_on: "2026-11-21",
    ends_on: "2026-11-22", status: "published", tax_rate_bp: 0 }, ADMIN)).status).toBe(200);
  const consignors = [1001, 1002, 1003].map((number) => ({ number, name: `Consignor ${number}`, split_bp: 6000 }));
  expect((await call("POST", `/v1/admin/events/${event}/consignors`, { consignors }, ADMIN)).status).toBe(200);
  const items = STOCK.map((item, n) => ({ id: `${event}-${item.id}`, consignor_number: item.consignor,
    item_number: n + 1, tag_code: `T-${event}-${item.id}`, price_cents: item.price }));
  expect((await call("POST", `/v1/admin/events/${event}/items`, { items }, ADMIN)).status).toBe(200);
  const lines = items.map((item) => ({ item: item.id, unit: item.price_cents }));
  const a = await Till.create(event, `${event}-a`);
  const b = await Till.create(event, `${event}-b`);
  expect((await a.push(await a.sale(lines))).status).toBe(200);
  expect((await b.push(await b.sale([...lines, { item: `${event}-ghost`, unit: 700 }]))).status).toBe(200);
  await env.DB.prepare(`INSERT INTO conflicts (event_id, kind, item_id, sale_id, register_id, detail, created_at)
    VALUES (?1, 'clock_skew', '', ?1 || '-no-sale', ?2, 'clock 3 h ahead', '2026-11-21T10:00:00.000Z')`)
    .bind(event, `${event}-a`).run();
}

const page = (event: string, query: string) => call("GET", `/v1/admin/events/${event}/conflicts?${query}`, undefined, ADMIN);

/** Every page of `query` from the first, each checked for its size. */
async function allPages(event: string, query: string, limit: number) {
  const pages: { conflicts: any[]; next_after: number | null }[] = [];
  for (let after: number | null = 0; after !== null;) {
    const reply = await page(event, `${query}&limit=${limit}&after=${after}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.conflicts.length).toBeLessThanOrEqual(limit);
    pages.push(reply.body as { conflicts: any[]; next_after: number | null });
    after = reply.body.next_after;
  }
  return pages;
}

const openConsignorIds = async (event: string, consignor: number) => (await rows(`SELECT c.id FROM conflicts c
  JOIN items i ON i.id = c.item_id WHERE c.event_id = ? AND i.consignor_number = ?
  AND c.id NOT IN (SELECT conflict_id FROM conflict_resolutions) ORDER BY c.id`, event, consignor)).map((r) => r.id as number);

const openIds = async (event: string) => (await rows(`SELECT id FROM conflicts WHERE event_id = ? AND id NOT IN
  (SELECT conflict_id FROM conflict_resolutions) ORDER BY id`, event)).map((r) => r.id as number);

describe("the settlement counts open conflicts, never lists them", () => {
  it("gives each consignor and the event a count, and the total", async () => {
    const event = "evt-conf-counts";
    await seed(event);
    const reply = await call("GET", `/v1/admin/events/${event}/settlement`, undefined, ADMIN);
    expect(reply.status).toBe(200);
    const counts = Object.fromEntries((reply.body.consignors as any[]).map((c) => [c.consignor_number, c.unresolved_conflicts]));
    expect(counts).toEqual({ 1001: 6, 1002: 3 });
    expect([reply.body.event_conflicts, reply.body.unresolved_conflicts]).toEqual([1, 10]);
    const statement = await call("GET", `/v1/admin/events/${event}/consignors/1001/statement`, undefined, ADMIN);
    expect(statement.body.consignor.unresolved_conflicts).toBe(6);
  });
});

describe("GET .../conflicts pages the open conflicts by id", () => {
  it("lists every open conflict once across pages, in id order, each with its consignor", async () => {
    const event = "evt-conf-pages";
    await seed(event);
    const pages = await allPages(event, "", 3);
    expect(pages.map((p) => p.conflicts.length)).toEqual([3, 3, 3, 1]);
    const listed = pages.flatMap((p) => p.conflicts);
    expect(listed.map((c) => c.id)).toEqual(await openIds(event));
    const of = (n: number | null) => listed.filter((c) => c.consignor_number === n).map((c) => c.kind).sort();
    expect(of(1001)).toEqual([...Array(5).fill("sold_twice"), "unknown_item"].sort());
    expect(of(1002)).toEqual(["sold_twice", "sold_twice", "sold_twice"]);
    expect(of(null)).toEqual(["clock_skew"]);
    // A last page that comes back exactly full says no more remain.
    expect((await allPages(event, "", 5)).map((p) => [p.conflicts.length, p.next_after === null])).toEqual([[5, false], [5, true]]);
    expect((await allPages(event, "", MAX_CONFLICT_PAGE)).map((p) => p.conflicts.length)).toEqual([10]);
  });

  it("gives one consignor's only when asked (none for a consignor without any)", async () => {
    const event = "evt-conf-filter";
    await seed(event);
    const mine = (await allPages(event, "consignor=1002", 2)).flatMap((p) => p.conflicts);
    expect(mine.map((c) => [c.consignor_number, c.kind])).toEqual(Array(3).fill([1002, "sold_twice"]));
    expect((await page(event, "consignor=1003")).body).toMatchObject({ conflicts: [], next_after: null });
  });

  it("leaves a resolved conflict out of the pages and the counts", async () => {
    const event = "evt-conf-resolved";
    await seed(event);
    const [first] = (await page(event, "consignor=1002&limit=1")).body.conflicts;
    const pick = { conflict_id: first.id, action: "pick_winner", winning_sale_id: first.winning_sale_id };
    expect((await call("POST", `/v1/admin/events/${event}/resolutions`, pick, ADMIN)).status).toBe(200);
    const listed = (await allPages(event, "", 4)).flatMap((p) => p.conflicts);
    expect(listed.map((c) => c.id)).toEqual(await openIds(event));
    expect(listed.map((c) => c.id)).not.toContain(first.id);
    expect(listed).toHaveLength(9);
    const settlement = (await call("GET", `/v1/admin/events/${event}/settlement`, undefined, ADMIN)).body;
    expect(settlement.consignors.find((c: any) => c.consignor_number === 1002).unresolved_conflicts).toBe(2);
    expect(settlement.unresolved_conflicts).toBe(9);
  });

  it.each([
    ["after=-1", "after"], ["after=abc", "after"], ["after=1.5", "after"], ["after=99999999999999999", "after"],
    ["limit=0", "limit"], [`limit=${MAX_CONFLICT_PAGE + 1}`, "limit"], ["limit=ten", "limit"],
    ["consignor=", "consignor"], ["consignor=x", "consignor"], ["consignor=-5", "consignor"],
  ])("answers 400 naming the parameter for %s", async (query, field) => {
    const event = "evt-conf-bad";
    await call("PUT", `/v1/admin/events/${event}`, { name: event, starts_on: "2026-11-21", ends_on: "2026-11-22" }, ADMIN);
    const reply = await page(event, query);
    expect([reply.status, reply.body.field]).toEqual([400, field]);
    expect(String(reply.body.message)).toMatch(new RegExp(`^${field} must be a whole number`));
  });

  it("reads a page by the (event_id, id) index in id order, so its rows follow the page, not the event", async () => {
    const { sql, params } = conflictPageQuery(env.DB, "evt", { after: 0, limit: 100, consignor: 1001 }).toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
    const details = results.map((row) => row.detail);
    // The page within its window (id > after, id <= the window's end), the window by the index alone.
    expect(details.some((d) => /^SEARCH conflicts USING INDEX conflicts_event \(event_id=\? AND id>\? AND id<\?\)/.test(d))).toBe(true);
    expect(details.some((d) => /^SEARCH conflicts USING COVERING INDEX conflicts_event \(event_id=\? AND id>\?\)/.test(d))).toBe(true);
    expect(details.filter((d) => /^SCAN/.test(d) || /TEMP B-TREE/.test(d))).toEqual([]);
    const event = "evt-conf-read";
    await seed(event);
    const [small, large] = [await page(event, "limit=2"), await page(event, "limit=8")];
    // Three rows a conflict read (it, its resolution's index probe, its item), limit + 1 of
    // them, and the window's end: up to 10 x limit index entries (the event has 10 here, and
    // the step past them).
    expect(small.body.rows_read).toBeLessThanOrEqual(3 * 3 + 11);
    expect(large.body.rows_read).toBeLessThanOrEqual(3 * 9 + 11);
  });

  it("examines at most a window of the event's conflicts a page, stepping over resolved and other consignors' ones", async () => {
    const event = "evt-conf-window";
    await seed(event);
    const everything = await openIds(event);
    /** Every page of `wanted` with a window of 3 conflicts: their conflicts and rows read. */
    const windowed = async (wanted: { limit: number; consignor?: number }) => {
      const pages: { ids: number[]; rowsRead: number }[] = [];
      for (let after: number | null = 0; after !== null;) {
        const page = await conflictPage(env.DB, event, { after, ...wanted }, 3);
        pages.push({ ids: page.conflicts.map((c) => c.id), rowsRead: page.rowsRead });
        after = page.nextAfter;
      }
      return pages;
    };
    const all = await windowed({ limit: 100 });
    expect(all.map((p) => p.ids.length)).toEqual([3, 3, 3, 1]);
    expect(all.flatMap((p) => p.ids)).toEqual(everything);
    const mine = await windowed({ limit: 100, consignor: 1002 });
    expect(mine.flatMap((p) => p.ids)).toEqual((await openConsignorIds(event, 1002)));
    expect(mine.some((p) => p.ids.length === 0)).toBe(true); // a window of others' only: empty, go on
    // The first three resolved: the first page steps over them and says where to go on.
    for (const id of everything.slice(0, 3)) {
      expect((await call("POST", `/v1/admin/events/${event}/resolutions`, { conflict_id: id, action: "accept" }, ADMIN)).status)
        .toBeLessThan(500);
    }
    const open = await openIds(event);
    const after = await windowed({ limit: 100 });
    expect(after.flatMap((p) => p.ids)).toEqual(open);
    const most = Math.max(...[...all, ...mine, ...after].map((p) => p.rowsRead));
    expect(most).toBeLessThanOrEqual(5 * 3 + 4);
  });

  it("answers 404 for an unknown event", async () => {
    expect((await page("evt-conf-no-such", "limit=5")).status).toBe(404);
  });
});
