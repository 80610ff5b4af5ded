// The discount schedule as the audit reads it: rule times without an offset are wall clock in
// the event's zone (as pos_app/store/catalog.py reads them), the rule that started last wins,
// and every discount in force in the day before a sale is allowed (a cart may wait on hold).
import { describe, expect, it } from "vitest";
import { instant, Schedule } from "../src/audit";
import { EventTerms } from "../src/ledger";

const event = (rules: EventTerms["rules"], timezone = "UTC"): EventTerms =>
  ({ startsOn: "2026-11-21", endsOn: "2026-11-22", taxRateBp: 0, timezone, rules });
const at = (text: string) => Date.parse(text);

describe("rule times", () => {
  it("reads a time without an offset as wall clock at the event", () => {
    expect(instant("2026-11-22T08:00", "America/Toronto")).toBe(at("2026-11-22T13:00:00Z"));
    expect(instant("2026-07-01T08:00:00", "America/Toronto")).toBe(at("2026-07-01T12:00:00Z"));
    expect(instant("2026-11-22T08:00:00", "Europe/Berlin")).toBe(at("2026-11-22T07:00:00Z"));
  });

  it("keeps an explicit offset, and reads an unknown zone as UTC", () => {
    expect(instant("2026-11-22T08:00:00+02:00", "America/Toronto")).toBe(at("2026-11-22T06:00:00Z"));
    expect(instant("2026-11-22T08:00:00", "Not/AZone")).toBe(at("2026-11-22T08:00:00Z"));
  });
});

describe("the schedule", () => {
  const schedule = Schedule.of(event([
    { startsAt: "2026-11-22T08:00:00Z", endsAt: null, percentBp: 5000 },
    { startsAt: "2026-11-22T12:00:00Z", endsAt: "2026-11-22T14:00:00Z", percentBp: 7500 },
  ]));

  it("gives the rule that started last among those running", () => {
    expect(schedule.at(at("2026-11-22T07:59:59Z"))).toBe(0);
    expect(schedule.at(at("2026-11-22T08:00:00Z"))).toBe(5000);
    expect(schedule.at(at("2026-11-22T13:00:00Z"))).toBe(7500);
    expect(schedule.at(at("2026-11-22T14:00:00Z"))).toBe(5000);
  });

  it("allows every discount in force in the day before a sale, and no other", () => {
    expect(schedule.allowedAround(at("2026-11-22T15:00:00Z")).sort()).toEqual([0, 5000, 7500]);
    expect(schedule.allowedAround(at("2026-11-22T09:00:00Z")).sort()).toEqual([0, 5000]);
    expect(schedule.allowedAround(at("2026-11-23T16:00:00Z")).sort()).toEqual([5000]);
    expect(schedule.allowedAround(at("2026-11-21T09:00:00Z"))).toEqual([0]);
  });
});
