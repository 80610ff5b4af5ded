// Types of the test environment: the Worker's bindings plus the migrations the setup applies.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    UPGRADE_DB: D1Database;
    DRIZZLE_DB: D1Database;
    DRIZZLE_SCHEMA_SQL: string[];
    DRIZZLE_PENDING_SQL: string[];
    ADMIN_TOKEN: string;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
}
