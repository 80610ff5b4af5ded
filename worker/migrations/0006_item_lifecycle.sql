-- The item's whole life at the hall (issue 13, shared DESIGN.md "Item lifecycle"): each status
-- change made at a register (check-in approve/reject, pick-up return, donation at the close of
-- pick-up) is an append-only item_events row pushed with its journal entry; the push applies
-- it to items.status only where the transition is valid from the item's central state, and
-- records a conflict otherwise (returned_but_sold, donated_but_sold, transition_refused).
-- SQLite cannot change a CHECK, so items (donated), journal (item entries) and conflicts (the
-- new kinds) are rebuilt with their rows, ids and indexes. Foreign keys are checked at COMMIT,
-- when every rebuilt table has its rows back under its old name.
-- A rebuilt table loses its triggers: 0005's consignor_totals triggers on items are created
-- again at the end (the totals themselves are untouched: DROP TABLE fires no trigger).
PRAGMA defer_foreign_keys = on;

CREATE TABLE item_events (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  tag_code TEXT NOT NULL,
  from_status TEXT NOT NULL
    CHECK (from_status IN ('pending', 'approved', 'rejected', 'sold', 'returned', 'donated')),
  to_status TEXT NOT NULL CHECK (to_status IN ('approved', 'rejected', 'returned', 'donated')),
  reason TEXT,
  cashier_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX item_events_item ON item_events (item_id, created_at);
CREATE INDEX item_events_event ON item_events (event_id, created_at);

CREATE TABLE items_new (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  consignor_number INTEGER NOT NULL,
  item_number INTEGER NOT NULL,
  tag_code TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  size TEXT NOT NULL DEFAULT '',
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  condition TEXT NOT NULL DEFAULT 'good' CHECK (condition IN ('new', 'like_new', 'good', 'fair')),
  discountable INTEGER NOT NULL DEFAULT 1 CHECK (discountable IN (0, 1)),
  donate_if_unsold INTEGER NOT NULL DEFAULT 0 CHECK (donate_if_unsold IN (0, 1)),
  status TEXT NOT NULL DEFAULT 'approved'
    CHECK (status IN ('pending', 'approved', 'rejected', 'sold', 'returned', 'donated')),
  sold_sale_id TEXT,
  sold_register_id TEXT,
  change_seq INTEGER NOT NULL DEFAULT 0,
  UNIQUE (event_id, tag_code)
);
INSERT INTO items_new SELECT id, event_id, consignor_number, item_number, tag_code, description,
  category, size, price_cents, condition, discountable, donate_if_unsold, status, sold_sale_id,
  sold_register_id, change_seq FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
CREATE INDEX items_changes ON items (event_id, change_seq, id);
CREATE INDEX items_sold_sale ON items (sold_sale_id);
CREATE INDEX items_consignor ON items (event_id, consignor_number, item_number);

CREATE TABLE journal_new (
  register_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('sale', 'void', 'shift', 'no_sale', 'refund', 'item')),
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
    'returned_but_sold', 'donated_but_sold', 'transition_refused')),
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

-- 0005's per-consignor totals, kept by triggers on items (settlement.ts).
CREATE TRIGGER items_totals_insert AFTER INSERT ON items WHEN NEW.sold_sale_id IS NOT NULL
BEGIN
  INSERT INTO consignor_totals (event_id, consignor_number, items_sold, gross_cents)
  SELECT NEW.event_id, NEW.consignor_number, 1, sl.price_cents FROM sale_lines sl
  WHERE sl.item_id = NEW.id AND sl.sale_id = NEW.sold_sale_id
  ON CONFLICT (event_id, consignor_number) DO UPDATE SET
    items_sold = items_sold + excluded.items_sold, gross_cents = gross_cents + excluded.gross_cents;
END;

CREATE TRIGGER items_totals_update AFTER UPDATE OF sold_sale_id, consignor_number, event_id ON items
WHEN OLD.sold_sale_id IS NOT NEW.sold_sale_id OR OLD.consignor_number IS NOT NEW.consignor_number
  OR OLD.event_id IS NOT NEW.event_id
BEGIN
  INSERT INTO consignor_totals (event_id, consignor_number, items_sold, gross_cents)
  SELECT OLD.event_id, OLD.consignor_number, -1, -sl.price_cents FROM sale_lines sl
  WHERE sl.item_id = OLD.id AND sl.sale_id = OLD.sold_sale_id
  ON CONFLICT (event_id, consignor_number) DO UPDATE SET
    items_sold = items_sold + excluded.items_sold, gross_cents = gross_cents + excluded.gross_cents;
  INSERT INTO consignor_totals (event_id, consignor_number, items_sold, gross_cents)
  SELECT NEW.event_id, NEW.consignor_number, 1, sl.price_cents FROM sale_lines sl
  WHERE sl.item_id = NEW.id AND sl.sale_id = NEW.sold_sale_id
  ON CONFLICT (event_id, consignor_number) DO UPDATE SET
    items_sold = items_sold + excluded.items_sold, gross_cents = gross_cents + excluded.gross_cents;
END;

CREATE TRIGGER items_totals_delete AFTER DELETE ON items WHEN OLD.sold_sale_id IS NOT NULL
BEGIN
  INSERT INTO consignor_totals (event_id, consignor_number, items_sold, gross_cents)
  SELECT OLD.event_id, OLD.consignor_number, -1, -sl.price_cents FROM sale_lines sl
  WHERE sl.item_id = OLD.id AND sl.sale_id = OLD.sold_sale_id
  ON CONFLICT (event_id, consignor_number) DO UPDATE SET
    items_sold = items_sold + excluded.items_sold, gross_cents = gross_cents + excluded.gross_cents;
END;
