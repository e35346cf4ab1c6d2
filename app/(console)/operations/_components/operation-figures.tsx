"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { StageComparisonChart } from "@/components/charts/stage-comparison-chart";
import { stageColor } from "@/components/charts/stage-colors";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatBytes, formatCount, formatDuration } from "@/lib/format";
import { operationFiguresQuery, type OperationFiguresData } from "@/lib/query/operations";

const orDash = (n: number | null | undefined, f: (n: number) => string) => (n === null || n === undefined ? "—" : f(n));

/** The operation's figures, its time by stage, and how it compares with the last five successful runs of its type here. */
export function OperationFigures({ initial }: { initial: OperationFiguresData }) {
  const { data = initial } = useQuery({ ...operationFiguresQuery(initial.operation.id), initialData: initial });
  const f = data.figures;
  const cpu = f.cpuUserMs === null ? null : f.cpuUserMs + (f.cpuSystemMs ?? 0);
  const figures: Array<[string, string, string?]> = [
    ["Duration", formatDuration(f.durationMs)],
    ["CPU", orDash(cpu, formatDuration), "process CPU while it ran: the console process's, all its threads, shared with anything else running then"],
    ["Peak memory", orDash(f.peakRssBytes, formatBytes), "process peak: the console process's largest resident memory seen while it ran"],
    ["Documents", formatCount(f.documents)],
    ["Chunks", formatCount(f.chunks)],
    ["Vectors", formatCount(f.vectors)],
    ["Bytes read", formatBytes(f.bytesRead)],
    ["Bytes written", formatBytes(f.bytesWritten)],
    ["Embedding calls", formatCount(f.embeddingCalls)],
    ["Embedding tokens", formatCount(f.embeddingTokens)],
  ];
  const stageTotal = data.stages.reduce((sum, s) => sum + s.totalMs, 0);
  const stageNames = [...new Set([...data.stages, ...data.earlier.flatMap((e) => e.stages)].map((s) => s.stage))];
  const c = data.comparison;
  return (
    <section className="mt-6 space-y-4" aria-labelledby="figures-heading" data-testid="operation-figures">
      <h2 id="figures-heading" className="text-lg font-semibold">
        Figures
      </h2>
      <Card>
        <CardContent className="pt-6">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-5">
            {figures.map(([label, value, hint]) => (
              <div key={label}>
                <dt className="text-xs text-muted-foreground">
                  {label}
                  {hint && <span className="block">({hint.split(":")[0]})</span>}
                </dt>
                <dd className="font-medium tabular-nums" title={hint}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h3">Time by stage</CardTitle>
          <CardDescription>Summed over batches; stages overlap in time (parsing goes on while earlier batches embed), so they may add up to more than the duration.</CardDescription>
        </CardHeader>
        <CardContent>
          {data.stages.length === 0 ? (
            <p className="text-sm text-muted-foreground">No stage has recorded time yet{data.operation.status === "queued" ? ": the operation has not started" : ""}.</p>
          ) : (
            <>
              <div className="flex h-4 w-full overflow-hidden rounded" role="img" aria-label={`Time by stage: ${data.stages.map((s) => `${s.stage} ${formatDuration(s.totalMs)}`).join(", ")}`} data-testid="stage-bar">
                {data.stages.map((s) => (
                  <div key={s.stage} style={{ width: `${stageTotal > 0 ? (s.totalMs / stageTotal) * 100 : 100 / data.stages.length}%`, background: stageColor(s.stage) }} title={`${s.stage}: ${formatDuration(s.totalMs)}`} />
                ))}
              </div>
              <ul className="mt-3 flex flex-wrap gap-x-5 gap-y-1 text-sm">
                {data.stages.map((s) => (
                  <li key={s.stage} className="flex items-center gap-1.5" data-testid={`stage-${s.stage}`}>
                    <span className="inline-block size-2.5 rounded-sm" style={{ background: stageColor(s.stage) }} aria-hidden />
                    <span className="font-medium">{s.stage}</span>
                    <span className="tabular-nums text-muted-foreground">
                      {formatDuration(s.totalMs)} · {formatCount(s.calls)} calls · {formatCount(s.items)} items
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h3">Compared with earlier runs</CardTitle>
          <CardDescription data-testid="comparison-sentence" className="text-base text-foreground">
            {c.sentence}
          </CardDescription>
        </CardHeader>
        {c.runs > 0 && (
          <CardContent className="space-y-4">
            <StageComparisonChart rows={data.chart} stages={stageNames} />
            <Table>
              <THead>
                <TR>
                  <TH>Run</TH>
                  <TH className="text-right">Duration</TH>
                  {stageNames.map((s) => (
                    <TH key={s} className="text-right">
                      {s}
                    </TH>
                  ))}
                </TR>
              </THead>
              <TBody>
                <TR className="font-medium">
                  <TD>This run</TD>
                  <TD className="text-right tabular-nums">{formatDuration(f.durationMs)}</TD>
                  {stageNames.map((s) => (
                    <TD key={s} className="text-right tabular-nums">
                      {formatDuration(data.stages.find((x) => x.stage === s)?.totalMs ?? 0)}
                    </TD>
                  ))}
                </TR>
                <TR className="text-muted-foreground">
                  <TD>Median of {c.runs}</TD>
                  <TD className="text-right tabular-nums">{formatDuration(c.medianDurationMs)}</TD>
                  {stageNames.map((s) => (
                    <TD key={s} className="text-right tabular-nums">
                      {formatDuration(c.stages.find((x) => x.stage === s)?.medianMs ?? 0)}
                    </TD>
                  ))}
                </TR>
                {data.earlier.map((e) => (
                  <TR key={e.operationId}>
                    <TD>
                      <Link className="underline underline-offset-2" href={`/operations/${e.operationId}`}>
                        {e.label} UTC
                      </Link>
                    </TD>
                    <TD className="text-right tabular-nums">{formatDuration(e.durationMs)}</TD>
                    {stageNames.map((s) => (
                      <TD key={s} className="text-right tabular-nums">
                        {formatDuration(e.stages.find((x) => x.stage === s)?.totalMs ?? 0)}
                      </TD>
                    ))}
                  </TR>
                ))}
              </TBody>
            </Table>
          </CardContent>
        )}
      </Card>
    </section>
  );
}
