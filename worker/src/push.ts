// POST /v1/registers/{id}/push: apply a batch of outbox rows atomically and idempotently.
//
// Every chunk becomes one multi-row INSERT OR IGNORE; the sold-item updates, conflict
// detection and the register's progress follow in the same DB.batch(), and the reply is read
// from that batch's own results (never from a replica).

import { Env, RegisterAuth } from "./auth";
import { HttpError, invalid, isObject, json, nowIso, readJson, sha256Hex } from "./http";
import { checkValue, insertSql, statementBytes, TABLES, Value } from "./schema";

export const MAX_PARAMS = 100;
export const MAX_STATEMENT_BYTES = 100_000;
const GENESIS = "0".repeat(64);

interface Chunk {
  table: string;
  rows: Value[][];
}

interface Progress {
  last_seq: number;
  journal_tail_seq: number;
  journal_tail_hash: string;
}

/** The statements the server adds to a push, including the two reads before the batch. */
export function overhead(hasSales: boolean, hasVoids: boolean, journalBreaks: number): number {
  return 5 + (hasSales ? 4 : 0) + (hasVoids ? 1 : 0) + journalBreaks;
}

export async function handlePush(request: Request, env: Env, auth: RegisterAuth, registerId: string) {
  if (registerId !== auth.registerId) {
    throw new HttpError(403, "forbidden", "This token belongs to another register");
  }
  const body = await readJson(request, Number(env.MAX_BODY_BYTES ?? "4000000"));
  if (!isObject(body)) throw invalid("Body must be a JSON object");
  if (body.event_id !== auth.eventId) {
    throw new HttpError(403, "forbidden", "This register belongs to another event", { field: "event_id" });
  }
  const lastSeq = checkValue({ name: "last_seq", kind: "int" }, body.last_seq, "last_seq") as number;
  const chunks = parseChunks(body.chunks, auth);
  const rows = (table: string) => chunks.filter((ch) => ch.table === table).flatMap((ch) => ch.rows);
  const sales = rows("sales");
  checkChildren(sales, rows("sale_lines"), rows("tenders"));

  const progress = await env.DB.prepare(
    "SELECT last_seq, journal_tail_seq, journal_tail_hash FROM register_progress WHERE register_id = ?",
  ).bind(auth.registerId).first<Progress>();
  const journal = await verifyJournal(rows("journal"), progress);
  const voids = rows("voids");
  const limit = Number(env.MAX_STATEMENTS ?? "1000");
  const total = chunks.length + overhead(sales.length > 0, voids.length > 0, journal.breaks.length);
  if (total > limit) {
    throw new HttpError(413, "too_many_statements", `${total} statements is over the limit of ${limit}`, {
      limit,
    });
  }
  const now = nowIso();
  const db = env.DB;
  const statements: D1PreparedStatement[] = chunks.map((ch) =>
    db.prepare(insertSql(ch.table, ch.rows.length)).bind(...ch.rows.flat()),
  );
  statements.push(db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'catalog'"));
  let conflictIndex = -1;
  if (sales.length > 0) {
    const seqs = sales.map((row) => row[3] as number);
    const range: Value[] = [auth.registerId, Math.min(...seqs), Math.max(...seqs)];
    statements.push(...saleStatements(db, range, auth.eventId, now));
    conflictIndex = statements.length - 1;
  }
  if (voids.length > 0) statements.push(voidStatement(db, auth.registerId));
  for (const b of journal.breaks) {
    statements.push(
      db.prepare(
        `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id, detail, created_at)
         VALUES (?, 'journal_chain_broken', '', ?, ?, ?, ?)`,
      ).bind(auth.eventId, `journal:${auth.registerId}:${b.seq}`, auth.registerId, b.reason, now),
    );
  }
  statements.push(
    db.prepare(
      `INSERT INTO register_progress (register_id, last_seq, journal_tail_seq, journal_tail_hash, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (register_id) DO UPDATE SET
         last_seq = MAX(last_seq, excluded.last_seq),
         journal_tail_hash = CASE WHEN excluded.journal_tail_seq > journal_tail_seq
                                  THEN excluded.journal_tail_hash ELSE journal_tail_hash END,
         journal_tail_seq = MAX(journal_tail_seq, excluded.journal_tail_seq),
         updated_at = excluded.updated_at`,
    ).bind(auth.registerId, lastSeq, journal.tailSeq, journal.tailHash, now),
    db.prepare("SELECT last_seq FROM register_progress WHERE register_id = ?").bind(auth.registerId),
  );
  const results = await db.batch(statements);
  const acked = (results[results.length - 1].results[0] as { last_seq: number }).last_seq;
  const conflicts = conflictIndex >= 0 ? results[conflictIndex].results : [];
  return json({ acked_seq: acked, conflicts, statements: statements.length + 2 });
}

function parseChunks(value: unknown, auth: RegisterAuth): Chunk[] {
  if (!Array.isArray(value)) throw invalid("chunks must be an array", "chunks");
  return value.map((chunk, i) => {
    const where = `chunks[${i}]`;
    if (!isObject(chunk)) throw invalid("A chunk must be an object", where);
    const columns = typeof chunk.table === "string" ? TABLES[chunk.table] : undefined;
    if (!columns || !Object.hasOwn(TABLES, chunk.table as string)) {
      throw invalid(`Unknown table ${String(chunk.table).slice(0, 40)}`, `${where}.table`);
    }
    if (!Array.isArray(chunk.rows) || chunk.rows.length === 0) {
      throw invalid("rows must be a non-empty array", `${where}.rows`);
    }
    if (chunk.rows.length * columns.length > MAX_PARAMS) {
      throw new HttpError(413, "too_many_parameters", `Over ${MAX_PARAMS} parameters in one statement`, {
        field: `${where}.rows`,
      });
    }
    const rows = chunk.rows.map((row: unknown, r: number) => checkRow(chunk.table as string, row, `${where}.rows[${r}]`, auth));
    if (statementBytes(insertSql(chunk.table as string, rows.length), rows.flat()) > MAX_STATEMENT_BYTES) {
      throw new HttpError(413, "statement_too_large", `A statement is over ${MAX_STATEMENT_BYTES} bytes`, {
        field: where,
      });
    }
    return { table: chunk.table as string, rows };
  });
}

function checkRow(table: string, row: unknown, where: string, auth: RegisterAuth): Value[] {
  const columns = TABLES[table];
  const saleId = table === "sales" ? String((row as unknown[])?.[0]) : table === "sale_lines" || table === "tenders" ? String((row as unknown[])?.[0]) : undefined;
  if (!Array.isArray(row) || row.length !== columns.length) {
    throw invalid(`A ${table} row has ${columns.length} values`, where, saleId);
  }
  const values = columns.map((column, k) => {
    try {
      return checkValue(column, row[k], `${where}[${k}]`);
    } catch (error) {
      if (error instanceof HttpError && saleId !== undefined) error.extra.sale_id = saleId;
      throw error;
    }
  });
  columns.forEach((column, k) => {
    const owner = column.name === "register_id" ? auth.registerId : column.name === "event_id" ? auth.eventId : null;
    if (owner !== null && values[k] !== owner) {
      throw new HttpError(403, "forbidden", `${column.name} is not this register's`, { field: `${where}[${k}]` });
    }
  });
  return values;
}

function checkChildren(sales: Value[][], lines: Value[][], tenders: Value[][]) {
  const ids = new Set(sales.map((row) => row[0]));
  for (const [table, rows] of [["sale_lines", lines], ["tenders", tenders]] as const) {
    for (const row of rows) {
      if (!ids.has(row[0])) {
        throw invalid(`A ${table} row's sale is not in this push`, table, String(row[0]));
      }
    }
  }
}

async function verifyJournal(rows: Value[][], progress: Progress | null) {
  let tailSeq = progress?.journal_tail_seq ?? 0;
  let tailHash = progress?.journal_tail_hash ?? GENESIS;
  const breaks: { seq: number; reason: string }[] = [];
  const ordered = [...rows].sort((a, b) => (a[1] as number) - (b[1] as number));
  for (const [, seq, , , prev, hash, payload] of ordered) {
    if ((seq as number) <= tailSeq) continue;
    if ((seq as number) !== tailSeq + 1) breaks.push({ seq: seq as number, reason: `entries ${tailSeq + 1}..${(seq as number) - 1} missing` });
    else if (prev !== tailHash) breaks.push({ seq: seq as number, reason: "does not follow the previous entry" });
    if ((await sha256Hex(`${prev}\n${payload}`)) !== hash) {
      breaks.push({ seq: seq as number, reason: "hash does not match the payload" });
    }
    tailSeq = seq as number;
    tailHash = hash as string;
  }
  return { breaks, tailSeq, tailHash };
}

function saleStatements(db: D1Database, range: Value[], eventId: string, now: string): D1PreparedStatement[] {
  const inPush = "s.register_id = ? AND s.seq BETWEEN ? AND ?";
  const firstSale = (column: string) =>
    `(SELECT ${column} FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
      WHERE sl.item_id = items.id AND ${inPush} ORDER BY s.created_at, s.id LIMIT 1)`;
  return [
    db.prepare(
      `UPDATE items SET status = 'sold', sold_sale_id = ${firstSale("s.id")},
         sold_register_id = ${firstSale("s.register_id")},
         change_seq = (SELECT value FROM counters WHERE name = 'catalog')
       WHERE sold_sale_id IS NULL AND event_id = ? AND id IN (
         SELECT sl.item_id FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id WHERE ${inPush})`,
    ).bind(...range, ...range, eventId, ...range),
    db.prepare(
      `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id,
         winning_sale_id, winning_register_id, created_at)
       SELECT s.event_id, 'sold_twice', sl.item_id, sl.sale_id, s.register_id, i.sold_sale_id,
              i.sold_register_id, ?
       FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id JOIN items i ON i.id = sl.item_id
       WHERE ${inPush} AND i.sold_sale_id IS NOT NULL AND i.sold_sale_id != sl.sale_id`,
    ).bind(now, ...range),
    db.prepare(
      `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id, created_at)
       SELECT s.event_id, 'unknown_item', sl.item_id, sl.sale_id, s.register_id, ?
       FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
       WHERE ${inPush} AND NOT EXISTS (SELECT 1 FROM items i WHERE i.id = sl.item_id AND i.event_id = s.event_id)`,
    ).bind(now, ...range),
    db.prepare(
      `SELECT c.id, c.kind, c.item_id, c.sale_id, c.register_id, c.winning_sale_id, c.winning_register_id
       FROM conflicts c JOIN sales s ON s.id = c.sale_id WHERE ${inPush} ORDER BY c.id`,
    ).bind(...range),
  ];
}

function voidStatement(db: D1Database, registerId: string): D1PreparedStatement {
  return db.prepare(
    `UPDATE items SET status = 'approved', sold_sale_id = NULL, sold_register_id = NULL,
       change_seq = (SELECT value FROM counters WHERE name = 'catalog')
     WHERE sold_sale_id IN (SELECT sale_id FROM voids WHERE register_id = ?)`,
  ).bind(registerId);
}
