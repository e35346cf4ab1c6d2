import { bucketLabel, type TimelineRow } from "./dashboard-data";
import { EmptyChart } from "./empty-chart";

const CELL = { healthy: "bg-success", degraded: "bg-warning", unhealthy: "bg-destructive" } as const;

/** One row per component, one cell per bucket coloured by its worst status then; a blank cell had no sample. */
export function StatusTimeline({ rows, bucketMs }: { rows: TimelineRow[]; bucketMs: number }) {
  if (rows.length === 0) return <EmptyChart>No health samples in this range yet. The sampler records one a minute while the console runs.</EmptyChart>;
  const cells = rows[0]!.cells;
  const spanMs = cells.length * bucketMs;
  return (
    <div data-testid="health-timeline" className="space-y-1.5">
      {rows.map((row) => (
        <div key={row.component} className="grid grid-cols-[12rem_1fr] items-center gap-3 text-sm">
          <div className="truncate" title={row.component}>
            {row.component}
          </div>
          <div className="flex h-4 gap-px" role="list" aria-label={`${row.component} status history`}>
            {row.cells.map((cell) => (
              <div
                key={cell.bucket}
                role="listitem"
                data-level={cell.level ?? "none"}
                className={`flex-1 rounded-[1px] ${cell.level ? CELL[cell.level] : "bg-muted"}`}
                title={`${bucketLabel(cell.bucket, bucketMs, spanMs)} UTC: ${cell.level ?? "no sample"}`}
              />
            ))}
          </div>
        </div>
      ))}
      <div className="grid grid-cols-[12rem_1fr] gap-3 text-xs text-muted-foreground">
        <span />
        <div className="flex justify-between">
          <span>{bucketLabel(cells[0]!.bucket, bucketMs, spanMs)} UTC</span>
          <span>{bucketLabel(cells.at(-1)!.bucket, bucketMs)} UTC</span>
        </div>
      </div>
      <div className="flex gap-4 pt-1 text-xs text-muted-foreground">
        {(["healthy", "degraded", "unhealthy"] as const).map((level) => (
          <span key={level} className="flex items-center gap-1">
            <span className={`inline-block size-2.5 rounded-sm ${CELL[level]}`} /> {level}
          </span>
        ))}
        <span className="flex items-center gap-1">
          <span className="inline-block size-2.5 rounded-sm bg-muted" /> no sample
        </span>
      </div>
    </div>
  );
}
