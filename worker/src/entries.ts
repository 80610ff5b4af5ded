// A push as outbox entries: each sale, void, shift, item event, no sale or refund row travels with the journal entry that
// describes it, and the entry's payload and hash are recomputed here from the rows received
// (the canonical JSON of pos_app/core/sale.py and store/shifts.py). first_seq/last_seq must be
// the entries' own sequence numbers, so a push cannot move the acknowledged sequence anywhere
// its entries are not. Every refusal is a 400 naming the field and the entry (docs/sync-protocol.md).

import { HttpError, invalid } from "./http";
import { entryDigest } from "./journal";
import { TABLES, Value } from "./schema";
import { Chunk, PushBody } from "./validation";

/** A row of the push with the place it had in the request. */
export interface Located {
  table: string;
  values: Value[];
  where: string;
}

/** One outbox entry: the sale, void, shift or no sale row, a sale's lines, tenders and price overrides, and its journal row. */
export interface Entry {
  kind: "sale" | "void" | "shift" | "item" | "no_sale" | "refund" | "new_item";
  row: Located;
  lines: Located[];
  tenders: Located[];
  overrides: Located[];
  journal: Located;
}

const KIND_OF_TABLE: Readonly<Record<string, Entry["kind"]>> = {
  sales: "sale", voids: "void", shifts: "shift", item_events: "item", no_sales: "no_sale", refunds: "refund",
  new_items: "new_item",
};

/** A row's place in the request; its `field` path is written only when an error names it. */
class Place implements Located {
  constructor(readonly table: string, readonly values: Value[], private readonly at: number,
    private readonly r: number) {}

  get where(): string {
    return `chunks[${this.at}].rows[${this.r}]`;
  }
}

/** Every row of the push, in the order the chunks were sent. */
export function locate(chunks: readonly Chunk[]): Located[] {
  return [...chunks].sort((a, b) => a.at - b.at).flatMap((chunk) =>
    chunk.rows.map((values, r) => new Place(chunk.table, values, chunk.at, r)));
}

/** Pair each sale, void, shift and no sale with its journal entry; 400 for a row without one, or the reverse. */
export function entriesOf(rows: readonly Located[]): Entry[] {
  const journals = new Map<string, Located>();
  for (const row of rows.filter((r) => r.table === "journal")) {
    const key = `${row.values[2]}:${row.values[3]}`;
    if (journals.has(key)) throw invalid(`${row.values[2]} ${row.values[3]} has two journal entries`, row.where, String(row.values[3]));
    journals.set(key, row);
  }
  const entries = new Map<string, Entry>();
  for (const row of rows) {
    const kind = KIND_OF_TABLE[row.table];
    if (kind === undefined) continue;
    const id = String(row.values[0]);
    if (entries.has(`${kind}:${id}`)) throw invalid(`${kind} ${id} appears twice in this push`, `${row.where}[0]`, id);
    const journal = journals.get(`${kind}:${id}`);
    if (!journal) throw invalid(`${kind} ${id} comes without its journal entry`, row.where, id);
    entries.set(`${kind}:${id}`, { kind, row, lines: [], tenders: [], overrides: [], journal });
  }
  for (const row of rows) {
    const children = row.table === "sale_lines" ? "lines" : row.table === "tenders" ? "tenders"
      : row.table === "price_overrides" ? "overrides" : undefined;
    if (children === undefined) continue;
    const entry = entries.get(`sale:${row.values[0]}`);
    if (children === "overrides" && !entry) {
      throw invalid(`A price override of sale ${row.values[0]}, which is not in this push`, `${row.where}[0]`, String(row.values[0]));
    }
    entry?.[children].push(row);
  }
  for (const [key, journal] of journals) {
    if (!entries.has(key)) {
      throw invalid(`Journal entry ${journal.values[1]} describes a ${journal.values[2]} that is not in this push`,
        `${journal.where}[3]`, String(journal.values[3]));
    }
  }
  return [...entries.values()];
}

/** first_seq and last_seq are the lowest and highest entry sequence numbers sent. */
export function checkSeqs(body: PushBody, entries: readonly Entry[]): void {
  if (entries.length === 0) throw invalid("A push carries at least one entry", "chunks");
  const seqs = entries.map((entry) => entry.journal.values[1] as number);
  const [low, high] = [Math.min(...seqs), Math.max(...seqs)];
  if (body.firstSeq !== low) throw invalid(`first_seq must be ${low}, the first entry's seq`, "first_seq");
  if (body.lastSeq !== high) throw invalid(`last_seq must be ${high}, the last entry's seq`, "last_seq");
}

/**
 * The journal payload of an entry, as the register's canonical_json writes it: `canonical()` of
 * the row's object (a sale without item_count, with its lines, tenders and, when a line was
 * overridden, price_overrides), written straight from the values in a key order computed once
 * per table (a push checks ~900 entries; worker/test/payload.test.ts holds it to `canonical()`).
 */
export function payloadOf(entry: Entry): string {
  if (entry.kind !== "sale") return canonicalRow(entry.row.table, entry.row.values, {});
  const byLineNo = (a: Located, b: Located) => (a.values[1] as number) - (b.values[1] as number);
  const extras: Record<string, string> = {
    lines: JSON.stringify([...entry.lines].sort(byLineNo).map(({ values: v }) => [v[1], v[2], v[3], v[5], v[6]])),
    tenders: JSON.stringify([...entry.tenders].sort(byLineNo).map(({ values: v }) => [v[2], v[3], v[4], v[5]])),
  };
  if (entry.overrides.length > 0) {  // pos_app/core/sale.py: the key only when a line was overridden
    extras.price_overrides = JSON.stringify([...entry.overrides].sort(byLineNo).map(({ values: v }) => [v[1], v[2], v[4], v[5]]));
  }
  return canonicalRow("sales", entry.row.values, extras, "item_count");
}

interface Field {
  /** The key as canonical JSON writes it, quoted. */
  quoted: string;
  /** The row's column, or the key of an extra. */
  source: number | string;
}

const layouts = new Map<string, Field[]>();

/** The sorted keys of a table's row object (less `omit`) and its extras, computed once. */
function layoutOf(table: string, extras: readonly string[], omit: string | undefined): Field[] {
  const id = `${table}|${omit ?? ""}|${extras.join(",")}`;
  const known = layouts.get(id);
  if (known !== undefined) return known;
  const columns = TABLES[table];
  if (!columns) throw new HttpError(500, "internal", "unknown table");
  const fields: [string, number | string][] = columns.map((column, k): [string, number | string] => [column.name, k])
    .filter(([name]) => name !== omit && !extras.includes(name));
  fields.push(...extras.map((key): [string, string] => [key, key]));
  // The order of canonical(): Object.keys(...).sort(), UTF-16 code units.
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const layout = fields.map(([name, source]) => ({ quoted: JSON.stringify(name), source }));
  layouts.set(id, layout);
  return layout;
}

/** canonical() of a row's object plus extras (already canonical JSON text), without building it. */
export function canonicalRow(table: string, values: readonly Value[], extras: Readonly<Record<string, string>>,
  omit?: string): string {
  let text = "";
  for (const { quoted, source } of layoutOf(table, Object.keys(extras), omit)) {
    const value = typeof source === "number" ? JSON.stringify(values[source] ?? null) : extras[source];
    text += `${text === "" ? "{" : ","}${quoted}:${value}`;
  }
  return text === "" ? "{}" : `${text}}`;
}

/**
 * Each entry's payload must be the rows' canonical JSON, and its hash that of prev + payload;
 * checked in order (the first bad entry is refused), the digests computed together.
 */
export async function checkJournalBindings(entries: readonly Entry[]): Promise<void> {
  const digests = await Promise.all(entries.map((entry) => entryDigest(entry.journal.values)));
  entries.forEach((entry, k) => checkBinding(entry, digests[k]));
}

function checkBinding(entry: Entry, digest: string | undefined): void {
  const [, seq, , refId, , hash, payload] = entry.journal.values as [string, number, string, string, string, string, string];
  if (payload !== payloadOf(entry)) {
    throw invalid(`Journal entry ${seq} does not describe the rows of ${entry.kind} ${refId}`, `${entry.journal.where}[6]`, refId);
  }
  if (digest !== hash) {
    throw invalid(`Journal entry ${seq}'s entry_hash is not the hash of its payload`, `${entry.journal.where}[5]`, refId);
  }
}

/** JSON with sorted keys and no spaces, like Python's json.dumps(sort_keys=True, separators=(",", ":")). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object).sort().map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
