import { describe, expect, it } from "vitest";
import { currentEnd, isActiveAt, nextStart, type Schedule } from "./recurrence";
import { WeeklyRecurrenceSchema } from "./recurrence";

const at = (iso: string) => new Date(iso);
const bounds = { startsAt: at("2026-11-01T00:00:00Z"), endsAt: at("2027-03-01T00:00:00Z") };

describe("weekly recurrence", () => {
  // 2026-12-07 is a Monday.
  const weekdayNights: Schedule = { ...bounds, recurrence: { days: [1, 2, 3, 4, 5], from: "22:00", to: "02:00", timezone: "Europe/Berlin" } };

  it("holds inside its ranges in its own time zone, a range past midnight on the next day", () => {
    expect(isActiveAt(weekdayNights, at("2026-12-07T20:59:00Z"))).toBe(false); // Mon 21:59 Berlin
    expect(isActiveAt(weekdayNights, at("2026-12-07T21:00:00Z"))).toBe(true); // Mon 22:00: its first instant
    expect(isActiveAt(weekdayNights, at("2026-12-08T00:30:00Z"))).toBe(true); // Tue 01:30
    expect(isActiveAt(weekdayNights, at("2026-12-08T01:00:00Z"))).toBe(false); // Tue 02:00: its end is not in it
    expect(isActiveAt(weekdayNights, at("2026-12-12T00:30:00Z"))).toBe(true); // Sat 01:30, Friday night's range
    expect(isActiveAt(weekdayNights, at("2026-12-13T00:30:00Z"))).toBe(false); // Sun 01:30: no Saturday range
  });

  it("says when the current range ends and when the next starts, capped by the schedule's bounds", () => {
    expect(currentEnd(weekdayNights, at("2026-12-07T22:00:00Z"))).toEqual(at("2026-12-08T01:00:00Z"));
    expect(currentEnd(weekdayNights, at("2026-12-13T00:30:00Z"))).toBeNull();
    expect(nextStart(weekdayNights, at("2026-12-12T12:00:00Z"))).toEqual(at("2026-12-14T21:00:00Z")); // Sat noon → Mon 22:00
    expect(isActiveAt(weekdayNights, at("2027-03-02T21:30:00Z"))).toBe(false); // past its bounds
    expect(nextStart(weekdayNights, at("2027-03-02T00:00:00Z"))).toBeNull();
  });

  it("follows daylight saving: 09:00 New York is 14:00 UTC in winter and 13:00 UTC in summer", () => {
    const mornings: Schedule = { startsAt: at("2026-01-01T00:00:00Z"), endsAt: at("2026-12-31T00:00:00Z"), recurrence: { days: [0, 1, 2, 3, 4, 5, 6], from: "09:00", to: "10:00", timezone: "America/New_York" } };
    expect(isActiveAt(mornings, at("2026-01-15T14:30:00Z"))).toBe(true);
    expect(isActiveAt(mornings, at("2026-07-15T13:30:00Z"))).toBe(true);
    expect(isActiveAt(mornings, at("2026-07-15T14:30:00Z"))).toBe(false);
  });

  it("a one-off schedule holds from its start up to its end", () => {
    const once: Schedule = { startsAt: at("2026-12-07T10:00:00Z"), endsAt: at("2026-12-07T12:00:00Z"), recurrence: null };
    expect([isActiveAt(once, at("2026-12-07T09:59:59Z")), isActiveAt(once, at("2026-12-07T10:00:00Z")), isActiveAt(once, at("2026-12-07T12:00:00Z"))]).toEqual([false, true, false]);
    expect(currentEnd(once, at("2026-12-07T11:00:00Z"))).toEqual(once.endsAt);
  });

  it("refuses an empty range, no days and an unknown zone", () => {
    expect(WeeklyRecurrenceSchema.safeParse({ days: [1], from: "10:00", to: "10:00", timezone: "UTC" }).success).toBe(false);
    expect(WeeklyRecurrenceSchema.safeParse({ days: [], from: "10:00", to: "11:00", timezone: "UTC" }).success).toBe(false);
    expect(WeeklyRecurrenceSchema.safeParse({ days: [1], from: "10:00", to: "11:00", timezone: "Mars/Olympus" }).success).toBe(false);
    expect(WeeklyRecurrenceSchema.parse({ days: [3, 1, 1], from: "10:00", to: "11:00", timezone: "UTC" }).days).toEqual([1, 3]);
  });
});
