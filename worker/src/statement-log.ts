// For the push benchmark's floor only (bench/sync_bench.py): with the var LOG_STATEMENTS=1
// (`wrangler dev --var LOG_STATEMENTS:1`; never set in wrangler.toml, so never deployed), every
// statement a push runs on D1 is written to the log as one line,
//   D1LOG {"register": "...", "reads": [[sql, params], ...], "batch": [[sql, params], ...]}
// after the push's batch, so the benchmark can run exactly those statements on raw SQLite. The
// token read's parameter (a token's hash) is written as "redacted".

import { Env } from "./auth";

type Logged = [string, unknown[]];

interface Recorder {
  reads: Logged[];
  batch: Logged[];
}

const seen = new WeakMap<D1PreparedStatement, Logged>();

function recorded(statement: D1PreparedStatement, sql: string, params: unknown[], log: Recorder): D1PreparedStatement {
  const entry: Logged = [sql, /\btoken_hash\b/.test(sql) ? params.map(() => "redacted") : params];
  seen.set(statement, entry);
  const bind = statement.bind.bind(statement);
  statement.bind = (...values: unknown[]) => recorded(bind(...values), sql, values, log);
  for (const method of ["first", "all", "run", "raw"] as const) {
    const run = (statement[method] as (...args: unknown[]) => Promise<unknown>).bind(statement);
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      log.reads.push(entry);
      return run(...args);
    };
  }
  return statement;
}

/** `env` with a D1 that records the statements run through it, and a function that logs them. */
export function recordingEnv(env: Env): { env: Env; flush: (register: string) => void } {
  const log: Recorder = { reads: [], batch: [] };
  const db = env.DB;
  const wrapped = Object.create(db) as D1Database;
  wrapped.prepare = (sql: string) => recorded(db.prepare(sql), sql, [], log);
  wrapped.batch = <T>(statements: D1PreparedStatement[]) => {
    log.batch.push(...statements.map((s) => seen.get(s) ?? ["(unrecorded)", []] as Logged));
    return db.batch<T>(statements);
  };
  return {
    env: { ...env, DB: wrapped },
    flush: (register) => console.warn(`D1LOG ${JSON.stringify({ register, ...log })}`),
  };
}
