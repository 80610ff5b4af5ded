// Migration 0005 (settlement) on a D1 that already holds an event's sales: every row the
// earlier migrations' tables held is still there, unchanged, and the per-consignor totals are
// backfilled from the items' holding lines, then kept by the triggers.
import { applyD1Migrations, env } from "cloudflare:test";
import { expect, it } from "vitest";

const SETTLEMENT = "0005";
const OLD_TABLES = ["counters", "events", "discount_rules", "consignors", "items", "registers", "sales", "sale_lines",
  "tenders", "voids", "journal", "shifts", "register_progress", "conflicts"];

async function dump(db: D1Database): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of OLD_TABLES) tables[table] = (await db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()).results;
  return tables;
}

const SEED = [
  `INSERT INTO events (id, name, starts_on, ends_on, updated_at) VALUES ('up', 'Up', '2026-11-21', '2026-11-22', '2026-11-01T00:00:00Z')`,
  `INSERT INTO consignors (id, event_id, number, name, split_bp) VALUES ('up-c1', 'up', 1, 'One', 6000), ('up-c2', 'up', 2, 'Two', 5000)`,
  `INSERT INTO items (id, event_id, consignor_number, item_number, tag_code, description, price_cents, status, sold_sale_id, sold_register_id)
   VALUES ('i1', 'up', 1, 1, 'T1', 'a', 1000, 'sold', 's1', 'r1'), ('i2', 'up', 1, 2, 'T2', 'b', 2000, 'sold', 's2', 'r1'),
          ('i3', 'up', 2, 1, 'T3', 'c', 3000, 'sold', 's1', 'r1'), ('i4', 'up', 2, 2, 'T4', 'd', 4000, 'approved', NULL, NULL)`,
  `INSERT INTO sales (id, event_id, register_id, seq, cashier_id, created_at, subtotal_cents, discount_cents, tax_cents,
     total_cents, item_count, status)
   VALUES ('s1', 'up', 'r1', 1, 'c', '2026-11-21T10:00:00Z', 4000, 500, 0, 3500, 2, 'completed'),
          ('s2', 'up', 'r1', 2, 'c', '2026-11-21T11:00:00Z', 2000, 0, 0, 2000, 1, 'completed'),
          ('s3', 'up', 'r1', 3, 'c', '2026-11-21T12:00:00Z', 4000, 0, 0, 4000, 1, 'completed')`,
  `INSERT INTO sale_lines (sale_id, line_no, item_id, tag_code, consignor_number, unit_price_cents, discount_cents, price_cents)
   VALUES ('s1', 1, 'i1', 'T1', 1, 1000, 500, 500), ('s1', 2, 'i3', 'T3', 2, 3000, 0, 3000),
          ('s2', 1, 'i2', 'T2', 1, 2000, 0, 2000), ('s3', 1, 'i4', 'T4', 2, 4000, 0, 4000)`,
  `INSERT INTO voids (id, sale_id, event_id, register_id, cashier_id, reason, created_at)
   VALUES ('v3', 's3', 'up', 'r1', 'c', 'oops', '2026-11-21T12:01:00Z')`,
  `INSERT INTO conflicts (event_id, kind, item_id, sale_id, register_id, created_at, expected_cents, actual_cents)
   VALUES ('up', 'price_mismatch', 'i1', 's1', 'r1', '2026-11-21T10:00:00Z', 1200, 1000)`,
];

it("upgrades a database holding sales to the settlement schema with its data intact", async () => {
  const db = env.UPGRADE_DB;
  await applyD1Migrations(db, env.TEST_MIGRATIONS.filter((m) => m.name < SETTLEMENT));
  await db.batch(SEED.map((sql) => db.prepare(sql)));
  const before = await dump(db);
  await applyD1Migrations(db, env.TEST_MIGRATIONS);
  expect(await dump(db)).toEqual(before);
  const totals = () => db.prepare(
    "SELECT consignor_number, items_sold, gross_cents FROM consignor_totals WHERE event_id = 'up' ORDER BY 1").all();
  // i1 at 500 and i2 at 2000 for consignor 1, i3 at 3000 for 2; i4's sale is voided and holds nothing.
  expect((await totals()).results).toEqual([
    { consignor_number: 1, items_sold: 2, gross_cents: 2500 }, { consignor_number: 2, items_sold: 1, gross_cents: 3000 }]);
  await db.prepare("UPDATE items SET consignor_number = 2 WHERE id = 'i2'").run();
  expect((await totals()).results).toEqual([
    { consignor_number: 1, items_sold: 1, gross_cents: 500 }, { consignor_number: 2, items_sold: 2, gross_cents: 5000 }]);
});
