"use client";

import { useActionState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Sheet } from "@/components/ui/sheet";
import { formatCount } from "@/lib/format";
import { deadReason } from "@/lib/services/collection/dead-reasons";
import { retryDocumentsAction } from "../actions";

type Props = { open: boolean; onClose: () => void; collectionId: string; filter: Record<string, string>; matching: number };

/** "Retry all matching" can move thousands of documents: the operator sees how many, and which, first. */
export function RetryMatchingSheet({ open, onClose, collectionId, filter, matching }: Props) {
  const documents = `${formatCount(matching)} dead ${matching === 1 ? "document" : "documents"}`;
  return (
    <Sheet open={open} onOpenChange={(o) => !o && onClose()} title={`Retry ${documents}?`} description="They go back through parse → embed → store in one APPEND operation. Dead letters a retry cannot help stay where they are.">
      {open && <RetryMatchingForm collectionId={collectionId} filter={filter} documents={documents} onClose={onClose} />}
    </Sheet>
  );
}

function RetryMatchingForm({ collectionId, filter, documents, onClose }: { collectionId: string; filter: Record<string, string>; documents: string; onClose: () => void }) {
  const [state, action, pending] = useActionState(retryDocumentsAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="collectionId" value={collectionId} />
      <input type="hidden" name="mode" value="matching" />
      <input type="hidden" name="errorStage" value={filter.errorStage ?? ""} />
      <input type="hidden" name="errorClass" value={filter.errorClass ?? ""} />
      <dl className="grid grid-cols-[8rem_1fr] gap-1 text-sm">
        <dt className="text-muted-foreground">Stage</dt>
        <dd className="font-mono">{filter.errorStage ?? "any"}</dd>
        <dt className="text-muted-foreground">Reason</dt>
        <dd>{filter.errorClass ? deadReason(filter.errorClass).label : "any a retry can help"}</dd>
      </dl>
      {state && !state.ok && (
        <Alert variant="destructive">
          <AlertDescription>{state.formError ?? "Could not start the retry."}</AlertDescription>
        </Alert>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Starting…" : `Retry ${documents}`}
        </Button>
        <Button type="button" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
