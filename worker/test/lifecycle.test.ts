// Item events at the Worker (issue 13): a transition is applied only where it is valid from the
// item's central state; otherwise a conflict is recorded, and both registers see it.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, call, rows, Till } from "./kit";

const EVENT = "evt-lifecycle";

async function status(item: string): Promise<string> {
  return (await rows("SELECT status FROM items WHERE id = ?", item))[0]?.status;
}

beforeAll(async () => {
  expect((await call("PUT", `/v1/admin/events/${EVENT}`, {
    name: EVENT, starts_on: "2026-11-21", ends_on: "2026-11-22", status: "published",
  }, ADMIN)).status).toBe(200);
  const items = Array.from({ length: 20 }, (_, n) => ({
    id: `lc-${n}`, consignor_number: 1001, item_number: n + 1, tag_code: `T-lc-${n}`, price_cents: 500,
    status: n < 10 ? "pending" : "approved",
  }));
  expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items }, ADMIN)).status).toBe(200);
});

describe("item events", () => {
  it("applies check-in, keeps each event once, and bumps the item's change_seq", async () => {
    const till = await Till.create(EVENT, "lc-reg-1");
    const before = (await rows("SELECT change_seq FROM items WHERE id = 'lc-0'"))[0]?.change_seq as number;
    const approve = await till.itemEvent("lc-0", "pending", "approved");
    const reject = await till.itemEvent("lc-1", "pending", "rejected", { reason: "stained" });
    const reply = await till.push(approve, reject);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ acked_seq: reject.seq, conflicts: [] });
    expect([await status("lc-0"), await status("lc-1")]).toEqual(["approved", "rejected"]);
    expect((await rows("SELECT change_seq FROM items WHERE id = 'lc-0'"))[0]?.change_seq).toBeGreaterThan(before);
    expect((await till.push(approve, reject)).body.acked_seq).toBe(reject.seq);
    expect(await rows("SELECT id FROM item_events WHERE item_id IN ('lc-0', 'lc-1')")).toHaveLength(2);
  });

  it("two stations approving the same item: both events kept, no conflict", async () => {
    const [a, b] = [await Till.create(EVENT, "lc-reg-2"), await Till.create(EVENT, "lc-reg-3")];
    expect((await a.push(await a.itemEvent("lc-2", "pending", "approved"))).body.conflicts).toEqual([]);
    expect((await b.push(await b.itemEvent("lc-2", "pending", "approved"))).body.conflicts).toEqual([]);
    expect(await status("lc-2")).toBe("approved");
    expect(await rows("SELECT id FROM item_events WHERE item_id = 'lc-2'")).toHaveLength(2);
  });

  it("a return after a sale elsewhere is refused as returned_but_sold, seen by both registers", async () => {
    const [seller, hall] = [await Till.create(EVENT, "lc-reg-4"), await Till.create(EVENT, "lc-reg-5")];
    const sale = await seller.sale([{ item: "lc-10", unit: 500 }]);
    expect((await seller.push(sale)).status).toBe(200);
    const ret = await hall.itemEvent("lc-10", "approved", "returned");
    const reply = await hall.push(ret);
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts).toMatchObject([{ kind: "returned_but_sold", item_id: "lc-10", sale_id: ret.id,
      register_id: "lc-reg-5", winning_sale_id: sale.id, winning_register_id: "lc-reg-4" }]);
    expect(await status("lc-10")).toBe("sold");
    expect((await seller.conflicts()).map((c) => c.kind)).toContain("returned_but_sold");
    expect((await hall.conflicts()).map((c) => c.kind)).toContain("returned_but_sold");
  });

  it("a sale after a return elsewhere keeps the return and records returned_but_sold", async () => {
    const [hall, seller] = [await Till.create(EVENT, "lc-reg-6"), await Till.create(EVENT, "lc-reg-7")];
    const ret = await hall.itemEvent("lc-11", "approved", "returned");
    expect((await hall.push(ret)).body.conflicts).toEqual([]);
    const sale = await seller.sale([{ item: "lc-11", unit: 500 }]);
    const reply = await seller.push(sale);
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts).toMatchObject([{ kind: "returned_but_sold", item_id: "lc-11", sale_id: ret.id,
      register_id: "lc-reg-6", winning_sale_id: sale.id, winning_register_id: "lc-reg-7" }]);
    expect(await rows("SELECT status, sold_sale_id FROM items WHERE id = 'lc-11'"))
      .toEqual([{ status: "returned", sold_sale_id: null }]);
    expect((await hall.conflicts()).map((c) => c.sale_id)).toContain(ret.id);
  });

  it("donation of a sold item is donated_but_sold; an invalid move is transition_refused", async () => {
    const [seller, hall] = [await Till.create(EVENT, "lc-reg-8"), await Till.create(EVENT, "lc-reg-9")];
    expect((await seller.push(await seller.sale([{ item: "lc-12", unit: 500 }]))).status).toBe(200);
    const donate = await hall.itemEvent("lc-12", "approved", "donated");
    const back = await hall.itemEvent("lc-3", "pending", "returned");
    const reply = await hall.push(donate, back);
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts.map((c: { kind: string }) => c.kind).sort())
      .toEqual(["donated_but_sold", "transition_refused"]);
    expect([await status("lc-12"), await status("lc-3")]).toEqual(["sold", "pending"]);
  });

  it("applies events in journal order within one push (approve, then return at pick-up)", async () => {
    const till = await Till.create(EVENT, "lc-reg-10");
    const reply = await till.push(await till.itemEvent("lc-4", "pending", "approved"),
      await till.itemEvent("lc-4", "approved", "returned"));
    expect(reply.body.conflicts).toEqual([]);
    expect(await status("lc-4")).toBe("returned");
  });

  it("refuses an event for another register or without its journal entry, writing nothing", async () => {
    const till = await Till.create(EVENT, "lc-reg-11");
    const event = await till.itemEvent("lc-5", "pending", "approved");
    const stolen = till.body([event], (r) => { r.item_events![0]![2] = "lc-reg-1"; });
    expect((await till.post(stolen)).status).toBe(403);
    const alone = till.body([event], (r) => { r.journal = []; });
    expect((await till.post(alone)).status).toBe(400);
    const badReason = till.body([event], (r) => { r.item_events![0]![6] = "sold"; });
    expect((await till.post(badReason)).status).toBe(400);
    expect(await status("lc-5")).toBe("pending");
    expect(await rows("SELECT id FROM item_events WHERE item_id = 'lc-5'")).toHaveLength(0);
  });
});

describe("the organiser's re-import", () => {
  it("changes nothing the second time and never undoes the hall's moves", async () => {
    const items = [0, 1, 2].map((n) => ({ id: `ri-${n}`, consignor_number: 1002, item_number: n + 1,
      tag_code: `T-ri-${n}`, price_cents: 700, status: "pending" }));
    expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items }, ADMIN)).status).toBe(200);
    const till = await Till.create(EVENT, "ri-reg-1");
    expect((await till.push(await till.itemEvent("ri-0", "pending", "approved"),
      await till.itemEvent("ri-1", "pending", "rejected", { reason: "stained" }))).status).toBe(200);
    const before = await rows("SELECT id, status, change_seq, price_cents FROM items WHERE id LIKE 'ri-%' ORDER BY id");
    expect(before.map((r) => r.status)).toEqual(["approved", "rejected", "pending"]);

    expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items }, ADMIN)).status).toBe(200);
    expect(await rows("SELECT id, status, change_seq, price_cents FROM items WHERE id LIKE 'ri-%' ORDER BY id"))
      .toEqual(before);

    const repriced = items.map((item) => ({ ...item, price_cents: 800 }));
    expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items: repriced }, ADMIN)).status).toBe(200);
    const after = await rows("SELECT id, status, change_seq, price_cents FROM items WHERE id LIKE 'ri-%' ORDER BY id");
    expect(after.map((r) => [r.status, r.price_cents])).toEqual([["approved", 800], ["rejected", 800], ["pending", 800]]);
    expect(after.every((r, k) => r.change_seq > before[k]!.change_seq)).toBe(true);
  });
});
