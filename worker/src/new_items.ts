// Items entered on the spot at drop-off check-in (issue 13, pos_app/core/new_items.py): a
// new_items row, pushed with its journal entry (kind new_item), becomes an approved item of the
// central catalog, so every other register pulls it. The ledger rules hold as for any entry
// (own rows only, same id same content, journal bound to the row: rules.ts, ledger.ts); here:
// - the consignor must be one of the event's (400 naming the field), and a consignor-item tag
//   code must carry the row's consignor and item numbers (400);
// - an item id or tag code already in the catalog is never overwritten: the row is kept (the
//   item was tagged and the entry journaled) and a `tag_taken` conflict is recorded for the
//   organiser, as for a second row of the same push with a tag an earlier one took;
// - a replay (the id stored) plans nothing.

import { CONFLICT_COLUMNS } from "./conflicts";
import { Entry } from "./entries";
import { invalid } from "./http";
import { Snapshot } from "./ledger";

const CONSIGNOR_ITEM = /^(\d{1,6})-(\d{1,6})$/;
const CATALOG_SEQ = "(SELECT value FROM counters WHERE name = 'catalog')";

/** The new items of the push not stored yet; 400 for an unknown consignor or a tag that lies. */
export function checkNewItems(entries: readonly Entry[], snap: Snapshot): string[] {
  const fresh: string[] = [];
  for (const entry of entries.filter((e) => e.kind === "new_item")) {
    const [id, , , consignor, itemNumber, tag] = entry.row.values as [string, string, string, number, number, string];
    if (snap.newItems.has(id)) continue;
    if (!snap.consignors.has(consignor)) {
      throw invalid(`No consignor ${consignor} in this event`, `${entry.row.where}[3]`, id);
    }
    const parts = CONSIGNOR_ITEM.exec(tag);
    if (parts && (Number(parts[1]) !== consignor || Number(parts[2]) !== itemNumber)) {
      throw invalid(`Tag ${tag} is not consignor ${consignor}'s item ${itemNumber}`, `${entry.row.where}[5]`, id);
    }
    fresh.push(id);
  }
  return fresh;
}

/** Items as the lifecycle plan reads them ([id, status, sold_sale_id, sold_register_id]), the push's new ones included. */
export function withNewItems(central: Snapshot["items"], entries: readonly Entry[], fresh: readonly string[]): Snapshot["items"] {
  const added = new Map(central);
  const ids = new Set(fresh);
  for (const entry of entries) {
    const id = entry.row.values[0] as string;
    if (entry.kind === "new_item" && ids.has(id) && !added.has(id)) added.set(id, [id, "approved", null, null]);
  }
  return added;
}

/**
 * The 3 statements of a push with new items (after the catalog counter's bump, before the
 * item events and sales that may name them): `tag_taken` for a fresh row whose id or tag is
 * in the catalog or was taken by an earlier row of the push, the other rows as approved items
 * (change_seq bumped, so every register pulls them), and the read-back of the conflicts.
 */
export function newItemStatements(db: D1Database, eventId: string, fresh: readonly string[], now: string): D1PreparedStatement[] {
  const ids = JSON.stringify(fresh);
  const pushed = "n.event_id = ?1 AND n.id IN (SELECT value FROM json_each(?2))";
  return [
    db.prepare(
      `INSERT OR IGNORE INTO conflicts (event_id, kind, item_id, sale_id, register_id, detail, created_at)
       SELECT ?1, 'tag_taken', n.id, n.id, n.register_id,
         'tag ' || n.tag_code || ' is already ' || COALESCE(
           (SELECT 'item ' || i.id || ' (consignor ' || i.consignor_number || ', ' || i.description || ')'
            FROM items i WHERE i.id = n.id OR (i.event_id = ?1 AND i.tag_code = n.tag_code) LIMIT 1),
           'entered by an earlier row of this push'), ?3
       FROM new_items n
       WHERE ${pushed} AND (
         EXISTS (SELECT 1 FROM items i WHERE i.id = n.id OR (i.event_id = ?1 AND i.tag_code = n.tag_code))
         OR EXISTS (SELECT 1 FROM new_items m WHERE m.event_id = ?1 AND m.tag_code = n.tag_code
                      AND m.id IN (SELECT value FROM json_each(?2)) AND m.rowid < n.rowid))`,
    ).bind(eventId, ids, now),
    db.prepare(
      `INSERT OR IGNORE INTO items (id, event_id, consignor_number, item_number, tag_code, description, category,
         size, price_cents, discountable, donate_if_unsold, status, change_seq)
       SELECT n.id, n.event_id, n.consignor_number, n.item_number, n.tag_code, n.description, n.category,
         n.size, n.price_cents, n.discountable, n.donate_if_unsold, 'approved', ${CATALOG_SEQ}
       FROM new_items n
       WHERE ${pushed} AND NOT EXISTS (SELECT 1 FROM conflicts c
         WHERE c.sale_id = n.id AND c.item_id = n.id AND c.kind = 'tag_taken')
       ORDER BY n.rowid`,
    ).bind(eventId, ids),
    db.prepare(
      `SELECT ${CONFLICT_COLUMNS.join(", ")} FROM conflicts
       WHERE event_id = ?1 AND kind = 'tag_taken' AND sale_id IN (SELECT value FROM json_each(?2)) ORDER BY id`,
    ).bind(eventId, ids),
  ];
}
