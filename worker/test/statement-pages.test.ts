// Every consignor's statement a page at a time (GET /v1/admin/events/{id}/statements?after&limit)
// against the Worker with a real local D1: the pages put together are the one-consignor
// statements, quiet consignors included; a page of big consignors is cut by items; the page's D1 reads do not grow with the event (the
// same page reads the same rows in an event four times larger) and use indexes only; bad
// paging parameters are a 400, an unknown event a 404, and a register token gets nothing.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { pageCut, pageQuery } from "../src/statement-pages";
import { consignorQueries } from "../src/statement";
import { ADMIN, call, Till } from "./kit";

const EVENT = "evt-pages";
const page = (event: string, query: string, headers = ADMIN) =>
  call("GET", `/v1/admin/events/${event}/statements${query}`, undefined, headers);
const single = (event: string, number: number) =>
  call("GET", `/v1/admin/events/${event}/consignors/${number}/statement`, undefined, ADMIN);

/** An event of `count` consignors from 1001, the first `selling` of them with two items sold each. */
async function setUp(event: string, count: number, selling: number): Promise<Till> {
  expect((await call("PUT", `/v1/admin/events/${event}`, { name: event, starts_on: "2026-11-21",
    ends_on: "2026-11-22", status: "published", tax_rate_bp: 0, discount_rules: [] }, ADMIN)).status).toBe(200);
  const people = Array.from({ length: count }, (_, k) => ({ number: 1001 + k, name: `Consignor ${1001 + k}`,
    split_bp: 6000 }));
  expect((await call("POST", `/v1/admin/events/${event}/consignors`, { consignors: people }, ADMIN)).status).toBe(200);
  const items = Array.from({ length: selling * 2 }, (_, k) => ({ id: `${event}-i${k}`,
    consignor_number: 1001 + Math.floor(k / 2), item_number: k + 1, tag_code: `T-${event}-${k}`,
    description: `Thing ${k}`, price_cents: 500 + 100 * k }));
  expect((await call("POST", `/v1/admin/events/${event}/items`, { items }, ADMIN)).status).toBe(200);
  const till = await Till.create(event, `${event}-reg`);
  for (let k = 0; k < items.length; k += 10) {
    const sale = await till.sale(items.slice(k, k + 10).map((i) => ({ item: i.id, unit: i.price_cents })));
    expect((await till.push(sale)).status).toBe(200);
  }
  return till;
}

const withoutStamp = (statement: Record<string, unknown>) => ({ ...statement, generated_at: "" });

describe("statements by page", () => {
  let till: Till;

  beforeAll(async () => {
    till = await setUp(EVENT, 5, 4);
    // Items already sold, sold again at another register: sold-twice conflicts on 1001 and 1002.
    const other = await Till.create(EVENT, `${EVENT}-reg-2`);
    const again = await other.sale([{ item: `${EVENT}-i0`, unit: 500 }, { item: `${EVENT}-i2`, unit: 700 }]);
    expect((await other.push(again)).status).toBe(200);
    const payout = { id: "pages-pay-1", consignor_number: 1003, amount_cents: 400, method: "check", reference: "chk 9" };
    expect((await call("POST", `/v1/admin/events/${EVENT}/payouts`, payout, ADMIN)).status).toBe(201);
  });

  it("puts together, page after page, the statements of every consignor, quiet ones included", async () => {
    const pages = [];
    let after: number | null = -1;
    while (after !== null) {
      const reply = await page(EVENT, `?after=${after}&limit=2`);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      pages.push(reply.body.statements.map((s: { consignor: { consignor_number: number } }) =>
        s.consignor.consignor_number));
      for (const statement of reply.body.statements) {
        const one = await single(EVENT, statement.consignor.consignor_number);
        expect(withoutStamp(statement)).toEqual(withoutStamp(one.body));
      }
      after = reply.body.next_after;
    }
    expect(pages).toEqual([[1001, 1002], [1003, 1004], [1005]]);
  });

  it("says there is no next page after a full last page, and gives an empty page past the end", async () => {
    const last = await page(EVENT, "?after=1003&limit=2");
    expect(last.body.next_after).toBe(1005);
    const past = await page(EVENT, "?after=1005&limit=2");
    expect([past.status, past.body.statements, past.body.next_after]).toEqual([200, [], null]);
  });

  it("reads about the same rows for the same page of an event four times larger", async () => {
    await setUp("evt-pages-small", 10, 10);
    await setUp("evt-pages-large", 40, 40);
    const small = await page("evt-pages-small", "?after=1002&limit=3");
    const large = await page("evt-pages-large", "?after=1002&limit=3");
    expect(small.body.statements.length).toBe(3);
    expect(large.body.rows_read).toBeGreaterThan(0);
    // Not proportional to the event: at most an index row or two more in the larger tables.
    expect(large.body.rows_read).toBeLessThanOrEqual(small.body.rows_read + 3);
    const whole = await page("evt-pages-large", "?limit=40");
    expect(whole.body.rows_read).toBeGreaterThan(large.body.rows_read * 5);
  });

  it("answers 400 to a bad after or limit, 404 to an unknown event", async () => {
    for (const query of ["?limit=0", "?limit=201", "?limit=ten", "?after=-2", "?after=1.5", "?after="]) {
      const reply = await page(EVENT, query);
      expect(reply.status, query).toBe(400);
      expect(reply.body.statements).toBeUndefined();
    }
    expect((await page("evt-no-such-event", "")).status).toBe(404);
  });

  it("answers 401 to a register token, a wrong token and none", async () => {
    for (const headers of [till.auth, { authorization: "Bearer wrong-token-0123456789abcdef" }, {}]) {
      const reply = await page(EVENT, "", headers as typeof ADMIN);
      expect(reply.status).toBe(401);
      expect(reply.body.statements).toBeUndefined();
    }
  });
});

describe("a page of big consignors", () => {
  const rows = (...items: number[]) => items.map((items_sold, k) => ({ number: 1001 + k, items_sold }));

  it("stops before the consignor whose items would pass the cap, and says where to go on", () => {
    expect(pageCut(rows(2000, 2500, 600, 10), 4, 5000)).toEqual({ kept: rows(2000, 2500), nextAfter: 1002 });
    expect(pageCut(rows(2000, 3000), 4, 5000)).toEqual({ kept: rows(2000, 3000), nextAfter: null });
  });

  it("keeps one consignor however many items they have, so paging always moves on", () => {
    expect(pageCut(rows(9000, 1), 2, 5000)).toEqual({ kept: rows(9000), nextAfter: 1001 });
    expect(pageCut([], 2, 5000)).toEqual({ kept: [], nextAfter: null });
  });
});

describe("the page's reads", () => {
  it("search by index, never scan a table", async () => {
    const q = consignorQueries(env.DB, EVENT, { from: 1001, to: 1003 });
    for (const query of [pageQuery(env.DB, EVENT, 1000, 3), q.sold, q.refunded, q.payouts]) {
      const { sql, params } = query.toSQL();
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
      const details = results.map((row) => row.detail);
      expect(details.filter((d) => d.startsWith("SCAN") && !d.includes("TEMP B-TREE")), sql).toEqual([]);
    }
  });
});
