// The ledger's two new statements read by primary key whatever the size of D1: the snapshot
// before the batch and the audit in it scan nothing but the push's own JSON parameters.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { AUDIT_SQL } from "../src/audit";
import { SNAPSHOT_SQL } from "../src/ledger";
import { SALE_CONFLICTS_SQL } from "../src/push";

async function plan(sql: string, ...params: unknown[]): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
  return results.map((row) => row.detail);
}

function tableScans(details: string[]): string[] {
  return details.filter((d) => d.startsWith("SCAN") && !d.includes("VIRTUAL TABLE") && d !== "SCAN CONSTANT ROW");
}

it("the snapshot read searches every table by key", async () => {
  const details = await plan(SNAPSHOT_SQL, "reg", "evt", "[]", "[]", "[]", "[]", "[]", "[]", "[]", "[]", "[]", "[]");
  expect(details.some((d) => d.startsWith("SEARCH"))).toBe(true);
  expect(tableScans(details)).toEqual([]);
  // The items of the push's item events by id, not every item of the event through
  // items_consignor (event_id=?): 200,000 rows read per push on the demo catalog.
  const items = details.filter((d) => /^SEARCH items\b/.test(d));
  expect(items).toHaveLength(1);
  expect(items[0]).toMatch(/\(id=\?\)$/);
});

it("the audit statement is driven by the push's sales, one key lookup per step", async () => {
  const select = AUDIT_SQL.slice(AUDIT_SQL.indexOf("SELECT"));
  const details = await plan(select, "reg", 1, 5, "evt", "now", "[]");
  expect(details.filter((d) => d.startsWith("SEARCH sl"))).toHaveLength(3);
  expect(tableScans(details)).toEqual([]);
});

it("the push's conflict read-back reads its own sales' conflicts, never every conflict of the event", async () => {
  const details = await plan(SALE_CONFLICTS_SQL, "reg", 1, 5, "evt");
  expect(tableScans(details)).toEqual([]);
  // conflicts_event (event_id=?) read every conflict of the event for each push: ~80,000 rows a
  // request after a few bench pushes whose lines are unknown items or sold twice.
  expect(details.filter((d) => d.includes("conflicts_event"))).toEqual([]);
  // Nor every conflict the register ever won (conflicts_winner): the ones its pushed sales won, by key.
  expect(details.filter((d) => d.includes("conflicts_winner"))).toEqual([]);
  expect(details.some((d) => /SEARCH c USING INDEX conflicts_winning_sale \(winning_sale_id=\?\)/.test(d))).toBe(true);
});
