// For the push benchmark's floor only (bench/sync_bench.py): with the var STATEMENT_LOG_PORT
// (`wrangler dev --var STATEMENT_LOG_PORT:<port>`; never set in wrangler.toml, so never deployed),
// every statement a push runs on D1 is POSTed, after the push's reply (index.ts: waitUntil), as
//   {"register": "...", "reads": [[sql, params], ...], "batch": [[sql, params], ...], "order": n}
// to the collector the benchmark runs on that loopback port (pos_app/devtools/statement_log.py),
// so the benchmark can run exactly those statements on raw SQLite. The token read's parameter
// (a token's hash) is written as "redacted".
//
// Not through the console: `wrangler dev` reads the Worker's console through the V8 inspector,
// and its InspectorProxyWorker keeps every console message it receives (in a buffer drained
// only when a DevTools window attaches), so the ~2 MB a push this log is grew the proxy's workerd
// without bound until V8's heap limit killed it during the 16-register push (docs/benchmarks.md).

import { Env } from "./auth";

type Logged = [string, unknown[]];

interface Recorder {
  reads: Logged[];
  batch: Logged[];
  order?: number; // the batch's place among all pushes' batches: the order D1 ran them in
}

let batches = 0;

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

/** `env` with a D1 that records the statements run through it, and a function that sends them
 * (to `post`: the collector on `env.STATEMENT_LOG_PORT` unless given). */
export function recordingEnv(
  env: Env, post: (body: string) => Promise<unknown> = collector(env.STATEMENT_LOG_PORT),
): { env: Env; flush: (register: string) => Promise<void> } {
  const log: Recorder = { reads: [], batch: [] };
  const db = env.DB;
  const wrapped = Object.create(db) as D1Database;
  wrapped.prepare = (sql: string) => recorded(db.prepare(sql), sql, [], log);
  wrapped.batch = <T>(statements: D1PreparedStatement[]) => {
    log.batch.push(...statements.map((s) => seen.get(s) ?? ["(unrecorded)", []] as Logged));
    log.order = ++batches;
    return db.batch<T>(statements);
  };
  return {
    env: { ...env, DB: wrapped },
    flush: async (register) => {
      try {
        await post(JSON.stringify({ register, ...log }));
      } catch (error) { // the push itself stands; the benchmark sees the record missing
        console.error("statement log not sent:", error instanceof Error ? error.message : "unknown");
      }
    },
  };
}

function collector(port: string | undefined): (body: string) => Promise<unknown> {
  return async (body) => {
    const reply = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body });
    await reply.body?.cancel();
    if (!reply.ok) throw new Error(`collector answered ${reply.status}`);
  };
}
