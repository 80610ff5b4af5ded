// Statement byte counting (the 100,000-byte limit): the counted length must be the UTF-8
// encoding's, for ASCII, multi-byte text, surrogate pairs and lone surrogates alike.
import { describe, expect, it } from "vitest";
import { utf8Length } from "../src/http";
import { insertSql, valueBytes } from "../src/schema";

const encoded = (text: string) => new TextEncoder().encode(text).length;

describe("utf8Length", () => {
  it.each([
    ["", "empty"], ["sale-1 Item 42", "ASCII"], ["Crème brûlée ½", "two-byte"],
    ["价格 €5", "three-byte"], ["toy 🧸 bear 🐻", "surrogate pairs"],
    ["lone \ud800 high", "a lone high surrogate"], ["lone \udc00 low", "a lone low surrogate"],
    ["end \ud83e", "a high surrogate at the end"], ["\u007f\u0080\u07ff\u0800\uffff", "edges"],
  ])("counts %j (%s) as its UTF-8 encoding does", (text) => {
    expect(utf8Length(text)).toBe(encoded(text));
  });
});

describe("insertSql", () => {
  it("gives the same text for the same table and row count, and a different one per count", () => {
    expect(insertSql("tenders", 3)).toBe(insertSql("tenders", 3));
    expect(insertSql("tenders", 2)).not.toBe(insertSql("tenders", 3));
    expect(insertSql("tenders", 2).match(/\(\?, \?, \?, \?, \?, \?, \?\)/g)).toHaveLength(2);
  });

  it("counts a statement's bytes from its text and values", () => {
    const sql = insertSql("tenders", 1);
    const values = ["s-1", 1, "cash", 500, null, null, "réf"];
    expect(utf8Length(sql) + values.reduce((n: number, value) => n + valueBytes(value), 0))
      .toBe(sql.length + 3 + 8 + 4 + 8 + 8 + 8 + 4);
  });
});
