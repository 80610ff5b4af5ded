// Every push is held to "The central ledger trusts no register" (shared DESIGN.md) before
// anything is written, in this order: entries and sequences (400), own rows only (403), same id
// with the same content (409 divergent_replay, with a conflict row; a genuine journal entry
// reclaims its seq from a forged one, forks.ts), timestamps within the
// event (400), sales that add up and refunds of the right amount (400), journal entries bound to
// their rows (400); new items name a consignor of the event (400, new_items.ts); item events
// are planned against the items' central state (lifecycle.ts). A refusal writes nothing of the
// push; what is kept with a conflict is planned in audit.ts.

import { checkArithmetic, checkRefunds, checkTimestamps } from "./audit";
import { RegisterAuth } from "./auth";
import { checkJournalBindings, checkSeqs, entriesOf, Entry, locate } from "./entries";
import { findForks, Fork } from "./forks";
import { LifecyclePlan, lifecyclePlan } from "./lifecycle";
import { HttpError } from "./http";
import { checkOwnership, EventTerms, findDivergence, Progress, readSnapshot, refuseDivergence } from "./ledger";
import { checkNewItems, withNewItems } from "./new_items";
import { PushBody } from "./validation";

export interface CheckedPush {
  progress: Progress | null;
  entries: Entry[];
  event: EventTerms;
  forks: Fork[];
  lifecycle: LifecyclePlan;
  /** The push's new items not stored yet (new_items.ts). */
  newItems: string[];
}

export async function checkLedger(db: D1Database, auth: RegisterAuth, body: PushBody, now: string): Promise<CheckedPush> {
  const entries = entriesOf(locate(body.chunks));
  checkSeqs(body, entries);
  const snapshot = await readSnapshot(db, auth, entries);
  const event = snapshot.event;
  if (event === null) throw new HttpError(409, "register_not_in_event", "This register's event does not exist");
  checkOwnership(entries, snapshot, auth);
  const forks = findForks(entries, snapshot);
  const divergence = findDivergence(entries, snapshot, new Set(forks.map((f) => f.entry.journal.values[1] as number)));
  if (divergence !== null) await refuseDivergence(db, auth, divergence, now);
  checkTimestamps(entries, event);
  checkArithmetic(entries, event);
  checkRefunds(entries, snapshot);
  await checkJournalBindings(entries);
  const newItems = checkNewItems(entries, snapshot);
  const central = withNewItems(snapshot.items, entries, newItems);
  const lifecycle = lifecyclePlan(entries, central, new Set(snapshot.itemEvents.keys()));
  return { progress: snapshot.progress, entries, event, forks, lifecycle, newItems };
}
