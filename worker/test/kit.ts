// Test kit: call the Worker as a register or the organiser does, and build honest outbox
// entries exactly as pos_app/core does (canonical journal payloads, chained hashes, totals
// that add up), so a test can tamper with one thing at a time.
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { percentOf } from "../src/arithmetic";
import { canonical } from "../src/entries";
import { sha256Hex } from "../src/http";
import { GENESIS_HASH } from "../src/journal";
import { Value } from "../src/schema";

export const ADMIN = { authorization: "Bearer test-admin-token-0123456789" };
export const ORDER = [
  "sales", "sale_lines", "tenders", "price_overrides", "voids", "refunds", "journal", "shifts", "no_sales", "item_events",
  "new_items",
] as const;
const PER_CHUNK: Record<string, number> = {
  sales: 7, sale_lines: 12, tenders: 14, price_overrides: 16, voids: 12, refunds: 8, journal: 14, shifts: 11, no_sales: 12,
  item_events: 10, new_items: 7,
};

export async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await exports.default.fetch(`http://worker${path}`, {
    method, headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

export interface Item {
  id: string;
  price: number;
  discountable?: boolean;
}

export interface EventSetup {
  id: string;
  items: Item[];
  taxRateBp?: number;
  rules?: { id: string; starts_at: string; ends_at?: string | null; percent_bp: number }[];
  startsOn?: string;
  endsOn?: string;
}

export async function setUpEvent(setup: EventSetup): Promise<void> {
  const event = await call("PUT", `/v1/admin/events/${setup.id}`, {
    name: setup.id, starts_on: setup.startsOn ?? "2026-11-21", ends_on: setup.endsOn ?? "2026-11-22",
    status: "published", tax_rate_bp: setup.taxRateBp ?? 0, discount_rules: setup.rules ?? [],
  }, ADMIN);
  expect(event.status).toBe(200);
  const items = setup.items.map((item, n) => ({ id: item.id, consignor_number: 1001, item_number: n + 1,
    tag_code: `T-${item.id}`, price_cents: item.price, discountable: item.discountable ?? true }));
  expect((await call("POST", `/v1/admin/events/${setup.id}/items`, { items }, ADMIN)).status).toBe(200);
}

export type Rows = Record<string, Value[][]>;

export interface Entry {
  seq: number;
  id: string;
  rows: Rows;
}

export interface LineSpec {
  item: string;
  unit: number;
  discount?: number;
  /** A manager's price override: the tag price the line claims (`unit` is the manager's price). */
  tagPrice?: number;
}

/** A register as pos_app builds its outbox: sale and journal numbers, the hash chain. */
export class Till {
  token = "";
  seq = 0;
  saleSeq = 0;
  prev = GENESIS_HASH;
  private ids = 0;

  constructor(readonly event: string, readonly id: string, readonly taxRateBp = 0) {}

  static async create(event: string, id: string, taxRateBp = 0): Promise<Till> {
    const till = new Till(event, id, taxRateBp);
    const reply = await call("POST", `/v1/admin/events/${event}/registers`, { register_id: id }, ADMIN);
    till.token = reply.body.token;
    return till;
  }

  get auth() {
    return { authorization: `Bearer ${this.token}` };
  }

  newId(kind: string): string {
    this.ids += 1;
    return `${kind}-${this.id}-${this.ids}-${crypto.randomUUID().slice(0, 8)}`;
  }

  /** A sale that adds up, paid in cash (given rounded up to the next dollar) unless `card`. */
  async sale(lines: LineSpec[], options: { at?: string; card?: boolean } = {}): Promise<Entry> {
    const id = this.newId("sale");
    this.saleSeq += 1;
    const subtotal = lines.reduce((sum, l) => sum + l.unit, 0);
    const discount = lines.reduce((sum, l) => sum + (l.discount ?? 0), 0);
    const tax = percentOf(subtotal - discount, this.taxRateBp);
    const total = subtotal - discount + tax;
    const given = Math.ceil(total / 100) * 100;
    const sale: Value[] = [id, this.event, this.id, this.saleSeq, null, "cashier-1", options.at ?? "2026-11-21T10:00:00.000Z",
      subtotal, discount, tax, total, lines.length, "completed"];
    const saleLines: Value[][] = lines.map((l, k) =>
      [id, k + 1, l.item, `T-${l.item}`, 1001, l.unit, l.discount ?? 0, l.unit - (l.discount ?? 0)]);
    const tenders: Value[][] = options.card ? [[id, 1, "card", total, null, 0, "visa-1"]]
      : [[id, 1, "cash", total, given, given - total, null]];
    const overrides: Value[][] = lines.flatMap((l, k) => l.tagPrice === undefined ? []
      : [[id, k + 1, l.tagPrice, l.unit - (l.discount ?? 0), "manager-1", "stain on the sleeve"]]);
    const payload = canonical({
      ...(overrides.length > 0 ? { price_overrides: overrides.map((o) => [o[1], o[2], o[4], o[5]]) } : {}),
      id, event_id: this.event, register_id: this.id, seq: this.saleSeq, shift_id: null, cashier_id: "cashier-1",
      created_at: sale[6], subtotal_cents: subtotal, discount_cents: discount, tax_cents: tax, total_cents: total,
      status: "completed", lines: saleLines.map((l) => [l[1], l[2], l[3], l[5], l[6]]),
      tenders: tenders.map((t) => [t[2], t[3], t[4], t[5]]),
    });
    const seq = this.seq + 1;
    const rows: Rows = { sales: [sale], sale_lines: saleLines, tenders, journal: [await this.journal("sale", id, payload)] };
    if (overrides.length > 0) rows.price_overrides = overrides;
    return { seq, id, rows };
  }

  async void(saleId: string, at = "2026-11-21T11:00:00.000Z"): Promise<Entry> {
    const id = this.newId("void");
    const row: Value[] = [id, saleId, this.event, this.id, "cashier-1", "manager-1", "changed their mind", at];
    const payload = canonical({ id, sale_id: saleId, event_id: this.event, register_id: this.id, cashier_id: "cashier-1",
      manager_id: "manager-1", reason: "changed their mind", created_at: at });
    return { seq: this.seq + 1, id, rows: { voids: [row], journal: [await this.journal("void", id, payload)] } };
  }

  /** A refund of line `lineNo` of `saleId` paying back `amount`, as pos_app/services/refunds.py queues it. */
  async refund(saleId: string, lineNo: number, amount: number, at = "2026-11-21T13:00:00.000Z"): Promise<Entry> {
    const id = this.newId("refund");
    const names = ["id", "sale_id", "line_no", "event_id", "register_id", "shift_id", "cashier_id", "manager_id",
      "reason", "tender", "amount_cents", "created_at"];
    const row: Value[] = [id, saleId, lineNo, this.event, this.id, null, "cashier-1", "manager-1", "wrong size", "cash",
      amount, at];
    const payload = canonical(Object.fromEntries(names.map((name, k) => [name, row[k]])));
    return { seq: this.seq + 1, id, rows: { refunds: [row], journal: [await this.journal("refund", id, payload)] } };
  }

  /** A closed shift, as pos_app/store/shifts.py queues it. */
  async shift(counted = 12_000): Promise<Entry> {
    const id = this.newId("shift");
    const names = ["id", "event_id", "register_id", "cashier_id", "opened_at", "opening_float_cents", "closed_at",
      "counted_cents", "expected_cents"];
    const row: Value[] = [id, this.event, this.id, "cashier-1", "2026-11-21T08:00:00.000Z", 10_000,
      "2026-11-21T18:00:00.000Z", counted, 12_000];
    const payload = canonical(Object.fromEntries(names.map((name, k) => [name, row[k]])));
    return { seq: this.seq + 1, id, rows: { shifts: [row], journal: [await this.journal("shift", id, payload)] } };
  }

  /** An item event (check-in, pick-up, donation) as pos_app/core/item_events.py builds it. */
  async itemEvent(item: string, from: string, to: string, options: { reason?: string; at?: string } = {}): Promise<Entry> {
    const id = this.newId("ie");
    const row: Value[] = [id, this.event, this.id, item, `T-${item}`, from, to, options.reason ?? null, "cashier-1",
      options.at ?? "2026-11-21T08:00:00.000Z"];
    const payload = canonical({ id, event_id: this.event, register_id: this.id, item_id: item, tag_code: `T-${item}`,
      from_status: from, to_status: to, reason: row[7], cashier_id: "cashier-1", created_at: row[9] });
    return { seq: this.seq + 1, id, rows: { item_events: [row], journal: [await this.journal("item", id, payload)] } };
  }

  /** An item entered at check-in, as pos_app/core/new_items.py builds it (fields may be changed). */
  async newItem(fields: Partial<Record<string, Value>> = {}): Promise<Entry> {
    const id = (fields.id as string | undefined) ?? this.newId("ni");
    const names = ["id", "event_id", "register_id", "consignor_number", "item_number", "tag_code", "description",
      "category", "size", "price_cents", "discountable", "donate_if_unsold", "cashier_id", "created_at"];
    const values: Record<string, Value> = { id, event_id: this.event, register_id: this.id, consignor_number: 1001,
      item_number: 11001, tag_code: "1001-11001", description: "Red wagon", category: "toys", size: "",
      price_cents: 2500, discountable: 1, donate_if_unsold: 0, cashier_id: "cashier-1",
      created_at: "2026-11-20T16:00:00.000Z", ...fields };
    const row = names.map((name) => values[name] ?? null);
    const payload = canonical(Object.fromEntries(names.map((name, k) => [name, row[k]])));
    return { seq: this.seq + 1, id, rows: { new_items: [row], journal: [await this.journal("new_item", id, payload)] } };
  }

  /** A no sale (the drawer opened without a sale), as pos_app/services/shifts.py queues it. */
  async noSale(at = "2026-11-21T12:00:00.000Z"): Promise<Entry> {
    const id = this.newId("nosale");
    const names = ["id", "event_id", "register_id", "shift_id", "cashier_id", "manager_id", "reason", "created_at"];
    const row: Value[] = [id, this.event, this.id, "shift-1", "cashier-1", "manager-1", "change for a $50", at];
    const payload = canonical(Object.fromEntries(names.map((name, k) => [name, row[k]])));
    return { seq: this.seq + 1, id, rows: { no_sales: [row], journal: [await this.journal("no_sale", id, payload)] } };
  }

  private async journal(kind: string, refId: string, payload: string): Promise<Value[]> {
    this.seq += 1;
    const hash = await sha256Hex(`${this.prev}\n${payload}`);
    const row = [this.id, this.seq, kind, refId, this.prev, hash, payload];
    this.prev = hash;
    return row;
  }

  body(entries: Entry[], tamper?: (rows: Rows) => void): Record<string, any> {
    const rows: Rows = {};
    for (const table of ORDER) rows[table] = entries.flatMap((e) => (e.rows[table] ?? []).map((r) => [...r]));
    tamper?.(rows);
    const chunks = ORDER.flatMap((table) => {
      const all = rows[table] ?? [];
      const per = PER_CHUNK[table]!;
      return Array.from({ length: Math.ceil(all.length / per) }, (_, k) => ({ table, rows: all.slice(k * per, (k + 1) * per) }));
    });
    const seqs = entries.map((e) => e.seq);
    return { event_id: this.event, first_seq: Math.min(...seqs), last_seq: Math.max(...seqs), chunks };
  }

  post(body: unknown) {
    return call("POST", `/v1/registers/${this.id}/push`, body, this.auth);
  }

  push(...entries: Entry[]) {
    return this.post(this.body(entries));
  }

  /** Take back an entry that was refused, so the next one gets its numbers again. */
  forget(entry: Entry): void {
    this.seq = entry.seq - 1;
    this.prev = entry.rows.journal![0]![4] as string;
    if (entry.rows.sales) this.saleSeq -= 1;
  }

  async conflicts(): Promise<Record<string, any>[]> {
    return (await call("GET", `/v1/registers/${this.id}/conflicts?since=0`, undefined, this.auth)).body.conflicts;
  }
}

/** Rehash an entry's journal row after its payload was changed (a self-consistent forgery). */
export async function rehash(journal: Value[], payload: string): Promise<void> {
  journal[6] = payload;
  journal[5] = await sha256Hex(`${journal[4]}\n${payload}`);
}

export async function rows(sql: string, ...params: Value[]): Promise<Record<string, any>[]> {
  const { env } = await import("cloudflare:test");
  return (await env.DB.prepare(sql).bind(...params).all()).results;
}
