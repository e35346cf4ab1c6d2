"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { DocumentRow } from "@/lib/query/collections";
import { retryDocumentsAction } from "../actions";

import { DocumentHistorySheet } from "./document-history-sheet";
import { DocumentsTable } from "./documents-table";
import { formatCount } from "@/lib/format";

type Props = {
  collectionId: string;
  documents: DocumentRow[];
  sourceNames: Record<string, string>;
  filter: Record<string, string>;
  /** Dead documents matching the filter across all pages, from the summary. */
  matching: number;
  canRetry: boolean;
};

export function DeadLetterTable({ collectionId, documents, sourceNames, filter, matching, canRetry }: Props) {
  const [state, action, pending] = useActionState(retryDocumentsAction, null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [history, setHistory] = useState<DocumentRow | null>(null);
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected((prev) => (documents.every((d) => prev.has(d.id)) ? new Set() : new Set(documents.map((d) => d.id))));
  const error = state && !state.ok ? (state.formError ?? Object.values(state.fieldErrors ?? {}).flat()[0] ?? "Could not start the retry.") : null;

  return (
    <section aria-labelledby="dl-documents-heading">
      <h2 id="dl-documents-heading" className="mb-2 text-lg font-semibold">
        Dead documents
      </h2>
      {canRetry && (
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
          <form action={action}>
            <input type="hidden" name="collectionId" value={collectionId} />
            <input type="hidden" name="mode" value="matching" />
            <input type="hidden" name="errorStage" value={filter.errorStage ?? ""} />
            <input type="hidden" name="errorClass" value={filter.errorClass ?? ""} />
            <Button type="submit" variant="secondary" disabled={pending || matching === 0}>
              Retry all matching
            </Button>
          </form>
          <p className="text-sm text-muted-foreground">
            {formatCount(selected.size)} selected · {formatCount(matching)} {matching === 1 ? "dead document matches" : "dead documents match"} this filter
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
        selection={canRetry ? { selected, toggle, toggleAll } : undefined}
      />
      <DocumentHistorySheet collectionId={collectionId} document={history} onClose={() => setHistory(null)} />
    </section>
  );
}
