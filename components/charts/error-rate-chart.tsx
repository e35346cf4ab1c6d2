"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, CHART_HEIGHT, GRID, TOOLTIP } from "./chart-theme";
import { bucketLabel, operationsLink, type ErrorRatePoint } from "./dashboard-data";
import { EmptyChart } from "./empty-chart";

/** Failed share of the operations finished per bucket; a click opens that bucket's failures. */
export function ErrorRateChart({ points, bucketMs }: { points: ErrorRatePoint[]; bucketMs: number }) {
  const router = useRouter();
  if (points.every((p) => p.rate === null)) return <EmptyChart>No operation finished in this range, so there is no error rate yet.</EmptyChart>;
  const spanMs = points.length * bucketMs;
  return (
    <div data-testid="chart-error-rate">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketLabel(b, bucketMs, spanMs)} {...AXIS} minTickGap={16} />
          <YAxis unit=" %" domain={[0, 100]} {...AXIS} />
          <Tooltip
            {...TOOLTIP}
            labelFormatter={(b) => bucketLabel(String(b), bucketMs)}
            formatter={(v, _name, item) => [`${v} % (${(item.payload as ErrorRatePoint).failed} of ${(item.payload as ErrorRatePoint).finished})`, "failed"]}
          />
          <Bar
            dataKey="rate"
            name="error rate"
            fill="var(--destructive)"
            cursor="pointer"
            isAnimationActive={false}
            onClick={(item) => {
              const p = item.payload as ErrorRatePoint;
              router.push(operationsLink({ status: "failed", from: p.from, to: p.to }));
            }}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
