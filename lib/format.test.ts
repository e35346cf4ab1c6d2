import { describe, expect, it } from "vitest";
import { formatDuration } from "./format";

describe("formatDuration", () => {
  it("reads as an operator would say it, from milliseconds to hours", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(420)).toBe("420 ms");
    expect(formatDuration(12_340)).toBe("12.3 s");
    expect(formatDuration(119_600)).toBe("2 min 0 s");
    expect(formatDuration(7_503_000)).toBe("2 h 5 min");
    expect(formatDuration(26 * 3_600_000 + 60_000)).toBe("26 h 1 min");
  });
});
