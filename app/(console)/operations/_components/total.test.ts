import { describe, expect, it } from "vitest";
import { approxCount, totalText } from "./total";

describe("the job history's total", () => {
  it("is exact when counted and 'about 10.2M' when estimated", () => {
    expect(totalText({ value: 1, kind: "exact" })).toBe("1 operation");
    expect(totalText({ value: 9_999, kind: "exact" })).toBe("9,999 operations");
    expect(totalText({ value: 10_234_567, kind: "estimate" })).toBe("about 10.2M operations (estimated)");
    expect(totalText({ value: 10_501, kind: "estimate" })).toBe("about 10.5k operations (estimated)");
    expect(approxCount(2_345_678_901)).toBe("2.3B");
    expect(approxCount(950)).toBe("950");
  });
});
