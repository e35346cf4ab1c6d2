import { describe, expect, it } from "vitest";
import { compileMatchers, MatchersSchema, regexProblem } from "./matchers";

describe("silence matchers", () => {
  it("match =, !=, =~ and !~, regexes anchored at both ends, an absent label as empty", () => {
    const m = compileMatchers([
      { label: "collection", op: "=~", value: "docs-.*" },
      { label: "severity", op: "!=", value: "info" },
      { label: "type", op: "!~", value: "BACKUP|RESTORE" },
    ]);
    expect(m({ collection: "docs-eu", severity: "critical", type: "INDEX" })).toBe(true);
    expect(m({ collection: "old-docs-eu", severity: "critical" })).toBe(false); // anchored: no match in the middle
    expect(m({ collection: "docs-eu", severity: "info" })).toBe(false);
    expect(m({ collection: "docs-eu", severity: "warning", type: "BACKUP" })).toBe(false);
    expect(compileMatchers([{ label: "collection", op: "=", value: "docs" }])({ collection: "docs" })).toBe(true);
    expect(compileMatchers([{ label: "collection", op: "=", value: "docs" }])({})).toBe(false);
  });

  it("refuse what RE2 cannot run in linear time (backreferences, lookaround), bad syntax and long patterns", () => {
    expect(regexProblem("(a)\\1")).toMatch(/Not a valid regular expression/);
    expect(regexProblem("(?=docs)")).toMatch(/unsupported Perl syntax/);
    expect(regexProblem("(docs")).toMatch(/missing closing \)/);
    expect(regexProblem("a".repeat(257))).toMatch(/At most 256/);
    expect(regexProblem("docs-(eu|us)-[0-9]+")).toBeNull();
  });

  it("run a catastrophic-backtracking pattern on a long hostile value in linear time", () => {
    const m = compileMatchers([{ label: "collection", op: "=~", value: "(a+)+$" }, { label: "x", op: "=~", value: "(a|aa)*c" }]);
    const hostile = "a".repeat(50_000) + "b";
    const started = performance.now();
    expect(m({ collection: hostile, x: hostile })).toBe(false);
    // A backtracking engine takes longer than the universe's age here; RE2 takes milliseconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("refuse matcher sets that would silence every alert, or none at all", () => {
    expect(MatchersSchema.safeParse([]).success).toBe(false);
    expect(MatchersSchema.safeParse([{ label: "collection", op: "=~", value: ".*" }]).success).toBe(false);
    expect(MatchersSchema.safeParse([{ label: "collection", op: "!=", value: "docs" }]).success).toBe(false);
    expect(MatchersSchema.safeParse([{ label: "collection", op: "=", value: "docs" }]).success).toBe(true);
    const bad = MatchersSchema.safeParse([{ label: "collection", op: "=~", value: "(a)\\1" }]);
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join("."))).toEqual(["0.value"]);
  });
});
