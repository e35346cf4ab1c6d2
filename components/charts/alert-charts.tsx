"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, CHART_HEIGHT, GRID, LEGEND, TOOLTIP } from "./chart-theme";
import { SEVERITY_SERIES, type TimelineBucket } from "./alert-dashboard-data";
import { EmptyChart } from "./empty-chart";

const hourLabel = (iso: string) => new Date(iso).toISOString().slice(11, 16);

/** Open alerts per severity: firing and acknowledged stacked. */
export function FiringBySeverityChart({ points }: { points: { severity: string; firing: number; acknowledged: number }[] }) {
  if (points.every((p) => p.firing + p.acknowledged === 0)) return <EmptyChart>Nothing is firing now.</EmptyChart>;
  const data = points.map((p) => ({ ...p, label: SEVERITY_SERIES.find((s) => s.key === p.severity)?.label ?? p.severity }));
  return (
    <div data-testid="chart-firing-by-severity">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="label" {...AXIS} />
          <YAxis allowDecimals={false} {...AXIS} />
          <Tooltip {...TOOLTIP} />
          <Legend {...LEGEND} />
          <Bar dataKey="firing" name="Firing" stackId="s" fill="var(--destructive)" isAnimationActive={false} />
          <Bar dataKey="acknowledged" name="Acknowledged" stackId="s" fill="var(--warning)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The last 24 h, hour by hour: alerts fired, acknowledged and resolved (UTC hours). */
export function AlertTimelineChart({ points }: { points: TimelineBucket[] }) {
  if (points.every((p) => p.fired + p.acknowledged + p.resolved === 0)) return <EmptyChart>No alert fired, was acknowledged or resolved in the last 24 hours.</EmptyChart>;
  return (
    <div data-testid="chart-alert-timeline">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="bucket" tickFormatter={hourLabel} {...AXIS} minTickGap={16} />
          <YAxis allowDecimals={false} {...AXIS} />
          <Tooltip {...TOOLTIP} labelFormatter={(b) => `${hourLabel(String(b))} UTC`} />
          <Legend {...LEGEND} />
          <Bar dataKey="fired" name="Fired" fill="var(--destructive)" isAnimationActive={false} />
          <Bar dataKey="acknowledged" name="Acknowledged" fill="var(--warning)" isAnimationActive={false} />
          <Bar dataKey="resolved" name="Resolved" fill="var(--success)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
