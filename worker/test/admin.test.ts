// The organiser's endpoints (admin.ts, built with Drizzle): an event's change_seq in the reply
// and on its row, consignors and items upserted in JSON chunks over D1's 100-parameter limit,
// a re-import that changes nothing keeps every change_seq, and registers created and revoked.
import { describe, expect, it } from "vitest";
import { ADMIN, call, rows } from "./kit";

const event = (EVENT: string, extra: Record<string, unknown> = {}) => call("PUT", `/v1/admin/events/${EVENT}`, {
  name: "Admin", starts_on: "2026-11-21", ends_on: "2026-11-22", status: "published", ...extra }, ADMIN);
const items = Array.from({ length: 1200 }, (_, n) => ({ id: `adm-${n}`, consignor_number: 1001 + (n % 3),
  item_number: n + 1, tag_code: `T-adm-${n}`, price_cents: 100 + n }));

describe("admin endpoints through Drizzle", () => {
  it("answers the event's change_seq, stamps its row, and replaces its discount rules", async () => {
    const EVENT = "evt-admin-event";
    const first = await event(EVENT, { discount_rules: [{ id: "adm-half", starts_at: "2026-11-22T08:00", percent_bp: 5000 }] });
    expect(first.status).toBe(200);
    expect(typeof first.body.change_seq).toBe("number");
    const second = await event(EVENT, { location: "Hall B" });
    expect(second.body.change_seq).toBeGreaterThan(first.body.change_seq);
    expect(await rows("SELECT location, change_seq FROM events WHERE id = ?", EVENT))
      .toEqual([{ location: "Hall B", change_seq: second.body.change_seq }]);
    expect(await rows("SELECT id FROM discount_rules WHERE event_id = ?", EVENT)).toEqual([]);
  });

  it("upserts 1,200 items in chunks, and a re-import that changes nothing keeps every change_seq", async () => {
    const EVENT = "evt-admin-items";
    expect((await event(EVENT)).status).toBe(200);
    const consignors = [1001, 1002, 1003].map((number) => ({ number, name: `C ${number}` }));
    expect((await call("POST", `/v1/admin/events/${EVENT}/consignors`, { consignors }, ADMIN)).status).toBe(200);
    expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items }, ADMIN)).body).toEqual({ ok: true, count: 1200 });
    const stamped = await rows("SELECT id, change_seq, price_cents FROM items WHERE event_id = ? ORDER BY id", EVENT);
    expect(stamped).toHaveLength(1200);
    expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items }, ADMIN)).status).toBe(200);
    expect(await rows("SELECT id, change_seq, price_cents FROM items WHERE event_id = ? ORDER BY id", EVENT)).toEqual(stamped);
    const changed = [{ ...items[7]!, price_cents: 9999 }];
    expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items: changed }, ADMIN)).status).toBe(200);
    const [row] = await rows("SELECT change_seq, price_cents FROM items WHERE id = 'adm-7'");
    expect(row).toMatchObject({ price_cents: 9999 });
    expect(row!.change_seq).toBeGreaterThan(stamped.find((r) => r.id === "adm-7")!.change_seq);
    expect(await rows("SELECT split_bp FROM consignors WHERE event_id = ? AND number = 1001", EVENT)).toEqual([{ split_bp: 6500 }]);
  });

  it("creates, re-keys and revokes a register; an unknown one is 404", async () => {
    const EVENT = "evt-admin-registers";
    expect((await event(EVENT)).status).toBe(200);
    const made = await call("POST", `/v1/admin/events/${EVENT}/registers`, { register_id: "adm-reg", name: "Till 1" }, ADMIN);
    expect(made.status).toBe(200);
    expect((await call("POST", "/v1/admin/registers/adm-reg/revoke", {}, ADMIN)).status).toBe(200);
    const again = await call("POST", `/v1/admin/events/${EVENT}/registers`, { register_id: "adm-reg", name: "Till 1b" }, ADMIN);
    expect(again.body.token).not.toBe(made.body.token);
    expect(await rows("SELECT name, revoked_at FROM registers WHERE id = 'adm-reg'")).toEqual([{ name: "Till 1b", revoked_at: null }]);
    expect((await call("POST", "/v1/admin/registers/adm-nobody/revoke", {}, ADMIN)).status).toBe(404);
  });
});
