-- Settlement and payouts (issue 14, shared DESIGN.md "Settlement and payouts").
--
-- consignor_totals: per (event, consignor) the items sold and the gross (line prices after
-- discounts, before tax) of the lines that hold their item (items.sold_sale_id: the first live
-- sale, or the winner the organiser picked), so a settlement reads one row per consignor. The
-- triggers below keep it right in the same transaction as every write that moves an item's
-- holder or consignor: the push (sold, sold_twice), a void (the item passes to the next live
-- sale or back to the rack), the organiser's catalog upsert and the settlement's resolutions.
-- A trigger adds no statement to a push (the protocol's overhead formula is unchanged) and,
-- unlike a delta statement, cannot count an INSERT OR IGNORE replay twice: it fires only when
-- a row really changes.

CREATE TABLE consignor_totals (
  event_id TEXT NOT NULL,
  consignor_number INTEGER NOT NULL,
  items_sold INTEGER NOT NULL DEFAULT 0,
  gross_cents INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, consignor_number)
);

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

-- The totals of what a database at 0004 already holds.
INSERT INTO consignor_totals (event_id, consignor_number, items_sold, gross_cents)
SELECT i.event_id, i.consignor_number, COUNT(*), SUM(sl.price_cents)
FROM items i JOIN sale_lines sl ON sl.item_id = i.id AND sl.sale_id = i.sold_sale_id
GROUP BY i.event_id, i.consignor_number;

-- The organiser's terms per event: a fee each consignor pays, the smallest balance paid out,
-- and when the event was marked settled (never while a conflict is unresolved).
CREATE TABLE settlement_terms (
  event_id TEXT PRIMARY KEY REFERENCES events(id),
  consignor_fee_cents INTEGER NOT NULL DEFAULT 0 CHECK (consignor_fee_cents >= 0),
  min_payout_cents INTEGER NOT NULL DEFAULT 0 CHECK (min_payout_cents >= 0),
  settled_at TEXT,
  updated_at TEXT NOT NULL
);

-- Per-item fees (e.g. a pulled-item fee), charged to the item's consignor.
CREATE TABLE item_fees (
  event_id TEXT NOT NULL REFERENCES events(id),
  item_id TEXT NOT NULL REFERENCES items(id),
  kind TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  PRIMARY KEY (event_id, item_id, kind)
);

-- The payouts ledger: append-only, integer cents; a correction is a negative row that names
-- the payout it corrects.
CREATE TABLE payouts (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  consignor_number INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents != 0),
  method TEXT NOT NULL CHECK (method IN ('check', 'e_transfer', 'cash', 'store_credit')),
  reference TEXT NOT NULL DEFAULT '',
  corrects TEXT REFERENCES payouts(id),
  recorded_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  CHECK ((amount_cents < 0) = (corrects IS NOT NULL))
);
CREATE INDEX payouts_consignor ON payouts (event_id, consignor_number);
CREATE INDEX payouts_corrects ON payouts (corrects);

CREATE TRIGGER payouts_no_update BEFORE UPDATE ON payouts
BEGIN
  SELECT RAISE(ABORT, 'payouts are append-only');
END;

CREATE TRIGGER payouts_no_delete BEFORE DELETE ON payouts
BEGIN
  SELECT RAISE(ABORT, 'payouts are append-only');
END;

-- How the organiser resolved a conflict: assigned an unknown item to a consignor, picked the
-- winner of a sold-twice item, or accepted it (a price or discount mismatch, a clock, a journal).
CREATE TABLE conflict_resolutions (
  conflict_id INTEGER PRIMARY KEY REFERENCES conflicts(id),
  event_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('assign', 'pick_winner', 'accept')),
  detail TEXT NOT NULL DEFAULT '',
  resolved_at TEXT NOT NULL
);
CREATE INDEX conflict_resolutions_event ON conflict_resolutions (event_id);
