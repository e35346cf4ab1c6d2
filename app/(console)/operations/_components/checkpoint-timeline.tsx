"use client";

import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDuration, formatUtc } from "@/lib/format";
import type { OperationDetail } from "@/lib/query/operations";
import { checkpointTimeline, type CheckpointState, type TimelineEntry } from "@/lib/reindex-display";
import { progressText, ProgressBar } from "./operation-progress";

const BADGE: Record<CheckpointState, { label: string; variant: "default" | "secondary" | "success" | "warning" | "destructive" | "outline" }> = {
  not_yet: { label: "not yet", variant: "outline" },
  did_not_run: { label: "did not run", variant: "secondary" },
  not_required: { label: "not required", variant: "secondary" },
  pending: { label: "pending", variant: "outline" },
  running: { label: "running", variant: "default" },
  succeeded: { label: "succeeded", variant: "success" },
  failed: { label: "failed", variant: "destructive" },
  skipped: { label: "skipped", variant: "secondary" },
};

const clock = (value: string | null, sameDayAs: string | null) => {
  const full = formatUtc(value);
  return value && sameDayAs && full.slice(0, 10) === formatUtc(sameDayAs).slice(0, 10) ? full.slice(11) : full;
};

function StateBadge({ entry }: { entry: TimelineEntry }) {
  // A running approval is the operation waiting on a person, not working.
  const badge = entry.name === "approval" && entry.state === "running" ? { label: "awaiting decision", variant: "warning" as const } : BADGE[entry.state];
  return (
    <Badge variant={badge?.variant ?? "outline"} data-state={entry.state}>
      {badge?.label ?? entry.state}
    </Badge>
  );
}

/** Every checkpoint of a REINDEX or ROLLBACK in order, the ones still to come greyed; live with the operation's query. */
export function CheckpointTimeline({ detail, now }: { detail: OperationDetail; now: number }) {
  const op = detail.operation;
  const entries = checkpointTimeline(op, detail.steps, now);
  return (
    <Table aria-label="Checkpoints" className="table-fixed">
      <colgroup>
        <col className="w-40" />
        <col className="w-36" />
        <col className="w-44" />
        <col className="w-24" />
        <col className="w-24" />
        <col className="w-20" />
        <col />
      </colgroup>
      <THead>
        <TR>
          <TH>Checkpoint</TH>
          <TH>Status</TH>
          <TH>Started (UTC)</TH>
          <TH>Ended</TH>
          <TH>Took</TH>
          <TH>Attempts</TH>
          <TH>Detail</TH>
        </TR>
      </THead>
      <TBody>
        {entries.map((entry, i) => {
          const later = entry.state === "not_yet" || entry.state === "did_not_run" || entry.state === "not_required";
          const reprocessing = entry.name === "reprocessing" && entry.state === "running" && op.progress;
          return (
            <TR key={entry.name} data-checkpoint={entry.name} className={cn("align-top", later && "text-muted-foreground opacity-70")}>
              <TD className="font-medium">
                <span className="mr-2 tabular-nums text-muted-foreground">{i + 1}.</span>
                {entry.label}
              </TD>
              <TD>
                <StateBadge entry={entry} />
              </TD>
              <TD className="font-mono text-xs">{entry.startedAt ? formatUtc(entry.startedAt) : "—"}</TD>
              <TD className="font-mono text-xs">{entry.finishedAt ? clock(entry.finishedAt, entry.startedAt) : "—"}</TD>
              <TD className="tabular-nums">{entry.durationMs !== null ? formatDuration(entry.durationMs) : "—"}</TD>
              <TD className="tabular-nums">{entry.attempts ?? "—"}</TD>
              <TD className="text-sm">
                {reprocessing ? (
                  <>
                    <ProgressBar op={op} className="mb-1 h-1.5" />
                    <span>{progressText(op)}</span>
                  </>
                ) : later ? (
                  <span>{entry.state === "not_required" ? "the reindex was started without approval" : entry.about}</span>
                ) : (
                  entry.detail && <span className="wrap-anywhere">{entry.detail}</span>
                )}
                {entry.error && <span className="block text-destructive wrap-anywhere">{entry.error}</span>}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
