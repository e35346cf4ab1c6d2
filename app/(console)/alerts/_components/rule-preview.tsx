"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDuration } from "@/lib/alerts/preview-summary";
import type { ActionResult } from "@/lib/actions/run-action";
import { previewRuleAction, type PreviewSummary } from "../actions";

const at = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** Inside the rule form: replays its current fields over the last 24 h (the sampler's minutes, or the operations' and backups' own records) and lists what would have fired. */
export function RulePreview() {
  const [result, setResult] = useState<ActionResult<PreviewSummary> | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="w-full space-y-2 md:col-span-3">
      <Button
        type="button"
        size="sm"
        variant="outline"
        disabled={pending}
        onClick={(event) => {
          const form = event.currentTarget.form;
          if (form) start(async () => setResult(await previewRuleAction(new FormData(form))));
        }}
      >
        {pending ? "Replaying…" : "Preview the last 24 h"}
      </Button>
      <div aria-live="polite" aria-label="Preview" className="space-y-3 text-sm">
        {result && !result.ok && <p className="text-destructive">{result.formError ?? Object.values(result.fieldErrors ?? {}).flat().join(" ")}</p>}
        {result?.ok && !result.data.supported && <p className="text-muted-foreground">{result.data.message}</p>}
        {result?.ok && result.data.supported && <PreviewResult data={result.data} />}
      </div>
    </div>
  );
}

/** One label a line ("collection=docs" over "type=INDEX"), a long value wrapping where it must. */
function SeriesLabels({ labels }: { labels: string }) {
  return (
    <>
      {labels.split(", ").map((l) => (
        <span key={l} className="block break-words">
          {l}
        </span>
      ))}
    </>
  );
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** The replay in two tables: each series' firings and time firing (the noisiest first), then the latest firings. */
function PreviewResult({ data }: { data: PreviewSummary }) {
  if (data.total === 0)
    return (
      <p>
        Over the last 24 h this rule would <strong>not have fired</strong> ({count(data.samples, "point")} in time replayed).
      </p>
    );
  return (
    <>
      <p>
        Over the last 24 h this rule would have fired <strong>{count(data.total, "time")}</strong> on {count(data.bySeries.length, "series", "series")}
        {data.total > 200 ? " (the latest 200 are summed up below)" : ""} · {count(data.samples, "point")} in time replayed.
      </p>
      <Table aria-label="Firings by series" className="text-sm">
        <THead>
          <TR>
            <TH>Series</TH>
            <TH className="text-right">Firings</TH>
            <TH className="text-right">Firing in all</TH>
            <TH>Last fired</TH>
          </TR>
        </THead>
        <TBody>
          {data.bySeries.map((s) => (
            <TR key={s.labels}>
              <TD>
                <SeriesLabels labels={s.labels} />
              </TD>
              <TD className="text-right tabular-nums">{s.firings}</TD>
              <TD className="text-right tabular-nums">{formatDuration(s.firingMs)}</TD>
              <TD>
                {at(s.lastFiredAt)}
                {s.stillFiring ? " (still firing)" : ""}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <details>
        <summary className="cursor-pointer underline">
          The latest {data.firings.length} firing{data.firings.length === 1 ? "" : "s"}
        </summary>
        <Table aria-label="Latest firings" className="mt-2 text-sm">
          <THead>
            <TR>
              <TH>Series</TH>
              <TH>Fired</TH>
              <TH>Resolved</TH>
              <TH className="text-right">Lasted</TH>
              {!data.event && <TH className="text-right">Peak</TH>}
            </TR>
          </THead>
          <TBody>
            {data.firings.map((f, i) => (
              <TR key={i}>
                <TD>
                  <SeriesLabels labels={f.labels} />
                </TD>
                <TD className="whitespace-nowrap">{at(f.firedAt)}</TD>
                <TD className="whitespace-nowrap">{f.resolvedAt ? at(f.resolvedAt) : "still firing"}</TD>
                <TD className="text-right tabular-nums">{f.lasted}</TD>
                {!data.event && <TD className="text-right tabular-nums">{f.peak}</TD>}
              </TR>
            ))}
          </TBody>
        </Table>
      </details>
    </>
  );
}
