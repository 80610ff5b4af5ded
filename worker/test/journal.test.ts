// Unit tests of the journal hash chain check (push step 1 of docs/sync-protocol.md).
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/http";
import { GENESIS_HASH, verifyChain } from "../src/journal";
import { Value } from "../src/schema";

async function chain(payloads: string[], from = { seq: 0, hash: GENESIS_HASH }): Promise<Value[][]> {
  const rows: Value[][] = [];
  let prev = from.hash;
  for (const [i, payload] of payloads.entries()) {
    const hash = await sha256Hex(`${prev}\n${payload}`);
    rows.push(["reg-1", from.seq + i + 1, "sale", `sale-${i}`, prev, hash, payload]);
    prev = hash;
  }
  return rows;
}

describe("verifyChain", () => {
  it("accepts a chain from genesis and moves the tail", async () => {
    const rows = await chain(["a", "b", "c"]);
    const check = await verifyChain(rows, { seq: 0, hash: GENESIS_HASH });
    expect(check.breaks).toEqual([]);
    expect(check.tail).toEqual({ seq: 3, hash: rows[2]?.[5] });
  });

  it("hashes exactly as pos_app.core.journal.chain_hash (hashlib) does", async () => {
    // hashlib.sha256(("0" * 64 + "\n" + '{"sale": "s-1", "total": 1250}').encode()).hexdigest()
    expect(await sha256Hex(`${GENESIS_HASH}\n{"sale": "s-1", "total": 1250}`)).toBe(
      "b9fda464e50e354cb9267ef3a29781fa3695161095c52feab9db7a740a1ef114");
  });

  it("skips rows at or before the stored tail (replays)", async () => {
    const rows = await chain(["a", "b"]);
    const check = await verifyChain(rows, { seq: 2, hash: rows[1]?.[5] as string });
    expect(check.breaks).toEqual([]);
    expect(check.tail.seq).toBe(2);
  });

  it("reports an edited payload once and carries on from it", async () => {
    const rows = await chain(["a", "b", "c"]);
    rows[1]![6] = "edited";
    const check = await verifyChain(rows, { seq: 0, hash: GENESIS_HASH });
    expect(check.breaks.map((b) => b.seq)).toEqual([2]);
    expect(check.breaks[0]?.reason).toMatch(/entry_hash/);
  });

  it("hashes a row again when its payload or link changed since its digest was taken", async () => {
    const rows = await chain(["a", "b"]);
    expect((await verifyChain(rows, { seq: 0, hash: GENESIS_HASH })).breaks).toEqual([]);
    rows[1]![6] = "edited";
    expect((await verifyChain(rows, { seq: 0, hash: GENESIS_HASH })).breaks.map((b) => b.seq)).toEqual([2]);
    rows[1]![6] = "b";
    rows[0]![4] = "e".repeat(64);
    const check = await verifyChain(rows, { seq: 0, hash: GENESIS_HASH });
    expect(check.breaks.map((b) => [b.seq, b.reason])).toEqual([
      [1, "prev_hash does not match the previous entry; entry_hash does not match the payload"]]);
  });

  it("reports a gap and a wrong link", async () => {
    const rows = await chain(["a", "b", "c", "d"]);
    const gap = await verifyChain([rows[0]!, rows[2]!], { seq: 0, hash: GENESIS_HASH });
    expect(gap.breaks.map((b) => [b.seq, b.reason])).toEqual([[3, "entries 2..2 are missing"]]);
    const relinked = await verifyChain(rows.slice(1), { seq: 1, hash: "f".repeat(64) });
    expect(relinked.breaks.map((b) => b.seq)).toEqual([2]);
  });
});
