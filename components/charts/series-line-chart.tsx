"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, CHART_HEIGHT, GRID, LEGEND, TOOLTIP } from "./chart-theme";
import { bucketLabel, formatBytes, type Series, type SeriesPoint } from "./dashboard-data";
import { EmptyChart } from "./empty-chart";

const FORMAT = {
  bytes: (v: number) => formatBytes(v),
  number: (v: number) => (v >= 10_000 ? `${Math.round(v / 1000)}k` : String(Math.round(v * 10) / 10)),
  percent: (v: number) => `${Math.round(v)} %`,
};

/** One line per series over the range's buckets; a bucket without a sample is a gap, not a zero. */
export function SeriesLineChart({ testId, points, series, bucketMs, format = "number", empty }: { testId: string; points: SeriesPoint[]; series: Series[]; bucketMs: number; format?: keyof typeof FORMAT; empty: string }) {
  const hasData = series.length > 0 && points.some((p) => series.some((s) => typeof p[s.key] === "number"));
  if (!hasData) return <EmptyChart>{empty}</EmptyChart>;
  const fmt = FORMAT[format];
  const spanMs = points.length * bucketMs;
  return (
    <div data-testid={testId}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketLabel(b, bucketMs, spanMs)} {...AXIS} minTickGap={16} />
          <YAxis tickFormatter={(v: number) => fmt(v)} width={64} {...AXIS} />
          <Tooltip {...TOOLTIP} cursor={{ stroke: "var(--border)" }} labelFormatter={(b) => bucketLabel(String(b), bucketMs)} formatter={(v, name) => [fmt(Number(v)), name]} />
          {series.length > 1 && <Legend {...LEGEND} />}
          {series.map((s) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={2} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
