// Verification of a register's audit journal hash chain (docs/sync-protocol.md, push step 1):
// entry_hash = sha256_hex(prev_hash + "\n" + payload), genesis = 64 zeros, seq gap-free.
// A break never rejects a push (the money was taken); it becomes a journal_chain_broken conflict.

import { sha256Hex } from "./http";
import { Value } from "./schema";

export const GENESIS_HASH = "0".repeat(64);

const digests = new WeakMap<readonly Value[], { text: string; digest: Promise<string> }>();

/**
 * sha256_hex(prev_hash + "\n" + payload) of a journal row, computed once per row and content: the
 * ledger's binding check (entries.ts) and the chain below hash the same ~900 rows of a push.
 */
export function entryDigest(row: readonly Value[]): Promise<string> {
  const text = `${row[4]}\n${row[6]}`;
  const known = digests.get(row);
  if (known?.text === text) return known.digest;
  const digest = sha256Hex(text);
  digests.set(row, { text, digest });
  return digest;
}

export interface JournalTail {
  seq: number;
  hash: string;
}

export interface ChainBreak {
  seq: number;
  refId: string;
  reason: string;
}

export interface ChainCheck {
  breaks: ChainBreak[];
  tail: JournalTail;
}

/**
 * Check the journal rows with `seq > tail.seq` in seq order against the stored tail. After a
 * break the chain continues from the broken entry, so one edited entry is one break.
 * Rows are [register_id, seq, kind, ref_id, prev_hash, entry_hash, payload], already validated.
 */
export async function verifyChain(rows: readonly Value[][], stored: JournalTail): Promise<ChainCheck> {
  const ordered = rows
    .filter((row) => (row[1] as number) > stored.seq)
    .sort((a, b) => (a[1] as number) - (b[1] as number));
  // Every digest at once (one await, not one per entry); the chain is then checked in order.
  const digests = await Promise.all(ordered.map(entryDigest));
  const breaks: ChainBreak[] = [];
  let tail = { ...stored };
  for (const [index, row] of ordered.entries()) {
    const seq = row[1] as number;
    const [refId, prev, hash] = [row[3], row[4], row[5]] as string[];
    const reasons: string[] = [];
    if (seq !== tail.seq + 1) {
      reasons.push(`entries ${tail.seq + 1}..${seq - 1} are missing`);
    } else if (prev !== tail.hash) {
      reasons.push("prev_hash does not match the previous entry");
    }
    if (digests[index] !== hash) {
      reasons.push("entry_hash does not match the payload");
    }
    if (reasons.length > 0) breaks.push({ seq, refId: refId ?? "", reason: reasons.join("; ") });
    tail = { seq, hash: hash ?? GENESIS_HASH };
  }
  return { breaks, tail };
}
