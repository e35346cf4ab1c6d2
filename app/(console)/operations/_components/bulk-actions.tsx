"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useId, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useModalDialog } from "@/components/ui/use-modal-dialog";
import { formatCount } from "@/lib/format";
import { bulkOperationsAction, type BulkDone, type BulkIntent, type BulkSummary } from "../actions";

type Props = { selected: string[]; filter: Record<string, string>; onDone: () => void };

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** How many the action will touch: cancels count operations under way, retries failed ones that can be. */
const actedOn = (intent: BulkIntent, s: BulkSummary) => (intent === "cancel" ? (s as { cancelled: number }).cancelled : (s as { retried: number }).retried);

function whatHappens(intent: BulkIntent, summary: BulkSummary): string {
  const n = actedOn(intent, summary);
  if (intent === "cancel")
    return n === 0 ? "None of them is under way: nothing to cancel." : `${plural(n, "operation")} will be cancelled. Each stops at its next batch boundary, rolls back what it left unfinished and hands its collection to the next operation.`;
  return n === 0 ? "None of them can be retried." : `${plural(n, "failed operation")} will start again as new operations of the same type and parameters, each linked to the one it retries. Each is checked as a new start is (quotas, disk).`;
}

/** The outcome in a line, once it has run: what was done and what was left, by reason. */
function doneText(intent: BulkIntent, summary: BulkSummary): string {
  const n = actedOn(intent, summary);
  const left = [...summary.skipped, ...("refused" in summary ? summary.refused : [])].map((s) => `${formatCount(s.count)} ${s.reason}`);
  return `${intent === "cancel" ? "Cancelled" : "Retried"} ${plural(n, "operation")}.${left.length ? ` Not ${intent === "cancel" ? "cancelled" : "retried"}: ${left.join("; ")}.` : ""}`;
}

function Hidden({ selected, filter, dryRun, action }: { selected: string[]; filter: Record<string, string>; dryRun: boolean; action?: string }) {
  return (
    <>
      {selected.map((id) => (
        <input key={id} type="hidden" name="ids" value={id} />
      ))}
      <input type="hidden" name="filter" value={JSON.stringify(filter)} />
      <input type="hidden" name="dryRun" value={dryRun ? "1" : "0"} />
      {action && <input type="hidden" name="action" value={action} />}
    </>
  );
}

/**
 * Cancel, or retry failed, on the selected rows or on everything the filter matches. A button asks
 * the server first (a dry run: the counts, re-evaluated there); a dialog shows how many and what
 * will happen; only its confirm button acts.
 */
export function BulkActions({ selected, filter, onDone }: Props) {
  const [open, setOpen] = useState(false);
  const dialogRef = useModalDialog(open);
  const titleId = useId();
  const queryClient = useQueryClient();
  // The dialog opens on a dry run's counts and closes once the action has run.
  const [preview, previewAction, previewing] = useActionState<BulkDone | null, FormData>(async (prev, form) => {
    const result = await bulkOperationsAction(prev, form);
    if (result.ok) setOpen(true);
    return result;
  }, null);
  const [ran, runAction, running] = useActionState<BulkDone | null, FormData>(async (prev, form) => {
    const result = await bulkOperationsAction(prev, form);
    if (result.ok) {
      setOpen(false);
      onDone();
      await queryClient.invalidateQueries({ queryKey: ["operations"] });
    }
    return result;
  }, null);

  const p = preview?.ok ? preview.data : null;
  const n = p ? actedOn(p.intent, p.summary) : 0;
  const failure = [preview, ran].find((r) => r && !r.ok) as Extract<BulkDone, { ok: false }> | undefined;
  const scopeText = p?.scope === "selected" ? `of the ${plural(selected.length, "selected operation")}` : "matching the filter";

  return (
    <div className="mb-3 space-y-2">
      <form action={previewAction} className="flex flex-wrap items-center gap-2" aria-label="Bulk actions">
        <Hidden selected={selected} filter={filter} dryRun />
        <Button type="submit" name="action" value="cancel:selected" variant="outline" size="sm" disabled={previewing || selected.length === 0}>
          Cancel selected…
        </Button>
        <Button type="submit" name="action" value="retry:selected" variant="outline" size="sm" disabled={previewing || selected.length === 0}>
          Retry selected failed…
        </Button>
        <Button type="submit" name="action" value="cancel:matching" variant="outline" size="sm" disabled={previewing}>
          Cancel all matching…
        </Button>
        <Button type="submit" name="action" value="retry:matching" variant="outline" size="sm" disabled={previewing}>
          Retry failed matching…
        </Button>
        <span className="text-sm text-muted-foreground">{selected.length ? `${plural(selected.length, "row")} selected` : "Select rows, or act on everything the filter matches."}</span>
      </form>
      {failure && (
        <Alert variant="destructive">
          <AlertDescription>{failure.formError ?? Object.values(failure.fieldErrors ?? {}).flat()[0] ?? "The bulk action failed."}</AlertDescription>
        </Alert>
      )}
      {ran?.ok && (
        <Alert>
          <AlertDescription data-testid="bulk-result">{doneText(ran.data.intent, ran.data.summary)}</AlertDescription>
        </Alert>
      )}
      <dialog
        ref={dialogRef}
        role="alertdialog"
        aria-labelledby={titleId}
        onCancel={(event) => {
          event.preventDefault();
          setOpen(false);
        }}
        onClose={() => setOpen(false)}
        className="m-auto w-full max-w-lg rounded-lg border bg-background p-0 text-foreground shadow-xl backdrop:bg-black/50"
      >
        {open && p && (
          <form action={runAction} className="space-y-4 p-5">
            <Hidden selected={p.scope === "selected" ? selected : []} filter={filter} dryRun={false} action={`${p.intent}:${p.scope}`} />
            <h2 id={titleId} className="text-lg font-semibold leading-tight">
              {p.intent === "cancel" ? `Cancel ${plural(n, "operation")}?` : `Retry ${plural(n, "failed operation")}?`}
            </h2>
            <p className="text-sm" data-testid="bulk-preview">
              {formatCount(p.summary.matched)} {p.intent === "cancel" ? (p.scope === "selected" ? "operations" : "operations under way") : "failed operations"} {scopeText}. {whatHappens(p.intent, p.summary)}
            </p>
            {p.summary.skipped.length > 0 && (
              <div className="text-sm">
                <p className="font-medium">Left as they are:</p>
                <ul className="list-disc pl-5 text-muted-foreground">
                  {p.summary.skipped.map((s) => (
                    <li key={s.reason}>
                      {formatCount(s.count)} — {s.reason}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <p className="text-xs text-muted-foreground">The server checks the selection again when you confirm; the audit log records it as one action with its count.</p>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="outline" autoFocus onClick={() => setOpen(false)}>
                Keep them
              </Button>
              <Button type="submit" variant={p.intent === "cancel" ? "destructive" : "default"} disabled={running || n === 0}>
                {running ? "Working…" : p.intent === "cancel" ? `Cancel ${plural(n, "operation")}` : `Retry ${plural(n, "operation")}`}
              </Button>
            </div>
          </form>
        )}
      </dialog>
    </div>
  );
}
