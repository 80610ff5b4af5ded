// drizzle-kit: `npm run db:generate -- --name WHAT` diffs src/tables.ts against the last
// snapshot in migrations/meta and writes the next numbered migration (NNNN_WHAT.sql) into
// migrations/, where wrangler applies it. Edit the generated SQL only to append what Drizzle
// cannot say (triggers, backfills), as 0005_settlement.sql does.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/tables.ts",
  out: "./migrations",
  breakpoints: false,
});
