// One consignor's statement (GET /v1/admin/events/{id}/consignors/{number}/statement) against
// the Worker with a real local D1: the items that count with the price each sold for (a voided
// sale's item and a refunded line left out of them), the refunded lines listed, the payouts,
// and the consignor's row equal to the settlement's; a quiet consignor, 404s and admin auth.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { statementQueries } from "../src/statement";
import { ADMIN, call, rows, Till } from "./kit";

const EVENT = "evt-statement";
const ITEMS = [
  { id: "st-0", consignor_number: 1001, price_cents: 1000 },
  { id: "st-1", consignor_number: 1001, price_cents: 2500 },
  { id: "st-2", consignor_number: 1002, price_cents: 700 },
  { id: "st-3", consignor_number: 1001, price_cents: 400 },
];
const statement = (number: number | string, headers = ADMIN, event = EVENT) =>
  call("GET", `/v1/admin/events/${event}/consignors/${number}/statement`, undefined, headers);

describe("a consignor's statement", () => {
  let till: Till;
  let saleA = "";

  beforeAll(async () => {
    expect((await call("PUT", `/v1/admin/events/${EVENT}`, { name: EVENT, starts_on: "2026-11-21",
      ends_on: "2026-11-22", status: "published", tax_rate_bp: 0, discount_rules: [] }, ADMIN)).status).toBe(200);
    const people = [1001, 1002, 1003].map((number) => ({ number, name: `Consignor ${number}`, split_bp: 6000 }));
    expect((await call("POST", `/v1/admin/events/${EVENT}/consignors`, { consignors: people }, ADMIN)).status).toBe(200);
    const items = ITEMS.map((item, n) => ({ ...item, item_number: n + 1, tag_code: `T-${item.id}`,
      description: `Thing ${item.id}` }));
    expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items }, ADMIN)).status).toBe(200);
    till = await Till.create(EVENT, "st-reg");
    const a = await till.sale([{ item: "st-0", unit: 1000 }, { item: "st-1", unit: 2500, discount: 500 }]);
    saleA = a.id;
    const b = await till.sale([{ item: "st-3", unit: 400 }], { at: "2026-11-21T10:30:00.000Z" });
    const c = await till.sale([{ item: "st-2", unit: 700 }], { at: "2026-11-21T10:40:00.000Z" });
    expect((await till.push(a, b, c)).status).toBe(200);
    expect((await till.push(await till.void(b.id))).status).toBe(200);
    expect((await till.push(await till.refund(a.id, 2, 2000))).status).toBe(200);
    const payout = { id: "st-pay-1", consignor_number: 1001, amount_cents: 300, method: "check", reference: "chk 17" };
    expect((await call("POST", `/v1/admin/events/${EVENT}/payouts`, payout, ADMIN)).status).toBe(201);
  });

  it("lists the items that count at their sold price, the refunded line and the payouts", async () => {
    const reply = await statement(1001);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.items).toEqual([{ item_id: "st-0", tag_code: "T-st-0", description: "Thing st-0", sale_id: saleA,
      sold_at: "2026-11-21T10:00:00.000Z", unit_price_cents: 1000, discount_cents: 0, price_cents: 1000 }]);
    expect(reply.body.refunded).toMatchObject([{ item_id: "st-1", tag_code: "T-st-1", description: "Thing st-1",
      sale_id: saleA, price_cents: 2000, amount_cents: 2000 }]);
    expect(reply.body.payouts).toMatchObject([{ id: "st-pay-1", amount_cents: 300, method: "check", reference: "chk 17",
      corrects: null }]);
  });

  it("gives the consignor the same row as the settlement, its gross the sum of its items", async () => {
    const settlement = (await call("GET", `/v1/admin/events/${EVENT}/settlement`, undefined, ADMIN)).body;
    for (const number of [1001, 1002]) {
      const reply = (await statement(number)).body;
      expect(reply.consignor).toEqual(settlement.consignors.find((c: { consignor_number: number }) =>
        c.consignor_number === number));
      const gross = (reply.items as { price_cents: number }[]).reduce((sum, item) => sum + item.price_cents, 0);
      expect(reply.consignor.gross_cents).toBe(gross);
      expect(reply.consignor.items_sold).toBe(reply.items.length);
    }
    expect((await statement(1001)).body.consignor).toMatchObject({ gross_cents: 1000, share_cents: 600,
      paid_cents: 300, balance_cents: 300 });
  });

  it("gives a consignor who sold nothing a row of zeros and empty lists", async () => {
    const reply = (await statement(1003)).body;
    expect(reply.consignor).toEqual({ consignor_number: 1003, name: "Consignor 1003", items_sold: 0, gross_cents: 0,
      split_bp: 6000, share_cents: 0, fees_cents: 0, paid_cents: 0, balance_cents: 0, payable_cents: 0,
      unresolved_conflicts: 0 });
    expect([reply.items, reply.refunded, reply.payouts]).toEqual([[], [], []]);
  });

  it("answers 404 for a consignor or an event that does not exist", async () => {
    expect((await statement(4242)).status).toBe(404);
    expect((await statement("12ab")).status).toBe(404);
    expect((await statement(1001, ADMIN, "evt-no-such-event")).status).toBe(404);
  });

  it("answers 401 to a register token, a wrong token and none", async () => {
    for (const headers of [till.auth, { authorization: "Bearer wrong-token-0123456789abcdef" }, {}]) {
      const reply = await statement(1001, headers as typeof ADMIN);
      expect(reply.status).toBe(401);
      expect(reply.body.items).toBeUndefined();
    }
    expect(await rows("SELECT COUNT(*) AS n FROM payouts WHERE event_id = ?", EVENT)).toEqual([{ n: 1 }]);
  });
});

describe("the statement's reads", () => {
  it("search by index, never scan a table (items, refunds and payouts of one consignor)", async () => {
    const q = statementQueries(env.DB, EVENT, 1001);
    for (const query of [q.consignor, q.sold, q.refunded, q.payouts]) {
      const { sql, params } = query.toSQL();
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
      const details = results.map((row) => row.detail);
      expect(details.filter((d) => d.startsWith("SCAN") && !d.includes("TEMP B-TREE")), sql).toEqual([]);
    }
  });
});
