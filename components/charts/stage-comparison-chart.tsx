"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, CHART_HEIGHT, GRID, LEGEND, TOOLTIP } from "./chart-theme";
import { stageColor } from "./stage-colors";

/** Earlier runs and this one side by side, each bar its time by stage (seconds), stacked. */
export function StageComparisonChart({ rows, stages }: { rows: Array<Record<string, number | string>>; stages: string[] }) {
  return (
    <div data-testid="chart-stage-comparison">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="label" {...AXIS} />
          <YAxis {...AXIS} unit=" s" />
          <Tooltip {...TOOLTIP} formatter={(v) => `${Number(v).toFixed(2)} s`} />
          <Legend {...LEGEND} />
          {stages.map((stage) => (
            <Bar key={stage} dataKey={stage} stackId="stages" fill={stageColor(stage)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
