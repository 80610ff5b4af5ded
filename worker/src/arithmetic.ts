// The arithmetic of a sale, as pos_app/core computes it (money.py, cart.py, tender.py): a
// percentage in basis points rounds half up to a whole cent, discounts per line, tax once on
// the discounted subtotal. tests/vectors/sale_totals.json is run against this module and the
// Python core alike, so the two cannot drift.

import { Value } from "./schema";

/** `basisPoints` of `cents`, rounded half up: (cents * bp + 5000) // 10000. */
export function percentOf(cents: number, basisPoints: number): number {
  return Math.floor((cents * basisPoints + 5_000) / 10_000);
}

/** The discount of one line: `bp` of its unit price when the item is discountable, else 0. */
export function lineDiscount(unitPriceCents: number, discountable: boolean, bp: number): number {
  return discountable ? percentOf(unitPriceCents, bp) : 0;
}

export interface LineAmounts {
  unitPriceCents: number;
  discountCents: number;
}

export interface Totals {
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  itemCount: number;
}

/** Subtotal, discounts, tax (half up, once, on the discounted subtotal), total and count. */
export function saleTotals(lines: readonly LineAmounts[], taxRateBp: number): Totals {
  const subtotal = lines.reduce((sum, line) => sum + line.unitPriceCents, 0);
  const discount = lines.reduce((sum, line) => sum + line.discountCents, 0);
  const tax = percentOf(subtotal - discount, taxRateBp);
  return { subtotalCents: subtotal, discountCents: discount, taxCents: tax,
    totalCents: subtotal - discount + tax, itemCount: lines.length };
}

/** A mistake in a sale's arithmetic: which column of which row, and why. */
export interface Mismatch {
  table: "sales" | "sale_lines" | "tenders" | "price_overrides";
  row: number;
  column: number;
  message: string;
}

const SALE_COLUMNS = { subtotal: 7, discount: 8, tax: 9, total: 10, count: 11 } as const;

/**
 * The first arithmetic mistake of one sale, or null. `sale` is a sales row, `lines` and
 * `tenders` its rows (protocol layouts); indexes in the answer are into those arrays.
 */
export function checkSale(sale: readonly Value[], lines: readonly Value[][], tenders: readonly Value[][],
  taxRateBp: number): Mismatch | null {
  return checkLines(lines) ?? checkHeader(sale, lines, taxRateBp) ?? checkTenders(tenders, sale[10] as number);
}

function checkLines(lines: readonly Value[][]): Mismatch | null {
  if (lines.length === 0) return { table: "sales", row: 0, column: SALE_COLUMNS.count, message: "A sale needs at least one line" };
  const numbers = new Set<Value>();
  const items = new Set<Value>();
  for (const [k, line] of lines.entries()) {
    const [unit, discount, price] = [line[5], line[6], line[7]] as number[];
    if (numbers.has(line[1])) return { table: "sale_lines", row: k, column: 1, message: `line_no ${line[1]} appears twice` };
    if (items.has(line[2])) return { table: "sale_lines", row: k, column: 2, message: `item ${line[2]} appears twice in one sale` };
    if (discount! > unit!) return { table: "sale_lines", row: k, column: 6, message: "A line's discount is more than its price" };
    if (price !== unit! - discount!) {
      return { table: "sale_lines", row: k, column: 7, message: `price_cents ${price} is not ${unit} - ${discount}` };
    }
    numbers.add(line[1]);
    items.add(line[2]);
  }
  return null;
}

function checkHeader(sale: readonly Value[], lines: readonly Value[][], taxRateBp: number): Mismatch | null {
  const expected = saleTotals(lines.map((line) => ({
    unitPriceCents: line[5] as number, discountCents: line[6] as number })), taxRateBp);
  const checks: [number, number, string][] = [
    [SALE_COLUMNS.subtotal, expected.subtotalCents, "subtotal_cents is not the sum of the lines' unit prices"],
    [SALE_COLUMNS.discount, expected.discountCents, "discount_cents is not the sum of the lines' discounts"],
    [SALE_COLUMNS.tax, expected.taxCents, `tax_cents is not ${taxRateBp} bp of the discounted subtotal (half up)`],
    [SALE_COLUMNS.total, expected.totalCents, "total_cents is not subtotal - discounts + tax"],
    [SALE_COLUMNS.count, expected.itemCount, "item_count is not the number of lines"],
  ];
  for (const [column, want, message] of checks) {
    if (sale[column] !== want) return { table: "sales", row: 0, column, message: `${message} (expected ${want}, got ${sale[column]})` };
  }
  return null;
}

/**
 * A price override names one line of its sale, once, and is that line's price: the manager's
 * price is the unit price, with no discount on top (pos_app/core/cart.py override_price).
 */
export function checkOverrides(lines: readonly Value[][], overrides: readonly Value[][]): Mismatch | null {
  const seen = new Set<Value>();
  for (const [k, override] of overrides.entries()) {
    const line = lines.find((l) => l[1] === override[1]);
    if (line === undefined) return { table: "price_overrides", row: k, column: 1, message: `line ${override[1]} is not a line of the sale` };
    if (seen.has(override[1])) return { table: "price_overrides", row: k, column: 1, message: `line ${override[1]} is overridden twice` };
    seen.add(override[1]);
    if (override[3] !== line[5] || line[6] !== 0) {
      return { table: "price_overrides", row: k, column: 3,
        message: `line ${override[1]} is sold at ${line[5]} less ${line[6]}, not at the manager's price ${override[3]}` };
    }
  }
  return null;
}

/**
 * What refunding `line` of `sale` pays back (pos_app/core/refund.py): the line's price plus its
 * share of the sale's tax, price / (subtotal - discounts) of it, rounded half up once.
 */
export function refundAmount(sale: readonly Value[], line: readonly Value[]): number {
  const net = (sale[SALE_COLUMNS.subtotal] as number) - (sale[SALE_COLUMNS.discount] as number);
  const [tax, price] = [sale[SALE_COLUMNS.tax] as number, line[7] as number];
  return price + (net === 0 ? 0 : Math.floor((2 * tax * price + net) / (2 * net)));
}

/** Tenders cover the total exactly; cash given = amount + change; only cash gives change. */
export function checkTenders(tenders: readonly Value[][], totalCents: number): Mismatch | null {
  const numbers = new Set<Value>();
  for (const [k, tender] of tenders.entries()) {
    const [kind, amount, given, change] = [tender[2], tender[3], tender[4], tender[5]];
    if (numbers.has(tender[1])) return { table: "tenders", row: k, column: 1, message: `line_no ${tender[1]} appears twice` };
    numbers.add(tender[1]);
    if (kind === "cash" && given !== null && given !== (amount as number) + ((change as number | null) ?? 0)) {
      return { table: "tenders", row: k, column: 4, message: "Cash given is not the amount plus the change" };
    }
    if (kind === "cash" && given === null && (change ?? 0) !== 0) {
      return { table: "tenders", row: k, column: 5, message: "Change without the cash given" };
    }
    if (kind !== "cash" && ((change ?? 0) !== 0 || given !== null)) {
      return { table: "tenders", row: k, column: change ? 5 : 4, message: `A ${kind} tender gives no change` };
    }
  }
  const paid = tenders.reduce((sum, tender) => sum + (tender[3] as number), 0);
  if (paid !== totalCents) {
    return { table: "sales", row: 0, column: SALE_COLUMNS.total, message: `Tenders cover ${paid} cents of a ${totalCents} cent total` };
  }
  return null;
}
