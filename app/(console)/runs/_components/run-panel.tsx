"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Waterfall } from "@/components/charts/waterfall";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { isRunActive, runQuery, type RunView } from "@/lib/query/runs";

import { RunStatus } from "./run-status";
import { formatBytes, formatUtc } from "@/lib/format";

async function post(url: string): Promise<{ ok: boolean; message?: string }> {
  const response = await fetch(url, { method: "POST" });
  if (response.ok) return { ok: true };
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return { ok: false, message: body?.error?.message ?? `Request failed (${response.status})` };
}

export function RunPanel({ initial, canCancel, canRerun }: { initial: RunView; canCancel: boolean; canRerun: boolean }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const { data: run = initial } = useQuery({ ...runQuery(initial.id), initialData: initial });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const active = isRunActive(run.status);
  const operationId = (run.event as { data?: { operationId?: string } }).data?.operationId;

  async function cancel() {
    if (!confirm("Cancel this run? A step already executing finishes; no later step runs.")) return;
    const result = await post(`/api/v1/runs/${run.id}/cancel`);
    setMessage(result.ok ? { ok: true, text: "Cancellation requested." } : { ok: false, text: result.message! });
    await queryClient.invalidateQueries({ queryKey: ["run", run.id] });
  }

  async function rerun() {
    const result = await post(`/api/v1/runs/${run.id}/rerun`);
    setMessage(result.ok ? { ok: true, text: "The triggering event was sent again: the new run appears in Runs." } : { ok: false, text: result.message! });
    if (result.ok) router.refresh();
  }

  const items = run.steps.map((s) => ({
    key: s.hash,
    label: s.name ?? s.stepId ?? s.hash.slice(0, 8),
    start: Date.parse(s.startedAt),
    end: s.endedAt ? Date.parse(s.endedAt) : null,
    status: s.status,
  }));
  const byHash = new Map(run.steps.map((s) => [s.hash, s]));

  return (
    <>
      <PageHeader
        title={run.functionId}
        description={`Run ${run.id} · triggered by ${run.eventName ?? "—"} at ${formatUtc(run.createdAt)} UTC`}
        actions={
          <div className="flex gap-2">
            {canRerun && !active && (
              <Button variant="outline" onClick={() => void rerun()}>
                Rerun
              </Button>
            )}
            {canCancel && active && (
              <Button variant="destructive" onClick={() => void cancel()}>
                Cancel run
              </Button>
            )}
          </div>
        }
      />
      {message && (
        <Alert variant={message.ok ? "success" : "destructive"} className="mb-4">
          <AlertDescription>{message.text}</AlertDescription>
        </Alert>
      )}
      <div className="mb-4 flex flex-wrap items-center gap-4 text-sm">
        <span data-testid="run-status">
          <RunStatus status={run.status} />
        </span>
        <span>Started {formatUtc(run.startedAt)}</span>
        <span>Ended {formatUtc(run.endedAt)}</span>
        <span data-testid="run-usage" title="What this run used of Inngest's limits per run: 1,000 steps, 32 MB of state, 4 MB per step result, 3 MB per event">
          {run.usage.steps} step{run.usage.steps === 1 ? "" : "s"} · state {formatBytes(run.usage.stateBytes)} · largest step result {formatBytes(run.usage.maxStepOutputBytes)} · event {formatBytes(run.usage.eventBytes)}
        </span>
        {operationId && (
          <Link className="underline" href={`/operations/${operationId}`}>
            Operation
          </Link>
        )}
      </div>
      <Card className="mb-4">
        <CardHeader>
          <CardTitle as="h2">Step timeline</CardTitle>
        </CardHeader>
        <CardContent>
          <Waterfall
            items={items}
            detail={(key) => {
              const step = byHash.get(key)!;
              const tail = step.error ? `error: ${step.error.name}: ${step.error.message}` : step.output !== null && step.output !== undefined ? `output: ${JSON.stringify(step.output)}` : "";
              return `${step.op} · ${step.status} · ${step.attempts} attempt${step.attempts === 1 ? "" : "s"}${tail ? " · " + tail.slice(0, 300) : ""}`;
            }}
          />
        </CardContent>
      </Card>
      {(run.output !== null || run.error) && (
        <Card>
          <CardHeader>
            <CardTitle as="h2">{run.error ? "Error" : "Output"}</CardTitle>
          </CardHeader>
          <CardContent>
            {run.error ? (
              <p className="whitespace-pre-wrap break-words text-sm">
                <span className="font-mono font-medium">{run.error.name}</span>: {run.error.message}
              </p>
            ) : (
              <pre className="overflow-x-auto rounded bg-muted p-2 text-xs">{JSON.stringify(run.output, null, 2)}</pre>
            )}
          </CardContent>
        </Card>
      )}
    </>
  );
}
