import { parse } from "@marcbachmann/cel-js";

type Compiled = (ctx: Record<string, unknown>) => unknown;
const cache = new Map<string, Compiled | null>();

function compile(expression: string): Compiled | null {
  if (cache.has(expression)) return cache.get(expression) ?? null;
  let compiled: Compiled | null;
  try {
    compiled = parse(expression) as unknown as Compiled;
  } catch {
    compiled = null;
  }
  if (cache.size > 5000) cache.clear();
  cache.set(expression, compiled);
  return compiled;
}

function fromCel(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  return value;
}

/** Evaluates a CEL expression; a parse error or a missing field (CEL raises) yields undefined. */
export function evaluateCel(expression: string, ctx: Record<string, unknown>): unknown {
  const fn = compile(expression);
  if (!fn) return undefined;
  try {
    return fromCel(fn(ctx));
  } catch {
    return undefined;
  }
}

/** True only when the expression evaluates to boolean true. */
export function matchesCel(expression: string | null | undefined, ctx: Record<string, unknown>): boolean {
  if (!expression) return true;
  return evaluateCel(expression, ctx) === true;
}
