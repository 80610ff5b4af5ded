// The schema as code (seed 000): the D1 schema drizzle-kit generates from src/tables.ts equals
// the one worker/migrations produce (columns, types, nullability, defaults, keys, indexes,
// foreign keys, checks), and no change of src/tables.ts is left without its migration.
import { env } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";

interface Shape {
  columns: unknown[];
  indexes: string[];
  foreignKeys: string[];
  checks: string[];
}

const INTERNAL = /^(sqlite_|d1_|_cf_)/;

/** Every CHECK (...) of a CREATE TABLE, whitespace, quotes and case normalised. */
function checks(createSql: string): string[] {
  const found: string[] = [];
  const upper = createSql.toUpperCase();
  for (let at = upper.indexOf("CHECK"); at >= 0; at = upper.indexOf("CHECK", at + 5)) {
    const open = createSql.indexOf("(", at);
    let depth = 0;
    let end = open;
    for (; end < createSql.length; end++) {
      if (createSql[end] === "(") depth++;
      if (createSql[end] === ")" && --depth === 0) break;
    }
    found.push(createSql.slice(open + 1, end).replace(/[\s`"]/g, "").toLowerCase());
  }
  return found.sort();
}

async function shape(db: D1Database): Promise<Record<string, Shape>> {
  const { results } = await db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all<{ name: string; sql: string }>();
  const tables: Record<string, Shape> = {};
  for (const { name, sql } of results.filter((t) => !INTERNAL.test(t.name))) {
    const pragma = async <T>(what: string) => (await db.prepare(`SELECT * FROM pragma_${what}('${name}')`).all<T>()).results;
    // Drizzle declares every primary-key column NOT NULL; the hand-written migrations leave it
    // implicit (SQLite's legacy NULL in a TEXT key, which the Worker's validation never lets in).
    const columns = (await pragma<Record<string, unknown>>("table_xinfo")).map((c) =>
      [c.name, String(c.type).toUpperCase(), c.pk ? 1 : c.notnull, c.dflt_value, c.pk]);
    const indexes: string[] = [];
    for (const index of await pragma<{ name: string; unique: number }>("index_list")) {
      const cols = (await db.prepare(`SELECT name FROM pragma_index_info('${index.name}') ORDER BY seqno`)
        .all<{ name: string }>()).results.map((c) => c.name);
      indexes.push(`${index.unique ? "unique " : ""}(${cols.join(", ")})`);
    }
    const foreignKeys = (await pragma<{ table: string; from: string; to: string }>("foreign_key_list"))
      .map((fk) => `${fk.from} -> ${fk.table}(${fk.to})`).sort();
    tables[name] = { columns, indexes: indexes.sort(), foreignKeys, checks: checks(sql) };
  }
  return tables;
}

beforeAll(async () => {
  await env.DRIZZLE_DB.batch(env.DRIZZLE_SCHEMA_SQL.map((sql) => env.DRIZZLE_DB.prepare(sql)));
});

it("generates from src/tables.ts the schema the migrations produce", async () => {
  const [migrated, generated] = [await shape(env.DB), await shape(env.DRIZZLE_DB)];
  expect(Object.keys(generated)).toEqual(Object.keys(migrated));
  expect(generated).toEqual(migrated);
});

it("leaves no change of src/tables.ts without its migration (npm run db:generate)", () => {
  expect(env.DRIZZLE_PENDING_SQL).toEqual([]);
});
