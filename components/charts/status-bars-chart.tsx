"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, CHART_HEIGHT, GRID, LEGEND, TOOLTIP } from "./chart-theme";
import { bucketLabel, operationsLink, STATUS_SERIES, type StatusBucket } from "./dashboard-data";
import { EmptyChart } from "./empty-chart";

/** Operations per bucket, stacked by status; a click on a segment opens those operations. */
export function StatusBarsChart({ points, bucketMs }: { points: StatusBucket[]; bucketMs: number }) {
  const router = useRouter();
  if (points.every((p) => p.total === 0)) return <EmptyChart>No operations were started in this range. Index a collection or run the self-test from Health to see them here.</EmptyChart>;
  const spanMs = points.length * bucketMs;
  return (
    <div data-testid="chart-operations-by-status">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketLabel(b, bucketMs, spanMs)} {...AXIS} minTickGap={16} />
          <YAxis allowDecimals={false} {...AXIS} />
          <Tooltip {...TOOLTIP} labelFormatter={(b) => bucketLabel(String(b), bucketMs)} />
          <Legend {...LEGEND} />
          {STATUS_SERIES.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              stackId="status"
              fill={s.color}
              cursor="pointer"
              isAnimationActive={false}
              onClick={(item) => {
                const p = item.payload as StatusBucket;
                router.push(operationsLink({ status: s.key, from: p.from, to: p.to }));
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
