"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
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
      <div aria-live="polite" aria-label="Preview" className="text-sm">
        {result && !result.ok && <p className="text-destructive">{result.formError ?? Object.values(result.fieldErrors ?? {}).flat().join(" ")}</p>}
        {result?.ok && !result.data.supported && <p className="text-muted-foreground">{result.data.message}</p>}
        {result?.ok && result.data.supported && (
          <>
            <p>
              Over {result.data.samples} moments of the last 24 h, this rule would have fired <strong>{result.data.total}</strong> time{result.data.total === 1 ? "" : "s"}
              {result.data.total > result.data.firings.length ? ` (the latest ${result.data.firings.length} listed)` : ""}.
            </p>
            {result.data.firings.length > 0 && (
              <ul className="list-disc pl-5 text-muted-foreground">
                {result.data.firings.map((f, i) => (
                  <li key={i}>
                    {f.labels || "no labels"}: fired {at(f.firedAt)}, {f.resolvedAt ? `resolved ${at(f.resolvedAt)}` : "still firing"}, peak {f.peak}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}
