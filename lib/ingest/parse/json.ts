import { ParseError } from "../types";
import type { Extracted } from "./normalize";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * JSON as `key.path: value` lines (arrays as `items[0].name`; arrays of scalars on one line as
 * `tags: a, b`), strings verbatim. Iterative, so deeply nested input cannot overflow the stack.
 */
export function extractJson(text: string): Extracted {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (err) {
    throw new ParseError("corrupt", `The file is not valid JSON: ${describeJsonError(text, err)}. Fix the JSON (or export it again) and upload it again.`);
  }
  return { text: flattenJson(value).join("\n"), emptyHint: "The JSON holds no values (only empty objects or arrays)." };
}

export function flattenJson(root: Json): string[] {
  const lines: string[] = [];
  const stack: Array<{ path: string; value: Json }> = [{ path: "", value: root }];
  while (stack.length) {
    const { path, value } = stack.pop()!;
    if (value === null || typeof value !== "object") {
      const scalar = typeof value === "string" ? value : JSON.stringify(value);
      lines.push(path ? `${path}: ${scalar}` : scalar);
    } else if (Array.isArray(value)) {
      if (value.length && value.every((v) => v === null || typeof v !== "object")) {
        const joined = value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
        lines.push(path ? `${path}: ${joined}` : joined);
      } else {
        for (let i = value.length - 1; i >= 0; i--) stack.push({ path: `${path}[${i}]`, value: value[i]! });
      }
    } else {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push({ path: path ? `${path}.${key}` : key, value: child });
      }
    }
  }
  return lines;
}

/** V8's message with a line and column an operator can find (V8 omits the position for some errors). */
function describeJsonError(text: string, err: unknown): string {
  const raw = (err instanceof Error ? err.message : String(err)).replace(/, .*is not valid JSON$/s, "");
  const match = /at position (\d+)/.exec(raw);
  const position = match ? Number(match[1]) : firstSyntaxError(text);
  const message = raw.replace(/( in JSON)? at position \d+.*$/s, "");
  if (position === undefined) return message;
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `${message} at line ${line}, column ${column}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Offset of the first syntax error, by a small iterative JSON validator; undefined if none is found. */
export function firstSyntaxError(text: string): number | undefined {
  const closers: string[] = [];
  let state: "value" | "valueOrClose" | "key" | "keyOrClose" | "after" = "value";
  let i = 0;
  const token = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  // Scanned by hand: a regex over a multi-megabyte string literal can exhaust V8's backtracking stack.
  const string = (): boolean => {
    if (text[i] !== "\"") return false;
    i++;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return true;
      }
      if (code < 0x20) return false;
      if (code !== 0x5c) i++;
      else if (!token(ESCAPE)) return false;
    }
    return false;
  };
  for (;;) {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
    const c = text[i];
    if (state === "after") {
      if (!closers.length) return i < text.length ? i : undefined;
      if (c === ",") state = closers[closers.length - 1] === "}" ? "key" : "value";
      else if (c === closers[closers.length - 1]) closers.pop();
      else return i;
      i++;
    } else if (c === undefined) {
      return i;
    } else if ((state === "valueOrClose" && c === "]") || (state === "keyOrClose" && c === "}")) {
      closers.pop();
      i++;
      state = "after";
    } else if (state === "key" || state === "keyOrClose") {
      if (!string()) return i;
      while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
      if (text[i] !== ":") return i;
      i++;
      state = "value";
    } else if (c === "{" || c === "[") {
      closers.push(c === "{" ? "}" : "]");
      i++;
      state = c === "{" ? "keyOrClose" : "valueOrClose";
    } else if (c === "\"" ? string() : token(NUMBER) || token(LITERAL)) {
      state = "after";
    } else {
      return i;
    }
  }
}
