// Vitest inside workerd (@cloudflare/vitest-pool-workers): unit tests of the Worker's modules
// and request tests against a local D1 with the migrations applied. Fully offline.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // A second, empty D1 for the upgrade test (test/migrations.test.ts).
        d1Databases: { UPGRADE_DB: "upgrade-test-db" },
        bindings: {
          ADMIN_TOKEN: "test-admin-token-0123456789",
          TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, "migrations")),
        },
      },
    })),
  ],
  test: { setupFiles: ["./test/apply-migrations.ts"] },
});
