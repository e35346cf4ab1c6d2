/** Recharts props that follow the app's theme variables, so every chart reads in light and dark. */
export const AXIS = { stroke: "var(--border)", tick: { fill: "var(--muted-foreground)", fontSize: 12 }, tickLine: false } as const;
export const GRID = { stroke: "var(--border)", strokeDasharray: "3 3", vertical: false } as const;
export const TOOLTIP = {
  contentStyle: { background: "var(--card)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--card-foreground)", fontSize: 12 },
  labelStyle: { color: "var(--card-foreground)", fontWeight: 600 },
  itemStyle: { color: "var(--card-foreground)" },
  cursor: { fill: "var(--muted)", opacity: 0.6 },
} as const;
/** Legend text in the foreground colour (the swatch carries the series colour): a yellow label on a white card is unreadable. */
export const LEGEND = { wrapperStyle: { fontSize: 12 }, formatter: (value: unknown) => <span style={{ color: "var(--foreground)" }}>{String(value)}</span> } as const;
export const CHART_HEIGHT = 220;
