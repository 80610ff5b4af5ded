// Settlement and payouts (issue 14) against the Worker with a real local D1: the shared
// settlement vectors through the arithmetic and through the endpoint, totals kept by pushes,
// replays and voids, fees, the minimum payout, idempotent payouts and their corrections,
// conflicts that block "settled" until resolved, and the admin token.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import vectors from "../../tests/vectors/settlement.json";
import { statement } from "../src/orm";
import { guardedInsert } from "../src/payouts";
import { settleFigures } from "../src/settlement";
import { ADMIN, call, rows, Till } from "./kit";

interface Case {
  name: string;
  split_bp: number;
  line_prices: number[] | { repeat: number; cents: number };
  consignor_fee_cents: number;
  item_fees_cents: number[];
  payouts_cents: number[];
  min_payout_cents: number;
  expected: Record<string, number>;
}

const CASES = vectors.cases as unknown as Case[];
const prices = (c: Case) => Array.isArray(c.line_prices) ? c.line_prices
  : Array.from({ length: c.line_prices.repeat }, () => (c.line_prices as { cents: number }).cents);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

interface Setup {
  consignors: { number: number; split_bp: number }[];
  items: { id: string; consignor: number; price: number }[];
}

/** An event of 2026-11-21/22, a 50% discount from the 22nd at 08:00, its consignors and items. */
async function setUp(event: string, setup: Setup): Promise<void> {
  expect((await call("PUT", `/v1/admin/events/${event}`, {
    name: event, starts_on: "2026-11-21", ends_on: "2026-11-22", status: "published", tax_rate_bp: 0,
    discount_rules: [{ id: `${event}-half`, starts_at: "2026-11-22T08:00", percent_bp: 5000 }],
  }, ADMIN)).status).toBe(200);
  const consignors = setup.consignors.map((c) => ({ number: c.number, name: `Consignor ${c.number}`, split_bp: c.split_bp }));
  expect((await call("POST", `/v1/admin/events/${event}/consignors`, { consignors }, ADMIN)).status).toBe(200);
  const items = setup.items.map((item, n) => ({ id: item.id, consignor_number: item.consignor, item_number: n + 1,
    tag_code: `T-${item.id}`, price_cents: item.price }));
  if (items.length) expect((await call("POST", `/v1/admin/events/${event}/items`, { items }, ADMIN)).status).toBe(200);
}

const settlement = async (event: string) => {
  const reply = await call("GET", `/v1/admin/events/${event}/settlement`, undefined, ADMIN);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
};
const row = async (event: string, consignor: number) =>
  (await settlement(event)).consignors.find((c: { consignor_number: number }) => c.consignor_number === consignor);
/** Every open conflict of the event (or of one consignor), read a page of `limit` at a time. */
const openConflicts = async (event: string, { limit = 100, consignor }: { limit?: number; consignor?: number } = {}) => {
  const listed: any[] = [];
  for (let after: number | null = 0; after !== null;) {
    const filter = consignor === undefined ? "" : `&consignor=${consignor}`;
    const page = await call("GET", `/v1/admin/events/${event}/conflicts?after=${after}&limit=${limit}${filter}`, undefined, ADMIN);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.conflicts.length).toBeLessThanOrEqual(limit);
    listed.push(...page.body.conflicts);
    after = page.body.next_after;
  }
  return listed;
};
const pay = (event: string, payout: Record<string, unknown>) =>
  call("POST", `/v1/admin/events/${event}/payouts`, { method: "check", reference: "", ...payout }, ADMIN);
const payoutRows = async (event: string) => rows("SELECT * FROM payouts WHERE event_id = ? ORDER BY created_at, id", event);

describe("the shared settlement vectors", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s (arithmetic)", (_name, c) => {
    const fees = c.consignor_fee_cents + sum(c.item_fees_cents);
    const result = settleFigures({ grossCents: sum(prices(c)), splitBp: c.split_bp, feesCents: fees,
      paidCents: sum(c.payouts_cents), minPayoutCents: c.min_payout_cents });
    expect({ items_sold: prices(c).length, gross_cents: sum(prices(c)), share_cents: result.share, fees_cents: fees,
      paid_cents: sum(c.payouts_cents), balance_cents: result.balance, payable_cents: result.payable }).toEqual(c.expected);
  });

  const small = CASES.map((c, k) => [c.name, c, k] as const).filter(([, c]) => Array.isArray(c.line_prices));
  it.each(small)("%s (through the endpoint)", async (_name, c, k) => {
    const event = `evt-vec-${k}`;
    const items = prices(c).map((price, n) => ({ id: `vec-${k}-${n}`, consignor: 1001, price }));
    await setUp(event, { consignors: [{ number: 1001, split_bp: c.split_bp }], items });
    const till = await Till.create(event, `vec-reg-${k}`);
    expect((await till.push(await till.sale(items.map((i) => ({ item: i.id, unit: i.price }))))).status).toBe(200);
    const fees = { consignor_fee_cents: c.consignor_fee_cents, min_payout_cents: c.min_payout_cents,
      item_fees: c.item_fees_cents.map((cents, n) => ({ item_id: items[n]!.id, kind: "pulled", amount_cents: cents })) };
    expect((await call("PUT", `/v1/admin/events/${event}/fees`, fees, ADMIN)).status).toBe(200);
    let last = "";
    for (const [n, cents] of c.payouts_cents.entries()) {
      const id = `vec-${k}-pay-${n}`;
      const reply = await pay(event, { id, consignor_number: 1001, amount_cents: cents, ...(cents < 0 ? { corrects: last } : {}) });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      if (cents > 0) last = id;
    }
    const { unresolved_conflicts: conflicts, ...figures } = await row(event, 1001);
    expect(conflicts).toBe(0);
    expect(figures).toMatchObject({ ...c.expected, split_bp: c.split_bp });
  });
});

describe("totals kept by the push, its replays and voids", () => {
  const EVENT = "evt-settle-totals";
  const items = Array.from({ length: 12 }, (_, n) => ({ id: `tot-${n}`, consignor: 1001 + (n % 3), price: 1000 + n * 100 }));
  let a: Till;
  let b: Till;

  beforeAll(async () => {
    await setUp(EVENT, { consignors: [{ number: 1001, split_bp: 6000 }, { number: 1002, split_bp: 5000 },
      { number: 1003, split_bp: 7000 }], items });
    a = await Till.create(EVENT, "tot-reg-a");
    b = await Till.create(EVENT, "tot-reg-b");
  });

  it("counts each sold item once at its line price, replays included, and drops a voided sale", async () => {
    const first = await a.sale([{ item: "tot-0", unit: 1000 }, { item: "tot-1", unit: 1100 }]);
    const second = await a.sale([{ item: "tot-3", unit: 1300, discount: 650 }], { at: "2026-11-22T10:00:00.000Z" });
    const voided = await a.sale([{ item: "tot-4", unit: 1400 }]);
    expect((await a.push(first, second, voided)).status).toBe(200);
    expect((await a.push(first, second, voided)).status).toBe(200); // a replay counts nothing twice
    const cancel = await a.void(voided.id);
    expect((await a.push(cancel)).status).toBe(200);
    expect((await a.push(cancel)).status).toBe(200);
    expect(await row(EVENT, 1001)).toMatchObject({ items_sold: 2, gross_cents: 1000 + 650, share_cents: 990 });
    expect(await row(EVENT, 1002)).toMatchObject({ items_sold: 1, gross_cents: 1100, share_cents: 550 });
    expect(await row(EVENT, 1003)).toBeUndefined();
  });

  it("counts a sold-twice item once, lists the conflict, and follows the organiser's pick", async () => {
    const mine = await a.sale([{ item: "tot-6", unit: 1600 }], { at: "2026-11-21T12:00:00.000Z" });
    const theirs = await b.sale([{ item: "tot-6", unit: 1600, discount: 800 }], { at: "2026-11-22T09:00:00.000Z" });
    expect((await a.push(mine)).status).toBe(200);
    const before = (await row(EVENT, 1001)).gross_cents;
    const reply = await b.push(theirs);
    expect(reply.body.conflicts).toMatchObject([{ kind: "sold_twice", item_id: "tot-6" }]);
    const listed = await row(EVENT, 1001);
    expect(listed.gross_cents).toBe(before);
    expect(listed.unresolved_conflicts).toBe(1);
    const [open] = await openConflicts(EVENT, { consignor: 1001 });
    expect(open).toMatchObject({ kind: "sold_twice", item_id: "tot-6", sale_id: theirs.id, consignor_number: 1001 });
    const conflictId = open.id;
    const pick = { conflict_id: conflictId, action: "pick_winner", winning_sale_id: theirs.id };
    expect((await call("POST", `/v1/admin/events/${EVENT}/resolutions`, pick, ADMIN)).status).toBe(200);
    expect(await row(EVENT, 1001)).toMatchObject({ gross_cents: before - 1600 + 800, unresolved_conflicts: 0 });
    // The winner voided: the item passes back to the other live sale, and its price with it.
    const cancel = await b.void(theirs.id);
    expect((await b.push(cancel)).status).toBe(200);
    expect((await row(EVENT, 1001)).gross_cents).toBe(before);
  });

  it("takes a refunded line out of its consignor's totals; a refunded line never holds its item again (push, pick, assign)", async () => {
    const EVENT2 = "evt-settle-refund";
    const stock = [{ id: "ref-0", consignor: 1001, price: 1000 }, { id: "ref-1", consignor: 1001, price: 2000 },
      { id: "ref-2", consignor: 1002, price: 3000 }, { id: "ref-3", consignor: 1002, price: 500 }];
    await setUp(EVENT2, { consignors: [{ number: 1001, split_bp: 6000 }, { number: 1002, split_bp: 5000 }], items: stock });
    const c = await Till.create(EVENT2, "ref-reg-c");
    const d = await Till.create(EVENT2, "ref-reg-d");
    const sale = await c.sale([{ item: "ref-0", unit: 1000 }, { item: "ref-1", unit: 2000 }, { item: "ref-2", unit: 3000 }]);
    expect((await c.push(sale)).status).toBe(200);
    expect(await row(EVENT2, 1001)).toMatchObject({ items_sold: 2, gross_cents: 3000 });
    const back = await c.refund(sale.id, 2, 2000);
    expect((await c.push(back)).status).toBe(200);
    expect((await c.push(back)).status).toBe(200); // a replay takes nothing out twice
    expect(await row(EVENT2, 1001)).toMatchObject({ items_sold: 1, gross_cents: 1000, share_cents: 600 });
    expect((await rows("SELECT status, sold_sale_id FROM items WHERE id = 'ref-1'"))[0]).toEqual({ status: "approved", sold_sale_id: null });
    // Sold elsewhere too (sold_twice): the line refunded at c gives the item, and its price, to d's live sale.
    const theirs = await d.sale([{ item: "ref-2", unit: 3000, discount: 1500 }], { at: "2026-11-22T09:00:00.000Z" });
    expect((await d.push(theirs)).status).toBe(200);
    expect(await row(EVENT2, 1002)).toMatchObject({ items_sold: 1, gross_cents: 3000 });
    expect((await c.push(await c.refund(sale.id, 3, 3000))).status).toBe(200);
    expect(await row(EVENT2, 1002)).toMatchObject({ items_sold: 1, gross_cents: 1500 });
    // A sale and its refund in one push never count; a refunded line cannot be picked as a winner.
    const quick = await d.sale([{ item: "ref-3", unit: 500 }]);
    const returned = await d.refund(quick.id, 1, 500);
    expect((await d.push(quick, returned)).status).toBe(200);
    expect(await row(EVENT2, 1002)).toMatchObject({ items_sold: 1, gross_cents: 1500 });
    const conflict = (await openConflicts(EVENT2, { consignor: 1002 })).find((k: { kind: string }) => k.kind === "sold_twice");
    const pick = await call("POST", `/v1/admin/events/${EVENT2}/resolutions`,
      { conflict_id: conflict.id, action: "pick_winner", winning_sale_id: sale.id }, ADMIN);
    expect([pick.status, pick.body.field]).toEqual([400, "winning_sale_id"]);
    expect(await row(EVENT2, 1002)).toMatchObject({ items_sold: 1, gross_cents: 1500 });
    // An item the catalog did not know, sold then refunded: assigned, it counts for nobody.
    const ghost = await d.sale([{ item: "ref-ghost", unit: 900 }]);
    expect((await d.push(ghost, await d.refund(ghost.id, 1, 900))).status).toBe(200);
    const unknown = (await openConflicts(EVENT2, { consignor: 1001 })).find((k: { kind: string }) => k.kind === "unknown_item");
    const assign = { conflict_id: unknown.id, action: "assign", consignor_number: 1001 };
    expect((await call("POST", `/v1/admin/events/${EVENT2}/resolutions`, assign, ADMIN)).status).toBe(200);
    expect(await row(EVENT2, 1001)).toMatchObject({ items_sold: 1, gross_cents: 1000 });
    expect((await rows("SELECT status, sold_sale_id FROM items WHERE id = 'ref-ghost'"))[0]).toEqual({ status: "approved", sold_sale_id: null });
  });

  it("reads the same rows however many lines were sold (one totals row per consignor)", async () => {
    const sell = async (ids: string[]) => {
      for (const id of ids) {
        const item = items.find((i) => i.id === id)!;
        expect((await b.push(await b.sale([{ item: id, unit: item.price }]))).status).toBe(200);
      }
    };
    await sell(["tot-9", "tot-10", "tot-11"]);
    const before = await settlement(EVENT);
    expect(before.consignors).toHaveLength(3);
    await sell(["tot-2", "tot-5", "tot-7", "tot-8"]);
    const after = await settlement(EVENT);
    expect(after.totals.items_sold).toBe(before.totals.items_sold + 4);
    expect(after.rows_read).toBe(before.rows_read);
  });
});

describe("payouts ledger", () => {
  const EVENT = "evt-settle-payouts";

  beforeAll(async () => {
    await setUp(EVENT, { consignors: [{ number: 1001, split_bp: 5000 }, { number: 1002, split_bp: 5000 }],
      items: [{ id: "pay-0", consignor: 1001, price: 10000 }, { id: "pay-1", consignor: 1002, price: 1000 }] });
    const till = await Till.create(EVENT, "pay-reg");
    expect((await till.push(await till.sale([{ item: "pay-0", unit: 10000 }, { item: "pay-1", unit: 1000 }]))).status).toBe(200);
    expect((await call("PUT", `/v1/admin/events/${EVENT}/fees`, { consignor_fee_cents: 500, min_payout_cents: 1000 }, ADMIN)).status).toBe(200);
  });

  it("is idempotent by id: same content 200 and one row, other content 409 and nothing written", async () => {
    const payout = { id: "pay-a", consignor_number: 1001, amount_cents: 2000, method: "check", reference: "chk 101" };
    const created = await pay(EVENT, payout);
    expect(created.status).toBe(201);
    expect(created.body.payout).toMatchObject({ ...payout, corrects: null, event_id: EVENT });
    const again = await pay(EVENT, payout);
    expect(again.status).toBe(200);
    expect(again.body.payout).toEqual(created.body.payout);
    const other = await pay(EVENT, { ...payout, amount_cents: 2001 });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: "payout_conflict", field: "amount_cents" });
    expect((await pay(EVENT, { ...payout, reference: "chk 102" })).status).toBe(409);
    expect((await payoutRows(EVENT)).filter((p) => p.id === "pay-a")).toHaveLength(1);
    expect(await row(EVENT, 1001)).toMatchObject({ share_cents: 5000, fees_cents: 500, paid_cents: 2000, balance_cents: 2500 });
  });

  it("takes corrections as negative rows naming a payout, and refuses the malformed ones", async () => {
    const before = await payoutRows(EVENT);
    const refused: [Record<string, unknown>, number, string][] = [
      [{ id: "cor-1", consignor_number: 1001, amount_cents: -100 }, 400, "corrects"],
      [{ id: "cor-2", consignor_number: 1001, amount_cents: 100, corrects: "pay-a" }, 400, "corrects"],
      [{ id: "cor-3", consignor_number: 1002, amount_cents: -100, corrects: "pay-a" }, 400, "corrects"],
      [{ id: "cor-4", consignor_number: 1001, amount_cents: -2001, corrects: "pay-a" }, 409, "amount_cents"],
      [{ id: "cor-5", consignor_number: 1001, amount_cents: -100, corrects: "nope" }, 400, "corrects"],
      [{ id: "cor-6", consignor_number: 1001, amount_cents: 0 }, 400, "amount_cents"],
      [{ id: "cor-7", consignor_number: 1001, amount_cents: 12.5 }, 400, "amount_cents"],
      [{ id: "cor-8", consignor_number: 1001, amount_cents: 100, method: "bitcoin" }, 400, "method"],
      [{ id: "bad id!", consignor_number: 1001, amount_cents: 100 }, 400, "id"],
      [{ id: "cor-9", consignor_number: 4242, amount_cents: 100 }, 400, "consignor_number"],
    ];
    for (const [payout, status, field] of refused) {
      const reply = await pay(EVENT, payout);
      expect([reply.status, reply.body.field], JSON.stringify(payout)).toEqual([status, field]);
    }
    expect(await payoutRows(EVENT)).toEqual(before);
    const fix = await pay(EVENT, { id: "cor-ok", consignor_number: 1001, amount_cents: -500, corrects: "pay-a" });
    expect(fix.status).toBe(201);
    expect(await row(EVENT, 1001)).toMatchObject({ paid_cents: 1500, balance_cents: 3000 });
    const onCorrection = await pay(EVENT, { id: "cor-10", consignor_number: 1001, amount_cents: -1, corrects: "cor-ok" });
    expect([onCorrection.status, onCorrection.body.field]).toEqual([400, "corrects"]);
    const tooMuch = await pay(EVENT, { id: "cor-11", consignor_number: 1001, amount_cents: -1501, corrects: "pay-a" });
    expect(tooMuch.body).toMatchObject({ error: "over_correction", correctable_cents: 1500 });
  });

  it("pays no more than the balance and nothing under the minimum payout", async () => {
    const over = await pay(EVENT, { id: "pay-over", consignor_number: 1001, amount_cents: 3001 });
    expect(over.body).toMatchObject({ error: "exceeds_balance", balance_cents: 3000 });
    // 1002: share 500, fee 500, balance 0, under the 1000 minimum.
    expect(await row(EVENT, 1002)).toMatchObject({ balance_cents: 0, payable_cents: 0 });
    const under = await pay(EVENT, { id: "pay-under", consignor_number: 1002, amount_cents: 1 });
    expect(under.body).toMatchObject({ error: "below_minimum_payout", min_payout_cents: 1000 });
    expect((await payoutRows(EVENT)).map((p) => p.id)).not.toContain("pay-over");
    expect((await pay(EVENT, { id: "pay-rest", consignor_number: 1001, amount_cents: 3000, method: "e_transfer" })).status).toBe(201);
    const totals = (await settlement(EVENT)).totals;
    expect(totals).toMatchObject({ items_sold: 2, gross_cents: 11000, share_cents: 5500, fees_cents: 1000,
      paid_cents: 4500, balance_cents: 0 });
  });

  it("lets only one of two payouts fired at once pass the balance check", async () => {
    const EVENT2 = "evt-settle-race";
    await setUp(EVENT2, { consignors: [{ number: 1001, split_bp: 5000 }], items: [{ id: "race-0", consignor: 1001, price: 4000 }] });
    const till = await Till.create(EVENT2, "race-reg");
    expect((await till.push(await till.sale([{ item: "race-0", unit: 4000 }]))).status).toBe(200);
    // Balance 2000: each alone would pass; both at once would pay 4000.
    const replies = await Promise.all(["race-a", "race-b"].map((id) =>
      pay(EVENT2, { id, consignor_number: 1001, amount_cents: 2000 })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(replies.find((r) => r.status === 409)!.body).toMatchObject({ error: "below_minimum_payout", balance_cents: 0 });
    expect((await payoutRows(EVENT2)).map((p) => p.amount_cents)).toEqual([2000]);
    expect(await row(EVENT2, 1001)).toMatchObject({ paid_cents: 2000, balance_cents: 0 });
    // Two corrections of the same payout fired at once take back no more than it paid.
    const paid = replies.find((r) => r.status === 201)!.body.payout.id;
    const fixes = await Promise.all(["race-fix-a", "race-fix-b"].map((id) =>
      pay(EVENT2, { id, consignor_number: 1001, amount_cents: -1500, corrects: paid })));
    expect(fixes.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(fixes.find((r) => r.status === 409)!.body).toMatchObject({ error: "over_correction", correctable_cents: 500 });
    expect(await row(EVENT2, 1001)).toMatchObject({ paid_cents: 500, balance_cents: 1500 });
  });

  it("checks the balance in the insert itself: two inserts that both passed the check write one row", async () => {
    // The local Worker runs requests one at a time, so the race is staged here: both payouts'
    // inserts, built as if each had passed its check, run back to back in one batch.
    const EVENT2 = "evt-settle-race-sql";
    await setUp(EVENT2, { consignors: [{ number: 1001, split_bp: 5000 }], items: [{ id: "rsq-0", consignor: 1001, price: 4000 }] });
    const till = await Till.create(EVENT2, "rsq-reg");
    expect((await till.push(await till.sale([{ item: "rsq-0", unit: 4000 }]))).status).toBe(200);
    const payout = (id: string, amount: number, corrects: string | null = null) => statement(env.DB, guardedInsert({ id,
      event_id: EVENT2, consignor_number: 1001, amount_cents: amount, method: "check", reference: "", corrects, recorded_by: "" }));
    const paid = await env.DB.batch([payout("rsq-a", 1500), payout("rsq-b", 1500), payout("rsq-c", 500)]);
    expect(paid.map((r) => r.results.length)).toEqual([1, 0, 1]);
    const fixed = await env.DB.batch([payout("rsq-fix-a", -1000, "rsq-a"), payout("rsq-fix-b", -1000, "rsq-a"),
      payout("rsq-fix-c", -1000, "rsq-c")]);
    expect(fixed.map((r) => r.results.length)).toEqual([1, 0, 0]);
    expect((await payoutRows(EVENT2)).map((p) => p.id).sort()).toEqual(["rsq-a", "rsq-c", "rsq-fix-a"]);
    // The minimum payout holds in the statement too.
    await call("PUT", `/v1/admin/events/${EVENT2}/fees`, { min_payout_cents: 1001 }, ADMIN);
    expect(await row(EVENT2, 1001)).toMatchObject({ balance_cents: 1000 });
    expect((await env.DB.batch([payout("rsq-d", 1000)]))[0]!.results).toEqual([]);
  });

  it("is append-only in D1 itself", async () => {
    await expect(env.DB.prepare("UPDATE payouts SET amount_cents = 1 WHERE id = 'pay-a'").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM payouts WHERE id = 'pay-a'").run()).rejects.toThrow(/append-only/);
  });

  it("refuses an item fee for an item of no such event, and keeps the terms it had", async () => {
    const reply = await call("PUT", `/v1/admin/events/${EVENT}/fees`,
      { consignor_fee_cents: 9, item_fees: [{ item_id: "tot-0", kind: "pulled", amount_cents: 100 }] }, ADMIN);
    expect(reply.status).toBe(400);
    expect((await settlement(EVENT)).consignor_fee_cents).toBe(500);
    const negative = await call("PUT", `/v1/admin/events/${EVENT}/fees`, { consignor_fee_cents: -1 }, ADMIN);
    expect([negative.status, negative.body.field]).toEqual([400, "consignor_fee_cents"]);
  });
});

describe("conflicts block settled until the organiser resolves them", () => {
  const EVENT = "evt-settle-conflicts";

  it("refuses settle with open conflicts, resolves each kind, then settles once", async () => {
    await setUp(EVENT, { consignors: [{ number: 1001, split_bp: 6000 }, { number: 1002, split_bp: 6000 }],
      items: [{ id: "con-0", consignor: 1001, price: 1000 }, { id: "con-1", consignor: 1002, price: 2000 }] });
    const a = await Till.create(EVENT, "con-reg-a");
    const b = await Till.create(EVENT, "con-reg-b");
    expect((await a.push(await a.sale([{ item: "con-0", unit: 1000 }, { item: "con-ghost", unit: 700 }]))).status).toBe(200);
    expect((await b.push(await b.sale([{ item: "con-0", unit: 1000 }, { item: "con-1", unit: 1500 }]))).status).toBe(200);
    const open = await settlement(EVENT);
    expect(open.unresolved_conflicts).toBe(3);
    const byKind = Object.fromEntries((await openConflicts(EVENT)).map((c: any) => [c.kind, c]));
    expect(Object.keys(byKind).sort()).toEqual(["price_mismatch", "sold_twice", "unknown_item"]);
    // The ghost item's line names consignor 1001 (the kit's lines do): it is listed there, not yet counted.
    expect((open.consignors as any[]).find((c) => c.consignor_number === 1001)).toMatchObject({ items_sold: 1, gross_cents: 1000 });

    const settle = () => call("POST", `/v1/admin/events/${EVENT}/settle`, {}, ADMIN);
    const refused = await settle();
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: "unresolved_conflicts" });
    expect(refused.body.conflict_ids).toHaveLength(3);
    expect((await settlement(EVENT)).settled_at).toBeNull();

    const resolve = (body: Record<string, unknown>) => call("POST", `/v1/admin/events/${EVENT}/resolutions`, body, ADMIN);
    const wrong = await resolve({ conflict_id: byKind.unknown_item.id, action: "accept" });
    expect([wrong.status, wrong.body.field]).toEqual([400, "action"]);
    const nobody = await resolve({ conflict_id: byKind.unknown_item.id, action: "assign", consignor_number: 4242 });
    expect([nobody.status, nobody.body.field]).toEqual([400, "consignor_number"]);
    expect((await resolve({ conflict_id: byKind.unknown_item.id, action: "assign", consignor_number: 1002 })).status).toBe(200);
    expect((await resolve({ conflict_id: byKind.unknown_item.id, action: "assign", consignor_number: 1002 })).status).toBe(200);
    expect((await resolve({ conflict_id: byKind.unknown_item.id, action: "assign", consignor_number: 1001 })).status).toBe(409);
    const notLive = await resolve({ conflict_id: byKind.sold_twice.id, action: "pick_winner", winning_sale_id: "no-such-sale" });
    expect([notLive.status, notLive.body.field]).toEqual([400, "winning_sale_id"]);
    expect((await resolve({ conflict_id: byKind.sold_twice.id, action: "pick_winner",
      winning_sale_id: byKind.sold_twice.winning_sale_id ?? byKind.sold_twice.sale_id })).status).toBe(200);
    expect((await settle()).status).toBe(409);
    expect((await resolve({ conflict_id: byKind.price_mismatch.id, action: "accept" })).status).toBe(200);

    const settled = await settle();
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect((await settle()).body.settled_at).toBe(settled.body.settled_at);
    const done = await settlement(EVENT);
    expect(done).toMatchObject({ settled_at: settled.body.settled_at, unresolved_conflicts: 0 });
    // 1002: con-1 sold at 1500 (price accepted) + the assigned ghost at 700.
    expect((done.consignors as any[]).find((c) => c.consignor_number === 1002)).toMatchObject({ items_sold: 2, gross_cents: 2200 });
    expect((done.consignors as any[]).find((c) => c.consignor_number === 1001)).toMatchObject({ items_sold: 1, gross_cents: 1000 });
  });
});

describe("admin auth", () => {
  it("answers 401 to a register token, a wrong token and none, and writes nothing", async () => {
    const EVENT = "evt-settle-auth";
    await setUp(EVENT, { consignors: [{ number: 1001, split_bp: 6000 }], items: [] });
    const till = await Till.create(EVENT, "auth-reg");
    const payout = { id: "auth-pay", consignor_number: 1001, amount_cents: 100, method: "cash" };
    for (const headers of [till.auth, { authorization: "Bearer wrong-token-0123456789abcdef" }, {}]) {
      for (const [method, action, body] of [["GET", "settlement", undefined], ["POST", "payouts", payout],
        ["PUT", "fees", { consignor_fee_cents: 1 }], ["POST", "settle", {}],
        ["POST", "resolutions", { conflict_id: 1, action: "accept" }], ["GET", "conflicts", undefined]] as const) {
        const reply = await call(method, `/v1/admin/events/${EVENT}/${action}`, body, headers);
        expect(reply.status, `${method} ${action}`).toBe(401);
      }
    }
    expect(await rows("SELECT * FROM payouts WHERE event_id = ?", EVENT)).toEqual([]);
    expect(await rows("SELECT * FROM settlement_terms WHERE event_id = ?", EVENT)).toEqual([]);
    expect((await call("GET", "/v1/admin/events/evt-no-such/settlement", undefined, ADMIN)).status).toBe(404);
  });
});
