-- The central ledger trusts no register (shared DESIGN.md): new conflict kinds for what the
-- Worker now audits and keeps (price_mismatch, discount_mismatch, clock_skew) and for the
-- divergent replays it refuses (divergent_replay), with the expected and actual figures of a
-- price or discount. SQLite cannot change a CHECK, so the table is rebuilt with its rows, ids
-- and indexes.

CREATE TABLE conflicts_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('sold_twice', 'unknown_item', 'journal_chain_broken',
    'price_mismatch', 'discount_mismatch', 'clock_skew', 'divergent_replay')),
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
INSERT INTO conflicts_new (id, event_id, kind, item_id, sale_id, register_id, winning_sale_id,
  winning_register_id, detail, created_at)
SELECT id, event_id, kind, item_id, sale_id, register_id, winning_sale_id, winning_register_id,
  detail, created_at FROM conflicts;
DROP TABLE conflicts;
ALTER TABLE conflicts_new RENAME TO conflicts;
CREATE INDEX conflicts_register ON conflicts (register_id, id);
CREATE INDEX conflicts_winner ON conflicts (winning_register_id, id);
CREATE INDEX conflicts_event ON conflicts (event_id, id);

-- A forged journal entry that took a seq before the register's genuine one is moved here when
-- the genuine entry arrives (it follows on from the entry before; the forged one did not), so
-- the genuine entry is never refused for it and the forged one is kept for the organiser.
CREATE TABLE journal_forks (
  register_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  payload TEXT NOT NULL,
  moved_at TEXT NOT NULL,
  PRIMARY KEY (register_id, seq, entry_hash)
);
