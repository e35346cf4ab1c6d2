import { RE2JS } from "re2js";
import { z } from "zod";
import { MATCHER_OPS, type Matcher } from "@/db/schema/silences";

/** Longest regex an operator may give: RE2 matches in linear time, and this bounds the compiled program too. */
export const MAX_PATTERN_LENGTH = 256;

/** Why `pattern` is no usable regex (RE2 syntax: no backreferences or lookaround), or null. */
export function regexProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `At most ${MAX_PATTERN_LENGTH} characters.`;
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (err) {
    // RE2's own wording ("missing closing )", "invalid or unsupported Perl syntax") says what to fix.
    return `Not a valid regular expression: ${(err as Error).message.replace(/^error parsing regexp: /, "")}`;
  }
}

export const MatcherSchema = z
  .object({
    label: z.string().trim().regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/, { message: "A label name: letters, digits and _ (not first), up to 64." }),
    op: z.enum(MATCHER_OPS, { message: "One of =, !=, =~, !~." }),
    value: z.string().max(MAX_PATTERN_LENGTH, { message: `At most ${MAX_PATTERN_LENGTH} characters.` }),
  })
  .superRefine((m, ctx) => {
    const problem = m.op === "=~" || m.op === "!~" ? regexProblem(m.value) : null;
    if (problem) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
  });

export const MatchersSchema = z
  .array(MatcherSchema)
  .min(1, { message: "At least one matcher: a silence that matches everything is a maintenance window for all collections." })
  .max(20, { message: "At most 20 matchers." })
  // A silence whose every matcher also matches an empty value would match any alert by accident (Alertmanager refuses it too).
  .refine((ms) => ms.some((m) => ((m.op === "=~" || m.op === "!~") && regexProblem(m.value)) || !compileMatcher(m)("")), { message: "At least one matcher must need a non-empty value (e.g. collection = docs)." });

/** A predicate over one label value; an absent label is the empty string, as in Alertmanager. */
export function compileMatcher(m: Matcher): (value: string) => boolean {
  switch (m.op) {
    case "=":
      return (v) => v === m.value;
    case "!=":
      return (v) => v !== m.value;
    case "=~":
    case "!~": {
      const re = RE2JS.compile(m.value);
      return m.op === "=~" ? (v) => re.matches(v) : (v) => !re.matches(v);
    }
  }
}

/** Every matcher holds (the regexes anchored at both ends). Compile once with `compileMatchers` for many alerts. */
export function compileMatchers(matchers: Matcher[]): (labels: Record<string, string>) => boolean {
  const tests = matchers.map((m) => ({ label: m.label, test: compileMatcher(m) }));
  return (labels) => tests.every(({ label, test }) => test(labels[label] ?? ""));
}

export const describeMatcher = (m: Matcher) => `${m.label}${m.op}${m.op === "=" || m.op === "!=" ? m.value : `/${m.value}/`}`;
