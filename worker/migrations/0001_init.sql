-- Central schema of pos_app (Cloudflare D1). Money is integer cents; times are ISO-8601 UTC.
-- Catalog rows carry change_seq (from counters.catalog) so registers pull changes by cursor.
-- Sales tables are append-only rows pushed with INSERT OR IGNORE (docs/sync-protocol.md);
-- sale_lines.item_id is deliberately not a foreign key: an unknown item becomes a conflict,
-- never a rejected sale. The Worker validates every pushed value before a CHECK could
-- silently drop a row under OR IGNORE.

CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL CHECK (value >= 0));
INSERT INTO counters (name, value) VALUES ('catalog', 0);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'published', 'cancelled', 'completed')),
  tax_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  timezone TEXT NOT NULL DEFAULT 'UTC',
  change_seq INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);

CREATE TABLE discount_rules (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  starts_at TEXT NOT NULL,
  ends_at TEXT,
  percent_bp INTEGER NOT NULL CHECK (percent_bp BETWEEN 1 AND 10000)
);
CREATE INDEX discount_rules_event ON discount_rules (event_id);

CREATE TABLE consignors (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  number INTEGER NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  split_bp INTEGER NOT NULL CHECK (split_bp BETWEEN 0 AND 10000),
  change_seq INTEGER NOT NULL DEFAULT 0,
  UNIQUE (event_id, number)
);
CREATE INDEX consignors_changes ON consignors (event_id, change_seq);

CREATE TABLE items (
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
    CHECK (status IN ('pending', 'approved', 'rejected', 'sold', 'returned')),
  sold_sale_id TEXT,
  sold_register_id TEXT,
  change_seq INTEGER NOT NULL DEFAULT 0,
  UNIQUE (event_id, tag_code)
);
CREATE INDEX items_changes ON items (event_id, change_seq, id);
CREATE INDEX items_sold_sale ON items (sold_sale_id);

CREATE TABLE registers (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  revoked_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX registers_event ON registers (event_id);

CREATE TABLE sales (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  shift_id TEXT,
  cashier_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  subtotal_cents INTEGER NOT NULL CHECK (subtotal_cents >= 0),
  discount_cents INTEGER NOT NULL CHECK (discount_cents >= 0),
  tax_cents INTEGER NOT NULL CHECK (tax_cents >= 0),
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
  item_count INTEGER NOT NULL CHECK (item_count >= 0),
  status TEXT NOT NULL CHECK (status IN ('completed'))
);
-- Not UNIQUE: a register restored from an old backup reuses seqs, and OR IGNORE would then
-- silently drop real sales. Gaps and repeats show up in the export instead.
CREATE INDEX sales_register_seq ON sales (register_id, seq);
CREATE INDEX sales_event ON sales (event_id);

CREATE TABLE sale_lines (
  sale_id TEXT NOT NULL REFERENCES sales(id),
  line_no INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  tag_code TEXT NOT NULL,
  consignor_number INTEGER NOT NULL,
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  discount_cents INTEGER NOT NULL CHECK (discount_cents >= 0),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (sale_id, line_no)
);
CREATE INDEX sale_lines_item ON sale_lines (item_id);

CREATE TABLE tenders (
  sale_id TEXT NOT NULL REFERENCES sales(id),
  line_no INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('cash', 'card', 'other')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  given_cents INTEGER CHECK (given_cents >= 0),
  change_cents INTEGER CHECK (change_cents >= 0),
  reference TEXT,
  PRIMARY KEY (sale_id, line_no)
);

CREATE TABLE voids (
  id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  cashier_id TEXT NOT NULL,
  manager_id TEXT,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX voids_register ON voids (register_id);
CREATE INDEX voids_sale ON voids (sale_id);
CREATE INDEX voids_event ON voids (event_id);

CREATE TABLE journal (
  register_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('sale', 'void', 'shift')),
  ref_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (register_id, seq)
);

CREATE TABLE shifts (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  cashier_id TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  opening_float_cents INTEGER NOT NULL CHECK (opening_float_cents >= 0),
  closed_at TEXT,
  counted_cents INTEGER CHECK (counted_cents >= 0),
  expected_cents INTEGER CHECK (expected_cents >= 0)
);
CREATE INDEX shifts_event ON shifts (event_id);

CREATE TABLE register_progress (
  register_id TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
  journal_tail_seq INTEGER NOT NULL DEFAULT 0,
  journal_tail_hash TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE conflicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('sold_twice', 'unknown_item', 'journal_chain_broken')),
  item_id TEXT NOT NULL DEFAULT '',
  sale_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  winning_sale_id TEXT,
  winning_register_id TEXT,
  detail TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (sale_id, item_id, kind)
);
CREATE INDEX conflicts_register ON conflicts (register_id, id);
CREATE INDEX conflicts_winner ON conflicts (winning_register_id, id);
CREATE INDEX conflicts_event ON conflicts (event_id, id);
