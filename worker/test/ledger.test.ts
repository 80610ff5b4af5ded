// The central ledger trusts no register (shared DESIGN.md): every attack of issue 11, against
// the Worker with a real local D1, gets the documented answer, and a refused push writes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { Value } from "../src/schema";
import { canonical } from "../src/entries";
import { call, rehash, rows, setUpEvent, Till } from "./kit";

const EVENT = "evt-ledger";
const ITEMS = Array.from({ length: 60 }, (_, n) => ({ id: `led-${n}`, price: 500, discountable: n !== 39 }));
let a: Till;
let b: Till;

/** Everything a push can write, so a test can show that a refused one wrote nothing. */
async function ledgerState(event = EVENT) {
  const count = async (sql: string) => (await rows(sql, event))[0]?.n as number;
  return {
    sales: await count("SELECT COUNT(*) AS n FROM sales WHERE event_id = ?"),
    lines: await count("SELECT COUNT(*) AS n FROM sale_lines WHERE sale_id IN (SELECT id FROM sales WHERE event_id = ?)"),
    tenders: await count("SELECT COUNT(*) AS n FROM tenders WHERE sale_id IN (SELECT id FROM sales WHERE event_id = ?)"),
    voids: await count("SELECT COUNT(*) AS n FROM voids WHERE event_id = ?"),
    noSales: await count("SELECT COUNT(*) AS n FROM no_sales WHERE event_id = ?"),
    refunds: await count("SELECT COUNT(*) AS n FROM refunds WHERE event_id = ?"),
    overrides: await count("SELECT COUNT(*) AS n FROM price_overrides WHERE sale_id IN (SELECT id FROM sales WHERE event_id = ?)"),
    journal: await count("SELECT COUNT(*) AS n FROM journal WHERE register_id IN (SELECT id FROM registers WHERE event_id = ?)"),
    conflicts: await rows("SELECT kind, sale_id FROM conflicts WHERE event_id = ? ORDER BY id", event),
    items: await rows("SELECT id, status, sold_sale_id FROM items WHERE event_id = ? ORDER BY id", event),
    progress: await rows("SELECT register_id, last_seq, journal_tail_seq, journal_tail_hash FROM register_progress "
      + "WHERE register_id IN (SELECT id FROM registers WHERE event_id = ?) ORDER BY register_id", event),
  };
}

async function refusedUnchanged(push: Promise<{ status: number; body: Record<string, any> }>, status: number) {
  const before = await ledgerState();
  const reply = await push;
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(await ledgerState()).toEqual(before);
  return reply.body;
}

let next = 0;
function item(): string {
  if (next === 39) next += 1;  // led-39 (not discountable) is kept for its own test
  return ITEMS[next++]!.id;
}

beforeAll(async () => {
  await setUpEvent({ id: EVENT, items: ITEMS, rules: [{ id: "led-half", starts_at: "2026-11-22T08:00", percent_bp: 5000 }] });
  a = await Till.create(EVENT, "led-reg-a");
  b = await Till.create(EVENT, "led-reg-b");
});

describe("own rows only (403, nothing written)", () => {
  it("refuses register A's void of register B's sale; B's item stays sold", async () => {
    const sold = item();
    const theirs = await b.sale([{ item: sold, unit: 500 }]);
    expect((await b.push(theirs)).status).toBe(200);
    const steal = await a.void(theirs.id);
    const body = await refusedUnchanged(a.push(steal), 403);
    expect(body).toMatchObject({ error: "forbidden", field: "chunks[0].rows[0][1]" });
    a.forget(steal);
    expect((await rows("SELECT status, sold_sale_id FROM items WHERE id = ?", sold))[0]).toEqual(
      { status: "sold", sold_sale_id: theirs.id });
  });

  it("refuses a void of a sale that exists nowhere", async () => {
    const entry = await a.void("sale-that-never-was");
    const body = await refusedUnchanged(a.push(entry), 403);
    expect(body.message).toMatch(/does not exist/);
    a.forget(entry);
  });

  it("refuses register A's line and tender added to B's sale", async () => {
    const theirs = await b.sale([{ item: item(), unit: 500 }]);
    expect((await b.push(theirs)).status).toBe(200);
    const extra = await a.sale([{ item: item(), unit: 500 }]);
    const body = await refusedUnchanged(a.post(a.body([extra], (r) => {
      r.sales![0]![0] = theirs.id;
      for (const table of ["sale_lines", "tenders"]) r[table]![0]![0] = theirs.id;
      r.sale_lines![0]![1] = 2;
      r.journal![0]![3] = theirs.id;
    })), 403);
    expect(body).toMatchObject({ error: "forbidden", sale_id: theirs.id });
    expect(await rows("SELECT line_no FROM sale_lines WHERE sale_id = ?", theirs.id)).toEqual([{ line_no: 1 }]);
    a.forget(extra);
  });

  it("refuses a line and a tender sent without their sale", async () => {
    const theirs = await b.sale([{ item: item(), unit: 500 }]);
    expect((await b.push(theirs)).status).toBe(200);
    const entry = await a.sale([{ item: item(), unit: 500 }]);
    const body = a.body([entry], (r) => {
      r.sale_lines!.push([theirs.id, 2, "led-38", "T-led-38", 1001, 500, 0, 500]);
      r.tenders!.push([theirs.id, 2, "cash", 500, 500, 0, null]);
    });
    expect(await refusedUnchanged(a.post(body), 403)).toMatchObject({ field: "chunks[1].rows[1][0]", sale_id: theirs.id });
    a.forget(entry);
  });

  it("refuses rows that name another register or event", async () => {
    const entry = await a.sale([{ item: item(), unit: 500 }]);
    await refusedUnchanged(a.post(a.body([entry], (r) => { r.sales![0]![2] = b.id; })), 403);
    await refusedUnchanged(a.post(a.body([entry], (r) => { r.journal![0]![0] = b.id; })), 403);
    a.forget(entry);
  });
});

describe("sales add up (400 with the field, nothing written)", () => {
  it("refuses a header total of 3 cents over lines and a tender of 500", async () => {
    const entry = await a.sale([{ item: item(), unit: 500 }]);
    const body = await refusedUnchanged(a.post(a.body([entry], (r) => { r.sales![0]![10] = 3; })), 400);
    expect(body).toMatchObject({ error: "invalid", field: "chunks[0].rows[0][10]", sale_id: entry.id });
    a.forget(entry);
  });

  it("refuses wrong tax, item count, line price, cash change and unpaid totals", async () => {
    const entry = await a.sale([{ item: item(), unit: 500 }]);
    const cases: [(r: Record<string, Value[][]>) => void, string][] = [
      [(r) => { r.sales![0]![9] = 1; r.sales![0]![10] = 501; }, "chunks[0].rows[0][9]"],
      [(r) => { r.sales![0]![11] = 2; }, "chunks[0].rows[0][11]"],
      [(r) => { r.sale_lines![0]![7] = 499; }, "chunks[1].rows[0][7]"],
      [(r) => { r.tenders![0]![5] = 99; }, "chunks[2].rows[0][4]"],
      [(r) => { r.tenders![0]![3] = 400; r.tenders![0]![5] = 100; }, "chunks[0].rows[0][10]"],
    ];
    for (const [tamper, field] of cases) {
      expect((await refusedUnchanged(a.post(a.body([entry], tamper)), 400)).field).toBe(field);
    }
    a.forget(entry);
  });

  it("keeps a line priced off the catalog, with a price_mismatch conflict (expected and actual)", async () => {
    const sold = item();
    const entry = await a.sale([{ item: sold, unit: 1 }]);
    const reply = await a.push(entry);
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts).toEqual([expect.objectContaining({
      kind: "price_mismatch", item_id: sold, sale_id: entry.id, expected_cents: 500, actual_cents: 1 })]);
    expect((await rows("SELECT status FROM items WHERE id = ?", sold))[0]?.status).toBe("sold");
  });
});

describe("a manager's price override is audited as an override", () => {
  it("keeps an overridden line without a price_mismatch, even in the half-price hours", async () => {
    const sold = item();
    const entry = await a.sale([{ item: sold, unit: 150, tagPrice: 500 }], { at: "2026-11-22T09:00:00.000Z" });
    const reply = await a.push(entry);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.conflicts).toEqual([]);
    expect(await rows("SELECT line_no, tag_price_cents, price_cents FROM price_overrides WHERE sale_id = ?", entry.id))
      .toEqual([{ line_no: 1, tag_price_cents: 500, price_cents: 150 }]);
  });

  it("keeps an override that claims a tag price off the catalog, with a price_mismatch", async () => {
    const sold = item();
    const entry = await a.sale([{ item: sold, unit: 150, tagPrice: 900 }]);
    const reply = await a.push(entry);
    expect(reply.body.conflicts).toEqual([expect.objectContaining({
      kind: "price_mismatch", item_id: sold, sale_id: entry.id, expected_cents: 500, actual_cents: 900 })]);
  });

  it("refuses an override that is not the line's price, names no line, or has no sale in the push", async () => {
    const off = await a.sale([{ item: item(), unit: 150, tagPrice: 500 }]);
    const other = a.body([off], (r) => { r.price_overrides![0]![3] = 100; });
    expect((await refusedUnchanged(a.post(other), 400)).field).toBe("chunks[3].rows[0][3]");
    const nowhere = a.body([off], (r) => { r.price_overrides![0]![1] = 7; });
    expect((await refusedUnchanged(a.post(nowhere), 400)).message).toMatch(/not a line of the sale/);
    a.forget(off);
    const alone = await a.sale([{ item: item(), unit: 150, tagPrice: 500 }]);
    expect((await a.push(alone)).status).toBe(200);
    const grafted = await a.noSale();
    const body = a.body([grafted], (r) => { r.price_overrides = [[alone.id, 1, 500, 150, "manager-1", "again"]]; });
    expect((await refusedUnchanged(a.post(body), 400)).message).toMatch(/not in this push/);
    a.forget(grafted);
  });

  it("keeps an open-price line (no catalog item, tag price 0) as an unknown_item only", async () => {
    const entry = await a.sale([{ item: "open-led-1", unit: 600, tagPrice: 0 }]);
    const reply = await a.push(entry);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.conflicts.map((c: any) => [c.kind, c.item_id])).toEqual([["unknown_item", "open-led-1"]]);
  });

  it("refuses the same sale resent with another override: divergent_replay", async () => {
    const entry = await a.sale([{ item: item(), unit: 150, tagPrice: 500 }]);
    expect((await a.push(entry)).status).toBe(200);
    const reason = await a.post(a.body([entry], (r) => { r.price_overrides![0]![5] = "another reason"; }));
    expect([reason.status, reason.body.error]).toEqual([409, "divergent_replay"]);
  });
});

describe("discounts are audited against the event's schedule", () => {
  it("takes the scheduled half price without a conflict", async () => {
    const entry = await a.sale([{ item: item(), unit: 500, discount: 250 }], { at: "2026-11-22T09:00:00.000Z" });
    const reply = await a.push(entry);
    expect(reply.body.conflicts).toEqual([]);
  });

  it("keeps a discount outside the schedule with a discount_mismatch conflict", async () => {
    const early = item();
    const before = await a.sale([{ item: early, unit: 500, discount: 250 }], { at: "2026-11-21T09:00:00.000Z" });
    const reply = await a.push(before);
    expect(reply.body.conflicts).toEqual([expect.objectContaining({
      kind: "discount_mismatch", item_id: early, expected_cents: 0, actual_cents: 250 })]);
  });

  it("allows the discount of the day before (a held cart) but not one on a non-discountable item", async () => {
    const held = await a.sale([{ item: item(), unit: 500, discount: 0 }], { at: "2026-11-22T09:00:00.000Z" });
    expect((await a.push(held)).body.conflicts).toEqual([]);
    const fixed = await a.sale([{ item: "led-39", unit: 500, discount: 250 }], { at: "2026-11-22T09:00:00.000Z" });
    expect((await a.push(fixed)).body.conflicts).toEqual([expect.objectContaining({
      kind: "discount_mismatch", item_id: "led-39", expected_cents: 0, actual_cents: 250 })]);
  });
});

describe("same id, same content", () => {
  it("refuses a replay with another total: 409 divergent_replay and a conflict, the sale unchanged", async () => {
    const entry = await a.sale([{ item: item(), unit: 500 }]);
    expect((await a.push(entry)).status).toBe(200);
    expect((await a.push(entry)).status).toBe(200);
    const before = await ledgerState();
    const reply = await a.post(a.body([entry], (r) => { r.sales![0]![7] = 99_999; r.sales![0]![10] = 99_999; }));
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ error: "divergent_replay", sale_id: entry.id,
      conflict: { kind: "divergent_replay", sale_id: entry.id, register_id: a.id } });
    const after = await ledgerState();
    expect({ ...after, conflicts: after.conflicts.slice(0, -1) }).toEqual(before);
    expect((await rows("SELECT total_cents FROM sales WHERE id = ?", entry.id))[0]?.total_cents).toBe(500);
    expect((await a.conflicts()).map((c: any) => c.kind)).toContain("divergent_replay");
  });

  it("refuses the same sale resent with an extra line (journal recomputed): never merged", async () => {
    const entry = await a.sale([{ item: item(), unit: 500 }]);
    expect((await a.push(entry)).status).toBe(200);
    const extra = item();
    const body = a.body([entry], (r) => {
      r.sale_lines!.push([entry.id, 2, extra, `T-${extra}`, 1001, 500, 0, 500]);
      Object.assign(r.sales![0]!, { 7: 1000, 10: 1000, 11: 2 });
      Object.assign(r.tenders![0]!, { 3: 1000, 4: 1000, 5: 0 });
    });
    const journal = body.chunks.find((c: any) => c.table === "journal").rows[0];
    const payload = JSON.parse(journal[6]);
    payload.lines.push([2, extra, `T-${extra}`, 500, 0]);
    Object.assign(payload, { subtotal_cents: 1000, total_cents: 1000 });
    payload.tenders = [["cash", 1000, 1000, 0]];
    await rehash(journal, canonical(payload));
    const reply = await a.post(body);
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe("divergent_replay");
    expect(await rows("SELECT line_no FROM sale_lines WHERE sale_id = ?", entry.id)).toEqual([{ line_no: 1 }]);
    expect((await rows("SELECT status FROM items WHERE id = ?", extra))[0]?.status).toBe("approved");
  });
});

describe("voids and shifts are held to the same rules", () => {
  it("refuses a void or a shift replayed with other content, and acknowledges the same again", async () => {
    const f = await Till.create(EVENT, "led-reg-f");
    const sale = await f.sale([{ item: item(), unit: 500 }]);
    const theVoid = await f.void(sale.id);
    const shift = await f.shift();
    const first = await f.push(sale, theVoid, shift);
    expect(first.status).toBe(200);
    expect(await f.push(sale, theVoid, shift)).toEqual(first);
    const reason = await f.post(f.body([theVoid], (r) => { r.voids![0]![6] = "another reason"; }));
    expect([reason.status, reason.body.error, reason.body.sale_id]).toEqual([409, "divergent_replay", theVoid.id]);
    const counted = await f.post(f.body([shift], (r) => { r.shifts![0]![7] = 1; }));
    expect([counted.status, counted.body.error, counted.body.sale_id]).toEqual([409, "divergent_replay", shift.id]);
    expect((await rows("SELECT counted_cents FROM shifts WHERE id = ?", shift.id))[0]?.counted_cents).toBe(12_000);
  });

  it("refuses a shift opened a week before the event and a void without its journal entry", async () => {
    const g = await Till.create(EVENT, "led-reg-g");
    const sale = await g.sale([{ item: item(), unit: 500 }]);
    expect((await g.push(sale)).status).toBe(200);
    const shift = await g.shift();
    const early = g.body([shift], (r) => { r.shifts![0]![4] = "2026-11-14T08:00:00.000Z"; });
    expect((await refusedUnchanged(g.post(early), 400)).field).toBe("chunks[1].rows[0][4]");  // journal, then shifts
    g.forget(shift);
    const theVoid = await g.void(sale.id);
    const bare = g.body([theVoid], (r) => { r.journal = []; });
    expect((await refusedUnchanged(g.post(bare), 400)).message).toMatch(/without its journal entry/);
  });
});

describe("no sales are held to the same rules", () => {
  it("stores a no sale with its journal entry, acknowledges it again, and refuses it changed", async () => {
    const h = await Till.create(EVENT, "led-reg-h");
    const opened = await h.noSale();
    const first = await h.push(opened);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await h.push(opened)).toEqual(first);
    expect(await rows("SELECT kind, ref_id FROM journal WHERE register_id = ?", h.id)).toEqual(
      [{ kind: "no_sale", ref_id: opened.id }]);
    const reason = await h.post(h.body([opened], (r) => { r.no_sales![0]![6] = "another reason"; }));
    expect([reason.status, reason.body.error, reason.body.sale_id]).toEqual([409, "divergent_replay", opened.id]);
    expect((await rows("SELECT reason FROM no_sales WHERE id = ?", opened.id))[0]?.reason).toBe("change for a $50");
  });

  it("refuses another register's no sale, one outside the event, and one without its journal entry", async () => {
    const k = await Till.create(EVENT, "led-reg-k");
    const theirs = await k.noSale();
    expect((await k.push(theirs)).status).toBe(200);
    const stolen = a.body([await a.noSale()], (r) => { r.no_sales![0]![0] = theirs.id; r.journal![0]![3] = theirs.id; });
    expect((await refusedUnchanged(a.post(stolen), 403)).error).toBe("forbidden");
    a.seq -= 1;
    a.prev = stolen.chunks.find((c: any) => c.table === "journal").rows[0][4];
    const early = await a.noSale("2026-11-14T08:00:00.000Z");
    expect((await refusedUnchanged(a.push(early), 400)).field).toBe("chunks[1].rows[0][7]");  // journal, then no_sales
    a.forget(early);
    const bare = await a.noSale();
    expect((await refusedUnchanged(a.post(a.body([bare], (r) => { r.journal = []; })), 400)).message)
      .toMatch(/without its journal entry/);
    a.forget(bare);
  });
});

describe("refunds are held to the ledger's rules", () => {
  it("stores a refund of its own sale, puts the item back on sale, and acknowledges it again", async () => {
    const r = await Till.create(EVENT, "led-reg-r");
    const [kept, back] = [item(), item()];
    const sale = await r.sale([{ item: kept, unit: 500 }, { item: back, unit: 500 }]);
    const refund = await r.refund(sale.id, 2, 500);
    const first = await r.push(sale, refund);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await r.push(sale, refund)).toEqual(first);
    const status = async (id: string) => (await rows("SELECT status, sold_sale_id FROM items WHERE id = ?", id))[0];
    expect(await status(kept)).toEqual({ status: "sold", sold_sale_id: sale.id });
    expect(await status(back)).toEqual({ status: "approved", sold_sale_id: null });
    expect(await rows("SELECT kind FROM journal WHERE register_id = ? ORDER BY seq", r.id)).toEqual(
      [{ kind: "sale" }, { kind: "refund" }]);
    const changed = await r.post(r.body([refund], (rs) => { rs.refunds![0]![8] = "another reason"; }));
    expect([changed.status, changed.body.error]).toEqual([409, "divergent_replay"]);
  });

  it("refuses a refund of another register's sale, of a sale nowhere, of a wrong amount, or twice", async () => {
    const theirs = await b.sale([{ item: item(), unit: 500 }]);
    expect((await b.push(theirs)).status).toBe(200);
    const steal = await a.refund(theirs.id, 1, 500);
    expect((await refusedUnchanged(a.push(steal), 403)).field).toBe("chunks[0].rows[0][1]");
    a.forget(steal);
    const nowhere = await a.refund("sale-that-never-was", 1, 500);
    expect((await refusedUnchanged(a.push(nowhere), 403)).message).toMatch(/does not exist/);
    a.forget(nowhere);
    const mine = await a.sale([{ item: item(), unit: 500 }]);
    expect((await a.push(mine)).status).toBe(200);
    const greedy = await a.refund(mine.id, 1, 900);
    expect((await refusedUnchanged(a.push(greedy), 400)).field).toBe("chunks[0].rows[0][10]");
    a.forget(greedy);
    const noLine = await a.refund(mine.id, 4, 500);
    expect((await refusedUnchanged(a.push(noLine), 400)).message).toMatch(/has no line 4/);
    a.forget(noLine);
    const once = await a.refund(mine.id, 1, 500);
    expect((await a.push(once)).status).toBe(200);
    const twice = await a.refund(mine.id, 1, 500);
    expect((await refusedUnchanged(a.push(twice), 400)).message).toMatch(/already refunded/);
    a.forget(twice);
    const cancelled = await a.sale([{ item: item(), unit: 500 }]);
    const theVoid = await a.void(cancelled.id);
    expect((await a.push(cancelled, theVoid)).status).toBe(200);
    const late = await a.refund(cancelled.id, 1, 500);
    expect((await refusedUnchanged(a.push(late), 400)).message).toMatch(/was voided/);
    a.forget(late);
  });
});

describe("the journal is bound to its content", () => {
  it("refuses a sale without its journal entry, and an entry without its sale", async () => {
    const entry = await a.sale([{ item: item(), unit: 500 }]);
    const bare = a.body([entry], (r) => { r.journal = []; });
    expect((await refusedUnchanged(a.post(bare), 400)).message).toMatch(/without its journal entry/);
    const lonely = a.body([entry], (r) => { r.sales = []; r.sale_lines = []; r.tenders = []; });
    expect((await refusedUnchanged(a.post(lonely), 400)).message).toMatch(/not in this push/);
    a.forget(entry);
  });

  it("refuses entry 1 resent with another payload (409, recorded), and a new entry that does not describe its rows (400)", async () => {
    const c = await Till.create(EVENT, "led-reg-c");
    const first = await c.sale([{ item: item(), unit: 500 }]);
    expect((await c.push(first)).status).toBe(200);
    const body = c.body([first]);
    await rehash(body.chunks.find((ch: any) => ch.table === "journal").rows[0], '{"edited":true}');
    const reply = await c.post(body);
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ error: "divergent_replay", field: "chunks[3].rows[0]", sale_id: first.id });
    const second = await c.sale([{ item: item(), unit: 500 }]);
    const edited = c.body([second]);
    await rehash(edited.chunks.find((ch: any) => ch.table === "journal").rows[0], '{"edited":true}');
    expect((await refusedUnchanged(c.post(edited), 400)).field).toBe("chunks[3].rows[0][6]");
    const unhashed = c.body([second], (r) => { r.journal![0]![5] = "f".repeat(64); });
    expect((await refusedUnchanged(c.post(unhashed), 400)).field).toBe("chunks[3].rows[0][5]");
    expect((await c.push(second)).status).toBe(200);
  });

  it("a forged entry never silently displaces the genuine one, and the honest queue drains", async () => {
    const d = await Till.create(EVENT, "led-reg-d");
    const honest = await d.sale([{ item: item(), unit: 500 }]);
    expect((await d.push(honest)).status).toBe(200);
    // A thief with d's token forges entry 2 from genesis (prev_hash of zeros, self-consistent hash).
    const thief = new Till(EVENT, d.id);
    Object.assign(thief, { token: d.token, seq: 1, saleSeq: 1 });
    const forged = await thief.sale([{ item: item(), unit: 500 }]);
    const reply = await thief.push(forged);
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts.map((c: any) => c.kind)).toEqual(["journal_chain_broken"]);
    // The genuine entry 2 follows on from entry 1: it takes its seq back, the forgery is kept aside.
    const genuine = await d.sale([{ item: item(), unit: 500 }]);
    const taken = await d.push(genuine);
    expect(taken.status).toBe(200);
    expect(taken.body.conflicts).toEqual([expect.objectContaining({ kind: "divergent_replay", sale_id: forged.id })]);
    const journal = await rows("SELECT seq, ref_id, entry_hash FROM journal WHERE register_id = ? ORDER BY seq", d.id);
    expect(journal.map((j) => [j.seq, j.ref_id])).toEqual([[1, honest.id], [2, genuine.id]]);
    expect(await rows("SELECT seq, ref_id FROM journal_forks WHERE register_id = ?", d.id)).toEqual([{ seq: 2, ref_id: forged.id }]);
    // ...and the queue goes on without a chain break; a replay of entry 2 is acknowledged as before.
    const third = await d.sale([{ item: item(), unit: 500 }]);
    expect((await d.push(third)).body.conflicts).toEqual([]);
    expect((await d.push(genuine)).status).toBe(200);
    expect((await rows("SELECT journal_tail_seq AS seq FROM register_progress WHERE register_id = ?", d.id))[0]?.seq).toBe(3);
  });

  it("a forger who knew the chain keeps the seq, and the genuine entry is refused and recorded", async () => {
    const e = await Till.create(EVENT, "led-reg-e");
    expect((await e.push(await e.sale([{ item: item(), unit: 500 }]))).status).toBe(200);
    const thief = new Till(EVENT, e.id);
    Object.assign(thief, { token: e.token, seq: e.seq, saleSeq: e.saleSeq, prev: e.prev });
    const forged = await thief.sale([{ item: item(), unit: 500 }]);
    expect((await thief.push(forged)).body.conflicts).toEqual([]);
    const genuine = await e.sale([{ item: item(), unit: 500 }]);
    const refused = await e.push(genuine);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: "divergent_replay", sale_id: genuine.id,
      conflict: { kind: "divergent_replay", sale_id: genuine.id } });
    expect(refused.body.message).toMatch(/journal entry 2/);
    expect((await e.push(await e.sale([{ item: item(), unit: 500 }]))).status).toBe(200);
  });
});

describe("sequences and clocks are sane", () => {
  it("refuses last_seq 2^53 - 1 and first_seq off the entries; progress stays", async () => {
    const entry = await a.sale([{ item: item(), unit: 500 }]);
    const jump = { ...a.body([entry]), last_seq: Number.MAX_SAFE_INTEGER };
    expect((await refusedUnchanged(a.post(jump), 400)).field).toBe("last_seq");
    const early = { ...a.body([entry]), first_seq: 1 };
    expect((await refusedUnchanged(a.post(early), 400)).field).toBe("first_seq");
    expect((await a.push(entry)).status).toBe(200);
  });

  it("refuses a sale dated 9999-12-31 and one a week after the event", async () => {
    for (const at of ["9999-12-31T23:59:59.000Z", "2026-11-30T10:00:00.000Z", "2026-11-19T23:59:59.000Z"]) {
      const entry = await a.sale([{ item: item(), unit: 500 }], { at });
      expect((await refusedUnchanged(a.push(entry), 400)).field).toBe("chunks[0].rows[0][6]");
      a.forget(entry);
      next -= 1;
    }
  });

  it("keeps a sale stamped more than 5 minutes ahead of the server with a clock_skew conflict", async () => {
    const today = new Date();
    const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    await setUpEvent({ id: "evt-ledger-now", items: [{ id: "now-1", price: 500 }, { id: "now-2", price: 500 }],
      startsOn: day(0), endsOn: day(1) });
    const till = await Till.create("evt-ledger-now", "led-reg-now");
    const ahead = await till.sale([{ item: "now-1", unit: 500 }], { at: new Date(today.getTime() + 3_600_000).toISOString() });
    const reply = await till.push(ahead);
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts).toEqual([expect.objectContaining({ kind: "clock_skew", sale_id: ahead.id })]);
    const onTime = await till.sale([{ item: "now-2", unit: 500 }], { at: new Date(today.getTime() + 60_000).toISOString() });
    expect((await till.push(onTime)).body.conflicts).toEqual([]);
    expect((await rows("SELECT COUNT(*) AS n FROM sales WHERE event_id = 'evt-ledger-now'"))[0]?.n).toBe(2);
  });
});

it("an honest replay is acknowledged as before", async () => {
  const entries = [await a.sale([{ item: item(), unit: 500 }]), await a.sale([{ item: item(), unit: 500 }], { card: true })];
  const first = await a.push(...entries);
  expect(first.status).toBe(200);
  expect(await a.push(...entries)).toEqual(first);
  expect(await call("GET", `/v1/registers/${a.id}/conflicts?since=0`, undefined, a.auth)).toMatchObject({ status: 200 });
});
