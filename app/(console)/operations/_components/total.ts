/** A count the way an operator reads it at a glance: 10,234,567 → "10.2M", 10,500 → "10.5k". */
export function approxCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return n.toLocaleString("en-US");
}

/** Exact when counted; "about 10.2M" when the history is past the counting threshold (the planner's estimate). */
export function totalText(total: { value: number; kind: "exact" | "estimate" }): string {
  if (total.kind === "estimate") return `about ${approxCount(total.value)} operations (estimated)`;
  return `${total.value.toLocaleString("en-US")} ${total.value === 1 ? "operation" : "operations"}`;
}
