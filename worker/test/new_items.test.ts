// Items entered at check-in (issue 13, src/new_items.ts): a pushed new_items row becomes an
// approved catalog item pulled by every register; the ledger rules hold for it as for a sale.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, call, rows, Till } from "./kit";

const EVENT = "evt-new-items";

async function item(id: string): Promise<Record<string, any> | undefined> {
  return (await rows("SELECT * FROM items WHERE id = ?", id))[0];
}

beforeAll(async () => {
  expect((await call("PUT", `/v1/admin/events/${EVENT}`, {
    name: EVENT, starts_on: "2026-11-21", ends_on: "2026-11-22", status: "published",
  }, ADMIN)).status).toBe(200);
  expect((await call("POST", `/v1/admin/events/${EVENT}/consignors`, {
    consignors: [{ number: 1001, name: "Ada" }, { number: 1002, name: "Bea" }],
  }, ADMIN)).status).toBe(200);
  expect((await call("POST", `/v1/admin/events/${EVENT}/items`, {
    items: [{ id: "ni-catalog-1", consignor_number: 1001, item_number: 1, tag_code: "1001-0001", price_cents: 900 }],
  }, ADMIN)).status).toBe(200);
});

describe("new items", () => {
  it("enters the item as approved, in the catalog pull of another register, once", async () => {
    const [hall, till] = [await Till.create(EVENT, "ni-reg-1"), await Till.create(EVENT, "ni-reg-2")];
    const entry = await hall.newItem({ tag_code: "1001-11001", item_number: 11001 });
    const reply = await hall.push(entry);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ acked_seq: entry.seq, conflicts: [] });
    expect(await item(entry.id)).toMatchObject({ status: "approved", consignor_number: 1001, item_number: 11001,
      tag_code: "1001-11001", description: "Red wagon", category: "toys", price_cents: 2500, discountable: 1,
      donate_if_unsold: 0, sold_sale_id: null });
    expect((await hall.push(entry)).body).toMatchObject({ acked_seq: entry.seq, conflicts: [] });  // a replay
    expect(await rows("SELECT id FROM new_items WHERE id = ?", entry.id)).toHaveLength(1);
    expect(await rows("SELECT id FROM items WHERE tag_code = '1001-11001'")).toHaveLength(1);
    const page = await call("GET", `/v1/events/${EVENT}/catalog?since=0:&limit=1000`, undefined, till.auth);
    expect(page.body.items.map((i: Record<string, any>) => i.id)).toContain(entry.id);
    const sale = await till.sale([{ item: entry.id, unit: 2500 }]);
    const sold = await till.push(sale);
    expect(sold.body.conflicts).toEqual([]);  // neither unknown_item nor price_mismatch
    expect(await item(entry.id)).toMatchObject({ status: "sold", sold_sale_id: sale.id });
  });

  it("gives each register its place in the event with the catalog", async () => {
    const places = [];
    for (const id of ["ni-place-1", "ni-place-2"]) {
      const till = await Till.create(EVENT, id);
      places.push((await call("GET", `/v1/events/${EVENT}/catalog?since=0:`, undefined, till.auth)).body.register_number);
    }
    expect(places[1]).toBe(places[0] + 1);
    expect(places[0]).toBeGreaterThan(0);
  });

  it("refuses the same id with other content as divergent_replay, changing nothing", async () => {
    const hall = await Till.create(EVENT, "ni-reg-3");
    const entry = await hall.newItem({ tag_code: "1001-12001", item_number: 12001 });
    expect((await hall.push(entry)).status).toBe(200);
    const reply = await hall.post(hall.body([entry], (r) => { r.new_items![0]![9] = 100; }));
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ error: "divergent_replay", sale_id: entry.id });
    expect(await item(entry.id)).toMatchObject({ price_cents: 2500 });
  });

  it("never overwrites a taken tag: the row is kept with a tag_taken conflict", async () => {
    const hall = await Till.create(EVENT, "ni-reg-4");
    const taken = await hall.newItem({ tag_code: "1001-0001", item_number: 1, price_cents: 100 });
    const twice = [await hall.newItem({ tag_code: "1001-13001", item_number: 13001 }),
      await hall.newItem({ tag_code: "1001-13001", item_number: 13001, description: "Blue wagon" })];
    const reply = await hall.push(taken, ...twice);
    expect(reply.status).toBe(200);
    expect(reply.body.acked_seq).toBe(twice[1]!.seq);
    expect(reply.body.conflicts.map((c: Record<string, any>) => [c.kind, c.sale_id])).toEqual([
      ["tag_taken", taken.id], ["tag_taken", twice[1]!.id]]);
    expect(reply.body.conflicts[0].detail).toContain("ni-catalog-1");
    expect(await item("ni-catalog-1")).toMatchObject({ price_cents: 900, status: "approved" });
    expect(await item(taken.id)).toBeUndefined();
    expect(await item(twice[0]!.id)).toMatchObject({ description: "Red wagon" });
    expect(await item(twice[1]!.id)).toBeUndefined();
    expect((await hall.push(taken, ...twice)).body.conflicts).toEqual([]);  // a replay adds none
    expect(await rows("SELECT id FROM conflicts WHERE kind = 'tag_taken' AND register_id = 'ni-reg-4'")).toHaveLength(2);
  });

  it("refuses an unknown consignor or a tag of another consignor with 400, writing nothing", async () => {
    const hall = await Till.create(EVENT, "ni-reg-5");
    const stranger = await hall.newItem({ consignor_number: 4242, tag_code: "4242-14001", item_number: 14001 });
    const reply = await hall.push(stranger);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: "invalid", field: expect.stringMatching(/rows\[0\]\[3\]$/), sale_id: stranger.id });
    hall.forget(stranger);
    const lying = await hall.newItem({ consignor_number: 1002, tag_code: "1001-14002", item_number: 14002 });
    const lie = await hall.push(lying);
    expect(lie.status).toBe(400);
    expect(lie.body.field).toMatch(/rows\[0\]\[5\]$/);
    expect(await rows("SELECT id FROM new_items WHERE id IN (?, ?)", stranger.id, lying.id)).toEqual([]);
    expect(await rows("SELECT register_id FROM journal WHERE register_id = 'ni-reg-5'")).toEqual([]);
  });

  it("refuses another register's row (403) and a row stored under another register", async () => {
    const [mine, other] = [await Till.create(EVENT, "ni-reg-6"), await Till.create(EVENT, "ni-reg-7")];
    const forged = await mine.newItem({ register_id: "ni-reg-7", tag_code: "1001-15001", item_number: 15001 });
    expect((await mine.push(forged)).status).toBe(403);
    mine.forget(forged);
    const theirs = await other.newItem({ tag_code: "1001-16001", item_number: 16001 });
    expect((await other.push(theirs)).status).toBe(200);
    const resent = await mine.newItem({ id: theirs.id, tag_code: "1001-16001", item_number: 16001 });
    const reply = await mine.push(resent);
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe("forbidden");
    expect(await item(theirs.id)).toMatchObject({ status: "approved" });
  });

  it("binds the journal to the row: a payload for other values is refused", async () => {
    const hall = await Till.create(EVENT, "ni-reg-8");
    const entry = await hall.newItem({ tag_code: "1001-17001", item_number: 17001 });
    const reply = await hall.post(hall.body([entry], (r) => { r.new_items![0]![6] = "Golden wagon"; }));
    expect(reply.status).toBe(400);
    expect(await rows("SELECT id FROM new_items WHERE id = ?", entry.id)).toEqual([]);
  });
});
