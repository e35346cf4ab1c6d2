"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, CHART_HEIGHT, GRID, LEGEND, TOOLTIP } from "./chart-theme";
import { operationsLink, type DurationBar } from "./dashboard-data";
import { EmptyChart } from "./empty-chart";

/** p50 and p95 duration per operation type; a click opens that type's operations in the range. */
export function DurationChart({ bars, from, to }: { bars: DurationBar[]; from: string; to: string }) {
  const router = useRouter();
  if (bars.length === 0) return <EmptyChart>No operation finished in this range, so there are no durations yet.</EmptyChart>;
  const open = (item: { payload?: unknown }) => router.push(operationsLink({ type: (item.payload as DurationBar).type, from, to }));
  return (
    <div data-testid="chart-durations">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="type" {...AXIS} interval={0} fontSize={11} />
          <YAxis unit=" s" {...AXIS} />
          <Tooltip {...TOOLTIP} formatter={(v, name) => [`${v} s`, name]} />
          <Legend {...LEGEND} />
          <Bar dataKey="p50S" name="p50" fill="var(--primary)" cursor="pointer" isAnimationActive={false} onClick={open} />
          <Bar dataKey="p95S" name="p95" fill="var(--warning)" cursor="pointer" isAnimationActive={false} onClick={open} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
