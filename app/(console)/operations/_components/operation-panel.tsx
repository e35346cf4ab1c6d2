"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useNow } from "@/components/ui/use-now";
import { isOperationActive, operationQuery, type OperationDetail } from "@/lib/query/operations";
import { hasCheckpointTimeline } from "@/lib/reindex-display";
import { progressText, ProgressBar } from "./operation-progress";
import { ReindexOperation } from "./reindex-operation";
import { OperationStatus } from "./status";
import { formatDuration, formatUtc } from "@/lib/format";

/** `canDecide`: the viewer may approve or reject a reindex awaiting approval (the verb checks again). */
export function OperationPanel({ initial, canCancel, canDecide }: { initial: OperationDetail; canCancel: boolean; canDecide: boolean }) {
  const queryClient = useQueryClient();
  const { data = initial } = useQuery({ ...operationQuery(initial.operation.id), initialData: initial });
  const [cancelError, setCancelError] = useState<string | null>(null);
  const op = data.operation;
  const now = useNow();
  const active = isOperationActive(op.status);

  async function cancel() {
    if (!confirm(`Cancel this ${op.type} operation? A step already running finishes; nothing after it runs.`)) return;
    setCancelError(null);
    const response = await fetch(`/api/v1/operations/${op.id}/cancel`, { method: "POST" });
    if (!response.ok) setCancelError(((await response.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? "Could not cancel.");
    await queryClient.invalidateQueries({ queryKey: ["operation", op.id] });
  }

  const progress = op.progress;
  return (
    <>
      <PageHeader
        title={`${op.type} operation`}
        description={`Requested by ${data.requestedBy ?? "system"} at ${formatUtc(op.createdAt)} UTC · correlation id ${op.correlationId}`}
        actions={
          canCancel && active ? (
            <Button variant="destructive" onClick={() => void cancel()}>
              Cancel operation
            </Button>
          ) : undefined
        }
      />
      {cancelError && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{cancelError}</AlertDescription>
        </Alert>
      )}
      <div className="mb-6 grid gap-4 md:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle as="h3">Status</CardTitle>
          </CardHeader>
          <CardContent className="space-y-2">
            <div data-testid="operation-status">
              <OperationStatus status={op.status} result={op.result} />
            </div>
            {op.statusMessage && (
              <p className="text-sm text-muted-foreground" role="status">
                {op.statusMessage}
              </p>
            )}
            {op.error && <p className="text-sm text-destructive">{op.error}</p>}
            {op.collectionId && (
              <p className="text-sm">
                <Link className="underline" href={`/collections/${op.collectionId}`}>
                  Open the collection
                </Link>
              </p>
            )}
            <p className="text-sm">
              <Link className="underline" href={`/runs?operationId=${op.id}`}>
                Runs of this operation
              </Link>
            </p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle as="h3">Progress</CardTitle>
          </CardHeader>
          <CardContent className="space-y-2 text-sm">
            {progress ? (
              <>
                <ProgressBar op={op} className="h-2" />
                <p>{progressText(op)}</p>
              </>
            ) : (
              <p className="text-muted-foreground">{active ? "Waiting for the first checkpoint…" : "—"}</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle as="h3">Metrics</CardTitle>
          </CardHeader>
          <CardContent className="text-sm">
            <p>Duration: {data.metrics?.durationMs != null ? formatDuration(data.metrics.durationMs) : op.startedAt ? formatDuration(now - Date.parse(op.startedAt)) : "—"}</p>
            {data.metrics?.cpuUserMs != null && (
              <p title="CPU time of the console process (all its threads) while this operation ran">
                Process CPU: {formatDuration(data.metrics.cpuUserMs + (data.metrics.cpuSystemMs ?? 0))}
              </p>
            )}
            {data.metrics?.peakRssBytes != null && <p title="Largest resident memory of the console process seen while this operation ran">Peak process memory: {Math.round(data.metrics.peakRssBytes / 1048576)} MB</p>}
            {/* A REINDEX's or ROLLBACK's result is all on its checkpoints (versions, documents, points, the kept version and its deadline) and its report. */}
            {op.result && !hasCheckpointTimeline(op.type) && <ResultCounts result={op.result} />}
          </CardContent>
        </Card>
      </div>
      {hasCheckpointTimeline(op.type) ? (
        <ReindexOperation detail={data} canDecide={canDecide} now={now} />
      ) : (
        <>
          <h2 className="mb-2 text-lg font-semibold">Checkpoints</h2>
          <Table>
            <THead>
              <TR>
                <TH>Step</TH>
                <TH>Status</TH>
                <TH>Attempts</TH>
                <TH>Started (UTC)</TH>
                <TH>Took</TH>
                <TH>Detail</TH>
              </TR>
            </THead>
            <TBody>
              {data.steps.map((s) => (
                <TR key={s.id}>
                  <TD className="font-mono">{s.name}</TD>
                  <TD>
                    <OperationStatus status={s.status} />
                  </TD>
                  <TD>{s.attempts}</TD>
                  <TD className="font-mono text-xs">{formatUtc(s.startedAt)}</TD>
                  <TD>{s.startedAt && s.finishedAt ? formatDuration(Date.parse(s.finishedAt) - Date.parse(s.startedAt)) : "—"}</TD>
                  <TD className="max-w-md truncate text-muted-foreground">{s.error ?? (s.output ? JSON.stringify(s.output) : "")}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </>
      )}
    </>
  );
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/** The outcome as labelled counts ("inserted 12"); anything that is not a number is shown as JSON. */
function ResultCounts({ result }: { result: Record<string, unknown> }) {
  const entries = Object.entries(result);
  if (entries.length === 0) return null;
  return (
    <dl aria-label="Result" className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 rounded bg-muted p-2 text-xs">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-muted-foreground">{key}</dt>
          <dd className="break-all font-mono">{typeof value === "number" ? value.toLocaleString("en-US") : typeof value === "string" ? (ISO_TIME.test(value) ? `${formatUtc(value)} UTC` : value) : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
