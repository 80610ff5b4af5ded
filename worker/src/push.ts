// POST /v1/registers/{id}/push: apply a batch of outbox rows atomically and idempotently.
//
// The push is first held to the ledger's rules (rules.ts: own rows, no divergent replay, sales
// that add up, journal entries bound to their rows, sane sequences and clocks). Then every
// table's rows are inserted by one INSERT OR IGNORE ... FROM json_each(?1) (inserts.ts), not
// one statement per chunk; the sold-item updates, conflict detection and the register's
// progress follow in the same DB.batch() (one transaction), and the reply is read from that
// batch's own results, never from a replica.

import { AUDIT_SQL, auditPlan } from "./audit";
import { Env, RegisterAuth, requireRegister } from "./auth";
import { CONFLICT_COLUMNS } from "./conflicts";
import { HttpError, intVar, json, nowIso, readJson } from "./http";
import { FORK_STATEMENTS, forkStatements } from "./forks";
import { GENESIS_HASH, verifyChain, ChainBreak } from "./journal";
import { lifecycleStatements } from "./lifecycle";
import { newItemStatements } from "./new_items";
import { checkLedger } from "./rules";
import { rowInserts } from "./inserts";
import { statementOverhead, Value } from "./schema";
import { parsePush } from "./validation";

const CATALOG_SEQ = "(SELECT value FROM counters WHERE name = 'catalog')";

export async function handlePush(request: Request, env: Env, auth: RegisterAuth, registerId: string) {
  requireRegister(auth, registerId);
  const body = parsePush(await readJson(request, intVar(env.MAX_BODY_BYTES, 4_000_000)), auth);
  const rowsOf = (table: string) => body.chunks.filter((c) => c.table === table).flatMap((c) => c.rows);
  const sales = rowsOf("sales");
  const voids = rowsOf("voids");
  const refunds = rowsOf("refunds");

  const db = env.DB;
  const now = nowIso();
  const { progress, entries, event, forks, lifecycle, newItems } = await checkLedger(db, auth, body, now);
  const tailSeq = progress?.journal_tail_seq ?? 0;
  const reclaimedTail = forks.find((fork) => fork.entry.journal.values[1] === tailSeq);
  const chain = await verifyChain(rowsOf("journal"), {
    seq: tailSeq,
    hash: (reclaimedTail?.entry.journal.values[5] as string | undefined) ?? progress?.journal_tail_hash ?? GENESIS_HASH,
  });

  const limit = intVar(env.MAX_STATEMENTS, 1000);
  // The protocol schema's formula (a reclaimed journal seq counts FORK_STATEMENTS journal breaks);
  // `executed` below checks it against the statements built.
  const extra = chain.breaks.length + FORK_STATEMENTS * forks.length;
  const total = body.chunks.length + statementOverhead(new Set(body.chunks.map((c) => c.table)), extra);
  if (total > limit) {
    throw new HttpError(413, "too_many_statements",
      `This push needs ${total} statements; the limit is ${limit}`, { limit, statements: total });
  }

  const replyIndexes: number[] = [];
  const statements: D1PreparedStatement[] = [];
  for (const fork of forks) {
    statements.push(...forkStatements(db, auth, fork, now));
    replyIndexes.push(statements.length - 1);
  }
  const inserts = rowInserts(body.chunks);
  statements.push(...inserts.map((insert) => db.prepare(insert.sql).bind(insert.json)));
  statements.push(db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'catalog'"));
  if (rowsOf("new_items").length > 0) {
    statements.push(...newItemStatements(db, auth.eventId, newItems, now));
    replyIndexes.push(statements.length - 1);
  }
  if (rowsOf("item_events").length > 0) {
    statements.push(...lifecycleStatements(db, auth.eventId, lifecycle, now));
    replyIndexes.push(statements.length - 1);
  }
  if (sales.length > 0) {
    const seqs = sales.map((row) => row[3] as number);
    const range: Value[] = [auth.registerId, Math.min(...seqs), Math.max(...seqs), auth.eventId];
    const plan = JSON.stringify(auditPlan(entries, event, Date.parse(now)));
    statements.push(...saleStatements(db, range, now, plan));
    replyIndexes.push(statements.length - 1);
  }
  if (voids.length > 0) statements.push(releaseStatement(db, auth, VOIDED));
  if (refunds.length > 0) statements.push(releaseStatement(db, auth, REFUNDED));
  for (const brk of chain.breaks) {
    statements.push(breakStatement(db, auth, brk, now));
    replyIndexes.push(statements.length - 1);
  }
  statements.push(
    db.prepare(
      `INSERT INTO register_progress (register_id, last_seq, journal_tail_seq, journal_tail_hash, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (register_id) DO UPDATE SET
         last_seq = MAX(last_seq, excluded.last_seq),
         journal_tail_hash = CASE WHEN excluded.journal_tail_seq >= journal_tail_seq
                                  THEN excluded.journal_tail_hash ELSE journal_tail_hash END,
         journal_tail_seq = MAX(journal_tail_seq, excluded.journal_tail_seq),
         updated_at = CASE WHEN excluded.last_seq > last_seq OR excluded.journal_tail_seq > journal_tail_seq
                           THEN excluded.updated_at ELSE updated_at END`,
    ).bind(auth.registerId, body.lastSeq, chain.tail.seq, chain.tail.hash, now),
    db.prepare("SELECT last_seq FROM register_progress WHERE register_id = ?").bind(auth.registerId),
  );
  // The server's own statements match the formula; the chunks' rows took `inserts.length` (at most
  // one per chunk), so the request runs at most the `total` it was budgeted and checked for.
  const own = statements.length - inserts.length + 2; // + the token and snapshot reads before the batch
  if (own !== total - body.chunks.length) throw new Error("statement count does not match the overhead formula");

  const results = await db.batch<Record<string, unknown>>(statements);
  const acked = results[results.length - 1]?.results[0]?.last_seq;
  if (typeof acked !== "number") throw new Error("progress row missing after push");
  const byId = new Map<number, Record<string, unknown>>();
  for (const index of replyIndexes) {
    for (const row of results[index]?.results ?? []) byId.set(row.id as number, row);
  }
  const conflicts = [...byId.values()].sort((a, b) => (a.id as number) - (b.id as number));
  return json({ acked_seq: acked, conflicts, statements: total });
}

/**
 * Sales of this push, found by `register_id = ?1 AND seq BETWEEN ?2 AND ?3` (event ?4):
 * mark their items sold (first pushed wins; a voided sale or a refunded line never wins; an item
 * returned or donated first stays so, with a returned_but_sold / donated_but_sold conflict), record sold_twice and
 * the audit's conflicts (unknown_item, price, discount, clock: audit.ts), and read back every
 * conflict of those sales for the reply. The returned/donated_but_sold conflicts these sales won
 * are found by the winning sale's id (`conflicts_winning_sale`, migration 0009), one key lookup per
 * sale of the push, not by reading every conflict of the event or every one the register ever won
 * (worker/test/plans.test.ts).
 */
function saleStatements(db: D1Database, range: Value[], now: string, plan: string): D1PreparedStatement[] {
  const live = `s.register_id = ?1 AND s.seq BETWEEN ?2 AND ?3 AND s.event_id = ?4
    AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)`;
  const lines = `sale_lines sl JOIN sales s ON s.id = sl.sale_id`;
  return [
    db.prepare(
      `UPDATE items SET status = 'sold', sold_sale_id = w.sale_id, sold_register_id = ?1,
         change_seq = ${CATALOG_SEQ}
       FROM (SELECT sl.item_id, s.id AS sale_id,
                    row_number() OVER (PARTITION BY sl.item_id ORDER BY s.seq, s.id) AS place
             FROM ${lines} WHERE ${live} AND ${NOT_REFUNDED}) AS w
       WHERE w.place = 1 AND items.id = w.item_id AND items.event_id = ?4
         AND items.sold_sale_id IS NULL AND items.status NOT IN ('returned', 'donated')`,
    ).bind(...range),
    db.prepare(
      `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id,
         winning_sale_id, winning_register_id, detail, created_at)
       SELECT ?4, 'sold_twice', sl.item_id, s.id, s.register_id, i.sold_sale_id, i.sold_register_id, '', ?5
       FROM ${lines} JOIN items i ON i.id = sl.item_id AND i.event_id = ?4
       WHERE ${live} AND i.sold_sale_id IS NOT NULL AND i.sold_sale_id != s.id
       UNION ALL
       SELECT ?4, CASE i.status WHEN 'returned' THEN 'returned_but_sold' ELSE 'donated_but_sold' END,
         sl.item_id, e.id, e.register_id, s.id, s.register_id,
         'item ' || i.tag_code || ' was ' || i.status || ' before sale ' || s.id || ' reached the server', ?5
       FROM ${lines} JOIN items i ON i.id = sl.item_id AND i.event_id = ?4
         JOIN item_events e ON e.id = (SELECT id FROM item_events WHERE item_id = i.id AND to_status = i.status
                                       ORDER BY created_at DESC, id DESC LIMIT 1)
       WHERE ${live} AND i.status IN ('returned', 'donated')`,
    ).bind(...range, now),
    db.prepare(AUDIT_SQL).bind(...range, now, plan),
    db.prepare(SALE_CONFLICTS_SQL).bind(...range),
  ];
}

/**
 * Every conflict of the sales `register_id = ?1 AND seq BETWEEN ?2 AND ?3` (event ?4), and the
 * returned/donated_but_sold conflicts they won, for the reply.
 */
export const SALE_CONFLICTS_SQL = `SELECT ${CONFLICT_COLUMNS.map((c) => `c.${c}`).join(", ")}
  FROM conflicts c JOIN sales s ON s.id = c.sale_id
  WHERE s.register_id = ?1 AND s.seq BETWEEN ?2 AND ?3 AND s.event_id = ?4
  UNION ALL
  SELECT ${CONFLICT_COLUMNS.map((c) => `c.${c}`).join(", ")}
  FROM sales s JOIN conflicts c ON c.winning_sale_id = s.id
  WHERE s.register_id = ?1 AND s.seq BETWEEN ?2 AND ?3 AND s.event_id = ?4
    AND c.kind IN ('returned_but_sold', 'donated_but_sold') AND +c.winning_register_id = ?1 AND +c.event_id = ?4
  ORDER BY 1`;

const NOT_REFUNDED = "NOT EXISTS (SELECT 1 FROM refunds f WHERE f.sale_id = sl.sale_id AND f.line_no = sl.line_no)";

/** An item (alias `x`) held by a sale this register voided. */
const VOIDED = (x: string) => `${x}.sold_sale_id IN (SELECT sale_id FROM voids WHERE register_id = ?2)`;
/** An item (alias `x`) held by a sale line this register refunded. */
const REFUNDED = (x: string) => `EXISTS (SELECT 1 FROM refunds r JOIN sale_lines rl ON rl.sale_id = r.sale_id
  AND rl.line_no = r.line_no WHERE r.register_id = ?2 AND r.sale_id = ${x}.sold_sale_id AND rl.item_id = ${x}.id)`;

/**
 * Items released by this register (`released`: held by a sale it voided, or by a line it
 * refunded) pass to the first live sale line that also sold them (a sold_twice loser, in push
 * order: that customer still has the item), or go back to `approved` when there is none. A line
 * is live when its sale has no void and the line no refund. Idempotent: only items still held
 * by a released line move.
 */
function releaseStatement(db: D1Database, auth: RegisterAuth, released: (x: string) => string): D1PreparedStatement {
  return db.prepare(
    `UPDATE items SET status = CASE WHEN n.sale_id IS NULL THEN 'approved' ELSE 'sold' END,
       sold_sale_id = n.sale_id, sold_register_id = n.register_id, change_seq = ${CATALOG_SEQ}
     FROM (SELECT i.id AS item_id, live.sale_id, live.register_id
           FROM items i
           LEFT JOIN (SELECT sl.item_id, s.id AS sale_id, s.register_id,
                             row_number() OVER (PARTITION BY sl.item_id ORDER BY s.rowid) AS place
                      FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
                      WHERE s.event_id = ?1 AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)
                        AND ${NOT_REFUNDED}
                        AND sl.item_id IN (SELECT h.id FROM items h WHERE h.event_id = ?1 AND ${released("h")})) AS live
             ON live.item_id = i.id AND live.place = 1
           WHERE i.event_id = ?1 AND ${released("i")}) AS n
     WHERE items.id = n.item_id AND items.event_id = ?1`,
  ).bind(auth.eventId, auth.registerId);
}

/** One journal_chain_broken conflict, returned by the statement itself when it is new. */
function breakStatement(db: D1Database, auth: RegisterAuth, brk: ChainBreak, now: string): D1PreparedStatement {
  return db.prepare(
    `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id, detail, created_at)
     VALUES (?, 'journal_chain_broken', '', ?, ?, ?, ?) RETURNING ${CONFLICT_COLUMNS.join(", ")}`,
  ).bind(auth.eventId, `journal:${auth.registerId}:${brk.seq}`, auth.registerId,
    `journal entry ${brk.seq} (${brk.refId}): ${brk.reason}`, now);
}
