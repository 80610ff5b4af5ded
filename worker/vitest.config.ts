// Vitest inside workerd (@cloudflare/vitest-pool-workers): unit tests of the Worker's modules
// and request tests against a local D1 with the migrations applied. Fully offline.
// Here, in Node, drizzle-kit also turns src/tables.ts into the SQL of the whole schema
// (DRIZZLE_SCHEMA_SQL) and into what it would still generate after the last snapshot in
// migrations/meta (DRIZZLE_PENDING_SQL), for test/tables.test.ts.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from "drizzle-kit/api";
import { defineConfig } from "vitest/config";
import * as tables from "./src/tables.ts";

async function drizzleSql(): Promise<{ schema: string[]; pending: string[] }> {
  const meta = path.join(import.meta.dirname, "migrations", "meta");
  const last = readdirSync(meta).filter((name) => name.endsWith("_snapshot.json")).sort().pop();
  if (!last) throw new Error("no drizzle-kit snapshot in migrations/meta");
  const snapshot = JSON.parse(readFileSync(path.join(meta, last), "utf8"));
  const current = await generateSQLiteDrizzleJson(tables);
  return {
    schema: await generateSQLiteMigration(await generateSQLiteDrizzleJson({}), current),
    pending: await generateSQLiteMigration(snapshot, current),
  };
}

export default defineConfig({
  plugins: [
    cloudflareTest(async () => {
      const drizzle = await drizzleSql();
      return {
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // Empty D1s: the upgrade test (test/migrations.test.ts) and Drizzle's schema (tables.test.ts).
          d1Databases: { UPGRADE_DB: "upgrade-test-db", DRIZZLE_DB: "drizzle-schema-db" },
          bindings: {
            ADMIN_TOKEN: "test-admin-token-0123456789",
            TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, "migrations")),
            DRIZZLE_SCHEMA_SQL: drizzle.schema,
            DRIZZLE_PENDING_SQL: drizzle.pending,
          },
        },
      };
    }),
  ],
  test: { setupFiles: ["./test/apply-migrations.ts"] },
});
