// The push benchmark's statement log (src/statement-log.ts): every statement run through the
// recording D1, reads and batch apart, with its parameters, the token hash redacted; the
// statements still run and return what they would.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordingEnv } from "../src/statement-log";

afterEach(() => vi.restoreAllMocks());

describe("statement log", () => {
  it("logs each read and the batch with their parameters, and redacts a token hash", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const recording = recordingEnv(env);
    const db = recording.env.DB;
    expect(await db.prepare("SELECT ?1 + ?2 AS n").bind(2, 3).first()).toEqual({ n: 5 });
    await db.prepare("SELECT id FROM registers WHERE token_hash = ?").bind("secret-hash").first();
    const [, read] = await db.batch([
      db.prepare("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)").bind("statement-log"),
      db.prepare("SELECT value FROM counters WHERE name = ?").bind("statement-log"),
    ]);
    expect(read?.results).toEqual([{ value: 0 }]);
    recording.flush("reg-1");
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line.startsWith("D1LOG ")).toBe(true);
    expect(JSON.parse(line.slice(6))).toEqual({
      register: "reg-1",
      reads: [["SELECT ?1 + ?2 AS n", [2, 3]], ["SELECT id FROM registers WHERE token_hash = ?", ["redacted"]]],
      batch: [["INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", ["statement-log"]],
        ["SELECT value FROM counters WHERE name = ?", ["statement-log"]]],
    });
    expect(line).not.toContain("secret-hash");
  });
});
