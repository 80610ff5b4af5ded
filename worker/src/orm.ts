// Drizzle over D1 for the organiser's queries (seed 000): the query builder types every read
// against src/tables.ts; `measured` runs a built query on the D1 session itself, so the answer
// keeps D1's meta (rows_read, which the settlement reports). Field names in the selects are
// the columns' own, so a row reads the same either way. The push hot path stays raw SQL.
import { SQL } from "drizzle-orm";
import { drizzle, DrizzleD1Database } from "drizzle-orm/d1";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

export type Db = D1Database | D1DatabaseSession;
export type Orm = DrizzleD1Database;

/** Drizzle on a D1 database or session (a session has the prepare and batch Drizzle uses). */
export function ormOf(db: Db): Orm {
  return drizzle(db as D1Database);
}

interface Built {
  toSQL(): { sql: string; params: unknown[] };
}

/** The rows of a built Drizzle query and the D1 rows it read. */
export async function measured<T>(db: Db, query: Built): Promise<{ rows: T[]; rowsRead: number }> {
  const { sql, params } = query.toSQL();
  const result = await db.prepare(sql).bind(...params).all<T>();
  return { rows: result.results, rowsRead: result.meta.rows_read ?? 0 };
}

const dialect = new SQLiteAsyncDialect();

/**
 * A D1 statement from a built Drizzle query or an `sql` template, for one db.batch() (one
 * transaction) that mixes them: Drizzle's own batch cannot take a raw `sql` statement.
 */
export function statement(db: Db, query: Built | SQL): D1PreparedStatement {
  const { sql, params } = query instanceof SQL ? dialect.sqlToQuery(query) : query.toSQL();
  return db.prepare(sql).bind(...params);
}
