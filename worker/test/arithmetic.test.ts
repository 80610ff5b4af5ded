// The shared sale arithmetic vectors (tests/vectors/sale_totals.json) through the Worker's
// recomputation; tests/unit/core/test_sale_vectors.py runs the same file through pos_app/core.
import { describe, expect, it } from "vitest";
import vectors from "../../tests/vectors/sale_totals.json";
import { checkSale, checkTenders, lineDiscount, saleTotals } from "../src/arithmetic";
import { Value } from "../src/schema";

interface Case {
  name: string;
  tax_rate_bp: number;
  discount_bp: number;
  lines: [number, boolean][];
  tenders: [string, number][];
  expected: { line_discounts: number[]; subtotal_cents: number; discount_cents: number; tax_cents: number;
    total_cents: number; item_count: number; tenders: [string, number, number | null, number][] };
}

const CASES = vectors.cases as unknown as Case[];

function rowsOf(c: Case) {
  const e = c.expected;
  const sale: Value[] = ["s", "evt", "reg", 1, null, "c", "2026-11-22T12:00:00.000Z", e.subtotal_cents,
    e.discount_cents, e.tax_cents, e.total_cents, e.item_count, "completed"];
  const lines: Value[][] = c.lines.map(([unit], k) => {
    const discount = e.line_discounts[k]!;
    return ["s", k + 1, `i${k}`, `t${k}`, 1001, unit, discount, unit - discount];
  });
  const tenders: Value[][] = e.tenders.map(([kind, amount, given, change], k) =>
    ["s", k + 1, kind, amount, given, change, kind === "card" ? "ref" : null]);
  return { sale, lines, tenders };
}

describe("shared sale vectors", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s: the Worker computes the same totals", (_name, c) => {
    const discounts = c.lines.map(([unit, discountable]) => lineDiscount(unit, discountable, c.discount_bp));
    expect(discounts).toEqual(c.expected.line_discounts);
    const totals = saleTotals(c.lines.map(([unit], k) => ({ unitPriceCents: unit, discountCents: discounts[k]! })), c.tax_rate_bp);
    expect(totals).toEqual({ subtotalCents: c.expected.subtotal_cents, discountCents: c.expected.discount_cents,
      taxCents: c.expected.tax_cents, totalCents: c.expected.total_cents, itemCount: c.expected.item_count });
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s: the register's rows pass the server's check", (_name, c) => {
    const { sale, lines, tenders } = rowsOf(c);
    expect(checkSale(sale, lines, tenders, c.tax_rate_bp)).toBeNull();
  });

  it.each(CASES.filter((c) => c.lines.length > 0).map((c) => [c.name, c] as const))(
    "%s: one cent off anywhere is caught", (_name, c) => {
      for (const column of [7, 8, 9, 10]) {
        const { sale, lines, tenders } = rowsOf(c);
        sale[column] = (sale[column] as number) + 1;
        expect(checkSale(sale, lines, tenders, c.tax_rate_bp)?.column).toBe(column);
      }
      const { sale, lines, tenders } = rowsOf(c);
      lines[0]![7] = (lines[0]![7] as number) + 1;
      expect(checkSale(sale, lines, tenders, c.tax_rate_bp)).toMatchObject({ table: "sale_lines", column: 7 });
      const cash = tenders.findIndex((t) => t[2] === "cash");
      if (cash >= 0) {
        tenders[cash]![5] = (tenders[cash]![5] as number) + 1;
        expect(checkTenders(tenders, sale[10] as number)).toMatchObject({ table: "tenders", row: cash, column: 4 });
      }
    });
});
