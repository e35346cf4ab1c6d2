/** What of a recorded error reaches a client: its class and message. Stacks (server paths) stay in the log and the run row. */
export type PublicError = { name: string; message: string };

export function publicError(error: Record<string, unknown> | null | undefined): PublicError | null {
  if (!error) return null;
  const name = typeof error.name === "string" && error.name ? error.name : "Error";
  const message = typeof error.message === "string" ? error.message : typeof error.error === "string" ? error.error : "The run failed.";
  return { name: name.slice(0, 200), message: message.slice(0, 4000) };
}

/** A value with every `stack` property removed, however deep (a step's or run's output may carry a serialized error). */
export function withoutStacks(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => withoutStacks(v, depth + 1));
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "stack").map(([k, v]) => [k, withoutStacks(v, depth + 1)]));
}
