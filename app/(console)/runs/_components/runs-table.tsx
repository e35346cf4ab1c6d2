"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useNow } from "@/components/ui/use-now";
import { runsQuery, type RunPage } from "@/lib/query/runs";

import { RunStatus } from "./run-status";
import { formatDuration, formatUtc } from "@/lib/format";

const STATUSES = ["queued", "running", "sleeping", "waiting", "completed", "failed", "cancelled"];

export function RunsTable({ filter, initial }: { filter: Record<string, string>; initial: RunPage }) {
  const { data = initial, error } = useQuery({ ...runsQuery(filter), initialData: initial });
  const now = useNow();
  const functions = [...new Set(data.runs.map((r) => r.functionId))].sort();
  return (
    <>
      <form method="get" action="/runs" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter runs">
        <div className="space-y-1">
          <Label htmlFor="r-status">Status</Label>
          <Select id="r-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          <Label htmlFor="r-function">Function</Label>
          <Input id="r-function" name="functionId" list="r-functions" defaultValue={filter.functionId} placeholder="stevedore-run-self-test" />
          <datalist id="r-functions">
            {functions.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </div>
        <div className="space-y-1">
          <Label htmlFor="r-from">From (UTC)</Label>
          <Input id="r-from" name="from" type="datetime-local" defaultValue={filter.from} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="r-to">To (UTC)</Label>
          <Input id="r-to" name="to" type="datetime-local" defaultValue={filter.to} />
        </div>
        {filter.operationId && <input type="hidden" name="operationId" value={filter.operationId} />}
        <Button type="submit">Apply filters</Button>
        <Link href="/runs" className={buttonVariants({ variant: "ghost" })}>
          Clear
        </Link>
      </form>
      {error && <p className="mb-2 text-sm text-destructive">Live refresh paused: {error.message}</p>}
      {data.runs.length === 0 ? (
        <p className="py-8 text-center text-sm text-muted-foreground">No runs match this filter.</p>
      ) : (
        <Table>
          <THead>
            <TR>
              <TH>Function</TH>
              <TH>Status</TH>
              <TH>Trigger event</TH>
              <TH>Started (UTC)</TH>
              <TH>Ended (UTC)</TH>
              <TH>Duration</TH>
              <TH>Attempts</TH>
            </TR>
          </THead>
          <TBody>
            {data.runs.map((run) => (
              <TR key={run.id}>
                <TD>
                  <Link href={`/runs/${run.id}`} className="font-mono underline-offset-2 hover:underline">
                    {run.functionId}
                  </Link>
                </TD>
                <TD>
                  <RunStatus status={run.status} />
                </TD>
                <TD className="font-mono text-xs">{run.eventName ?? "—"}</TD>
                <TD className="font-mono text-xs">{formatUtc(run.startedAt ?? run.createdAt)}</TD>
                <TD className="font-mono text-xs">{formatUtc(run.endedAt)}</TD>
                <TD>{formatDuration((run.endedAt ? Date.parse(run.endedAt) : now) - Date.parse(run.startedAt ?? run.createdAt))}</TD>
                <TD>{run.attempts}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {data.nextCursor && (
        <Link className={buttonVariants({ variant: "outline", size: "sm" }) + " mt-4"} href={`/runs?${new URLSearchParams({ ...filter, cursor: data.nextCursor })}`}>
          Older
        </Link>
      )}
    </>
  );
}
