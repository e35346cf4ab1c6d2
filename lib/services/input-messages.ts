import { z } from "zod";

const plural = (n: number | bigint, word: string) => `${n} ${word}${n === 1 || n === 1n ? "" : "s"}`;

function sizeWords(origin: string, n: number | bigint): string {
  if (origin === "string") return plural(n, "character");
  if (origin === "array" || origin === "set") return plural(n, "item");
  if (origin === "file") return plural(n, "byte");
  return String(n);
}

const FORMATS: Record<string, string> = {
  uuid: "Not a valid id.",
  email: "Enter an e-mail address such as name@example.com.",
  url: "Enter a URL such as https://example.com.",
  datetime: "Enter a date and time such as 2026-12-01T09:30:00Z.",
  date: "Enter a date such as 2026-12-01.",
};

/**
 * The words an operator reads when a field is wrong, for every schema without a message of its own
 * (zod's defaults, e.g. "Too small: expected number to be >=1", are for developers).
 */
export function operatorMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "Required.";
      if (issue.expected === "number" || issue.expected === "int") return "Enter a number.";
      if (issue.expected === "boolean") return "Choose yes or no.";
      if (issue.expected === "date") return "Enter a valid date.";
      return `Expected ${issue.expected === "array" ? "a list" : issue.expected === "object" ? "an object" : `a ${issue.expected}`}.`;
    case "too_small":
      if (issue.origin === "string" && issue.minimum === 1) return "Required.";
      return issue.origin === "date" ? "Too early." : `Must be ${issue.inclusive === false ? "more than" : "at least"} ${sizeWords(issue.origin, issue.minimum)}.`;
    case "too_big":
      return issue.origin === "date" ? "Too late." : `Must be ${issue.inclusive === false ? "less than" : "at most"} ${sizeWords(issue.origin, issue.maximum)}.`;
    case "invalid_format":
      return FORMATS[issue.format] ?? "Not in the expected format.";
    case "invalid_value":
      return issue.values.length <= 8 ? `Choose one of: ${issue.values.map(String).join(", ")}.` : "Not one of the allowed values.";
    case "unrecognized_keys":
      return `Unknown field${issue.keys.length === 1 ? "" : "s"}: ${issue.keys.join(", ")}.`;
    case "not_multiple_of":
      return `Must be a multiple of ${String(issue.divisor)}.`;
    case "invalid_union":
      return "Not a valid value for this field.";
    default:
      return undefined;
  }
}

z.config({ customError: operatorMessage });

/** The path of the first string holding a NUL character, which PostgreSQL cannot store ("" for the input itself). */
export function nulPath(value: unknown, at: string[] = [], depth = 0): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? at.join(".") : null;
  if (depth > 20 || !value || typeof value !== "object") return null;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const found = nulPath(child, [...at, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}
