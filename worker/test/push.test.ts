// The Worker inside workerd with a real (local) D1: admin seeding, push, replay, limits, pull.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { canonical } from "../src/entries";
import { sha256Hex } from "../src/http";
import { GENESIS_HASH } from "../src/journal";
import { statementOverhead } from "../src/schema";

const ADMIN = { authorization: "Bearer test-admin-token-0123456789" };
const EVENT = "evt-vitest";
let token = "";

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await exports.default.fetch(`http://worker${path}`, {
    method, headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function saleBody(saleId: string, itemId: string, seq: number, prev = GENESIS_HASH) {
  const payload = canonical({
    id: saleId, event_id: EVENT, register_id: "reg-1", seq, shift_id: null, cashier_id: "c-1",
    created_at: "2026-11-21T09:00:00.000Z", subtotal_cents: 500, discount_cents: 0, tax_cents: 0,
    total_cents: 500, status: "completed", lines: [[1, itemId, "1001-0001", 500, 0]],
    tenders: [["cash", 500, 500, 0]],
  });
  const hash = await sha256Hex(`${prev}\n${payload}`);
  return {
    event_id: EVENT, first_seq: seq, last_seq: seq,
    chunks: [
      { table: "sales", rows: [[saleId, EVENT, "reg-1", seq, null, "c-1", "2026-11-21T09:00:00.000Z",
        500, 0, 0, 500, 1, "completed"]] },
      { table: "sale_lines", rows: [[saleId, 1, itemId, "1001-0001", 1001, 500, 0, 500]] },
      { table: "tenders", rows: [[saleId, 1, "cash", 500, 500, 0, null]] },
      { table: "journal", rows: [["reg-1", seq, "sale", saleId, prev, hash, payload]] },
    ],
  };
}

beforeAll(async () => {
  expect((await call("PUT", `/v1/admin/events/${EVENT}`,
    { name: "Vitest", starts_on: "2026-11-21", ends_on: "2026-11-22", status: "published" }, ADMIN)).status).toBe(200);
  const items = Array.from({ length: 30 }, (_, n) => ({
    id: `it-${n}`, consignor_number: 1001, item_number: n + 1, tag_code: `1001-${n + 1}`, price_cents: 500,
  }));
  expect((await call("POST", `/v1/admin/events/${EVENT}/items`, { items }, ADMIN)).body).toEqual({ ok: true, count: 30 });
  token = (await call("POST", `/v1/admin/events/${EVENT}/registers`, { register_id: "reg-1" }, ADMIN)).body.token;
});

describe("push", () => {
  it("counts its statements with the documented overhead", () => {
    expect(statementOverhead(new Set(["sales", "sale_lines", "voids"]), 2)).toBe(12);
    expect(statementOverhead(new Set(), 0)).toBe(5);
  });

  it("acks, marks the item sold, and replays to the same reply", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const body = await saleBody("s-1", "it-1", 1);
    const first = await call("POST", "/v1/registers/reg-1/push", body, auth);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ acked_seq: 1, conflicts: [], statements: 4 + 9 });
    expect(await call("POST", "/v1/registers/reg-1/push", body, auth)).toEqual(first);
    const item = await env.DB.prepare("SELECT status, sold_sale_id FROM items WHERE id = 'it-1'").first();
    expect(item).toEqual({ status: "sold", sold_sale_id: "s-1" });
    const sales = await env.DB.prepare("SELECT COUNT(*) AS n FROM sales").first<{ n: number }>();
    expect(sales?.n).toBe(1);
  });

  it("refuses a wrong type with the field and the sale id", async () => {
    const body = await saleBody("s-bad", "it-2", 2);
    (body.chunks[2]!.rows[0] as unknown[])[3] = "lots";
    const reply = await call("POST", "/v1/registers/reg-1/push", body, { authorization: `Bearer ${token}` });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: "invalid", field: "chunks[2].rows[0][3]", sale_id: "s-bad" });
  });

  it("needs a token", async () => {
    expect((await call("POST", "/v1/registers/reg-1/push", {})).status).toBe(401);
    expect((await call("GET", `/v1/events/${EVENT}/catalog`, undefined, { authorization: "Bearer nope-nope-nope-nope" })).status).toBe(401);
  });
});
