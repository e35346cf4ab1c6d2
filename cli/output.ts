/** Either machine-readable JSON on stdout (`--json`) or lines for a person. */
export type Output = { json: boolean };

export function emit(out: Output, data: unknown, human: () => string) {
  process.stdout.write(out.json ? JSON.stringify(data, null, 2) + "\n" : human() + "\n");
}

/** Left-aligned columns, for lists. */
export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  if (!rows.length) return "(none)";
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? "" : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n");
}

export const when = (iso: string | null | undefined) => (iso ? iso.slice(0, 19).replace("T", " ") : "");

export function progressText(p: { done: number; total: number; unit: string } | null | undefined): string {
  if (!p) return "";
  return `${p.done}/${p.total} ${p.unit}`;
}
