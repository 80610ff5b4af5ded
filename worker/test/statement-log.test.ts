// The push benchmark's statement log (src/statement-log.ts): every statement run through the
// recording D1, reads and batch apart, with its parameters, the token hash redacted, sent as one
// body (here to a function standing for the benchmark's collector, which
// tests/integration/test_statement_log.py runs for real); the statements still run and return
// what they would, and nothing goes to the console.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordingEnv } from "../src/statement-log";

afterEach(() => vi.restoreAllMocks());

describe("statement log", () => {
  it("logs each read and the batch with their parameters, and redacts a token hash", async () => {
    const warn = vi.spyOn(console, "warn");
    const sent: string[] = [];
    const recording = recordingEnv(env, async (body) => sent.push(body));
    const db = recording.env.DB;
    expect(await db.prepare("SELECT ?1 + ?2 AS n").bind(2, 3).first()).toEqual({ n: 5 });
    await db.prepare("SELECT id FROM registers WHERE token_hash = ?").bind("secret-hash").first();
    const [, read] = await db.batch([
      db.prepare("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)").bind("statement-log"),
      db.prepare("SELECT value FROM counters WHERE name = ?").bind("statement-log"),
    ]);
    expect(read?.results).toEqual([{ value: 0 }]);
    await recording.flush("reg-1");
    expect(warn).not.toHaveBeenCalled();
    expect(sent).toHaveLength(1);
    const line = sent[0] ?? "";
    expect(JSON.parse(line)).toEqual({
      register: "reg-1",
      reads: [["SELECT ?1 + ?2 AS n", [2, 3]], ["SELECT id FROM registers WHERE token_hash = ?", ["redacted"]]],
      batch: [["INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", ["statement-log"]],
        ["SELECT value FROM counters WHERE name = ?", ["statement-log"]]],
      order: expect.any(Number),
    });
    expect(line).not.toContain("secret-hash");
  });

  it("keeps the push standing when the collector fails, and says so in one short line", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const recording = recordingEnv(env, async () => { throw new Error("collector answered 500"); });
    await recording.env.DB.prepare("SELECT 1").first();
    await expect(recording.flush("reg-1")).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith("statement log not sent:", "collector answered 500");
  });
});
