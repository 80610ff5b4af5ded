-- Items entered on the spot at drop-off check-in (issue 13, worker/src/new_items.ts): each is a
-- new_items row pushed with its journal entry (kind 'new_item'); the push adds it to items as
-- approved unless its id or tag is already taken, which is recorded as a 'tag_taken' conflict.
-- SQLite cannot change a CHECK, so journal (the new kind) and conflicts (the new kind) are
-- rebuilt with their rows, ids and indexes, as in 0006. Foreign keys (conflict_resolutions ->
-- conflicts) are checked at COMMIT, when the rebuilt table has its rows back under its name.
PRAGMA defer_foreign_keys = on;

CREATE TABLE new_items (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  consignor_number INTEGER NOT NULL,
  item_number INTEGER NOT NULL,
  tag_code TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  size TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  discountable INTEGER NOT NULL CHECK (discountable IN (0, 1)),
  donate_if_unsold INTEGER NOT NULL CHECK (donate_if_unsold IN (0, 1)),
  cashier_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX new_items_event ON new_items (event_id, tag_code);

CREATE TABLE journal_new (
  register_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('sale', 'void', 'shift', 'no_sale', 'refund', 'item', 'new_item')),
  ref_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (register_id, seq)
);
INSERT INTO journal_new (register_id, seq, kind, ref_id, prev_hash, entry_hash, payload)
  SELECT register_id, seq, kind, ref_id, prev_hash, entry_hash, payload FROM journal;
DROP TABLE journal;
ALTER TABLE journal_new RENAME TO journal;

CREATE TABLE conflicts_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('sold_twice', 'unknown_item', 'journal_chain_broken',
    'price_mismatch', 'discount_mismatch', 'clock_skew', 'divergent_replay',
    'returned_but_sold', 'donated_but_sold', 'transition_refused', 'tag_taken')),
  item_id TEXT NOT NULL DEFAULT '',
  sale_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  winning_sale_id TEXT,
  winning_register_id TEXT,
  detail TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expected_cents INTEGER,
  actual_cents INTEGER,
  UNIQUE (sale_id, item_id, kind)
);
INSERT INTO conflicts_new SELECT id, event_id, kind, item_id, sale_id, register_id, winning_sale_id,
  winning_register_id, detail, created_at, expected_cents, actual_cents FROM conflicts;
DROP TABLE conflicts;
ALTER TABLE conflicts_new RENAME TO conflicts;
CREATE INDEX conflicts_register ON conflicts (register_id, id);
CREATE INDEX conflicts_winner ON conflicts (winning_register_id, id);
CREATE INDEX conflicts_event ON conflicts (event_id, id);
