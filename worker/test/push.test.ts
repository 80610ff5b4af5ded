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

async function saleBody(saleId: string, itemId: string, seq: number, prev = GENESIS_HASH, register = "reg-1") {
  const payload = canonical({
    id: saleId, event_id: EVENT, register_id: register, seq, shift_id: null, cashier_id: "c-1",
    created_at: "2026-11-21T09:00:00.000Z", subtotal_cents: 500, discount_cents: 0, tax_cents: 0,
    total_cents: 500, status: "completed", lines: [[1, itemId, "1001-0001", 500, 0]],
    tenders: [["cash", 500, 500, 0]],
  });
  const hash = await sha256Hex(`${prev}\n${payload}`);
  return {
    event_id: EVENT, first_seq: seq, last_seq: seq,
    chunks: [
      { table: "sales", rows: [[saleId, EVENT, register, seq, null, "c-1", "2026-11-21T09:00:00.000Z",
        500, 0, 0, 500, 1, "completed"]] },
      { table: "sale_lines", rows: [[saleId, 1, itemId, "1001-0001", 1001, 500, 0, 500]] },
      { table: "tenders", rows: [[saleId, 1, "cash", 500, 500, 0, null]] },
      { table: "journal", rows: [[register, seq, "sale", saleId, prev, hash, payload]] },
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

  // parsePush checks each value where it lies, in one pass (validation.ts): the first bad value of
  // a row is named before the register it claims, a row's UTF-8 bytes count toward its statement,
  // and a refusal writes nothing.
  describe("one pass over the values", () => {
    let own = "";
    const auth = () => ({ authorization: `Bearer ${own}` });
    beforeAll(async () => {
      own = (await call("POST", `/v1/admin/events/${EVENT}/registers`, { register_id: "reg-pass" }, ADMIN)).body.token;
    });
    const salesCount = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM sales").first<{ n: number }>())?.n;

    async function twoSales() {
      const a = await saleBody("s-pass-a", "it-10", 1, GENESIS_HASH, "reg-pass");
      const b = await saleBody("s-pass-b", "it-11", 2, a.chunks[3]!.rows[0]![5] as string, "reg-pass");
      return { ...a, last_seq: 2, chunks: a.chunks.map((chunk, k) => ({ ...chunk, rows: [...chunk.rows, ...b.chunks[k]!.rows] })) };
    }

    async function refused(body: unknown, status: number) {
      const before = await salesCount();
      const reply = await call("POST", "/v1/registers/reg-pass/push", body, auth());
      expect(reply.status).toBe(status);
      expect(await salesCount()).toBe(before);
      return reply.body;
    }

    it("names a bad value of a later row before the register the row claims", async () => {
      const body = await twoSales();
      const row = body.chunks[0]!.rows[1] as unknown[];
      row[2] = "reg-1";
      row[7] = 1.5;
      expect(await refused(body, 400)).toMatchObject({
        error: "invalid", field: "chunks[0].rows[1][7]", sale_id: "s-pass-b", message: "subtotal_cents must be a non-negative whole number" });
      row[7] = 500;
      expect(await refused(body, 403)).toMatchObject({
        error: "forbidden", field: "chunks[0].rows[1][2]", sale_id: "s-pass-b", message: "sales.register_id is not this register's" });
      (body.chunks[1]!.rows[1] as unknown[])[1] = null;
      row[2] = "reg-pass";
      expect(await refused(body, 400)).toMatchObject({ field: "chunks[1].rows[1][1]", message: "line_no must not be null" });
    });

    it("names a row that is not an array of the table's values", async () => {
      const short = await twoSales();
      (short.chunks[2]!.rows[1] as unknown[]).pop();
      expect(await refused(short, 400)).toMatchObject({ field: "chunks[2].rows[1]", sale_id: "s-pass-b" });
      const notRow = await twoSales();
      (notRow.chunks[3]!.rows as unknown[])[0] = { seq: 20 };
      expect(await refused(notRow, 400)).toMatchObject({ field: "chunks[3].rows[0]", message: "A journal row must be an array of 7 values" });
    });

    it("counts a statement's strings in UTF-8 bytes, not characters", async () => {
      const wide = await saleBody("s-pass-c", "it-12", 3, GENESIS_HASH, "reg-pass");
      (wide.chunks[3]!.rows[0] as unknown[])[6] = "\u00e9".repeat(50_000); // 50,000 characters, 100,000 bytes
      expect(await refused(wide, 413)).toMatchObject({ error: "statement_too_large", field: "chunks[3]", sale_id: "s-pass-c" });
      (wide.chunks[3]!.rows[0] as unknown[])[6] = "e".repeat(50_000); // fits, and is then not the sale's payload
      expect(await refused(wide, 400)).toMatchObject({ error: "invalid", field: "chunks[3].rows[0][6]", sale_id: "s-pass-c" });
    });

    it("writes the rows exactly as sent once they pass", async () => {
      const body = await twoSales();
      const reply = await call("POST", "/v1/registers/reg-pass/push", body, auth());
      expect(reply.body).toEqual({ acked_seq: 2, conflicts: [], statements: 4 + 9 });
      const stored = await env.DB.prepare(
        "SELECT id, event_id, register_id, seq, shift_id, cashier_id, created_at, subtotal_cents, discount_cents, tax_cents, total_cents, item_count, status FROM sales WHERE id IN ('s-pass-a', 's-pass-b') ORDER BY seq",
      ).raw();
      expect(stored).toEqual(body.chunks[0]!.rows);
    });
  });

  it("needs a token", async () => {
    expect((await call("POST", "/v1/registers/reg-1/push", {})).status).toBe(401);
    expect((await call("GET", `/v1/events/${EVENT}/catalog`, undefined, { authorization: "Bearer nope-nope-nope-nope" })).status).toBe(401);
  });
});
