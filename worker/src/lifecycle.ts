// Item events (issue 13, shared DESIGN.md "Item lifecycle"): check-in, pick-up and donation
// as rows of item_events, each pushed with its journal entry. The push applies an event to
// items.status only where the transition is valid from the item's CENTRAL state (the same table
// as pos_app/core/item_events.py), and records a conflict otherwise: returned_but_sold /
// donated_but_sold when the item was sold (never returned once sold), transition_refused for
// anything else. Both registers see a returned_but_sold conflict (the returning register is its
// register_id, the selling one its winning_register_id). An event already at the central status
// (two stations approving the same item) changes nothing and is no conflict. Events are kept
// exactly once (INSERT OR IGNORE by id); a replay is planned as nothing.

import { CONFLICT_COLUMNS } from "./conflicts";
import { Entry } from "./entries";
import { Value } from "./schema";

/** Where each status may go by an item event (a sale and a void are not item events). */
export const TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  pending: ["approved", "rejected"],
  approved: ["rejected", "returned", "donated"],
  rejected: ["approved", "returned"],
  sold: [],
  returned: [],
  donated: [],
};

export const LIFECYCLE_CONFLICTS = ["returned_but_sold", "donated_but_sold", "transition_refused"] as const;

/** Items as the snapshot read them: id -> [id, status, sold_sale_id, sold_register_id]. */
export type CentralItems = ReadonlyMap<string, readonly Value[]>;

export interface PlannedConflict {
  kind: (typeof LIFECYCLE_CONFLICTS)[number];
  event_id: string;
  item_id: string;
  register_id: string;
  winning_sale_id: string | null;
  winning_register_id: string | null;
  detail: string;
}

/** An item's move: from the central status read (guarded in SQL) to its final status. */
export interface PlannedMove {
  item_id: string;
  expect: string;
  to: string;
  event_id: string;
  register_id: string;
}

export interface LifecyclePlan {
  moves: PlannedMove[];
  conflicts: PlannedConflict[];
  eventIds: string[];
}

/** Decide each new event in push order against the central state the snapshot read. */
export function lifecyclePlan(entries: readonly Entry[], central: CentralItems, stored: ReadonlySet<string>): LifecyclePlan {
  const status = new Map<string, string>();
  const moves = new Map<string, PlannedMove>();
  const conflicts: PlannedConflict[] = [];
  const events = entries.filter((e) => e.kind === "item")
    .sort((a, b) => (a.journal.values[1] as number) - (b.journal.values[1] as number));
  for (const { row: { values } } of events) {
    const [id, , registerId, itemId, tag, , to] = values as string[];
    if (id === undefined || registerId === undefined || itemId === undefined || to === undefined) continue;
    if (stored.has(id)) continue;
    const item = central.get(itemId);
    const refuse = (kind: PlannedConflict["kind"], detail: string, sold = false) => conflicts.push({
      kind, event_id: id, item_id: itemId, register_id: registerId,
      winning_sale_id: sold ? (item?.[2] as string | null) ?? null : null,
      winning_register_id: sold ? (item?.[3] as string | null) ?? null : null, detail });
    if (item === undefined) {
      refuse("transition_refused", `item ${tag} is not in this event`);
      continue;
    }
    const current = status.get(itemId) ?? (item[1] as string);
    if (current === to) continue;
    if (!(TRANSITIONS[current] ?? []).includes(to)) {
      const kind = current === "sold" && to === "returned" ? "returned_but_sold"
        : current === "sold" && to === "donated" ? "donated_but_sold" : "transition_refused";
      refuse(kind, `item ${tag} is ${current} centrally: it cannot become ${to}`, current === "sold");
      continue;
    }
    status.set(itemId, to);
    const move = moves.get(itemId);
    moves.set(itemId, { item_id: itemId, expect: move?.expect ?? (item[1] as string), to, event_id: id, register_id: registerId });
  }
  return { moves: [...moves.values()], conflicts, eventIds: events.map((e) => e.row.values[0] as string) };
}

const CATALOG_SEQ = "(SELECT value FROM counters WHERE name = 'catalog')";

/**
 * The 3 statements of a push with item events (after the catalog counter's bump): the planned
 * conflicts and those of a move whose item changed since the snapshot (a sale landed between
 * the read and the batch), the moves still valid, and the read-back of the events' conflicts.
 */
export function lifecycleStatements(db: D1Database, eventId: string, plan: LifecyclePlan, now: string): D1PreparedStatement[] {
  const field = (name: string) => `json_extract(p.value, '$.${name}')`;
  return [
    db.prepare(
      `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id, winning_sale_id,
         winning_register_id, detail, created_at)
       SELECT ?1, ${field("kind")}, ${field("item_id")}, ${field("event_id")}, ${field("register_id")},
         ${field("winning_sale_id")}, ${field("winning_register_id")}, ${field("detail")}, ?2
       FROM json_each(?3) AS p
       UNION ALL
       SELECT ?1, CASE WHEN i.status = 'sold' AND ${field("to")} = 'returned' THEN 'returned_but_sold'
                       WHEN i.status = 'sold' AND ${field("to")} = 'donated' THEN 'donated_but_sold'
                       ELSE 'transition_refused' END,
         i.id, ${field("event_id")}, ${field("register_id")},
         CASE WHEN i.status = 'sold' THEN i.sold_sale_id END, CASE WHEN i.status = 'sold' THEN i.sold_register_id END,
         'item ' || i.tag_code || ' became ' || i.status || ' centrally before it could become ' || ${field("to")}, ?2
       FROM json_each(?4) AS p JOIN items i ON i.id = ${field("item_id")} AND i.event_id = ?1
       WHERE i.status != ${field("expect")}`,
    ).bind(eventId, now, JSON.stringify(plan.conflicts), JSON.stringify(plan.moves)),
    db.prepare(
      `UPDATE items SET status = m.final, change_seq = ${CATALOG_SEQ}
       FROM (SELECT json_extract(value, '$.item_id') AS item_id, json_extract(value, '$.expect') AS expect,
                    json_extract(value, '$.to') AS final FROM json_each(?2)) AS m
       WHERE items.id = m.item_id AND items.event_id = ?1 AND items.status = m.expect`,
    ).bind(eventId, JSON.stringify(plan.moves)),
    db.prepare(
      `SELECT ${CONFLICT_COLUMNS.join(", ")} FROM conflicts
       WHERE event_id = ?1 AND sale_id IN (SELECT value FROM json_each(?2))
         AND kind IN (${LIFECYCLE_CONFLICTS.map((k) => `'${k}'`).join(", ")}) ORDER BY id`,
    ).bind(eventId, JSON.stringify(plan.eventIds)),
  ];
}
