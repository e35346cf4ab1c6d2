/** Recharts props that follow the app's theme variables, so every chart reads in light and dark. */
export const AXIS = { stroke: "var(--border)", tick: { fill: "var(--muted-foreground)", fontSize: 12 }, tickLine: false } as const;
export const GRID = { stroke: "var(--border)", strokeDasharray: "3 3", vertical: false } as const;
export const TOOLTIP = {
  contentStyle: { background: "var(--card)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--card-foreground)", fontSize: 12 },
  labelStyle: { color: "var(--card-foreground)", fontWeight: 600 },
  itemStyle: { color: "var(--card-foreground)" },
  cursor: { fill: "var(--muted)", opacity: 0.6 },
} as const;
export const LEGEND = { wrapperStyle: { fontSize: 12, color: "var(--muted-foreground)" } } as const;
export const CHART_HEIGHT = 220;
