// A forged journal entry never silently displaces a genuine one (shared DESIGN.md). When a
// seq is already held by an entry that did not follow on from the entry before it (it was a
// journal_chain_broken when it came), and the register now sends an entry for that seq that
// does follow on, the newcomer is the genuine one: it takes the seq, the forged entry moves to
// journal_forks, and a divergent_replay conflict tells the organiser. The honest register's
// push goes through and its queue does not stall. When both follow on (a forger who knew the
// chain), the first stays and the newcomer is refused as a divergent replay (ledger.ts).

import { RegisterAuth } from "./auth";
import { CONFLICT_COLUMNS } from "./conflicts";
import { Entry } from "./entries";
import { GENESIS_HASH } from "./journal";
import { Snapshot } from "./ledger";
import { Value } from "./schema";

/** A stored entry that the push's genuine entry for the same seq replaces. */
export interface Fork {
  entry: Entry;
  forged: Value[];
}

/** Statements per fork in the batch (counted like journal breaks in the overhead). */
export const FORK_STATEMENTS = 3;

/** The push's entries that reclaim a seq from a stored entry that did not follow on. */
export function findForks(entries: readonly Entry[], snap: Snapshot): Fork[] {
  const pushed = new Map(entries.map((e) => [e.journal.values[1] as number, e.journal.values]));
  const forks: Fork[] = [];
  for (const entry of entries) {
    const seq = entry.journal.values[1] as number;
    const stored = snap.journal.get(seq);
    if (!stored || stored[5] === entry.journal.values[5]) continue;
    const before = seq === 1 ? GENESIS_HASH : (pushed.get(seq - 1) ?? snap.journal.get(seq - 1))?.[5];
    if (before !== undefined && stored[4] !== before && entry.journal.values[4] === before) {
      forks.push({ entry, forged: stored });
    }
  }
  return forks;
}

/** Move the forged entry aside, put the genuine one in its place, record the conflict (RETURNING). */
export function forkStatements(db: D1Database, auth: RegisterAuth, fork: Fork, now: string): D1PreparedStatement[] {
  const [, seq, kind, refId, prev, hash, payload] = fork.entry.journal.values;
  const forged = fork.forged;
  const detail = `journal entry ${seq} held ${forged[2]} ${forged[3]} (hash ${String(forged[5]).slice(0, 12)}), `
    + `which does not follow on from entry ${(seq as number) - 1}; the register's own entry for ${kind} ${refId} `
    + "follows on and took its place; the forged entry is kept in journal_forks";
  return [
    db.prepare(
      `INSERT OR IGNORE INTO journal_forks (register_id, seq, kind, ref_id, prev_hash, entry_hash, payload, moved_at)
       SELECT register_id, seq, kind, ref_id, prev_hash, entry_hash, payload, ?4 FROM journal
       WHERE register_id = ?1 AND seq = ?2 AND entry_hash = ?3`,
    ).bind(auth.registerId, seq, forged[5], now),
    db.prepare(
      `UPDATE journal SET kind = ?4, ref_id = ?5, prev_hash = ?6, entry_hash = ?7, payload = ?8
       WHERE register_id = ?1 AND seq = ?2 AND entry_hash = ?3`,
    ).bind(auth.registerId, seq, forged[5], kind, refId, prev, hash, payload),
    db.prepare(
      `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id, detail, created_at)
       VALUES (?, 'divergent_replay', '', ?, ?, ?, ?) RETURNING ${CONFLICT_COLUMNS.join(", ")}`,
    ).bind(auth.eventId, String(forged[3]), auth.registerId, detail, now),
  ];
}
