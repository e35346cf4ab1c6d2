/** One colour per stage, the same in the breakdown bar and the comparison chart; readable on light and dark cards. */
export const STAGE_COLORS: Record<string, string> = {
  scan: "#64748b",
  parse: "#0ea5e9",
  chunk: "#14b8a6",
  embed: "#8b5cf6",
  store: "#f59e0b",
  validate: "#22c55e",
  switch: "#ef4444",
  "backup-write": "#3b82f6",
  "restore-load": "#d946ef",
  "backup-verify": "#0891b2",
  clear: "#f97316",
};
export const stageColor = (stage: string) => STAGE_COLORS[stage] ?? "#94a3b8";
