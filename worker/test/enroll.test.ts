// Register enrollment against a real (local) D1: a code works once, an expired, revoked or
// replaced code is refused, and the exchanged token (not the one from register creation)
// authenticates the register.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

const ADMIN = { authorization: "Bearer test-admin-token-0123456789" };
const EVENT = "evt-enroll";

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await exports.default.fetch(`http://worker${path}`, {
    method, headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function addRegister(id: string): Promise<string> {
  const made = await call("POST", `/v1/admin/events/${EVENT}/registers`, { register_id: id }, ADMIN);
  expect(made.status).toBe(200);
  return made.body.token;
}

async function newCode(id: string): Promise<string> {
  const reply = await call("POST", `/v1/admin/registers/${id}/enrollment`, undefined, ADMIN);
  expect(reply.status).toBe(200);
  return reply.body.code;
}

beforeAll(async () => {
  const event = { name: "Enroll", starts_on: "2026-05-15", ends_on: "2026-05-17", tax_rate_bp: 825,
    discount_rules: [{ id: "half", starts_at: "2026-05-17T08:00:00Z", percent_bp: 5000 }] };
  expect((await call("PUT", `/v1/admin/events/${EVENT}`, event, ADMIN)).status).toBe(200);
});

describe("enrollment", () => {
  it("exchanges a code once for a token that works, and the creation token stops working", async () => {
    const first = await addRegister("enroll-r1");
    const code = await newCode("enroll-r1");
    const done = await call("POST", "/v1/enroll", { code });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ register_id: "enroll-r1", event_id: EVENT });
    const pull = (token: string) =>
      call("GET", `/v1/events/${EVENT}/catalog?since=0:&limit=10`, undefined, { authorization: `Bearer ${token}` });
    expect((await pull(done.body.token)).status).toBe(200);
    expect((await pull(first)).status).toBe(401);
    const again = await call("POST", "/v1/enroll", { code });
    expect(again.status).toBe(410);
    expect(again.body.error).toBe("enrollment_refused");
    expect((await pull(done.body.token)).status).toBe(200); // the refused retry changed nothing
  });

  it("refuses an expired code, a replaced code and a revoked register's code", async () => {
    await addRegister("enroll-r2");
    const old = await newCode("enroll-r2");
    const fresh = await newCode("enroll-r2");
    expect((await call("POST", "/v1/enroll", { code: old })).status).toBe(410);
    await env.DB.prepare("UPDATE enrollments SET expires_at = '2000-01-01T00:00:00.000Z' WHERE register_id = ?")
      .bind("enroll-r2").run();
    expect((await call("POST", "/v1/enroll", { code: fresh })).status).toBe(410);
    const third = await newCode("enroll-r2");
    expect((await call("POST", "/v1/admin/registers/enroll-r2/revoke", {}, ADMIN)).status).toBe(200);
    expect((await call("POST", "/v1/enroll", { code: third })).status).toBe(410);
    expect((await call("POST", "/v1/admin/registers/enroll-r2/enrollment", undefined, ADMIN)).status).toBe(409);
    expect((await call("POST", "/v1/enroll", { code: "short" })).status).toBe(400);
  });

  it("lists events with their rules and registers with their enrollment", async () => {
    const events = await call("GET", "/v1/admin/events", undefined, ADMIN);
    const event = events.body.events.find((e: Record<string, any>) => e.id === EVENT);
    expect(event).toMatchObject({ name: "Enroll", tax_rate_bp: 825 });
    expect(event.discount_rules).toEqual([
      { id: "half", starts_at: "2026-05-17T08:00:00Z", ends_at: null, percent_bp: 5000 }]);
    const registers = await call("GET", `/v1/admin/events/${EVENT}/registers`, undefined, ADMIN);
    const r1 = registers.body.registers.find((r: Record<string, any>) => r.id === "enroll-r1");
    expect(r1.enrolled_at).not.toBeNull();
    expect((await call("GET", "/v1/admin/events", undefined, {})).status).toBe(401);
    expect((await call("GET", "/v1/admin/events/nope/registers", undefined, ADMIN)).status).toBe(404);
  });
});
