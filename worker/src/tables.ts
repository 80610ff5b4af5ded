// Every D1 table of the Worker, defined once in TypeScript with Drizzle (seed 000). drizzle-kit
// diffs this file against worker/migrations/meta (`npm run db:generate`) and writes the next
// numbered migration into worker/migrations/, where wrangler applies it; migrations 0001-0002
// are the hand-written history this file was baselined on. test/tables.test.ts shows that the
// schema generated from this file equals the one the migrations produce, column by column,
// index by index, check by check. Triggers (the settlement totals, the append-only payouts)
// cannot be said in Drizzle and live in the migrations' SQL only.
import { sql } from "drizzle-orm";
import { AnySQLiteColumn, check, index, integer, primaryKey, sqliteTable, text, unique } from "drizzle-orm/sqlite-core";

const id = (name: string) => text(name).primaryKey();

export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
}, () => [check("counters_value", sql`value >= 0`)]);

export const events = sqliteTable("events", {
  id: id("id"),
  name: text("name").notNull(),
  startsOn: text("starts_on").notNull(),
  endsOn: text("ends_on").notNull(),
  location: text("location").notNull().default(""),
  status: text("status").notNull().default("draft"),
  taxRateBp: integer("tax_rate_bp").notNull().default(0),
  timezone: text("timezone").notNull().default("UTC"),
  changeSeq: integer("change_seq").notNull().default(0),
  updatedAt: text("updated_at").notNull(),
}, () => [
  check("events_status", sql`status IN ('draft', 'published', 'cancelled', 'completed')`),
  check("events_tax_rate_bp", sql`tax_rate_bp BETWEEN 0 AND 10000`),
]);

export const discountRules = sqliteTable("discount_rules", {
  id: id("id"),
  eventId: text("event_id").notNull().references(() => events.id),
  startsAt: text("starts_at").notNull(),
  endsAt: text("ends_at"),
  percentBp: integer("percent_bp").notNull(),
}, (t) => [index("discount_rules_event").on(t.eventId), check("discount_rules_percent_bp", sql`percent_bp BETWEEN 1 AND 10000`)]);

export const consignors = sqliteTable("consignors", {
  id: id("id"),
  eventId: text("event_id").notNull().references(() => events.id),
  number: integer("number").notNull(),
  name: text("name").notNull(),
  email: text("email").notNull().default(""),
  phone: text("phone").notNull().default(""),
  splitBp: integer("split_bp").notNull(),
  changeSeq: integer("change_seq").notNull().default(0),
}, (t) => [
  unique().on(t.eventId, t.number), index("consignors_changes").on(t.eventId, t.changeSeq),
  check("consignors_split_bp", sql`split_bp BETWEEN 0 AND 10000`),
]);

export const items = sqliteTable("items", {
  id: id("id"),
  eventId: text("event_id").notNull().references(() => events.id),
  consignorNumber: integer("consignor_number").notNull(),
  itemNumber: integer("item_number").notNull(),
  tagCode: text("tag_code").notNull(),
  description: text("description").notNull(),
  category: text("category").notNull().default(""),
  size: text("size").notNull().default(""),
  priceCents: integer("price_cents").notNull(),
  condition: text("condition").notNull().default("good"),
  discountable: integer("discountable").notNull().default(1),
  donateIfUnsold: integer("donate_if_unsold").notNull().default(0),
  status: text("status").notNull().default("approved"),
  soldSaleId: text("sold_sale_id"),
  soldRegisterId: text("sold_register_id"),
  changeSeq: integer("change_seq").notNull().default(0),
}, (t) => [
  unique().on(t.eventId, t.tagCode), index("items_changes").on(t.eventId, t.changeSeq, t.id),
  index("items_sold_sale").on(t.soldSaleId),
  check("items_price_cents", sql`price_cents >= 0`),
  check("items_condition", sql`condition IN ('new', 'like_new', 'good', 'fair')`),
  check("items_discountable", sql`discountable IN (0, 1)`),
  check("items_donate_if_unsold", sql`donate_if_unsold IN (0, 1)`),
  check("items_status", sql`status IN ('pending', 'approved', 'rejected', 'sold', 'returned', 'donated')`),
  index("items_consignor").on(t.eventId, t.consignorNumber, t.itemNumber),
]);

export const registers = sqliteTable("registers", {
  id: id("id"),
  eventId: text("event_id").notNull().references(() => events.id),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  revokedAt: text("revoked_at"),
  createdAt: text("created_at").notNull(),
}, (t) => [index("registers_event").on(t.eventId)]);

export const sales = sqliteTable("sales", {
  id: id("id"),
  eventId: text("event_id").notNull(),
  registerId: text("register_id").notNull(),
  seq: integer("seq").notNull(),
  shiftId: text("shift_id"),
  cashierId: text("cashier_id").notNull(),
  createdAt: text("created_at").notNull(),
  subtotalCents: integer("subtotal_cents").notNull(),
  discountCents: integer("discount_cents").notNull(),
  taxCents: integer("tax_cents").notNull(),
  totalCents: integer("total_cents").notNull(),
  itemCount: integer("item_count").notNull(),
  status: text("status").notNull(),
}, (t) => [
  // Not UNIQUE: a register restored from an old backup reuses seqs (migration 0001).
  index("sales_register_seq").on(t.registerId, t.seq), index("sales_event").on(t.eventId),
  check("sales_subtotal_cents", sql`subtotal_cents >= 0`), check("sales_discount_cents", sql`discount_cents >= 0`),
  check("sales_tax_cents", sql`tax_cents >= 0`), check("sales_total_cents", sql`total_cents >= 0`),
  check("sales_item_count", sql`item_count >= 0`), check("sales_status", sql`status IN ('completed')`),
]);

export const saleLines = sqliteTable("sale_lines", {
  saleId: text("sale_id").notNull().references(() => sales.id),
  lineNo: integer("line_no").notNull(),
  itemId: text("item_id").notNull(),
  tagCode: text("tag_code").notNull(),
  consignorNumber: integer("consignor_number").notNull(),
  unitPriceCents: integer("unit_price_cents").notNull(),
  discountCents: integer("discount_cents").notNull(),
  priceCents: integer("price_cents").notNull(),
}, (t) => [
  primaryKey({ columns: [t.saleId, t.lineNo] }), index("sale_lines_item").on(t.itemId),
  check("sale_lines_unit_price_cents", sql`unit_price_cents >= 0`),
  check("sale_lines_discount_cents", sql`discount_cents >= 0`), check("sale_lines_price_cents", sql`price_cents >= 0`),
]);

export const tenders = sqliteTable("tenders", {
  saleId: text("sale_id").notNull().references(() => sales.id),
  lineNo: integer("line_no").notNull(),
  kind: text("kind").notNull(),
  amountCents: integer("amount_cents").notNull(),
  givenCents: integer("given_cents"),
  changeCents: integer("change_cents"),
  reference: text("reference"),
}, (t) => [
  primaryKey({ columns: [t.saleId, t.lineNo] }),
  check("tenders_kind", sql`kind IN ('cash', 'card', 'other')`), check("tenders_amount_cents", sql`amount_cents >= 0`),
  check("tenders_given_cents", sql`given_cents >= 0`), check("tenders_change_cents", sql`change_cents >= 0`),
]);

export const voids = sqliteTable("voids", {
  id: id("id"),
  saleId: text("sale_id").notNull(),
  eventId: text("event_id").notNull(),
  registerId: text("register_id").notNull(),
  cashierId: text("cashier_id").notNull(),
  managerId: text("manager_id"),
  reason: text("reason").notNull(),
  createdAt: text("created_at").notNull(),
}, (t) => [index("voids_register").on(t.registerId), index("voids_sale").on(t.saleId), index("voids_event").on(t.eventId)]);

export const journal = sqliteTable("journal", {
  registerId: text("register_id").notNull(),
  seq: integer("seq").notNull(),
  kind: text("kind").notNull(),
  refId: text("ref_id").notNull(),
  prevHash: text("prev_hash").notNull(),
  entryHash: text("entry_hash").notNull(),
  payload: text("payload").notNull(),
}, (t) => [primaryKey({ columns: [t.registerId, t.seq] }),
  check("journal_kind", sql`kind IN ('sale', 'void', 'shift', 'no_sale', 'refund', 'item', 'new_item')`)]);

/** The drawer opened without a sale, with a manager's approval (migration 0003). */
export const noSales = sqliteTable("no_sales", {
  id: id("id"),
  eventId: text("event_id").notNull(),
  registerId: text("register_id").notNull(),
  shiftId: text("shift_id").notNull(),
  cashierId: text("cashier_id").notNull(),
  managerId: text("manager_id").notNull(),
  reason: text("reason").notNull(),
  createdAt: text("created_at").notNull(),
}, (t) => [index("no_sales_event").on(t.eventId), index("no_sales_shift").on(t.shiftId)]);

/** A line's price set by a manager (or an open-price line), committed with its sale (0003). */
export const priceOverrides = sqliteTable("price_overrides", {
  saleId: text("sale_id").notNull(),
  lineNo: integer("line_no").notNull(),
  tagPriceCents: integer("tag_price_cents").notNull(),
  priceCents: integer("price_cents").notNull(),
  managerId: text("manager_id").notNull(),
  reason: text("reason").notNull(),
}, (t) => [
  primaryKey({ columns: [t.saleId, t.lineNo] }),
  check("price_overrides_tag_price_cents", sql`tag_price_cents >= 0`),
  check("price_overrides_price_cents", sql`price_cents >= 0`),
]);

/** A line refunded from an earlier sale of the same register (0003). */
export const refunds = sqliteTable("refunds", {
  id: id("id"),
  saleId: text("sale_id").notNull(),
  lineNo: integer("line_no").notNull(),
  eventId: text("event_id").notNull(),
  registerId: text("register_id").notNull(),
  shiftId: text("shift_id"),
  cashierId: text("cashier_id").notNull(),
  managerId: text("manager_id").notNull(),
  reason: text("reason").notNull(),
  tender: text("tender").notNull(),
  amountCents: integer("amount_cents").notNull(),
  createdAt: text("created_at").notNull(),
}, (t) => [
  unique().on(t.saleId, t.lineNo), index("refunds_event").on(t.eventId), index("refunds_register").on(t.registerId),
  check("refunds_tender", sql`tender IN ('cash', 'card')`), check("refunds_amount_cents", sql`amount_cents >= 0`),
]);

/** A status change made at a register (check-in, pick-up, donation): lifecycle.ts. */
export const itemEvents = sqliteTable("item_events", {
  id: id("id"),
  eventId: text("event_id").notNull(),
  registerId: text("register_id").notNull(),
  itemId: text("item_id").notNull(),
  tagCode: text("tag_code").notNull(),
  fromStatus: text("from_status").notNull(),
  toStatus: text("to_status").notNull(),
  reason: text("reason"),
  cashierId: text("cashier_id").notNull(),
  createdAt: text("created_at").notNull(),
}, (t) => [
  index("item_events_item").on(t.itemId, t.createdAt), index("item_events_event").on(t.eventId, t.createdAt),
  check("item_events_from_status",
    sql`from_status IN ('pending', 'approved', 'rejected', 'sold', 'returned', 'donated')`),
  check("item_events_to_status", sql`to_status IN ('approved', 'rejected', 'returned', 'donated')`),
]);

/** An item entered on the spot at check-in, as pushed (new_items.ts; migration 0008). */
export const newItems = sqliteTable("new_items", {
  id: id("id"),
  eventId: text("event_id").notNull(),
  registerId: text("register_id").notNull(),
  consignorNumber: integer("consignor_number").notNull(),
  itemNumber: integer("item_number").notNull(),
  tagCode: text("tag_code").notNull(),
  description: text("description").notNull(),
  category: text("category").notNull(),
  size: text("size").notNull(),
  priceCents: integer("price_cents").notNull(),
  discountable: integer("discountable").notNull(),
  donateIfUnsold: integer("donate_if_unsold").notNull(),
  cashierId: text("cashier_id").notNull(),
  createdAt: text("created_at").notNull(),
}, (t) => [
  index("new_items_event").on(t.eventId, t.tagCode),
  check("new_items_price_cents", sql`price_cents >= 0`),
  check("new_items_discountable", sql`discountable IN (0, 1)`),
  check("new_items_donate_if_unsold", sql`donate_if_unsold IN (0, 1)`),
]);

/** A forged journal entry moved aside when the genuine one took its seq back (forks.ts). */
export const journalForks = sqliteTable("journal_forks", {
  registerId: text("register_id").notNull(),
  seq: integer("seq").notNull(),
  kind: text("kind").notNull(),
  refId: text("ref_id").notNull(),
  prevHash: text("prev_hash").notNull(),
  entryHash: text("entry_hash").notNull(),
  payload: text("payload").notNull(),
  movedAt: text("moved_at").notNull(),
}, (t) => [primaryKey({ columns: [t.registerId, t.seq, t.entryHash] })]);

/** Register enrollment (enroll.ts): a single-use code's hash, exchanged once for a token. */
export const enrollments = sqliteTable("enrollments", {
  codeHash: text("code_hash").primaryKey(),
  registerId: text("register_id").notNull().references(() => registers.id),
  createdAt: text("created_at").notNull(),
  expiresAt: text("expires_at").notNull(),
  usedAt: text("used_at"),
  claim: text("claim").unique(),
}, (t) => [index("enrollments_register").on(t.registerId)]);

export const shifts = sqliteTable("shifts", {
  id: id("id"),
  eventId: text("event_id").notNull(),
  registerId: text("register_id").notNull(),
  cashierId: text("cashier_id").notNull(),
  openedAt: text("opened_at").notNull(),
  openingFloatCents: integer("opening_float_cents").notNull(),
  closedAt: text("closed_at"),
  countedCents: integer("counted_cents"),
  expectedCents: integer("expected_cents"),
}, (t) => [
  index("shifts_event").on(t.eventId), check("shifts_opening_float_cents", sql`opening_float_cents >= 0`),
  check("shifts_counted_cents", sql`counted_cents >= 0`), check("shifts_expected_cents", sql`expected_cents >= 0`),
]);

export const registerProgress = sqliteTable("register_progress", {
  registerId: text("register_id").primaryKey(),
  lastSeq: integer("last_seq").notNull(),
  journalTailSeq: integer("journal_tail_seq").notNull().default(0),
  journalTailHash: text("journal_tail_hash").notNull(),
  updatedAt: text("updated_at").notNull(),
}, () => [check("register_progress_last_seq", sql`last_seq >= 0`)]);

export const conflicts = sqliteTable("conflicts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  eventId: text("event_id").notNull(),
  kind: text("kind").notNull(),
  itemId: text("item_id").notNull().default(""),
  saleId: text("sale_id").notNull(),
  registerId: text("register_id").notNull(),
  winningSaleId: text("winning_sale_id"),
  winningRegisterId: text("winning_register_id"),
  detail: text("detail").notNull().default(""),
  createdAt: text("created_at").notNull(),
  expectedCents: integer("expected_cents"),
  actualCents: integer("actual_cents"),
}, (t) => [
  unique().on(t.saleId, t.itemId, t.kind), index("conflicts_register").on(t.registerId, t.id),
  index("conflicts_winner").on(t.winningRegisterId, t.id), index("conflicts_event").on(t.eventId, t.id),
  index("conflicts_winning_sale").on(t.winningSaleId),
  check("conflicts_kind", sql`kind IN ('sold_twice', 'unknown_item', 'journal_chain_broken',
    'price_mismatch', 'discount_mismatch', 'clock_skew', 'divergent_replay',
    'returned_but_sold', 'donated_but_sold', 'transition_refused', 'tag_taken')`),
]);

// Settlement and payouts (migration 0005).

export const consignorTotals = sqliteTable("consignor_totals", {
  eventId: text("event_id").notNull(),
  consignorNumber: integer("consignor_number").notNull(),
  itemsSold: integer("items_sold").notNull().default(0),
  grossCents: integer("gross_cents").notNull().default(0),
}, (t) => [primaryKey({ columns: [t.eventId, t.consignorNumber] })]);

export const settlementTerms = sqliteTable("settlement_terms", {
  eventId: text("event_id").primaryKey().references(() => events.id),
  consignorFeeCents: integer("consignor_fee_cents").notNull().default(0),
  minPayoutCents: integer("min_payout_cents").notNull().default(0),
  settledAt: text("settled_at"),
  updatedAt: text("updated_at").notNull(),
}, () => [
  check("settlement_terms_consignor_fee_cents", sql`consignor_fee_cents >= 0`),
  check("settlement_terms_min_payout_cents", sql`min_payout_cents >= 0`),
]);

export const itemFees = sqliteTable("item_fees", {
  eventId: text("event_id").notNull().references(() => events.id),
  itemId: text("item_id").notNull().references(() => items.id),
  kind: text("kind").notNull(),
  amountCents: integer("amount_cents").notNull(),
}, (t) => [primaryKey({ columns: [t.eventId, t.itemId, t.kind] }), check("item_fees_amount_cents", sql`amount_cents >= 0`)]);

export const payouts = sqliteTable("payouts", {
  id: id("id"),
  eventId: text("event_id").notNull().references(() => events.id),
  consignorNumber: integer("consignor_number").notNull(),
  amountCents: integer("amount_cents").notNull(),
  method: text("method").notNull(),
  reference: text("reference").notNull().default(""),
  corrects: text("corrects").references((): AnySQLiteColumn => payouts.id),
  recordedBy: text("recorded_by").notNull().default(""),
  createdAt: text("created_at").notNull(),
}, (t) => [
  index("payouts_consignor").on(t.eventId, t.consignorNumber), index("payouts_corrects").on(t.corrects),
  check("payouts_amount_cents", sql`amount_cents != 0`),
  check("payouts_method", sql`method IN ('check', 'e_transfer', 'cash', 'store_credit')`),
  check("payouts_corrects", sql`(amount_cents < 0) = (corrects IS NOT NULL)`),
]);

export const conflictResolutions = sqliteTable("conflict_resolutions", {
  conflictId: integer("conflict_id").primaryKey().references(() => conflicts.id),
  eventId: text("event_id").notNull(),
  action: text("action").notNull(),
  detail: text("detail").notNull().default(""),
  resolvedAt: text("resolved_at").notNull(),
}, (t) => [
  index("conflict_resolutions_event").on(t.eventId),
  check("conflict_resolutions_action", sql`action IN ('assign', 'pick_winner', 'accept')`),
]);
