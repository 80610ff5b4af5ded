-- Till records (docs/sync-protocol.md). No sales: the drawer opened without a sale, with a
-- reason and a manager's approval. Pushed like a shift (one row per outbox entry, with its
-- journal entry; worker/src/entries.ts binds the two); INSERT OR IGNORE.
CREATE TABLE no_sales (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  shift_id TEXT NOT NULL,
  cashier_id TEXT NOT NULL,
  manager_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX no_sales_event ON no_sales (event_id);
CREATE INDEX no_sales_shift ON no_sales (shift_id);

-- The journal takes the new kinds: SQLite cannot change a CHECK, so the table is rebuilt with
-- its rows (a CHECK failure under the push's INSERT OR IGNORE would drop the entry without a
-- word). journal_forks (0002) has no CHECK on kind and needs nothing.
CREATE TABLE journal_new (
  register_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('sale', 'void', 'shift', 'no_sale', 'refund')),
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

-- Price overrides: a line sold at a manager's price instead of the tag's, pushed with its sale
-- (same outbox entry, in its journal payload). The audit (worker/src/audit.ts) checks the tag
-- price an override claims against the catalog, not the line's price.
CREATE TABLE price_overrides (
  sale_id TEXT NOT NULL,
  line_no INTEGER NOT NULL,
  tag_price_cents INTEGER NOT NULL CHECK (tag_price_cents >= 0),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  manager_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (sale_id, line_no)
);

-- Refunds: one line of an earlier sale of the same register paid back (append-only), pushed
-- with its journal entry; the push puts the item back on sale, and a refunded line never
-- wins the mark-sold step (worker/src/push.ts). The amount is checked (worker/src/audit.ts).
CREATE TABLE refunds (
  id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL,
  line_no INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  shift_id TEXT,
  cashier_id TEXT NOT NULL,
  manager_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  tender TEXT NOT NULL CHECK (tender IN ('cash', 'card')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  created_at TEXT NOT NULL,
  UNIQUE (sale_id, line_no)
);
CREATE INDEX refunds_event ON refunds (event_id);
CREATE INDEX refunds_register ON refunds (register_id);
