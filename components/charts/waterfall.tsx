"use client";

import { cn } from "@/components/ui/cn";
import { useNow } from "@/components/ui/use-now";
import { layoutWaterfall, type TimedItem } from "./waterfall-layout";

const COLOR: Record<string, string> = {
  completed: "bg-success",
  running: "bg-primary animate-pulse",
  planned: "bg-muted-foreground/40",
  sleeping: "bg-warning",
  waiting: "bg-warning",
  failed: "bg-destructive",
  errored: "bg-destructive/70",
};

/** Steps of a run on one time axis: where each started, how long it took, how it ended. */
export function Waterfall({ items, detail }: { items: TimedItem[]; detail?: (key: string) => React.ReactNode }) {
  const now = useNow(500);
  const { bars, totalMs } = layoutWaterfall(items, now);
  if (bars.length === 0) return <p className="text-sm text-muted-foreground">No steps yet.</p>;
  return (
    <div className="space-y-1" role="list" aria-label="Step timeline">
      <div className="flex justify-between text-xs text-muted-foreground">
        <span>0 ms</span>
        <span>{Math.round(totalMs)} ms</span>
      </div>
      {bars.map((bar) => (
        <div key={bar.key} role="listitem" className="grid grid-cols-[14rem_1fr] items-center gap-3 text-sm">
          <div className="truncate font-mono" title={bar.label}>
            {bar.label}
          </div>
          <div className="relative h-5 rounded bg-muted/50">
            <div
              className={cn("absolute top-0 h-5 rounded", COLOR[bar.status] ?? "bg-muted-foreground")}
              style={{ left: `${bar.offsetPct}%`, width: `${bar.widthPct}%` }}
              title={`${bar.status}${bar.durationMs !== null ? ` · ${bar.durationMs} ms` : ""}`}
            />
          </div>
          {detail && <div className="col-start-2 text-xs text-muted-foreground">{detail(bar.key)}</div>}
        </div>
      ))}
    </div>
  );
}
