import { describe, expect, it } from "vitest";
import { matchesCel } from "./cel";
import { canonicalJson } from "./signing";
import { backoffMs, parseDelayMs, parseRetryAfterMs } from "./time";

describe("executor helpers", () => {
  it("reads Inngest time strings and ISO dates", () => {
    expect(parseDelayMs("1s")).toBe(1000);
    expect(parseDelayMs("1h30m")).toBe(5_400_000);
    expect(parseDelayMs("2d")).toBe(172_800_000);
    expect(parseDelayMs("250ms")).toBe(250);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseDelayMs("2026-01-01T00:00:05.000Z", now)).toBe(5000);
    expect(parseDelayMs("2025-12-31T00:00:00Z", now)).toBe(0);
  });

  it("honours Retry-After in seconds or as a date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs("30", now)).toBe(30_000);
    expect(parseRetryAfterMs("Thu, 01 Jan 2026 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfterMs(null)).toBeUndefined();
  });

  it("backs off exponentially with jitter, capped", () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const ceiling = 100 * 2 ** attempt;
      const ms = backoffMs(attempt, 100);
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    }
    expect(backoffMs(40, 1000, 60_000)).toBeLessThanOrEqual(60_000);
  });

  it("evaluates CEL over event and async, treating errors as no match", () => {
    const ctx = { event: { data: { id: "a", n: 3 } }, async: { data: { id: "a" } } };
    expect(matchesCel("event.data.id == async.data.id", ctx)).toBe(true);
    expect(matchesCel("event.data.n > 5", ctx)).toBe(false);
    expect(matchesCel("event.data.missing == 1", ctx)).toBe(false);
    expect(matchesCel("this is not CEL ((", ctx)).toBe(false);
    expect(matchesCel(undefined, ctx)).toBe(true);
  });

  it("canonicalizes JSON with sorted keys, as the SDK signs it", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});
