"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { formatCount } from "@/lib/format";
import type { DocumentRow } from "@/lib/query/collections";
import { deadReason, isRetryable } from "@/lib/services/collection/dead-reasons";
import { retryDocumentsAction } from "../actions";
import { DocumentHistorySheet } from "./document-history-sheet";
import { DocumentsTable } from "./documents-table";
import { RetryMatchingSheet } from "./retry-matching-sheet";

type Props = {
  collectionId: string;
  documents: DocumentRow[];
  sourceNames: Record<string, string>;
  filter: Record<string, string>;
  /** Dead documents matching the filter across all pages that a retry can help, from the summary. */
  matching: number;
  canRetry: boolean;
};

export function DeadLetterTable({ collectionId, documents, sourceNames, filter, matching, canRetry }: Props) {
  const [state, action, pending] = useActionState(retryDocumentsAction, null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [history, setHistory] = useState<DocumentRow | null>(null);
  const selectable = (d: DocumentRow) => isRetryable(d.errorClass, d.originalErrorClass);
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const retryable = documents.filter(selectable);
  const toggleAll = () => setSelected((prev) => (retryable.every((d) => prev.has(d.id)) ? new Set() : new Set(retryable.map((d) => d.id))));
  const error = state && !state.ok ? (state.formError ?? Object.values(state.fieldErrors ?? {}).flat()[0] ?? "Could not start the retry.") : null;
  const hopeless = filter.errorClass && !isRetryable(filter.errorClass) ? deadReason(filter.errorClass) : null;
  const exportHref = `/api/v1/collections/${collectionId}/dead-letters/export?${new URLSearchParams(filter)}`;

  return (
    <section aria-labelledby="dl-documents-heading">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="dl-documents-heading" className="text-lg font-semibold">
          Dead documents
        </h2>
        <a className={buttonVariants({ variant: "outline", size: "sm" })} href={exportHref} download>
          Export CSV
        </a>
      </div>
      {hopeless && (
        <Alert className="mb-3">
          <AlertDescription>
            A retry cannot change “{hopeless.label}”, so these are not retried. {hopeless.advice}
          </AlertDescription>
        </Alert>
      )}
      {canRetry && !hopeless && (
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <form action={action}>
            <input type="hidden" name="collectionId" value={collectionId} />
            <input type="hidden" name="mode" value="selected" />
            {[...selected].map((id) => (
              <input key={id} type="hidden" name="documentIds" value={id} />
            ))}
            <Button type="submit" disabled={pending || selected.size === 0}>
              Retry selected
            </Button>
          </form>
          <Button type="button" variant="secondary" disabled={pending || matching === 0} onClick={() => setConfirming(true)}>
            Retry all matching…
          </Button>
          <p className="text-sm text-muted-foreground">
            {formatCount(selected.size)} selected · {formatCount(matching)} {matching === 1 ? "dead document" : "dead documents"} a retry can help {matching === 1 ? "matches" : "match"} this filter
            {pending && " · starting…"}
          </p>
        </div>
      )}
      {error && (
        <Alert variant="destructive" className="mb-3">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <DocumentsTable
        documents={documents}
        sourceNames={new Map(Object.entries(sourceNames))}
        onHistory={setHistory}
        emptyText="No dead documents match this filter."
        selection={canRetry && !hopeless ? { selected, toggle, toggleAll, selectable } : undefined}
      />
      <RetryMatchingSheet open={confirming} onClose={() => setConfirming(false)} collectionId={collectionId} filter={filter} matching={matching} />
      <DocumentHistorySheet collectionId={collectionId} document={history} onClose={() => setHistory(null)} />
    </section>
  );
}
